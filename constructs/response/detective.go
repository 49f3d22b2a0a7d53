// Package response holds the response layer: Detective fed by Security Hub,
// findings routed to people (SNS, AWS Chatbot) and to runbooks (AWS Config
// remediations), and the Security Hub custom actions, automation rules and
// insights analysts work with.
package response

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsdetective"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/customresources"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/mamori-dev/mamori/constructs/internal/jsiix"
	"github.com/mamori-dev/mamori/constructs/sdkcall"
)

// DetectiveProps configures Detective.
type DetectiveProps struct {
	// Calls runs the data source package call; required when a package is
	// started.
	Calls *sdkcall.Provider
	// SecurityHubFindings starts the ASFF_SECURITYHUB_FINDING package: Detective
	// then investigates Security Hub findings from every integrated service.
	// Default: false.
	SecurityHubFindings bool
	// EKSAuditLogs starts the EKS_AUDIT package. Default: false.
	EKSAuditLogs bool
	// DestroyOnDelete deletes the behavior graph, and with it up to a year of
	// investigation data, when it leaves the stack. Default: false: retained.
	DestroyOnDelete bool
}

// Detective is an Amazon Detective behavior graph, with the optional source
// packages started. The account becomes the graph's administrator.
//
// Detective needs GuardDuty first: an account is left "not enabled" in a
// graph until it has used GuardDuty for 48 hours, and Detective retries
// by itself; nothing here waits for it.
// https://docs.aws.amazon.com/detective/latest/adminguide/graph-admin-unblock-account.html
//
// The packages are started through the Detective API
// (UpdateDatasourcePackages), which CloudFormation cannot express. Each bills
// per GB ingested, and the API has no call to stop one: removing a package
// from the props starts nothing and stops nothing (stop it in the Detective
// console), and nothing is stopped when the graph leaves the stack.
// https://docs.aws.amazon.com/detective/latest/APIReference/API_UpdateDatasourcePackages.html
type Detective struct {
	Scope constructs.Construct
	Graph awsdetective.CfnGraph
}

// NewDetective creates a Detective.
func NewDetective(scope constructs.Construct, id string, props *DetectiveProps) *Detective {
	var p DetectiveProps
	if props != nil {
		p = *props
	}
	var packages []string
	if p.SecurityHubFindings {
		packages = append(packages, "ASFF_SECURITYHUB_FINDING")
	}
	if p.EKSAuditLogs {
		packages = append(packages, "EKS_AUDIT")
	}
	if len(packages) > 0 && p.Calls == nil {
		panic(fmt.Errorf("response.NewDetective %q: Calls is required to start %s", id, strings.Join(packages, ", ")))
	}
	this := constructs.NewConstruct(scope, jsii.String(id))
	// AutoEnableMembers stays unset: only an organization's Detective
	// administrator may set it.
	graph := awsdetective.NewCfnGraph(this, jsii.String("Resource"), &awsdetective.CfnGraphProps{})
	graph.ApplyRemovalPolicy(jsiix.Removal(p.DestroyOnDelete), nil)
	d := &Detective{Scope: this, Graph: graph}
	if len(packages) == 0 {
		return d
	}
	call := &customresources.AwsSdkCall{
		Service: jsii.String("Detective"),
		Action:  jsii.String("UpdateDatasourcePackages"),
		Parameters: map[string]interface{}{
			"GraphArn":           graph.AttrArn(),
			"DatasourcePackages": packages,
		},
		PhysicalResourceId: customresources.PhysicalResourceId_Of(jsii.String("detective-packages-" + strings.Join(packages, "-"))),
	}
	cr := p.Calls.NewCall(this, "SourcePackages", &sdkcall.CallProps{
		OnCreate: call,
		// Nothing on delete: the API cannot stop a package.
		Statements: []awsiam.PolicyStatement{awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String("StartDetectivePackages"),
			Actions:   jsii.Strings("detective:UpdateDatasourcePackages"),
			Resources: jsii.Strings(*graph.AttrArn()),
		})},
	})
	cr.Node().AddDependency(graph)
	return d
}
