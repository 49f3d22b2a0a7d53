package compliance

import (
	"fmt"
	"strings"
	"unicode"
)

// parseFilterPattern checks a CloudWatch Logs JSON filter pattern:
//
//	pattern    = "{" expression "}"
//	expression = term { ("&&" | "||") term }
//	term       = "(" expression ")" | comparison
//	comparison = selector ( ("=" | "!=") value | "NOT" "EXISTS" | "IS" ("TRUE"|"FALSE"|"NULL") )
//	selector   = "$" { "." name }        name = letters, digits, "_", "-", "@"
//	value      = '"' text '"' | bare text without spaces, quotes, "(", ")", "&", "|"
//
// It is the part of the syntax AWS documents that metric filters on
// CloudTrail events use (numeric comparisons are left out):
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html#matching-terms-json-log-events
// It returns the selectors it compared, in order.
func parseFilterPattern(p string) ([]string, error) {
	fp := &filterParser{s: p}
	fp.space()
	if !fp.take("{") {
		return nil, fp.errorf("a JSON pattern starts with {")
	}
	if err := fp.expression(); err != nil {
		return nil, err
	}
	if !fp.take("}") {
		return nil, fp.errorf("expected } or an operator")
	}
	fp.space()
	if fp.i != len(fp.s) {
		return nil, fp.errorf("text after the closing }")
	}
	return fp.selectors, nil
}

type filterParser struct {
	s         string
	i         int
	selectors []string
}

func (fp *filterParser) errorf(format string, args ...any) error {
	return fmt.Errorf("at %d in %q: %s", fp.i, fp.s, fmt.Sprintf(format, args...))
}

func (fp *filterParser) space() {
	for fp.i < len(fp.s) && unicode.IsSpace(rune(fp.s[fp.i])) {
		fp.i++
	}
}

// take consumes tok after any space.
func (fp *filterParser) take(tok string) bool {
	fp.space()
	if strings.HasPrefix(fp.s[fp.i:], tok) {
		fp.i += len(tok)
		return true
	}
	return false
}

// word consumes the keyword w, which must end at a non-letter.
func (fp *filterParser) word(w string) bool {
	fp.space()
	rest := fp.s[fp.i:]
	if strings.HasPrefix(rest, w) && (len(rest) == len(w) || !unicode.IsLetter(rune(rest[len(w)]))) {
		fp.i += len(w)
		return true
	}
	return false
}

func (fp *filterParser) expression() error {
	if err := fp.term(); err != nil {
		return err
	}
	for fp.take("&&") || fp.take("||") {
		if err := fp.term(); err != nil {
			return err
		}
	}
	return nil
}

func (fp *filterParser) term() error {
	if fp.take("(") {
		if err := fp.expression(); err != nil {
			return err
		}
		if !fp.take(")") {
			return fp.errorf("expected )")
		}
		return nil
	}
	return fp.comparison()
}

func (fp *filterParser) comparison() error {
	if !fp.take("$") {
		return fp.errorf("expected a selector ($.field)")
	}
	start := fp.i
	for fp.i < len(fp.s) && fp.s[fp.i] == '.' {
		fp.i++
		n := fp.i
		for fp.i < len(fp.s) && (unicode.IsLetter(rune(fp.s[fp.i])) || unicode.IsDigit(rune(fp.s[fp.i])) || strings.ContainsRune("_-@", rune(fp.s[fp.i]))) {
			fp.i++
		}
		if fp.i == n {
			return fp.errorf("empty field name")
		}
	}
	if fp.i == start {
		return fp.errorf("a selector names at least one field")
	}
	fp.selectors = append(fp.selectors, "$"+fp.s[start:fp.i])
	switch {
	case fp.take("!="), fp.take("="):
		return fp.value()
	case fp.word("NOT"):
		if !fp.word("EXISTS") {
			return fp.errorf("NOT must be followed by EXISTS")
		}
		return nil
	case fp.word("IS"):
		if fp.word("TRUE") || fp.word("FALSE") || fp.word("NULL") {
			return nil
		}
		return fp.errorf("IS takes TRUE, FALSE or NULL")
	}
	return fp.errorf("expected =, !=, NOT EXISTS or IS")
}

func (fp *filterParser) value() error {
	fp.space()
	if fp.take(`"`) {
		end := strings.IndexByte(fp.s[fp.i:], '"')
		if end < 0 {
			return fp.errorf("unterminated string")
		}
		fp.i += end + 1
		return nil
	}
	start := fp.i
	for fp.i < len(fp.s) && !unicode.IsSpace(rune(fp.s[fp.i])) && !strings.ContainsRune(`"()&|{}`, rune(fp.s[fp.i])) {
		fp.i++
	}
	if fp.i == start {
		return fp.errorf("expected a value")
	}
	return nil
}
