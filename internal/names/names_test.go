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
		"":                             "",
	} {
		if got := Pascal(in); got != want {
			t.Errorf("Pascal(%q) = %q, want %q", in, got, want)
		}
	}
}
