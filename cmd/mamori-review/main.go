// Command mamori-review shows a reviewer what a mamori configuration
// deploys before it deploys: the synth summary, the cost estimate, the
// architecture diagrams, the effective configuration with the origin of
// every value, a CloudFormation-aware diff against a recorded baseline (or
// the committed snapshots), and synth benchmarks. The Makefile runs it:
//
//	make synth     # cdk synth, then: mamori-review summary -assembly cdk.out
//	make cost      # mamori-review cost [-config path]
//	make config    # mamori-review config [-config path]
//	make diagrams  # mamori-review diagrams [-config path] (needs Graphviz's dot)
//	make baseline  # mamori-review baseline -config path -out dir
//	make diff      # mamori-review diff [-config path -baseline dir] (offline, the CDK's own template diff)
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
	case "baseline":
		err = runBaseline(args)
	case "config":
		err = runConfig(args)
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
	fmt.Fprintln(os.Stderr, "usage: mamori-review summary|cost|config|diagrams|baseline|diff|bench [flags]")
	os.Exit(2)
}

func newFlags(name string) *flag.FlagSet {
	return flag.NewFlagSet(name, flag.ExitOnError)
}
