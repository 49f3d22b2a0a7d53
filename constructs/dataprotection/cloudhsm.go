package dataprotection

import (
	_ "embed"
	"strconv"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudhsm"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/internal/jsiix"
	"github.com/mamori-dev/mamori/constructs/internal/problems"
	"github.com/mamori-dev/mamori/constructs/sdkcall"
	"github.com/mamori-dev/mamori/internal/nag"
)

// HSMType is the hardware generation of a CloudHSM cluster's HSMs. The API
// accepts "hsm1.medium" and "hsm2m.medium"; FIPS mode runs on both,
// non-FIPS mode only on hsm2m.medium, and clusters created before
// 10 June 2024 are hsm1.medium.
// https://docs.aws.amazon.com/cloudhsm/latest/APIReference/API_CreateCluster.html
// https://docs.aws.amazon.com/cloudhsm/latest/userguide/cluster-hsm-types.html
type HSMType string

// The HSM types CloudHSM accepts.
const (
	// HSM2mMedium is the current generation.
	HSM2mMedium HSMType = "hsm2m.medium"
	// HSM1Medium is the previous generation, FIPS mode only.
	HSM1Medium HSMType = "hsm1.medium"
)

// HSMSubnet is a private subnet the cluster places HSMs in. CreateHsm names
// an Availability Zone, not a subnet, so the zone is given with the subnet.
type HSMSubnet struct {
	SubnetID         string
	AvailabilityZone string
}

// CloudHSMProps configures CloudHSM.
type CloudHSMProps struct {
	// Calls runs the HSM API calls: CloudFormation has a cluster resource but
	// none for HSMs. Required.
	Calls *sdkcall.Provider
	// Subnets are private subnets of one VPC, one per Availability Zone, in
	// at least two zones (a KMS custom key store requires two). Required.
	// https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateCustomKeyStore.html
	Subnets []HSMSubnet
	// HSMType is the HSM generation. Default: HSM2mMedium, the current one.
	HSMType HSMType
	// NonFIPS creates the cluster in non-FIPS mode, which also offers
	// algorithms that are not FIPS approved; the mode cannot be changed
	// later, and needs HSM2mMedium. Default: false: FIPS mode, only FIPS
	// validated keys and algorithms.
	// https://docs.aws.amazon.com/cloudhsm/latest/userguide/cluster-hsm-types.html
	NonFIPS bool
	// HSMCount is how many HSMs the cluster runs once activated, spread
	// round-robin over the subnets' Availability Zones; at least 2 (one per
	// zone keeps the cluster available when a zone fails). Default: 2.
	//
	// Cost: every HSM bills for each hour it exists, whether or not it is
	// used (https://aws.amazon.com/cloudhsm/pricing/); mamori records no
	// price because it did not verify one. Until Activated is set, the
	// cluster runs one HSM.
	HSMCount int
	// Activated says the cluster has been initialized and activated by hand
	// (see the runbook): until then the cluster runs only its first HSM,
	// whose certificate signing request is being signed; once set, the
	// remaining HSMs are created. Unsetting it deletes nothing. Default: false.
	Activated bool
	// BackupRetentionDays is how long CloudHSM keeps the cluster's backups,
	// 7 to 379 days; CloudHSM never deletes a cluster's last backup.
	// Default: 90.
	// https://docs.aws.amazon.com/cloudhsm/latest/userguide/manage-backup-retention.html
	BackupRetentionDays int
	// DestroyOnDelete deletes the cluster when it leaves the stack.
	// Default: false: the cluster, and with it its backups and keys, is
	// retained. Its HSMs are deleted either way (see CloudHSM).
	DestroyOnDelete bool
}

// CloudHSM is an AWS CloudHSM cluster (AWS::CloudHSM::Cluster) in FIPS mode
// on the current HSM generation, with its HSMs.
//
// CloudFormation cannot create HSMs, so a custom resource calls CreateHsm:
// one HSM until the cluster is activated (its CSR comes from that HSM), then
// HSMCount spread over the Availability Zones. CreateHsm returns at once and
// an HSM takes many minutes to become ACTIVE; nothing in the stack uses the
// HSMs (initialization is a manual ceremony), so the stack does not wait for
// them, which also keeps it within the 14 minutes a handler may run. Check
// `aws cloudhsmv2 describe-clusters` for ACTIVE HSMs before the runbook.
//
// The HSMs are deleted whenever they leave the stack (DeleteHsm), with or
// without DestroyOnDelete: HSMs bill by the hour, CloudHSM backs up an
// active cluster when an HSM is removed and never deletes a cluster's last
// backup, and an HSM created later in the same cluster restores it, so the
// retained cluster loses no user or key. With DestroyOnDelete the handler
// waits until they are gone, because a cluster with HSMs cannot be deleted.
// https://docs.aws.amazon.com/cloudhsm/latest/userguide/manage-backups.html
// https://docs.aws.amazon.com/cloudhsm/latest/APIReference/API_DeleteCluster.html
//
// CloudHSM creates and manages the cluster's security group
// (cloudhsm-cluster-<id>-sg, SecurityGroupID): it admits TCP 2223-2225 only
// from itself. Add client instances to it; do not change its rules, which a
// KMS custom key store requires.
// https://docs.aws.amazon.com/cloudhsm/latest/userguide/create-cluster.html
type CloudHSM struct {
	Scope   constructs.Construct
	Cluster awscloudhsm.CfnCluster
	// ClusterID is the cluster's ID, e.g. cluster-abcdefghijk.
	ClusterID *string
	// SecurityGroupID is the security group CloudHSM created for the cluster.
	SecurityGroupID *string
	// HSMs is the custom resource that keeps the cluster's HSMs.
	HSMs awscdk.CustomResource
}

// hsmsHandler keeps a cluster's HSMs; see the file.
//
//go:embed handlers/cloudhsm-hsms.js
var hsmsHandler string

// NewCloudHSM creates a CloudHSM. It panics listing every invalid prop.
func NewCloudHSM(scope constructs.Construct, id string, props *CloudHSMProps) *CloudHSM {
	var p CloudHSMProps
	if props != nil {
		p = *props
		p.Subnets = append([]HSMSubnet(nil), props.Subnets...)
	}
	if p.HSMType == "" {
		p.HSMType = HSM2mMedium
	}
	if p.HSMCount == 0 {
		p.HSMCount = 2
	}
	if p.BackupRetentionDays == 0 {
		p.BackupRetentionDays = 90
	}
	checkCloudHSM(id, p)
	// CreateCluster takes one subnet per Availability Zone.
	var subnetIDs, zones []string
	for _, s := range p.Subnets {
		subnetIDs = append(subnetIDs, s.SubnetID)
		zones = append(zones, s.AvailabilityZone)
	}

	this := constructs.NewConstruct(scope, jsii.String(id))
	mode := "FIPS"
	if p.NonFIPS {
		mode = "NON_FIPS"
	}
	// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudhsm-cluster.html
	cluster := awscloudhsm.NewCfnCluster(this, jsii.String("Resource"), &awscloudhsm.CfnClusterProps{
		HsmType:     jsii.String(string(p.HSMType)),
		Mode:        jsii.String(mode),
		NetworkType: jsii.String("IPV4"),
		SubnetIds:   jsiix.Strs(subnetIDs),
		BackupRetentionPolicy: &awscloudhsm.CfnCluster_BackupRetentionPolicyProperty{
			Type:  jsii.String("DAYS"),
			Value: jsii.String(strconv.Itoa(p.BackupRetentionDays)),
		},
	})
	cluster.ApplyRemovalPolicy(jsiix.Removal(p.DestroyOnDelete), nil)

	// Until activation: the first zone's HSM only; then HSMCount,
	// round-robin over the zones in the order the subnets are given.
	count := 1
	if p.Activated {
		count = p.HSMCount
	}
	hsms := p.Calls.NewWaitingCall(this, "Hsms", &sdkcall.WaitingCallProps{
		HandlerName:  "cloudhsm-hsms",
		Handler:      hsmsHandler,
		ResourceType: "Custom::CloudHSMHsms",
		Properties: map[string]interface{}{
			"ClusterId":         cluster.AttrClusterId(),
			"AvailabilityZones": jsiix.Strs(zones),
			"HsmCount":          count,
			"Activated":         p.Activated,
			"WaitForDeletion":   p.DestroyOnDelete,
		},
		Statements: hsmsStatements(cluster, subnetIDs),
		// Only the deletion wait (DestroyOnDelete) takes long.
		Timeout: 14 * time.Minute,
		Suppressions: []nag.Rule{{
			ID: "AwsSolutions-IAM5",
			Reason: "cloudhsm:DescribeClusters, cloudhsm:DeleteHsm and the EC2 Describe actions support no resource-level permissions; " +
				"the network interface CloudHSM creates for an HSM, and a replacement cluster security group, get IDs only when created.",
			AppliesTo: []string{"Resource::*"},
			AppliesToRegex: []string{
				`/^Resource::arn:(<AWS::Partition>|[a-z-]+):ec2:(<AWS::Region>|[a-z0-9-]+):(<AWS::AccountId>|[0-9]{12}):(network-interface|security-group)\/\*$/`,
			},
		}},
	})
	return &CloudHSM{
		Scope: this, Cluster: cluster, ClusterID: cluster.AttrClusterId(),
		SecurityGroupID: cluster.AttrSecurityGroup(), HSMs: hsms,
	}
}

// checkCloudHSM panics listing every invalid prop of p, defaults applied.
func checkCloudHSM(id string, p CloudHSMProps) {
	bad := problems.Of("dataprotection.NewCloudHSM", id)
	if p.Calls == nil {
		bad.Add("Calls is required")
	}
	if p.HSMType != HSM2mMedium && p.HSMType != HSM1Medium {
		bad.Add("HSMType %q must be %q or %q", p.HSMType, HSM2mMedium, HSM1Medium)
	} else if p.NonFIPS && p.HSMType != HSM2mMedium {
		bad.Add("non-FIPS mode needs HSMType %q, not %q", HSM2mMedium, p.HSMType)
	}
	if p.HSMCount < 2 {
		bad.Add("HSMCount %d must be at least 2", p.HSMCount)
	}
	if p.BackupRetentionDays < 7 || p.BackupRetentionDays > 379 {
		bad.Add("BackupRetentionDays %d must be between 7 and 379", p.BackupRetentionDays)
	}
	seen := map[string]bool{}
	for _, s := range p.Subnets {
		if s.SubnetID == "" || s.AvailabilityZone == "" {
			bad.Add("every subnet needs a SubnetID and an AvailabilityZone, got %+v", s)
		}
		if seen[s.AvailabilityZone] {
			bad.Add("two subnets in Availability Zone %q: CloudHSM takes one subnet per zone", s.AvailabilityZone)
		}
		seen[s.AvailabilityZone] = true
	}
	if len(p.Subnets) < 2 {
		bad.Add("subnets in %d Availability Zone(s); at least 2 are required", len(p.Subnets))
	}
	bad.Check()
}

// hsmsStatements are the HSM handler's permissions.
//
// The IAM prefix is cloudhsm: (the SDK client is CloudHSMV2). CreateHsm
// accepts the cluster as resource; DescribeClusters and DeleteHsm accept
// no resource type. CloudHSM creates the HSM's network interface in the
// cluster's security group with the caller's permissions: the EC2
// actions the Service Authorization Reference lists for CreateHsm and
// DeleteHsm, scoped to this cluster's subnets, security group and VPC.
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_cloudhsm.html
func hsmsStatements(cluster awscloudhsm.CfnCluster, subnetIDs []string) []awsiam.PolicyStatement {
	stack := awscdk.Stack_Of(cluster)
	ec2Arn := func(resource, name string) string {
		return *stack.FormatArn(&awscdk.ArnComponents{
			Service: jsii.String("ec2"), Resource: jsii.String(resource), ResourceName: jsii.String(name),
			ArnFormat: awscdk.ArnFormat_SLASH_RESOURCE_NAME,
		})
	}
	subnetArns := []string{ec2Arn("network-interface", "*"), ec2Arn("security-group", *cluster.AttrSecurityGroup())}
	for _, s := range subnetIDs {
		subnetArns = append(subnetArns, ec2Arn("subnet", s))
	}
	allow := func(resources []string, actions ...string) awsiam.PolicyStatement {
		return awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{Actions: jsiix.Strs(actions), Resources: jsiix.Strs(resources)})
	}
	return []awsiam.PolicyStatement{
		allow([]string{*cluster.AttrArn()}, "cloudhsm:CreateHsm"),
		allow([]string{"*"}, "cloudhsm:DescribeClusters", "cloudhsm:DeleteHsm",
			"ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets"),
		allow(subnetArns, "ec2:CreateNetworkInterface"),
		allow([]string{ec2Arn("network-interface", "*")}, "ec2:DeleteNetworkInterface"),
		allow([]string{ec2Arn("security-group", *cluster.AttrSecurityGroup())},
			"ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress", "ec2:RevokeSecurityGroupEgress"),
		allow([]string{ec2Arn("security-group", "*"), ec2Arn("vpc", *cluster.AttrVpcId())}, "ec2:CreateSecurityGroup"),
	}
}
