// Command genref writes docs/configuration.md, the configuration reference,
// from config/schema.json. Run it through `go generate ./config`, which
// runs it in the config directory after genschema.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/mamori-dev/mamori/config"
)

func main() {
	schema := flag.String("schema", "schema.json", "the schema genschema wrote")
	out := flag.String("out", "../docs/configuration.md", "file to write")
	flag.Parse()
	data, err := os.ReadFile(*schema)
	if err == nil {
		data, err = config.GenerateReference(data)
	}
	if err == nil {
		err = os.WriteFile(*out, data, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "genref:", err)
		os.Exit(1)
	}
}
