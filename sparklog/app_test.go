package sparklog

import (
	"path/filepath"
	"testing"

	"tunesim/trace"
)

// ReadApp and Read agree on every task attempt of the failure logs: the same attempts, each
// counted or not alike (a Resubmitted task's earlier success is lost in both), and one counted
// attempt per task index of every stage attempt that completed.
func TestReadAppAttemptsAgreeWithRead(t *testing.T) {
	logs, _ := filepath.Glob("testdata/failures/*")
	if len(logs) == 0 {
		t.Fatal("no failure logs")
	}
	for _, log := range logs {
		app, _, err := ReadApp(log)
		if err != nil {
			t.Fatalf("%s: %v", log, err)
		}
		tr, _, err := Read(log)
		if err != nil {
			t.Fatalf("%s: %v", log, err)
		}
		type key struct{ stage, stageAttempt, part, attempt int }
		want := map[key]bool{}
		for _, sp := range tr.Spans {
			if sp.Kind == trace.KindTask {
				want[key{sp.Stage, sp.StageAttempt, sp.Partition, sp.Attempt}] = sp.Counted()
			}
		}
		got := map[key]bool{}
		for _, j := range app.Jobs {
			for _, st := range j.Stages {
				for _, tk := range st.Tasks {
					k := key{st.ID, st.Attempt, tk.Index, tk.Attempt}
					if _, dup := got[k]; dup {
						t.Errorf("%s: stage %d.%d task %d attempt %d ends twice in ReadApp", filepath.Base(log), k.stage, k.stageAttempt, k.part, k.attempt)
					}
					got[k] = tk.Counted()
				}
			}
		}
		for k, c := range want {
			if g, ok := got[k]; !ok || g != c {
				t.Errorf("%s: stage %d.%d task %d attempt %d: ReadApp has it %v counted %v; Read counted %v", filepath.Base(log), k.stage, k.stageAttempt, k.part, k.attempt, ok, g, c)
			}
		}
		if len(got) < len(want) {
			t.Errorf("%s: ReadApp has %d attempts in its jobs, Read %d", filepath.Base(log), len(got), len(want))
		}
	}
}
