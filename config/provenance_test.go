package config

import (
	"strings"
	"testing"
)

// TestSettingsOrigins: every value of the effective configuration says
// whether the file, the profile, the built-in default or a derivation
// set it.
func TestSettingsOrigins(t *testing.T) {
	c, err := Parse("p.yaml", []byte("profile: production\nhomeRegion: eu-west-1\nlogs:\n  retentionDays: 3000\n"))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Setting{}
	for _, s := range c.Settings() {
		if _, dup := got[s.Path]; dup {
			t.Errorf("%s listed twice", s.Path)
		}
		got[s.Path] = s
	}
	for path, want := range map[string]string{
		"profile":                               "file p.yaml:1",
		"homeRegion":                            "file p.yaml:2",
		"logs.retentionDays":                    "file p.yaml:4",
		"logs.transitionToGlacierDays":          "production profile default",
		"detection.securityHub.standards":       "production profile default",
		"dataProtection.keys.pendingWindowDays": "built-in default",
		"prefix":                                "built-in default",
		"regions":                               "derived from other settings",
		"infrastructureProtection.networkFirewall.availabilityZones": "derived from other settings",
	} {
		s, ok := got[path]
		if !ok {
			t.Errorf("%s: not listed", path)
			continue
		}
		if s.Origin.String() != want {
			t.Errorf("%s = %s: origin %q, want %q", path, FormatValue(s.Value), s.Origin, want)
		}
	}
	if v := FormatValue(got["regions"].Value); v != `["eu-west-1"]` {
		t.Errorf("regions = %s, want the home region", v)
	}
	// Sections are walked, not listed: only values are settings.
	for _, s := range c.Settings() {
		if s.Path == "logs" || s.Path == "detection" {
			t.Errorf("section %s listed as a value", s.Path)
		}
	}
}

// TestSettingsCoverEveryField keeps Settings in step with the types: the
// number of values equals the number of leaf fields the schema knows.
func TestSettingsCoverEveryField(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range c.Settings() {
		if s.Origin.Kind == "" || strings.Contains(s.Path, "..") {
			t.Errorf("bad setting %+v", s)
		}
	}
	if n := len(c.Settings()); n < 100 {
		t.Errorf("only %d settings: the walk stops early", n)
	}
}
