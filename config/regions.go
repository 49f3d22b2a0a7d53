package config

import (
	"slices"
	"strings"
)

// knownRegions are the AWS regions mamori can govern, sorted by name, with
// their partition. The list follows aws-cdk-lib's region-info (2.276); the
// isolated (ISO) partitions are left out because none of the security
// services mamori enables is offered there the same way. Add a region here
// when AWS opens one.
var knownRegions = []struct{ name, partition string }{
	{"af-south-1", "aws"},
	{"ap-east-1", "aws"},
	{"ap-east-2", "aws"},
	{"ap-northeast-1", "aws"},
	{"ap-northeast-2", "aws"},
	{"ap-northeast-3", "aws"},
	{"ap-south-1", "aws"},
	{"ap-south-2", "aws"},
	{"ap-southeast-1", "aws"},
	{"ap-southeast-2", "aws"},
	{"ap-southeast-3", "aws"},
	{"ap-southeast-4", "aws"},
	{"ap-southeast-5", "aws"},
	{"ap-southeast-6", "aws"},
	{"ap-southeast-7", "aws"},
	{"ca-central-1", "aws"},
	{"ca-west-1", "aws"},
	{"cn-north-1", "aws-cn"},
	{"cn-northwest-1", "aws-cn"},
	{"eu-central-1", "aws"},
	{"eu-central-2", "aws"},
	{"eu-north-1", "aws"},
	{"eu-south-1", "aws"},
	{"eu-south-2", "aws"},
	{"eu-west-1", "aws"},
	{"eu-west-2", "aws"},
	{"eu-west-3", "aws"},
	{"eusc-de-east-1", "aws-eusc"},
	{"il-central-1", "aws"},
	{"me-central-1", "aws"},
	{"me-south-1", "aws"},
	{"me-west-1", "aws"},
	{"mx-central-1", "aws"},
	{"sa-east-1", "aws"},
	{"us-east-1", "aws"},
	{"us-east-2", "aws"},
	{"us-gov-east-1", "aws-us-gov"},
	{"us-gov-west-1", "aws-us-gov"},
	{"us-west-1", "aws"},
	{"us-west-2", "aws"},
}

// regionPartition returns the partition of a known region ("aws",
// "aws-us-gov", "aws-cn", "aws-eusc"), or false for an unknown name.
func regionPartition(region string) (string, bool) {
	i, found := slices.BinarySearchFunc(knownRegions, region, func(r struct{ name, partition string }, name string) int {
		return strings.Compare(r.name, name)
	})
	if !found {
		return "", false
	}
	return knownRegions[i].partition, true
}

// regionNames lists every known region name, sorted.
func regionNames() []string {
	names := make([]string, len(knownRegions))
	for i, r := range knownRegions {
		names[i] = r.name
	}
	return names
}
