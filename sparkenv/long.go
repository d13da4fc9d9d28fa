package sparkenv

import "os"

// LongTestsVar is the environment variable that lets the tests that run real Spark for minutes
// run (harness runs of every estimator, the notebook module's tests, a user's pipelines, a
// standalone cluster, the History Server on failure logs): "all". .ci/run sets it; without it a
// newcomer's `go test ./...` stays within a couple of minutes and those tests skip, saying so.
const LongTestsVar = "TUNESIM_SPARK_TESTS"

// LongTests says whether the long real-Spark tests should run.
func LongTests() bool { return os.Getenv(LongTestsVar) == "all" }
