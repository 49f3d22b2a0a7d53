package catalog

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// SuricataActions are the rule actions AWS Network Firewall accepts in
// Suricata-compatible stateful rules (Network Firewall Developer Guide,
// "Suricata compatible rule strings": pass, drop, reject, alert; reject
// applies to TCP only, which the engine enforces at deploy).
var SuricataActions = []string{"pass", "drop", "reject", "alert"}

// suricataRule is the shape every rule must have:
// action proto src_addr src_port direction dst_addr dst_port (options)
var suricataRule = regexp.MustCompile(`^(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(->|<>)\s+(\S+)\s+(\S+)\s+\((.*)\)\s*$`)

// CheckSuricataRule checks one rule's basic syntax (the header fields and a
// parenthesised option list ending in ";") and returns its sid. It does not
// replace the engine's own validation at deploy; it catches the mistakes a
// reviewer would.
func CheckSuricataRule(rule string) (sid int, err error) {
	m := suricataRule.FindStringSubmatch(strings.TrimSpace(rule))
	if m == nil {
		return 0, fmt.Errorf("not a Suricata rule: want `action proto src_addr src_port -> dst_addr dst_port (options; sid:N;)`")
	}
	action := m[1]
	if !contains(SuricataActions, action) {
		return 0, fmt.Errorf("unsupported action %q: supported actions: %s", action, strings.Join(SuricataActions, ", "))
	}
	opts := strings.TrimSpace(m[8])
	if opts == "" || !strings.HasSuffix(opts, ";") {
		return 0, fmt.Errorf("options must be `keyword:value;` pairs, each ending in \";\"")
	}
	var sids []string
	for _, o := range strings.Split(strings.TrimSuffix(opts, ";"), ";") {
		if k, v, ok := strings.Cut(o, ":"); ok && strings.TrimSpace(k) == "sid" {
			sids = append(sids, strings.TrimSpace(v))
		}
	}
	switch len(sids) {
	case 0:
		return 0, fmt.Errorf("missing sid: every rule needs a unique `sid:N;` option")
	case 1:
	default:
		return 0, fmt.Errorf("more than one sid option")
	}
	n, convErr := strconv.Atoi(sids[0])
	if convErr != nil || n < 1 {
		return 0, fmt.Errorf("invalid sid %q: must be a positive integer", sids[0])
	}
	return n, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
