package preflight

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Status is what a finding asks of the person deploying.
type Status string

const (
	// StatusReady needs nothing: mamori creates, keeps or converges it.
	StatusReady Status = "ready"
	// StatusAction needs a decision or a step before deploying: a conflict
	// the config does not settle yet, a missing bootstrap, a region to enable.
	StatusAction Status = "action"
	// StatusUnknown could not be checked: access denied, throttled, or no
	// way into the account.
	StatusUnknown Status = "cannot-check"
)

// Finding is one row of the report.
type Finding struct {
	Service string `json:"service"`
	Account string `json:"account"`
	// Region is a governed region, or "global" for account-wide settings.
	Region string `json:"region"`
	// Found is what exists now, and who owns it.
	Found string `json:"found"`
	// Mamori is what a deploy with this config does about it.
	Mamori string `json:"mamori"`
	// You is what you must do first; empty when nothing.
	You    string `json:"you,omitempty"`
	Status Status `json:"status"`
	// MissingPermission names the IAM action that was denied.
	MissingPermission string `json:"missingPermission,omitempty"`
	// Import is the existing resource mamori imports (existing: adopt).
	Import *Import `json:"import,omitempty"`
}

// Import is one existing resource `make adopt` brings into a mamori stack.
type Import struct {
	// Stack is the mamori stack that takes it over.
	Stack string `json:"stack"`
	// Path is the resource's construct path inside the stack, e.g.
	// "GuardDuty/Resource"; the template's aws:cdk:path metadata gives its
	// logical ID.
	Path string `json:"path"`
	// Type is the CloudFormation resource type.
	Type string `json:"type"`
	// Property and Value identify the existing resource (its primary
	// identifier in the CloudFormation registry schema).
	Property string `json:"property"`
	Value    string `json:"value"`
}

// Report is the outcome of one preflight run.
type Report struct {
	Findings []Finding `json:"findings"`
	// noCredentials says the run stopped before any call for want of
	// credentials.
	noCredentials bool
}

// NoCredentials says the run found no credentials to call AWS with.
func (r *Report) NoCredentials() bool { return r.noCredentials }

// ExitCode is 0 when every finding is ready, 2 when any could not be
// checked, and 1 otherwise (something needs a decision or a step first).
func (r *Report) ExitCode() int {
	code := 0
	for _, f := range r.Findings {
		switch f.Status {
		case StatusUnknown:
			return 2
		case StatusAction:
			code = 1
		}
	}
	return code
}

// Summary is the one line that closes the table.
func (r *Report) Summary() string {
	n := map[Status]int{}
	for _, f := range r.Findings {
		n[f.Status]++
	}
	verdict := map[int]string{0: "ready to deploy", 1: "decide or act on the rows marked action, then run preflight again", 2: "some checks could not run: grant the missing permissions and run preflight again"}[r.ExitCode()]
	return fmt.Sprintf("%d ready, %d action, %d cannot-check: %s", n[StatusReady], n[StatusAction], n[StatusUnknown], verdict)
}

// WriteTable writes the findings as an aligned text table.
func (r *Report) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "STATUS\tSERVICE\tACCOUNT\tREGION\tFOUND\tMAMORI WILL\tYOU MUST")
	for _, f := range r.Findings {
		you := f.You
		if f.MissingPermission != "" && !strings.Contains(you, f.MissingPermission) {
			you = strings.TrimSpace(you + " (missing permission: " + f.MissingPermission + ")")
		}
		if you == "" {
			you = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", f.Status, f.Service, f.Account, f.Region, f.Found, f.Mamori, you)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, r.Summary())
	return err
}

// WriteJSON writes the report as indented JSON with its exit code.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		ExitCode int       `json:"exitCode"`
		Summary  string    `json:"summary"`
		Findings []Finding `json:"findings"`
	}{r.ExitCode(), r.Summary(), r.Findings})
}
