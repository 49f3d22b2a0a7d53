// Command genschema writes config/schema.json from the config package's Go
// types and doc comments, and docs/configuration.md, the configuration
// reference, from that schema. Run it through `go generate ./config`,
// which runs it in the config directory.
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
	ref := flag.String("ref", "../docs/configuration.md", "file to write the reference to")
	flag.Parse()
	schema, err := config.GenerateSchema(*src)
	if err == nil {
		err = os.WriteFile(*out, schema, 0o644)
	}
	var reference []byte
	if err == nil {
		reference, err = config.GenerateReference(schema)
	}
	if err == nil {
		err = os.WriteFile(*ref, reference, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "genschema:", err)
		os.Exit(1)
	}
}
