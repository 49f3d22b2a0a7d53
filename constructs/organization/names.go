package organization

import (
	"regexp"
	"strings"
)

var accountID = regexp.MustCompile(`^[0-9]{12}$`)

// pascal turns "access-analyzer.amazonaws.com" into "AccessAnalyzer", a
// construct ID part.
func pascal(principal string) string {
	s := strings.TrimSuffix(principal, ".amazonaws.com")
	var b strings.Builder
	up := true
	for _, r := range s {
		if r == '.' || r == '-' {
			up = true
			continue
		}
		if up {
			b.WriteString(strings.ToUpper(string(r)))
			up = false
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}
