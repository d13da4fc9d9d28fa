package sparklog

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"tunesim/trace"
)

type chromeTrace struct {
	TraceEvents []struct {
		Name string         `json:"name"`
		Cat  string         `json:"cat"`
		Ph   string         `json:"ph"`
		Ts   float64        `json:"ts"`
		Dur  float64        `json:"dur"`
		Pid  int            `json:"pid"`
		Tid  int            `json:"tid"`
		Args map[string]any `json:"args"`
	} `json:"traceEvents"`
}

func TestPerfettoExport(t *testing.T) {
	spark, _, err := Read("testdata/spark-events/local-1795612175730.lz4")
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range []*trace.Trace{simulated(t, "seed-cv", 3), simulated(t, "cluster-mid", 4), spark} {
		var buf bytes.Buffer
		if err := WritePerfetto(&buf, tr); err != nil {
			t.Fatal(err)
		}
		var ct chromeTrace
		if err := json.Unmarshal(buf.Bytes(), &ct); err != nil {
			t.Fatalf("not JSON: %v", err)
		}
		kinds := countKinds(tr)
		complete := map[string]int{}
		procs, threads := map[int]string{}, map[[2]int]string{}
		type ev struct{ ts, end float64 }
		lanes := map[[2]int][]ev{}
		for _, e := range ct.TraceEvents {
			switch e.Ph {
			case "X":
				complete[e.Cat]++
				lanes[[2]int{e.Pid, e.Tid}] = append(lanes[[2]int{e.Pid, e.Tid}], ev{e.Ts, e.Ts + e.Dur})
				if e.Cat == "task" && !strings.Contains(e.Name, "job ") || e.Cat == "task" && tr.Spans[0].Fit != trace.None && !strings.Contains(e.Name, "fit ") {
					t.Errorf("task event named %q", e.Name)
				}
			case "M":
				if e.Name == "process_name" {
					procs[e.Pid] = e.Args["name"].(string)
				}
				if e.Name == "thread_name" {
					threads[[2]int{e.Pid, e.Tid}] = e.Args["name"].(string)
				}
			}
		}
		// One complete event per span, tasks and driver-side spans alike.
		for k, n := range kinds {
			if complete[string(k)] != n {
				t.Errorf("%s: %d %s events for %d spans", tr.Source, complete[string(k)], k, n)
			}
		}
		// A process per executor and the driver; every lane named.
		if len(procs) != len(tr.Executors)+1 || !strings.HasPrefix(procs[driverPid], "driver") {
			t.Errorf("processes %v", procs)
		}
		for k := range lanes {
			if threads[k] == "" {
				t.Errorf("thread %v has no name", k)
			}
		}
		// On every thread, events nest or follow one another: never a partial overlap.
		for k, evs := range lanes {
			sort.Slice(evs, func(a, b int) bool {
				if evs[a].ts != evs[b].ts {
					return evs[a].ts < evs[b].ts
				}
				return evs[a].end > evs[b].end
			})
			var stack []float64
			for _, e := range evs {
				for len(stack) > 0 && stack[len(stack)-1] <= e.ts+1e-6 {
					stack = stack[:len(stack)-1]
				}
				if len(stack) > 0 && e.end > stack[len(stack)-1]+1e-6 {
					t.Fatalf("%s: thread %v (%s): event %v-%v overlaps one ending at %v", tr.Source, k, threads[k], e.ts, e.end, stack[len(stack)-1])
				}
				stack = append(stack, e.end)
			}
		}
	}
}
