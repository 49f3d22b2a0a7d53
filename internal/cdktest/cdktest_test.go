package cdktest

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRepoRootAndContext(t *testing.T) {
	root, err := RepoRoot()
	require.NoError(t, err)
	_, err = os.Stat(filepath.Join(root, "go.mod"))
	require.NoError(t, err)
	assert.Equal(t, root, filepath.Dir(filepath.Dir(mustGetwd(t))), "internal/cdktest is two levels below the root")

	ctx, err := ReadContext(root)
	require.NoError(t, err)
	assert.Equal(t, true, ctx["@aws-cdk/core:validateAgainstDefaultRules"])
	assert.Equal(t, ctx, *Context(t))

	_, err = ReadContext(t.TempDir())
	assert.ErrorIs(t, err, os.ErrNotExist)
}

func TestDecodeCall(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   interface{}
		want M
	}{
		{"missing", nil, nil},
		{"string", `{"service":"STS","action":"GetCallerIdentity"}`, M{"service": "STS", "action": "GetCallerIdentity"}},
		{"join with tokens", M{"Fn::Join": A{"", A{`{"parameters":{"Name":"`, M{"Ref": "Log"}, `"}}`}}},
			M{"parameters": M{"Name": "<token>"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decodeCall(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
	for _, bad := range []interface{}{42.0, M{"Fn::Join": A{",", A{"{}"}}}, M{"Ref": "X"}, "not json"} {
		_, err := decodeCall(bad)
		assert.Error(t, err, "%v", bad)
	}
}

func TestRecovered(t *testing.T) {
	assert.Nil(t, Recovered(func() {}))
	err := errors.New("boom")
	assert.Equal(t, err, Recovered(func() { panic(err) }))
}

func mustGetwd(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	require.NoError(t, err)
	return wd
}
