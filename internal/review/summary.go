package review

import (
	"fmt"
	"strings"
	"text/tabwriter"
)

// SummaryOptions says what the summary is of.
type SummaryOptions struct {
	// Title names the configuration, e.g. "config/examples/production.yaml".
	Title string
	// Profile and HomeRegion come from the configuration.
	Profile, HomeRegion string
}

// Summary renders the synth summary: the stacks, a services × regions
// table of resource counts, and what was skipped and why: layers with no
// stack, core services no stack has (with the setting or cost that
// explains it), services in only some regions, and the CDK's warnings.
func Summary(a *Assembly, opts SummaryOptions) string {
	var b strings.Builder
	// A region-agnostic template (the member baseline StackSets deploy) has
	// the empty region: it gets a column and a count of its own.
	regions, agnostic := namedRegions(a.Regions())
	where := fmt.Sprintf("%d region(s)", len(regions))
	if agnostic {
		where += " and region-agnostic"
	}
	fmt.Fprintf(&b, "Synth summary: %s (profile %s, home region %s): %d stacks in %s\n\n",
		opts.Title, opts.Profile, opts.HomeRegion, len(a.Stacks), where)
	writeStacks(&b, a)

	// Services × regions, the region-agnostic column last.
	columns := regions
	if agnostic {
		columns = append(append([]string{}, regions...), "")
	}
	counts, present := countServices(a)
	b.WriteString("\nResources by service and region:\n\n")
	writeServiceTable(&b, columns, counts)

	b.WriteString("\nSkipped or partial:\n\n")
	skipped := skippedLayers(a)
	skipped = append(skipped, skippedServices(a, present)...)
	skipped = append(skipped, partialServices(present, len(regions), opts.HomeRegion)...)
	for _, stack := range sortedKeys(a.Warnings) {
		for _, msg := range a.Warnings[stack] {
			skipped = append(skipped, fmt.Sprintf("warning in %s: %s", stack, strings.TrimPrefix(msg, "/"+stack+"/")))
		}
	}
	if len(skipped) == 0 {
		b.WriteString("  nothing\n")
	}
	for _, s := range skipped {
		b.WriteString("  - " + s + "\n")
	}
	lines := strings.Split(b.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// writeStacks writes the table of stacks, with their accounts when there
// is more than one.
func writeStacks(b *strings.Builder, a *Assembly) {
	w := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	multiAccount := len(a.Accounts()) > 1
	if multiAccount {
		fmt.Fprintln(w, "stack\taccount\tregion\tlayer\tresources\t")
	} else {
		fmt.Fprintln(w, "stack\tregion\tlayer\tresources\t")
	}
	for _, s := range a.Stacks {
		if multiAccount {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\t\n", s.Name, accountLabel(s.Account), regionLabel(s.Region), s.Layer.Title(), len(s.Resources))
		} else {
			fmt.Fprintf(w, "%s\t%s\t%s\t%d\t\n", s.Name, regionLabel(s.Region), s.Layer.Title(), len(s.Resources))
		}
	}
	w.Flush()
}

// serviceRow is a row of the services × regions table: a service in its
// layer, or the deployment plumbing with no layer.
type serviceRow struct {
	layer   Layer
	service string
}

// countServices counts resources by table row and region, and records the
// regions each service is present in.
func countServices(a *Assembly) (counts map[serviceRow]map[string]int, present map[string]map[string]bool) {
	counts, present = map[serviceRow]map[string]int{}, map[string]map[string]bool{}
	a.each(func(r *Resource) {
		k := serviceRow{r.LayerOf(), r.Service.Name}
		if r.Service.Plumbing {
			k = serviceRow{"", "deployment plumbing (IAM, Lambda, logs)"}
		}
		if counts[k] == nil {
			counts[k] = map[string]int{}
		}
		counts[k][r.Stack.Region]++
		if present[r.Service.Name] == nil {
			present[r.Service.Name] = map[string]bool{}
		}
		present[r.Service.Name][r.Stack.Region] = true
	})
	return counts, present
}

// writeServiceTable writes the counts as a services × columns table,
// grouped by layer, the rows without a layer last.
func writeServiceTable(b *strings.Builder, columns []string, counts map[serviceRow]map[string]int) {
	w := tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
	headers := make([]string, len(columns))
	for i, r := range columns {
		headers[i] = regionLabel(r)
	}
	fmt.Fprintf(w, "service\t%s\t\n", strings.Join(headers, "\t"))
	for _, layer := range append(append([]Layer{}, Layers...), "") {
		var rows []string
		for k := range counts {
			if k.layer == layer {
				rows = append(rows, k.service)
			}
		}
		if len(rows) == 0 {
			continue
		}
		title := layer.Title()
		if layer == "" {
			title = "other"
		}
		fmt.Fprintf(w, "%s\t%s\t\n", title+":", strings.Repeat("\t", len(columns)-1))
		for _, svc := range sortedUnique(rows) {
			cells := make([]string, len(columns))
			for i, region := range columns {
				if n := counts[serviceRow{layer, svc}][region]; n > 0 {
					cells[i] = fmt.Sprint(n)
				} else {
					cells[i] = "-"
				}
			}
			fmt.Fprintf(w, "  %s\t%s\t\n", svc, strings.Join(cells, "\t"))
		}
	}
	w.Flush()
}

// layersPresent are the layers with a stack or a resource.
func layersPresent(a *Assembly) map[Layer]bool {
	present := map[Layer]bool{}
	for _, s := range a.Stacks {
		present[s.Layer] = true
	}
	a.each(func(r *Resource) { present[r.LayerOf()] = true })
	return present
}

// skippedLayers says which layers have no stack or resource.
func skippedLayers(a *Assembly) []string {
	var out []string
	present := layersPresent(a)
	for _, l := range Layers {
		if !present[l] {
			why := "no stack or resource in this configuration"
			if l == LayerPrevention {
				why += " (organization policies need organization mode and prevention.enabled)"
			}
			out = append(out, fmt.Sprintf("%s: %s", l.Title(), why))
		}
	}
	return out
}

// skippedServices says which core services of the layers present have no
// resource, with the setting or cost that explains it.
func skippedServices(a *Assembly, present map[string]map[string]bool) []string {
	var out []string
	layers := layersPresent(a)
	for _, name := range sortedKeys(services) {
		svc := services[name]
		if !svc.Core || present[name] != nil || !layers[svc.Layer] {
			continue
		}
		why := "not enabled by this configuration"
		if svc.Hint != "" {
			why += ": " + svc.Hint
		}
		out = append(out, fmt.Sprintf("%s: %s", name, why))
	}
	return out
}

// partialServices says which services are in some of the regions only.
func partialServices(present map[string]map[string]bool, regions int, home string) []string {
	var out []string
	for _, name := range sortedKeys(present) {
		in, _ := namedRegions(sortedKeys(present[name]))
		if services[name].Plumbing || len(in) == 0 || len(in) == regions {
			continue
		}
		why := "as configured"
		if len(in) == 1 && in[0] == home {
			why = "home region only"
		}
		out = append(out, fmt.Sprintf("%s: only in %s (%s)", name, strings.Join(in, ", "), why))
	}
	return out
}

// namedRegions drops the empty region of region-agnostic templates from a
// sorted list, and reports whether it was there.
func namedRegions(regions []string) ([]string, bool) {
	if len(regions) > 0 && regions[0] == "" {
		return regions[1:], true
	}
	return regions, false
}

// regionLabel names a stack's region; a region-agnostic template deploys
// in whatever region it is deployed to.
func regionLabel(r string) string {
	if r == "" {
		return "any region"
	}
	return r
}

func accountLabel(a string) string {
	if a == "" {
		return "(target)"
	}
	return a
}

func sortedUnique(in []string) []string {
	m := map[string]bool{}
	for _, s := range in {
		m[s] = true
	}
	return sortedKeys(m)
}
