package config

import "github.com/mamori-dev/mamori/internal/catalog"

// regionPartition returns the partition of a known region ("aws",
// "aws-us-gov", "aws-cn", "aws-eusc"), or false for an unknown name. The
// regions mamori knows are catalog.Regions.
func regionPartition(region string) (string, bool) {
	return catalog.RegionPartition(region)
}

// regionNames lists every known region name, sorted.
func regionNames() []string {
	names := make([]string, len(catalog.Regions))
	for i, r := range catalog.Regions {
		names[i] = r.Name
	}
	return names
}
