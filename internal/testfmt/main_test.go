package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestFormat(t *testing.T) {
	in := strings.Join([]string{
		`{"Action":"start","Package":"m/test"}`,
		`{"Action":"output","Package":"m/test","Output":"progress: synthesized sandbox (7 stacks, 3.1s)\n"}`,
		`{"Action":"run","Package":"m/test","Test":"TestSnapshots"}`,
		`{"Action":"output","Package":"m/test","Test":"TestSnapshots","Output":"=== RUN   TestSnapshots\n"}`,
		`{"Action":"pass","Package":"m/test","Test":"TestSnapshots","Elapsed":12.5}`,
		`{"Action":"pass","Package":"m/test","Test":"TestQuick","Elapsed":0.1}`,
		`{"Action":"pass","Package":"m/test","Elapsed":80.2}`,
		`{"Action":"output","Package":"m/config","Test":"TestInvalid/x","Output":"    config_test.go:66: differs\n"}`,
		`{"Action":"fail","Package":"m/config","Test":"TestInvalid/x","Elapsed":0}`,
		`{"Action":"fail","Package":"m/config","Elapsed":0.3}`,
		`{"Action":"skip","Package":"m/notests","Elapsed":0}`,
	}, "\n")
	var out bytes.Buffer
	if format(strings.NewReader(in), &out) {
		t.Error("a failed package must make format report failure")
	}
	got := out.String()
	for _, want := range []string{
		"  m/test: synthesized sandbox (7 stacks, 3.1s)\n",
		"  m/test: TestSnapshots passed (12.5s)\n",
		"ok    m/test (80.2s)\n",
		"config_test.go:66: differs\n",
		"FAIL  m/config (0.3s)\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	for _, unwanted := range []string{"TestQuick", "=== RUN   TestSnapshots", "m/notests"} {
		if strings.Contains(got, unwanted) {
			t.Errorf("output shows %q:\n%s", unwanted, got)
		}
	}
	var pass bytes.Buffer
	if !format(strings.NewReader(`{"Action":"pass","Package":"m/x","Elapsed":1}`), &pass) {
		t.Error("all passed: want true")
	}
}
