// Package names turns configuration names into construct ID parts, one way
// for every layer, so that a name yields the same logical ID wherever it is
// used, and so that config validation can tell, with the same code, which
// names would collide as construct IDs.
package names

import "strings"

// Pascal turns a name such as "api-alb", "access-analyzer" or "pii-scan 1"
// into a construct ID part, "ApiAlb", "AccessAnalyzer" or "PiiScan1": it
// keeps the ASCII letters and digits, drops every other character, and
// upper-cases each letter that follows a dropped character (or starts the
// name). CloudFormation logical IDs hold only A-Za-z0-9, so the result is a
// valid logical ID part and a valid IAM Sid part.
func Pascal(s string) string {
	var b strings.Builder
	up := true
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
			if up {
				r -= 'a' - 'A'
			}
			b.WriteRune(r)
			up = false
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
			up = false
		default:
			up = true
		}
	}
	return b.String()
}

// Key is what makes two names the same construct: their construct ID parts
// (Pascal), case folded. Names with the same key would become IDs that
// differ at most in case, which config refuses so that no two resources
// share a logical ID or a case-insensitive service name. An empty key means
// the name has no letter or digit to build an ID from.
func Key(s string) string { return strings.ToLower(Pascal(s)) }
