package catalog

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestWebACLCapacity(t *testing.T) {
	wcu, ok := WebACLCapacity([]string{"AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet",
		"AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesAnonymousIpList"}, true, 2)
	if !ok || wcu != 700+200+200+25+50+2+2 {
		t.Errorf("WebACLCapacity = %d, %v; want 1179, true", wcu, ok)
	}
	if _, ok := WebACLCapacity([]string{"AWSManagedRulesNope"}, false, 0); ok {
		t.Error("an unknown group must not be ok")
	}
}

func TestCheckSuricataRule(t *testing.T) {
	for _, tc := range []struct {
		rule string
		sid  int
		err  string
	}{
		{`drop tls $HOME_NET any -> $EXTERNAL_NET any (tls.sni; content:"evil.example"; nocase; msg:"no evil"; sid:1000001; rev:1;)`, 1000001, ""},
		{`alert tcp any any <> any 22 (msg:"ssh"; sid:7;)`, 7, ""},
		{`drop tcp any any -> any 22`, 0, "not a Suricata rule"},
		{`block tcp any any -> any 22 (sid:1;)`, 0, `unsupported action "block"`},
		{`drop tcp any any -> any 22 (msg:"x";)`, 0, "missing sid"},
		{`drop tcp any any -> any 22 (sid:1; sid:2;)`, 0, "more than one sid"},
		{`drop tcp any any -> any 22 (sid:abc;)`, 0, `invalid sid "abc"`},
		{`drop tcp any any -> any 22 (sid:1)`, 0, "each ending in"},
		{`drop tcp any any => any 22 (sid:1;)`, 0, "not a Suricata rule"},
	} {
		sid, err := CheckSuricataRule(tc.rule)
		switch {
		case tc.err == "" && (err != nil || sid != tc.sid):
			t.Errorf("CheckSuricataRule(%q) = %d, %v; want %d", tc.rule, sid, err, tc.sid)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("CheckSuricataRule(%q) error = %v; want it to contain %q", tc.rule, err, tc.err)
		}
	}
}

func TestThreatSignatureGroupsAreStrictOrder(t *testing.T) {
	for _, g := range ThreatSignatureGroups {
		if !strings.HasSuffix(g, "StrictOrder") {
			t.Errorf("%s: a STRICT_ORDER policy takes only StrictOrder groups", g)
		}
	}
	if !KnownThreatSignatureGroup("ThreatSignaturesBotnetStrictOrder") || KnownThreatSignatureGroup("ThreatSignaturesBotnetActionOrder") {
		t.Error("KnownThreatSignatureGroup")
	}
}

// TestResourceTypesCoverSnapshots checks that the region table has a row
// for every resource type in every snapshot template, member templates of
// StackSets included (their bodies are JSON inside a string).
func TestResourceTypesCoverSnapshots(t *testing.T) {
	files, err := filepath.Glob("../../test/testdata/snapshots/*/*.template.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no snapshot templates found: %v", err)
	}
	typ := regexp.MustCompile(`\\?"Type\\?":\s*\\?"(AWS::[A-Za-z0-9]+::[A-Za-z0-9]+)`)
	seen := map[string]bool{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range typ.FindAllSubmatch(b, -1) {
			rt := string(m[1])
			if !seen[rt] && !slices.Contains(ResourceTypes, rt) {
				t.Errorf("%s: resource type %s is not in catalog.ResourceTypes; add it and run go generate ./internal/catalog", f, rt)
			}
			seen[rt] = true
		}
	}
	if !slices.IsSorted(ResourceTypes) {
		t.Error("ResourceTypes must be sorted")
	}
}

func TestUnavailable(t *testing.T) {
	if got := Unavailable("mx-central-1", "AWS::S3::Bucket", "AWS::Macie::Session"); !slices.Equal(got, []string{"AWS::Macie::Session"}) {
		t.Errorf("Unavailable(mx-central-1) = %v", got)
	}
	if got := Unavailable("eu-west-1", ResourceTypes...); got != nil {
		t.Errorf("Unavailable(eu-west-1) = %v; want none", got)
	}
}
