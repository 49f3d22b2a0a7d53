package names

import "testing"

func TestPascal(t *testing.T) {
	for in, want := range map[string]string{
		"ssh-open-to-world":            "SshOpenToWorld",
		"api-alb":                      "ApiAlb",
		"access-analyzer":              "AccessAnalyzer",
		"malware-protection.guardduty": "MalwareProtectionGuardduty",
		"a_b/c":                        "ABC",
		"Web":                          "Web",
		"pii-scan 1":                   "PiiScan1",
		"2nd job":                      "2ndJob",
		"ünicode name":                 "NicodeName",
		"":                             "",
	} {
		if got := Pascal(in); got != want {
			t.Errorf("Pascal(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestKey(t *testing.T) {
	for _, pair := range [][2]string{{"PII scan", "pii-scan"}, {"Api_Alb", "apialb"}} {
		if Key(pair[0]) != Key(pair[1]) {
			t.Errorf("Key(%q) = %q, Key(%q) = %q; want equal", pair[0], Key(pair[0]), pair[1], Key(pair[1]))
		}
	}
	if Key("job-1") == Key("job-2") {
		t.Error("Key: job-1 and job-2 collide")
	}
	if Key("--") != "" {
		t.Errorf("Key(%q) = %q, want empty", "--", Key("--"))
	}
}
