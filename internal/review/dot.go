package review

import (
	"fmt"
	"html"
	"strings"
)

// DiagramOptions labels a diagram.
type DiagramOptions struct {
	// Title heads the picture, e.g. "mamori: production (production profile)".
	Title string
	// AccountNames label accounts by role ("security tooling"); the empty
	// account is the one the credentials deploy to.
	AccountNames map[string]string
}

var layerColors = map[Layer]string{
	LayerInfrastructure: "#fdecea",
	LayerData:           "#e8f1fb",
	LayerDetection:      "#fff4e0",
	LayerResponse:       "#eaf6ec",
	LayerCompliance:     "#f1ecf8",
	LayerPrevention:     "#eeeeee",
}

var layerBorders = map[Layer]string{
	LayerInfrastructure: "#c0392b",
	LayerData:           "#2e6da4",
	LayerDetection:      "#d68910",
	LayerResponse:       "#2e8b57",
	LayerCompliance:     "#7d5ba6",
	LayerPrevention:     "#555555",
}

var edgeStyles = map[EdgeKind]string{
	EdgeFindings:   `color="#d68910", fontcolor="#a0650a", penwidth=1.6`,
	EdgeEncrypts:   `color="#2e6da4", fontcolor="#2e6da4", style=dashed`,
	EdgeEvents:     `color="#2e8b57", fontcolor="#2e8b57", penwidth=1.4`,
	EdgeNotifies:   `color="#2e8b57", fontcolor="#2e8b57", penwidth=1.4`,
	EdgeManages:    `color="#c0392b", fontcolor="#c0392b", penwidth=1.6`,
	EdgeEvidence:   `color="#7d5ba6", fontcolor="#7d5ba6"`,
	EdgeWrites:     `color="#777777", fontcolor="#555555"`,
	EdgeUses:       `color="#777777", fontcolor="#555555", style=dotted`,
	EdgeDesignates: `color="#333333", fontcolor="#333333", style=dashed`,
}

// DOT renders the graph as Graphviz source: an outer cluster per account,
// a cluster per layer (all five, an empty one saying so), a node per
// service, and the wiring as labelled edges. The output is deterministic.
func DOT(g *Graph, accounts []string, opts DiagramOptions) string {
	var b strings.Builder
	b.WriteString("digraph mamori {\n")
	fmt.Fprintf(&b, "  graph [fontname=\"Helvetica\", fontsize=16, labelloc=t, label=%q, rankdir=LR, newrank=true, nodesep=0.25, ranksep=0.9, pad=0.3];\n", opts.Title)
	b.WriteString("  node [fontname=\"Helvetica\", fontsize=12, shape=box, style=\"rounded,filled\", fillcolor=white, margin=\"0.15,0.06\"];\n")
	b.WriteString("  edge [fontname=\"Helvetica\", fontsize=10, arrowsize=0.7];\n")
	ids := map[*Node]string{}
	var anchors []string
	for i, acct := range accounts {
		name := opts.AccountNames[acct]
		if name == "" {
			name = "target account"
			if acct != "" {
				name = "account " + acct
			}
		} else if acct != "" {
			name += " (" + acct + ")"
		}
		indent := "  "
		if len(accounts) > 1 {
			fmt.Fprintf(&b, "  subgraph cluster_account_%d {\n    label=%q; fontsize=14; style=\"rounded\"; color=\"#333333\";\n", i, name)
			indent = "    "
		}
		// Graphviz stacks same-rank clusters bottom-up in input order under
		// rankdir=LR: emit the layers last first to read them top-down.
		for li := len(Layers) - 1; li >= 0; li-- {
			layer := Layers[li]
			var nodes []*Node
			for _, n := range g.Nodes {
				if n.Account == acct && n.Layer == layer {
					nodes = append(nodes, n)
				}
			}
			sortNodes(nodes)
			if len(nodes) == 0 && len(accounts) > 1 {
				// In organization mode each account shows the layers it has.
				continue
			}
			fmt.Fprintf(&b, "%ssubgraph cluster_%d_%d {\n", indent, i, li)
			fmt.Fprintf(&b, "%s  label=%q; fontsize=14; style=\"rounded,filled\"; fillcolor=%q; color=%q;\n", indent, layer.Title(), layerColors[layer], layerBorders[layer])
			// An invisible anchor per layer: the anchors share a rank and
			// chain, which stacks the layers in order, top to bottom.
			fmt.Fprintf(&b, "%s  anchor_%d_%d [label=\"\", shape=point, style=invis, width=0];\n", indent, i, li)
			anchors = append(anchors, fmt.Sprintf("anchor_%d_%d", i, li))
			if len(nodes) == 0 {
				fmt.Fprintf(&b, "%s  empty_%d_%d [label=\"nothing deployed\", shape=plaintext, style=\"\", fontcolor=\"#777777\"];\n", indent, i, li)
			}
			for ni, n := range nodes {
				id := fmt.Sprintf("n%d_%d_%d", i, li, ni)
				ids[n] = id
				fmt.Fprintf(&b, "%s  %s [label=<%s>%s];\n", indent, id, nodeLabel(n), nodeStyle(n))
			}
			fmt.Fprintf(&b, "%s}\n", indent)
		}
		if len(accounts) > 1 {
			b.WriteString("  }\n")
		}
	}
	fmt.Fprintf(&b, "  { rank=same; %s; }\n", strings.Join(anchors, "; "))
	for i := 1; i < len(anchors); i++ {
		fmt.Fprintf(&b, "  %s -> %s [style=invis];\n", anchors[i-1], anchors[i])
	}
	for _, e := range g.Edges {
		from, to := ids[e.From], ids[e.To]
		if from == "" || to == "" {
			continue
		}
		fmt.Fprintf(&b, "  %s -> %s [label=%q, %s];\n", from, to, string(e.Kind), edgeStyles[e.Kind])
	}
	b.WriteString("}\n")
	return b.String()
}

func nodeLabel(n *Node) string {
	title := "<b>" + html.EscapeString(n.Service) + "</b>"
	if n.Detail != "" {
		title = "<b>KMS key</b><br/>" + html.EscapeString(n.Detail)
	}
	var sub string
	regions := n.sortedRegions()
	switch {
	case n.Implied:
		sub = "deployed by Firewall Manager"
	case n.Designation:
		sub = "delegated administrator designation"
		if len(regions) > 1 {
			sub += fmt.Sprintf(", %d regions", len(regions))
		}
	case len(regions) == 1:
		sub = regions[0]
	case len(regions) <= 3:
		sub = strings.Join(regions, ", ")
	default:
		sub = fmt.Sprintf("%d regions", len(regions))
	}
	if !n.Implied && !n.Designation && n.Detail == "" {
		noun := "resources"
		if n.Resources == 1 {
			noun = "resource"
		}
		count := fmt.Sprintf("%d %s", n.Resources, noun)
		if sub == "" {
			// A region-agnostic template, such as the member baseline that
			// StackSets deploy to every governed region.
			sub = count
		} else {
			sub += " · " + count
		}
	}
	if sub == "" {
		return title
	}
	return title + `<br/><font point-size="10" color="#555555">` + html.EscapeString(sub) + "</font>"
}

func nodeStyle(n *Node) string {
	s := fmt.Sprintf(", color=%q", layerBorders[n.Layer])
	if n.Layer == "" || layerBorders[n.Layer] == "" {
		s = ""
	}
	if n.Detail != "" {
		s += `, shape=box, style="rounded,filled", fillcolor="#f4f8fd"`
	}
	if n.Implied || n.Designation {
		s += `, style="rounded,dashed"`
	}
	return s
}
