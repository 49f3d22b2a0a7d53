package review

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Graph is the architecture as the diagram draws it: a node per service
// (and per KMS key) per account and layer, and the wiring between them.
type Graph struct {
	Nodes []*Node
	Edges []*Edge
	nodes map[string]*Node
	edges map[string]*Edge
}

// Node is one service (or one KMS key) in one account and layer.
type Node struct {
	ID      string
	Account string
	Layer   Layer
	Service string
	// Detail names the key of a KMS key node.
	Detail    string
	Regions   map[string]bool
	Resources int
	// Implied nodes have no resource of their own: another service deploys
	// them (Firewall Manager's policies create web ACLs in member accounts).
	Implied bool
	// Designation nodes are the management account's designation of a
	// delegated administrator for the service, not the service: findings
	// go to the administrator's account, never to them.
	Designation bool
}

// Edge is one kind of wiring between two nodes.
type Edge struct {
	From, To *Node
	Kind     EdgeKind
}

// EdgeKind is what an edge means; it picks the label and the colour.
type EdgeKind string

// The kinds of wiring the diagram shows.
const (
	EdgeFindings EdgeKind = "findings"
	EdgeEncrypts EdgeKind = "encrypts"
	EdgeEvents   EdgeKind = "events"
	EdgeNotifies EdgeKind = "notifies"
	EdgeManages  EdgeKind = "manages"
	EdgeEvidence EdgeKind = "evidence"
	EdgeWrites   EdgeKind = "writes to"
	EdgeUses     EdgeKind = "uses"
	// EdgeDesignates links a delegated-administrator designation to the
	// service in the administrator's account.
	EdgeDesignates EdgeKind = "designates"
)

// integrations are the wiring AWS does by itself once both services are on
// in an account: findings into Security Hub
// (https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-internal-providers.html),
// GuardDuty findings (a core Detective source) and Security Hub findings
// (which Detective investigates) into Detective
// (https://docs.aws.amazon.com/detective/latest/userguide/),
// and Audit Manager's evidence sources
// (https://docs.aws.amazon.com/audit-manager/latest/userguide/control-data-sources.html).
var integrations = []struct {
	From, To string
	Kind     EdgeKind
}{
	{svcGuardDuty, svcSecurityHub, EdgeFindings},
	{svcInspector, svcSecurityHub, EdgeFindings},
	{svcMacie, svcSecurityHub, EdgeFindings},
	{svcConfig, svcSecurityHub, EdgeFindings},
	{svcAccessAnalyzer, svcSecurityHub, EdgeFindings},
	{svcFMS, svcSecurityHub, EdgeFindings},
	{svcSecurityHub, svcDetective, EdgeFindings},
	{svcGuardDuty, svcDetective, EdgeFindings},
	{svcSecurityHub, svcAuditManager, EdgeEvidence},
	{svcConfig, svcAuditManager, EdgeEvidence},
	{svcCloudTrail, svcAuditManager, EdgeEvidence},
}

// eventSources maps EventBridge event sources to services.
var eventSources = map[string]string{
	"aws.securityhub":      svcSecurityHub,
	"aws.guardduty":        svcGuardDuty,
	"aws.inspector2":       svcInspector,
	"aws.macie":            svcMacie,
	"aws.config":           svcConfig,
	"aws.access-analyzer":  svcAccessAnalyzer,
	"aws.detective":        svcDetective,
	"aws.fms":              svcFMS,
	"aws.shield":           svcShield,
	"aws.network-firewall": svcNFW,
	"aws.auditmanager":     svcAuditManager,
	"aws.cloudtrail":       svcCloudTrail,
	"aws.kms":              svcKMS,
	"aws.secretsmanager":   svcSecrets,
}

// fmsPolicyTypes maps Firewall Manager policy types
// (SecurityServicePolicyData.Type) to the service each policy deploys.
var fmsPolicyTypes = map[string]string{
	"WAF":                           svcWAF,
	"WAFV2":                         svcWAF,
	"SHIELD_ADVANCED":               svcShield,
	"NETWORK_FIREWALL":              svcNFW,
	"IMPORT_NETWORK_FIREWALL":       svcNFW,
	"DNS_FIREWALL":                  svcDNSFirewall,
	"SECURITY_GROUPS_COMMON":        svcSecurityGroups,
	"SECURITY_GROUPS_CONTENT_AUDIT": svcSecurityGroups,
	"SECURITY_GROUPS_USAGE_AUDIT":   svcSecurityGroups,
	"NETWORK_ACL_COMMON":            "VPC",
	"THIRD_PARTY_FIREWALL":          svcNFW,
}

// reversed names reference pairs whose data flows against the reference:
// a Chatbot channel names its topics, a remediation names its rule.
var reversed = map[[2]string]EdgeKind{
	{svcChatbot, svcSNS}:        EdgeNotifies,
	{svcRemediation, svcConfig}: EdgeFindings,
}

// BuildGraph derives the diagram's graph from an assembly.
func BuildGraph(a *Assembly) (*Graph, error) {
	g := &Graph{nodes: map[string]*Node{}, edges: map[string]*Edge{}}
	refs := newResolver(a)
	a.each(func(r *Resource) {
		if n := g.nodeOf(r, refs); n != nil {
			n.Regions[r.Stack.Region] = true
			if r.Type != "AWS::KMS::Alias" {
				n.Resources++
			}
		}
	})
	var errs []string
	a.each(func(r *Resource) {
		from := g.nodeOf(r, refs)
		if from == nil {
			return
		}
		g.referenceEdges(r, from, refs)
		switch r.Type {
		case "AWS::Events::Rule":
			g.eventEdges(r, from)
		case "AWS::FMS::Policy":
			if err := g.firewallManagerEdge(r, from); err != nil {
				errs = append(errs, err.Error())
			}
		}
	})
	g.designationEdges()
	g.integrationEdges(a)
	if len(errs) > 0 {
		return nil, fmt.Errorf("review: %s", strings.Join(errs, "; "))
	}
	for _, k := range sortedKeys(g.nodes) {
		g.Nodes = append(g.Nodes, g.nodes[k])
	}
	for _, k := range sortedKeys(g.edges) {
		g.Edges = append(g.Edges, g.edges[k])
	}
	return g, nil
}

// referenceEdges adds an edge for each resource r's properties refer to,
// outside tags and properties that only name it: a key encrypts what names
// it as its key; other references point the way the data flows.
func (g *Graph) referenceEdges(r *Resource, from *Node, refs *resolver) {
	isKey := r.Service.Name == svcKMS
	walk(r.Properties, nil, func(path []string, v interface{}) {
		if len(path) > 0 && path[0] == "Tags" || aboutOnly(path) {
			return
		}
		for _, t := range refs.targets(r, v) {
			to := g.nodeOf(t, refs)
			if to == nil || to == from {
				continue
			}
			switch {
			case t.Service.Name == svcKMS && !isKey:
				if keyish(path) || r.Type == "Custom::AWS" {
					g.edge(to, from, EdgeEncrypts)
				}
			case t.Service.Name == svcKMS || isKey:
			default:
				if kind, ok := reversed[[2]string{from.Service, to.Service}]; ok {
					g.edge(to, from, kind)
				} else {
					g.edge(from, to, refKind(to.Service))
				}
			}
		}
	})
}

// eventEdges adds an edge from each service whose events the rule r
// matches, in the rule's account.
func (g *Graph) eventEdges(r *Resource, from *Node) {
	pattern, _ := r.Properties["EventPattern"].(map[string]interface{})
	for _, src := range stringList(pattern["source"]) {
		svc, ok := eventSources[src]
		if !ok || svc == svcKMS {
			continue
		}
		if n := g.find(from.Account, svc); n != nil {
			g.edge(n, from, EdgeEvents)
		}
	}
}

// firewallManagerEdge adds an edge from the Firewall Manager policy r to
// the service it manages, implied when the account has no node for it; it
// fails on a policy type the review does not know.
func (g *Graph) firewallManagerEdge(r *Resource, from *Node) error {
	data, _ := r.Properties["SecurityServicePolicyData"].(map[string]interface{})
	typ, _ := data["Type"].(string)
	svc, ok := fmsPolicyTypes[typ]
	if !ok {
		return fmt.Errorf("%s/%s: Firewall Manager policy type %q is not in fmsPolicyTypes", r.Stack.Name, r.ID, typ)
	}
	to := g.find(from.Account, svc)
	if to == nil {
		to = g.node(from.Account, services[svc].Layer, svc, "", false)
		to.Implied = true
	}
	to.Regions[r.Stack.Region] = true
	g.edge(from, to, EdgeManages)
	return nil
}

// designationEdges point each designation at the service in the
// administrator's account.
func (g *Graph) designationEdges() {
	for _, k := range sortedKeys(g.nodes) {
		if d := g.nodes[k]; d.Designation {
			if to := g.findAny(d.Service); to != nil {
				g.edge(d, to, EdgeDesignates)
			}
		}
	}
}

// integrationEdges add the integrations between services no template
// spells out, in each account, or to a delegated administrator elsewhere
// in the organization.
func (g *Graph) integrationEdges(a *Assembly) {
	for _, in := range integrations {
		for _, acct := range a.Accounts() {
			from := g.find(acct, in.From)
			if from == nil {
				continue
			}
			to := g.find(acct, in.To)
			if to == nil {
				to = g.findAny(in.To)
			}
			if to != nil {
				g.edge(from, to, in.Kind)
			}
		}
	}
}

// aboutOnly reports whether a property path only names a resource rather
// than sends it anything: permissions, finding criteria, filters, conditions.
func aboutOnly(path []string) bool {
	for _, p := range path {
		l := strings.ToLower(p)
		for _, w := range []string{"policy", "criteria", "filter", "condition", "statement"} {
			if strings.Contains(l, w) {
				return true
			}
		}
	}
	return false
}

func refKind(to string) EdgeKind {
	switch to {
	case svcS3:
		return EdgeWrites
	case svcSNS:
		return EdgeNotifies
	}
	return EdgeUses
}

// keyish reports whether a property path names an encryption key
// (KmsKeyId, KMSMasterKeyID, KmsKeyArn, EncryptionKey, ...).
func keyish(path []string) bool {
	for _, p := range path {
		l := strings.ToLower(p)
		if strings.Contains(l, "kms") || strings.Contains(l, "key") || strings.Contains(l, "encrypt") {
			return true
		}
	}
	return false
}

func (g *Graph) nodeOf(r *Resource, refs *resolver) *Node {
	if svc, ok := designationOf(r); ok {
		n := g.node(r.Stack.Account, services[svc].Layer, svc, "", true)
		return n
	}
	if r.Service.Plumbing {
		return nil
	}
	detail := ""
	if r.Service.Name == svcKMS {
		detail = refs.keyName(r)
	}
	layer := r.LayerOf()
	if r.Service.Name == svcS3 && !slices.Contains(Layers, layer) {
		// Buckets of a stack outside the five layers are the log
		// archive's: the organization's logs and evidence.
		layer = LayerCompliance
	}
	return g.node(r.Stack.Account, layer, r.Service.Name, detail, false)
}

// designationOf names the service whose delegated administrator a resource
// designates: Security Hub's and Detective's CloudFormation resources, and
// mamori's handlers for the services that have none.
func designationOf(r *Resource) (string, bool) {
	switch r.Type {
	case "AWS::SecurityHub::DelegatedAdmin":
		return svcSecurityHub, true
	case "AWS::Detective::OrganizationAdmin":
		return svcDetective, true
	case "Custom::FirewallManagerAdmin":
		return svcFMS, true
	case "Custom::AuditManagerDelegatedAdmin":
		return svcAuditManager, true
	case "Custom::DelegatedAdmin":
		client, _ := r.Properties["Service"].(string)
		if svc, ok := sdkServices[strings.ToLower(client)]; ok {
			return svc, true
		}
	}
	return "", false
}

func (g *Graph) node(account string, layer Layer, service, detail string, designation bool) *Node {
	n := &Node{Account: account, Layer: layer, Service: service, Detail: detail, Designation: designation, Regions: map[string]bool{}}
	key := nodeKey(n)
	if old, ok := g.nodes[key]; ok {
		return old
	}
	g.nodes[key] = n
	return n
}

// find is the node of a service in an account, in whatever layer; never a
// designation.
func (g *Graph) find(account, service string) *Node {
	for _, k := range sortedKeys(g.nodes) {
		n := g.nodes[k]
		if n.Account == account && n.Service == service && !n.Designation {
			return n
		}
	}
	return nil
}

// findAny is the node of a service in any account: the delegated
// administrator's, never a designation.
func (g *Graph) findAny(service string) *Node {
	for _, k := range sortedKeys(g.nodes) {
		if n := g.nodes[k]; n.Service == service && !n.Designation {
			return n
		}
	}
	return nil
}

func (g *Graph) edge(from, to *Node, kind EdgeKind) {
	if from == to {
		return
	}
	key := nodeKey(from) + "->" + nodeKey(to) + "|" + string(kind)
	if _, ok := g.edges[key]; !ok {
		g.edges[key] = &Edge{From: from, To: to, Kind: kind}
	}
}

func nodeKey(n *Node) string {
	key := n.Account + "|" + string(n.Layer) + "|" + n.Service + "|" + n.Detail
	if n.Designation {
		key += "|designation"
	}
	return key
}

// walk calls fn for every value in v with its property path.
func walk(v interface{}, path []string, fn func(path []string, v interface{})) {
	fn(path, v)
	switch t := v.(type) {
	case map[string]interface{}:
		for _, k := range sortedKeys(t) {
			if k == "Ref" || k == "Fn::GetAtt" || k == "Fn::GetStackOutput" || k == "Fn::ImportValue" {
				continue
			}
			walk(t[k], append(path[:len(path):len(path)], k), fn)
		}
	case []interface{}:
		for _, e := range t {
			walk(e, path, fn)
		}
	}
}

func stringList(v interface{}) []string {
	var out []string
	switch t := v.(type) {
	case string:
		out = append(out, t)
	case []interface{}:
		for _, e := range t {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
	}
	return out
}

// resolver resolves references between resources, across stacks.
type resolver struct {
	a *Assembly
	// aliases maps a key's stack/logical ID to its alias name.
	aliases map[string]string
	// byAlias maps alias names to a key resource with that alias.
	byAlias map[string]*Resource
	// byBucketName maps the names of buckets that set one (the log
	// archive's, which other accounts write to by name) to the bucket.
	byBucketName map[string]*Resource
	exports      map[string]struct {
		stack *Stack
		value interface{}
	}
}

func newResolver(a *Assembly) *resolver {
	r := &resolver{a: a, aliases: map[string]string{}, byAlias: map[string]*Resource{}, byBucketName: map[string]*Resource{}}
	r.exports = map[string]struct {
		stack *Stack
		value interface{}
	}{}
	for _, s := range a.Stacks {
		for _, id := range sortedKeys(s.Outputs) {
			out, _ := s.Outputs[id].(map[string]interface{})
			exp, _ := out["Export"].(map[string]interface{})
			if name, ok := exp["Name"].(string); ok {
				r.exports[name] = struct {
					stack *Stack
					value interface{}
				}{s, out["Value"]}
			}
		}
	}
	a.each(func(res *Resource) {
		if name, ok := res.Properties["BucketName"].(string); ok && res.Type == "AWS::S3::Bucket" {
			r.byBucketName[name] = res
		}
		if res.Type != "AWS::KMS::Alias" {
			return
		}
		name, _ := res.Properties["AliasName"].(string)
		for _, t := range r.targets(res, res.Properties["TargetKeyId"]) {
			if _, seen := r.aliases[t.Stack.Name+"/"+t.ID]; !seen {
				r.aliases[t.Stack.Name+"/"+t.ID] = name
			}
			if _, seen := r.byAlias[name]; !seen {
				r.byAlias[name] = t
			}
		}
	})
	return r
}

// keyName names a key node: its alias without "alias/" and the prefix.
func (r *resolver) keyName(res *Resource) string {
	if res.Type == "AWS::KMS::Alias" {
		for _, t := range r.targets(res, res.Properties["TargetKeyId"]) {
			return r.keyName(t)
		}
	}
	name := r.aliases[res.Stack.Name+"/"+res.ID]
	if name == "" {
		return "key " + res.ID
	}
	parts := strings.SplitN(strings.TrimPrefix(name, "alias/"), "/", 2)
	return parts[len(parts)-1]
}

// targets resolves one value to the resources it references directly:
// Ref, Fn::GetAtt, Fn::GetStackOutput, Fn::ImportValue, KMS alias names and
// bucket names.
func (r *resolver) targets(from *Resource, v interface{}) []*Resource {
	return r.resolve(from.Stack, v, 0)
}

func (r *resolver) resolve(s *Stack, v interface{}, depth int) []*Resource {
	if depth > 4 {
		return nil
	}
	switch t := v.(type) {
	case string:
		if strings.HasPrefix(t, "alias/") {
			if k, ok := r.byAlias[t]; ok {
				return []*Resource{k}
			}
		}
		if b, ok := r.byBucketName[t]; ok {
			return []*Resource{b}
		}
	case map[string]interface{}:
		if ref, ok := t["Ref"].(string); ok {
			if res, ok := s.Resources[ref]; ok {
				return []*Resource{res}
			}
		}
		switch att := t["Fn::GetAtt"].(type) {
		case []interface{}:
			if len(att) > 0 {
				if id, ok := att[0].(string); ok && s.Resources[id] != nil {
					return []*Resource{s.Resources[id]}
				}
			}
		case string:
			id, _, _ := strings.Cut(att, ".")
			if res, ok := s.Resources[id]; ok {
				return []*Resource{res}
			}
		}
		if gso, ok := t["Fn::GetStackOutput"].(map[string]interface{}); ok {
			name, _ := gso["StackName"].(string)
			output, _ := gso["OutputName"].(string)
			if other := r.a.stack(name); other != nil {
				out, _ := other.Outputs[output].(map[string]interface{})
				return r.resolve(other, out["Value"], depth+1)
			}
		}
		if name, ok := t["Fn::ImportValue"].(string); ok {
			if exp, ok := r.exports[name]; ok {
				return r.resolve(exp.stack, exp.value, depth+1)
			}
		}
	}
	return nil
}

// sortedRegions lists a node's regions.
func (n *Node) sortedRegions() []string { return sortedKeys(n.Regions) }

// sortNodes orders nodes by layer, then service, then detail.
func sortNodes(nodes []*Node) {
	sort.SliceStable(nodes, func(i, j int) bool {
		a, b := nodes[i], nodes[j]
		if a.Service != b.Service {
			return a.Service < b.Service
		}
		if a.Designation != b.Designation {
			return b.Designation
		}
		return a.Detail < b.Detail
	})
}
