package main

import (
	"bytes"
	"os"
	"testing"
)

// TestTableCurrent re-extracts the table from the pinned aws-cdk-lib and
// compares it with the committed regions_gen.go, so that a CDK bump, a new
// region or a new resource type cannot leave the loader's region check stale.
func TestTableCurrent(t *testing.T) {
	want, err := generate()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../regions_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("internal/catalog/regions_gen.go is stale: run `go generate ./internal/catalog` (with the pinned Node.js on PATH)")
	}
}
