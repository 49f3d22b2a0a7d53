package dataprotection

import (
	"testing"

	"github.com/mamori-dev/mamori/internal/cdktest"
)

// TestMain closes the jsii runtime (one Node.js process for the package) once.
func TestMain(m *testing.M) { cdktest.Main(m) }

type (
	m = cdktest.M
	a = cdktest.A
)
