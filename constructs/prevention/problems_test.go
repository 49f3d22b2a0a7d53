package prevention

import (
	"fmt"
	"testing"

	"github.com/mamori-dev/mamori/internal/cdktest"
)

// NewGuardrails lists every problem in one panic: missing props and
// service control statements that need more policies than fit on a target.
func TestGuardrailsReportEveryProblem(t *testing.T) {
	// Each exempt CDK account adds its roles to every statement: with 30,
	// the baseline and hygiene statements need 4 policies.
	var accounts []string
	for i := range 30 {
		accounts = append(accounts, fmt.Sprintf("%012d", i))
	}
	cdktest.PanicsWith(t, `prevention.NewGuardrails "Guardrails": Calls, Name, Targets and Principals.Prefix are required; the service control statements need 4 policies; at most 3 fit`, func() {
		NewGuardrails(cdktest.NewStack(t, cdktest.Env), "Guardrails", &GuardrailsProps{
			Principals: Principals{CDKAccounts: accounts},
		})
	})
}
