package config

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// FieldError is one problem in a configuration, located by file, line and
// field path. The vocabulary follows Kubernetes' field.ErrorList so that
// messages read the same everywhere: "unsupported value", "invalid value",
// "required value", "duplicate value", "forbidden", "too many".
type FieldError struct {
	// File is the name the configuration was loaded under; empty for a
	// Config that was built in Go rather than parsed.
	File string
	// Line is the 1-based line of the YAML node at Path or, when Path was
	// not written in the file (a default, a missing key), of the nearest
	// enclosing node that was; 0 when there is none.
	Line int
	// Path locates the field: "detection.guardDuty.enabled", "regions[2]",
	// "tags.Owner", `detection.securityHub.controlParameters["ACM.1"]`.
	// Empty for a problem with the document as a whole.
	Path string
	// Type is the kind of problem, the first words of Message ("key" in
	// place of "value" for a map key: "invalid key"); empty for a problem
	// that fits none of the kinds.
	Type ErrorType
	// Message says what is wrong and what is allowed.
	Message string
}

// ErrorType is the kind of a FieldError, named as in Kubernetes'
// field.ErrorList. Each kind is the prefix of its messages, so that the
// validator's constructors (invalid, invalidKey, required, forbidden,
// notSupported, notSupportedKey, duplicate, tooMany) write it the same way
// at every call site.
type ErrorType string

// The kinds of FieldError.
const (
	// ErrorTypeInvalid: the value is of the right type but not allowed.
	ErrorTypeInvalid ErrorType = "invalid value"
	// ErrorTypeRequired: the value is missing or empty.
	ErrorTypeRequired ErrorType = "required value"
	// ErrorTypeForbidden: the field must not be set here.
	ErrorTypeForbidden ErrorType = "forbidden"
	// ErrorTypeNotSupported: the value is not one of a known set.
	ErrorTypeNotSupported ErrorType = "unsupported value"
	// ErrorTypeDuplicate: the value repeats one that must be unique.
	ErrorTypeDuplicate ErrorType = "duplicate value"
	// ErrorTypeTooMany: a list holds more items than allowed.
	ErrorTypeTooMany ErrorType = "too many"
)

// Error formats the error as "file:line: path: message", leaving out the
// parts that are unknown, so that editors can jump to the line.
func (e *FieldError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
		}
		b.WriteString(": ")
	} else if e.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	return b.String()
}

// Errors is every problem found in one configuration. Load, Parse and
// Validate return it (as error) so that a user fixes everything in one pass;
// callers can inspect the individual errors with errors.As.
type Errors []*FieldError

// Error lists the errors one per line, in the order they were found.
func (e Errors) Error() string {
	lines := make([]string, len(e))
	for i, fe := range e {
		lines[i] = fe.Error()
	}
	return strings.Join(lines, "\n")
}

// sortByLine orders errors as they appear in the file, so that structure
// and validation errors interleave the way a reader meets them; errors
// without a line come last, and ties keep the order they were found in.
func (e Errors) sortByLine() {
	slices.SortStableFunc(e, func(a, b *FieldError) int {
		switch {
		case a.Line == b.Line:
			return 0
		case a.Line == 0:
			return 1
		case b.Line == 0:
			return -1
		}
		return a.Line - b.Line
	})
}

// identKey matches map keys that read well after a dot; any other key is
// written as ["key"].
var identKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// fieldPath appends a struct field's yaml key to a path.
func fieldPath(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}

// indexPath appends a list index to a path.
func indexPath(parent string, i int) string {
	return fmt.Sprintf("%s[%d]", parent, i)
}

// keyPath appends a map key to a path: tags.Owner, but controlParameters["ACM.1"].
func keyPath(parent, key string) string {
	if identKey.MatchString(key) {
		return fieldPath(parent, key)
	}
	return fmt.Sprintf("%s[%q]", parent, key)
}

// underPath reports whether path is p itself or a field, item or key below it.
func underPath(path, p string) bool {
	if !strings.HasPrefix(path, p) {
		return false
	}
	rest := path[len(p):]
	return rest == "" || rest[0] == '.' || rest[0] == '['
}

// quoteList renders allowed values as "a", "b", "c".
func quoteList(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ", ")
}

// suggest returns the candidate closest to s when it is close enough to be a
// likely typo (edit distance at most 2, ignoring case), or "".
func suggest(s string, candidates []string) string {
	best, bestDist := "", 3
	ls := strings.ToLower(s)
	for _, c := range candidates {
		if d := editDistance(ls, strings.ToLower(c)); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, by rune.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
