// Package names turns configuration names into construct ID parts, one way
// for every layer, so that a name yields the same logical ID wherever it is
// used.
package names

import "strings"

// Pascal turns a name such as "api-alb" or "access-analyzer" into a
// construct ID part, "ApiAlb" or "AccessAnalyzer": each run between the
// separators - _ . / starts with an upper-case letter, and the separators go.
// Other characters are kept as they are.
func Pascal(s string) string {
	var b strings.Builder
	up := true
	for _, r := range s {
		if r == '-' || r == '_' || r == '.' || r == '/' {
			up = true
			continue
		}
		if up {
			b.WriteString(strings.ToUpper(string(r)))
			up = false
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
