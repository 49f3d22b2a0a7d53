package preflight

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// regions checks that every governed region is enabled for the account.
// DescribeRegions with AllRegions lists disabled regions too, with their
// OptInStatus: opt-in-not-required, opted-in or not-opted-in.
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRegions.html
func (r *run) regions(ctx context.Context, t target, c *Clients) {
	var out *ec2.DescribeRegionsOutput
	err := r.retry.do(ctx, "EC2API", "DescribeRegions", func() (err error) {
		out, err = c.EC2.DescribeRegions(ctx, &ec2.DescribeRegionsInput{AllRegions: aws.Bool(true)})
		return err
	})
	if err != nil {
		r.fail("regions", t.ID, "global", err)
		return
	}
	status := map[string]string{}
	for _, reg := range out.Regions {
		status[aws.ToString(reg.RegionName)] = aws.ToString(reg.OptInStatus)
	}
	for _, region := range r.cfg.Regions {
		f := Finding{Service: "region", Account: t.ID, Region: region, Mamori: "deploys here", Status: StatusReady}
		switch s, known := status[region]; {
		case !known:
			f.Found = "unknown to this account's partition"
			f.Status, f.You = StatusAction, "remove "+region+" from regions: the account cannot use it"
		case s == "not-opted-in":
			f.Found = "opt-in region, disabled"
			f.Status, f.You = StatusAction, "enable "+region+" for the account (Account settings, or account:EnableRegion)"
		default:
			f.Found = s
		}
		r.add(f)
	}
}

// bootstrap checks the CDK bootstrap stack of the account in region: it
// exists, is usable, is recent enough, and trusts the deploying account.
// The bootstrap template outputs BootstrapVersion and takes the trusted
// accounts as the TrustedAccounts parameter.
// https://docs.aws.amazon.com/cdk/v2/guide/bootstrapping-env.html
func (r *run) bootstrap(ctx context.Context, t target, region string, c *Clients) {
	f := Finding{Service: "cdk-bootstrap", Account: t.ID, Region: region, Mamori: "deploys with it", Status: StatusReady}
	command := "cdk bootstrap aws://" + t.ID + "/" + region
	if t.TrustFrom != "" {
		command += " --trust " + t.TrustFrom + " --cloudformation-execution-policies arn:aws:iam::aws:policy/AdministratorAccess"
	}
	var out *cloudformation.DescribeStacksOutput
	err := r.retry.do(ctx, "CloudFormationAPI", "DescribeStacks", func() (err error) {
		out, err = c.CloudFormation.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(r.o.ToolkitStackName)})
		return err
	})
	// DescribeStacks answers ValidationError "Stack with id X does not exist".
	if hasCode(err, "ValidationError") && strings.Contains(errorMessage(err), "does not exist") || err == nil && len(out.Stacks) == 0 {
		f.Found, f.Mamori = "no "+r.o.ToolkitStackName+" stack", "cannot deploy here yet"
		f.Status, f.You = StatusAction, "run `"+command+"`"
		r.add(f)
		return
	}
	if err != nil {
		r.fail("cdk-bootstrap", t.ID, region, err)
		return
	}
	st := out.Stacks[0]
	version := 0
	for _, o := range st.Outputs {
		if aws.ToString(o.OutputKey) == "BootstrapVersion" {
			version, _ = strconv.Atoi(aws.ToString(o.OutputValue))
		}
	}
	var trusted []string
	for _, p := range st.Parameters {
		if aws.ToString(p.ParameterKey) == "TrustedAccounts" && aws.ToString(p.ParameterValue) != "" {
			trusted = strings.Split(aws.ToString(p.ParameterValue), ",")
		}
	}
	f.Found = fmt.Sprintf("%s version %d, %s", r.o.ToolkitStackName, version, st.StackStatus)
	if len(trusted) > 0 {
		f.Found += ", trusts " + strings.Join(trusted, " ")
	}
	switch {
	case slices.Contains(unusableStack, st.StackStatus):
		f.Status, f.You = StatusAction, "repair the bootstrap stack (delete it if it never completed), then run `"+command+"`"
	case version < minBootstrapVersion:
		f.Status, f.You = StatusAction, fmt.Sprintf("update the bootstrap (version %d or later): run `%s`", minBootstrapVersion, command)
	case t.TrustFrom != "" && !slices.Contains(trusted, t.TrustFrom):
		f.Status, f.You = StatusAction, "let the management account deploy here: run `"+command+"`"
	}
	r.add(f)
}

// unusableStack are the stack states a deploy cannot build on.
var unusableStack = []cfntypes.StackStatus{
	cfntypes.StackStatusCreateFailed, cfntypes.StackStatusRollbackComplete, cfntypes.StackStatusRollbackFailed,
	cfntypes.StackStatusDeleteFailed, cfntypes.StackStatusUpdateRollbackFailed, cfntypes.StackStatusDeleteComplete,
}

// owner says which CloudFormation stack holds the resource physicalID of
// type typ, or "" when none does. DescribeStackResources with a physical ID
// returns the resources of the stack it belongs to, deleted stacks included
// for 90 days, and a ValidationError when no stack holds it.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStackResources.html
func (r *run) owner(ctx context.Context, c *Clients, physicalID, typ string) (string, error) {
	var out *cloudformation.DescribeStackResourcesOutput
	err := r.retry.do(ctx, "CloudFormationAPI", "DescribeStackResources", func() (err error) {
		out, err = c.CloudFormation.DescribeStackResources(ctx, &cloudformation.DescribeStackResourcesInput{PhysicalResourceId: aws.String(physicalID)})
		return err
	})
	if hasCode(err, "ValidationError") {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	for _, res := range out.StackResources {
		if aws.ToString(res.PhysicalResourceId) == physicalID && aws.ToString(res.ResourceType) == typ && res.ResourceStatus != cfntypes.ResourceStatusDeleteComplete {
			return aws.ToString(res.StackName), nil
		}
	}
	return "", nil
}

// controlTower says whether a stack or resource name is Control Tower's:
// its baseline StackSets' instances are named StackSet-AWSControlTowerBP-*
// and its resources aws-controltower-*.
func controlTower(name string) bool {
	return strings.HasPrefix(name, "StackSet-AWSControlTower") || strings.HasPrefix(name, "aws-controltower-")
}

// ownerText describes who owns a resource for the Found column.
func ownerText(stack, name string) string {
	switch {
	case controlTower(stack) || controlTower(name):
		return "Control Tower"
	case stack != "":
		return "stack " + stack
	}
	return "no stack"
}
