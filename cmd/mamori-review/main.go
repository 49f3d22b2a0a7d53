// Command mamori-review shows a reviewer what a mamori configuration
// deploys before it deploys: the synth summary, the cost estimate, the
// architecture diagrams, a CloudFormation-aware diff against the committed
// snapshots, and synth benchmarks. The Makefile runs it:
//
//	make synth     # cdk synth, then: mamori-review summary -assembly cdk.out
//	make cost      # mamori-review cost [-config path]
//	make diagrams  # mamori-review diagrams (needs Graphviz's dot)
//	make diff      # mamori-review diff (offline, the CDK's own template diff)
//	make bench     # mamori-review bench
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	args := os.Args[2:]
	switch os.Args[1] {
	case "summary":
		err = runSummary(args)
	case "cost":
		err = runCost(args)
	case "diagrams":
		err = runDiagrams(args)
	case "diff":
		err = runDiff(args)
	case "bench":
		err = runBench(args)
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "mamori-review:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: mamori-review summary|cost|diagrams|diff|bench [flags]")
	os.Exit(2)
}

func newFlags(name string) *flag.FlagSet {
	return flag.NewFlagSet(name, flag.ExitOnError)
}
