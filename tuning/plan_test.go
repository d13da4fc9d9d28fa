package tuning

import (
	"reflect"
	"testing"

	"tunesim/scenarios"
)

func builtin(t *testing.T, name string) *scenarios.Scenario {
	t.Helper()
	s, err := scenarios.Builtin(name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// jobsAndTasks counts the jobs and the tasks of their first stages, as SPARK.md counts them.
func jobsAndTasks(f Fit) (jobs, tasks int) {
	for _, st := range f.Steps {
		if st.Kind == StepJob {
			jobs++
			tasks += st.Stages[0].Tasks
		}
	}
	return jobs, tasks
}

func TestSeedFitMatchesSparkJobCounts(t *testing.T) {
	tests := []struct {
		version               string
		jobs, tasks, refitJob int
	}{
		{"4", 8, 13, 7},
		{"3", 8, 13, 7},
		{"2", 9, 16, 8},
	}
	for _, tt := range tests {
		t.Run("spark"+tt.version, func(t *testing.T) {
			s := builtin(t, "seed-tvs")
			s.SparkVersion = tt.version
			p, err := New(s)
			if err != nil {
				t.Fatal(err)
			}
			if got := len(p.Fits); got != 17 {
				t.Fatalf("fits = %d, want 16 + refit", got)
			}
			for _, f := range p.Fits[:16] {
				if j, k := jobsAndTasks(f); j != tt.jobs || k != tt.tasks {
					t.Fatalf("fit %d: %d jobs / %d tasks, want %d / %d", f.Index, j, k, tt.jobs, tt.tasks)
				}
			}
			if j, _ := jobsAndTasks(*p.Refit()); j != tt.refitJob {
				t.Errorf("refit: %d jobs, want %d", j, tt.refitJob)
			}
		})
	}
}

func TestPartitionRowsSumsAndSkews(t *testing.T) {
	for _, tt := range []struct {
		rows  int64
		parts int
		skew  float64
	}{{10000, 2, 0}, {10001, 3, 0}, {1000000, 40, 0.2}, {7, 7, 0.9}, {100, 1, 0.5}} {
		got := PartitionRows(tt.rows, tt.parts, tt.skew)
		var sum int64
		for i, r := range got {
			sum += r
			if i > 0 && r < got[i-1]-1 {
				t.Errorf("%v: partition %d has %d rows, fewer than %d before it", tt, i, r, got[i-1])
			}
		}
		if sum != tt.rows || len(got) != tt.parts {
			t.Errorf("%v: %d partitions summing to %d", tt, len(got), sum)
		}
	}
	if got := PartitionRows(300, 3, 0.5); !reflect.DeepEqual(got, []int64{50, 100, 150}) {
		t.Errorf("skew 0.5 over 3: %v, want [50 100 150]", got)
	}
}

func TestCrossValidatorFoldsCoverEachRowOnce(t *testing.T) {
	s := builtin(t, "seed-cv")
	s.Data.Rows = 10007
	p, err := New(s)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Rounds) != s.Tuner.Folds {
		t.Fatalf("rounds = %d, want %d", len(p.Rounds), s.Tuner.Folds)
	}
	full := p.Splits[0].Rows
	valSum := make([]int64, len(full))
	for _, sp := range p.Splits[1:] {
		if sp.Validation {
			for i, r := range sp.Rows {
				valSum[i] += r
			}
		}
	}
	if !reflect.DeepEqual(valSum, full) {
		t.Errorf("validation parts sum to %v per partition, want the source's %v", valSum, full)
	}
	for f, round := range p.Rounds {
		for _, i := range round {
			if p.Fits[i].Fold != f {
				t.Errorf("fit %d in round %d has fold %d", i, f, p.Fits[i].Fold)
			}
		}
	}
}

func TestWithRefitUsesTheBestParamMapsK(t *testing.T) {
	p, err := New(builtin(t, "seed-tvs"))
	if err != nil {
		t.Fatal(err)
	}
	q := p.WithRefit(15) // k = 75
	if q.Refit().K != 75 || p.Refit().K != 15 {
		t.Errorf("refit K: copy %d (want 75), original %d (want 15)", q.Refit().K, p.Refit().K)
	}
}
