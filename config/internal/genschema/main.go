// Command genschema writes config/schema.json from the config package's Go
// types and doc comments. Run it through `go generate ./config`, which runs
// it in the config directory.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/mamori-dev/mamori/config"
)

func main() {
	src := flag.String("src", ".", "directory of the config package's Go sources")
	out := flag.String("out", "schema.json", "file to write")
	flag.Parse()
	b, err := config.GenerateSchema(*src)
	if err != nil {
		fmt.Fprintln(os.Stderr, "genschema:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "genschema:", err)
		os.Exit(1)
	}
}
