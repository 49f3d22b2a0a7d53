// Command testfmt reads `go test -json` on stdin and prints what a person
// waiting for `make test` wants to see: a line per package as it finishes,
// the progress lines long packages print (lines starting "progress:", such
// as each fixture synthesized), each top-level test that took a while, and
// the full output of whatever failed. It exits 1 when anything failed.
//
//	go test -json ./... | go run ./internal/testfmt
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
)

// event is one line of test2json output (go doc test2json).
type event struct {
	Action     string
	Package    string
	ImportPath string
	Test       string
	Elapsed    float64
	Output     string
}

// slow is how long a top-level test runs before its completion is shown.
const slow = 5.0

func main() {
	if !format(os.Stdin, os.Stdout) {
		os.Exit(1)
	}
}

// format copies the events of r to w as readable lines and reports whether
// every package passed.
func format(r io.Reader, w io.Writer) bool {
	ok := true
	output := map[string][]string{} // package/test -> its output lines
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			// Not an event (go vet or build noise): pass it through.
			fmt.Fprintln(w, sc.Text())
			continue
		}
		key := e.Package + "/" + e.Test
		switch e.Action {
		case "build-output":
			fmt.Fprint(w, e.Output)
		case "build-fail":
			ok = false
		case "output":
			if strings.HasPrefix(e.Output, "progress: ") {
				fmt.Fprintf(w, "  %s: %s", short(e.Package), strings.TrimPrefix(e.Output, "progress: "))
				continue
			}
			output[key] = append(output[key], e.Output)
		case "pass", "skip":
			switch {
			case e.Test == "" && e.Action == "skip":
				// A package without tests: nothing to say.
			case e.Test == "":
				fmt.Fprintf(w, "ok    %s (%.1fs)\n", e.Package, e.Elapsed)
			case e.Action == "pass" && !strings.Contains(e.Test, "/") && e.Elapsed >= slow:
				fmt.Fprintf(w, "  %s: %s passed (%.1fs)\n", short(e.Package), e.Test, e.Elapsed)
			}
			delete(output, key)
		case "fail":
			ok = false
			if e.Test == "" {
				// The package's own output (TestMain, panics) and the
				// verdict.
				fmt.Fprint(w, strings.Join(output[key], ""))
				fmt.Fprintf(w, "FAIL  %s (%.1fs)\n", e.Package, e.Elapsed)
			} else {
				fmt.Fprint(w, strings.Join(output[key], ""))
			}
			delete(output, key)
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintln(w, "testfmt:", err)
		return false
	}
	return ok
}

// short is the package path without the module's.
func short(pkg string) string {
	return strings.TrimPrefix(strings.TrimPrefix(pkg, "github.com/mamori-dev/mamori"), "/")
}
