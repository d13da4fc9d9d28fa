// Package sparktest gives tests that run real Spark for minutes their Spark environment, or skips
// them saying why.
package sparktest

import (
	"testing"

	"tunesim/sparkenv"
)

// Long is the Spark environment for a test that runs real Spark for minutes. It skips t, saying
// why, unless sparkenv.LongTests (.ci/run sets it), there is a Spark environment and the test is
// not -short; starts says what the test starts and how long that takes, for -short's message.
func Long(t testing.TB, starts string) *sparkenv.Env {
	t.Helper()
	if !sparkenv.LongTests() {
		t.Skipf("runs real Spark for minutes: set %s=all to run it (.ci/run does)", sparkenv.LongTestsVar)
	}
	env, err := sparkenv.Find()
	if err != nil {
		t.Skipf("no Spark environment: %v", err)
	}
	if testing.Short() {
		t.Skipf("%s; -short skips it", starts)
	}
	return env
}
