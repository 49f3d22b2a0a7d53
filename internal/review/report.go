package review

import (
	"fmt"

	"github.com/mamori-dev/mamori/config"
)

// Description is what the outputs say about the configuration.
type Description struct {
	// Name is the fixture or file name, e.g. "production".
	Name       string
	Profile    string
	HomeRegion string
	// AccountNames label organization accounts by role.
	AccountNames map[string]string
}

// Describe reads a Description from a loaded configuration.
func Describe(name string, cfg *config.Config) Description {
	d := Description{Name: name, Profile: string(cfg.Profile), HomeRegion: cfg.HomeRegion, AccountNames: map[string]string{}}
	if org := cfg.Topology.Organization; org != nil {
		d.AccountNames[org.ManagementAccountID] = "management"
		d.AccountNames[org.SecurityToolingAccountID] = "security tooling"
		d.AccountNames[org.LogArchiveAccountID] = "log archive"
		// The account-agnostic template is the member baseline.
		d.AccountNames[""] = "every member account (StackSet)"
	}
	return d
}

// Report is everything review produces for one assembly.
type Report struct {
	DOT      string
	Cost     string
	Summary  string
	Estimate *Estimate
}

// Build produces the diagram source, cost table and summary of an assembly.
func Build(a *Assembly, d Description) (*Report, error) {
	g, err := BuildGraph(a)
	if err != nil {
		return nil, err
	}
	e, err := EstimateCost(a)
	if err != nil {
		return nil, err
	}
	title := fmt.Sprintf("mamori: %s (%s profile)", d.Name, d.Profile)
	return &Report{
		DOT:      DOT(g, a.Accounts(), DiagramOptions{Title: title, AccountNames: d.AccountNames}),
		Cost:     e.Markdown(fmt.Sprintf("%s (%s profile)", d.Name, d.Profile)),
		Summary:  Summary(a, SummaryOptions{Title: d.Name, Profile: d.Profile, HomeRegion: d.HomeRegion}),
		Estimate: e,
	}, nil
}
