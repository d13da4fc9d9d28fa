package whatif

import (
	"fmt"
	"math/bits"
	"sort"
	"time"

	"tunesim/scenarios"
	"tunesim/sparklog"
)

// The kinds of JVM a tuning can run in.
const (
	// JVMFresh is a JVM that started with the application: its compilers are still at work on
	// Spark's and MLlib's code, so its first fits run slower and busier than its later ones.
	JVMFresh = "fresh"
	// JVMWarm is a JVM that had run the same code before (a notebook's later tuning, or a
	// PySpark process whose earlier session ran it).
	JVMWarm = "warm"
)

// Thresholds on how much slower a tuning's first fits ran than its later ones before the JVM
// is taken to have been still compiling. A warm JVM repeats a CrossValidator's rounds (the same
// param maps on folds of equal size) within run-to-run noise, a few percent; the first fit of a
// TrainValidationSplit, which has one round, also reads its split into the cache first.
const (
	freshRoundRatio = 1.25 // CrossValidator: the first round's mean fit over the last round's
	freshFirstRatio = 2.0  // TrainValidationSplit: the first fit over the median of the others
)

// c2Compilers is the number of C2 compiler threads HotSpot starts on a host of cores CPUs with
// tiered compilation and its defaults (CompilationPolicy::initialize: log2(n) x log2(log2(n)) x
// 3/2 compiler threads, at least 2, a third of them C1's).
func c2Compilers(cores int) int {
	log := bits.Len(uint(max(cores, 1))) - 1
	loglog := bits.Len(uint(max(log, 1))) - 1
	count := max(log*loglog*3/2, 2)
	return max(count-max(count/3, 1), 1)
}

// executorCompilers is how many threads of each executor's JVM the prediction runs beside its
// tasks throughout when a fresh application's log from local mode is predicted on a cluster c:
// every executor is a fresh JVM of its own, which compiles the tasks' code again, and its C2
// compilers (HotSpot's count for the cores of its host; the fewest where hosts differ) take what
// share of its host the run leaves them. A local log's tasks cannot show them (their JVM was the
// driver's), so the count is HotSpot's, not compilerThreads' reading of the tasks. Measured on
// standalone clusters sharing one 2-core host (2026-12-06): each executor JVM's CPU beyond its
// tasks' was 0.26-0.47 of a core over the whole serial tuning.
func executorCompilers(c scenarios.Cluster) int {
	pl := c.Placement()
	cores := 0
	for _, h := range pl.ExecHost {
		if n := pl.HostCores[h]; cores == 0 || n < cores {
			cores = n
		}
	}
	if cores == 0 {
		return 0
	}
	return c2Compilers(cores)
}

// JVMKind says which kind of JVM the log shows the tuning ran in, and the evidence.
type JVMKind struct {
	Kind string `json:"kind"`
	Why  string `json:"why"`
}

// freshDeserialize is the deserialization time of an application's first task at or above which
// the JVM that ran it was loading the classes of Spark's tasks for the first time: tens of
// milliseconds in a fresh JVM (35-81 ms in the campaign of 2026-12-05), a few in one that had run
// tasks before (0-4 ms).
const freshDeserialize = 15 * time.Millisecond

// JVM reads the kind of JVM from the log: by the application's first task's deserialization
// (freshDeserialize) when the log has it, else by the fits' durations (fitsJVM).
func (t *Tuning) JVM() JVMKind {
	by := t.fitsJVM()
	tk, ok := t.firstTask()
	if !ok {
		return by
	}
	why := fmt.Sprintf("the application's first task took %d ms to deserialize (a JVM loading Spark's classes for the first time takes tens of ms, one that ran tasks before a few); %s", tk.Deserialize.Milliseconds(), by.Why)
	if tk.Deserialize >= freshDeserialize {
		return JVMKind{JVMFresh, why}
	}
	return JVMKind{JVMWarm, why}
}

// firstTask is the application's first task to launch (false when the log has none before the
// tuning's first job ends).
func (t *Tuning) firstTask() (sparklog.Task, bool) {
	var first sparklog.Task
	found := false
	for _, j := range t.App.Jobs {
		for _, st := range j.Stages {
			for _, tk := range st.Tasks {
				if !found || tk.Launch < first.Launch {
					first, found = tk, true
				}
			}
		}
		if found && len(t.Fits) > 0 && len(t.Fits[0].Jobs) > 0 && j.End > t.Fits[0].Jobs[0].End {
			break // later jobs launch their tasks later still
		}
	}
	return first, found
}

// fitsJVM reads the kind of JVM from the fits' durations: fresh when the first round of a
// CrossValidator ran at least freshRoundRatio times as long as its last (the same param maps on
// folds of equal size), or a TrainValidationSplit's first fit at least freshFirstRatio times the
// median of its others.
func (t *Tuning) fitsJVM() JVMKind {
	rounds := t.roundDurations()
	if len(rounds) >= 2 {
		first, last := mean(rounds[0]), mean(rounds[len(rounds)-1])
		r := first.Seconds() / max(last.Seconds(), 1e-9)
		why := fmt.Sprintf("the first round of fits took %.2f s each on average, the last %.2f s (%.2fx; a warm JVM repeats rounds within a few percent, a fresh one is still compiling)", first.Seconds(), last.Seconds(), r)
		if r >= freshRoundRatio {
			return JVMKind{JVMFresh, why}
		}
		return JVMKind{JVMWarm, why}
	}
	var ds []time.Duration
	for _, f := range t.Fits {
		if !f.Refit {
			ds = append(ds, f.End-f.Start)
		}
	}
	if len(ds) < 2 {
		return JVMKind{JVMWarm, "one fit: nothing to compare its time with, taken as warm"}
	}
	rest := median(ds[1:])
	r := ds[0].Seconds() / max(rest.Seconds(), 1e-9)
	why := fmt.Sprintf("the first fit took %.2f s, the others %.2f s (median; %.2fx)", ds[0].Seconds(), rest.Seconds(), r)
	if r >= freshFirstRatio {
		return JVMKind{JVMFresh, why}
	}
	return JVMKind{JVMWarm, why}
}

// roundDurations is each round's fit durations, rounds in order (the refit left out).
func (t *Tuning) roundDurations() [][]time.Duration {
	byRound := map[int][]time.Duration{}
	var order []int
	for _, f := range t.Fits {
		if f.Refit {
			continue
		}
		if _, ok := byRound[f.Fold]; !ok {
			order = append(order, f.Fold)
		}
		byRound[f.Fold] = append(byRound[f.Fold], f.End-f.Start)
	}
	sort.Ints(order)
	out := make([][]time.Duration, len(order))
	for i, r := range order {
		out[i] = byRound[r]
	}
	return out
}

func mean(ds []time.Duration) time.Duration {
	var s time.Duration
	for _, d := range ds {
		s += d
	}
	return s / time.Duration(max(len(ds), 1))
}

// warmed is the tuning as a warm JVM would have run it: every fit of a round but the last runs as
// its param map's fit of the last round ran (the same work, on a fold of the same size, compiled),
// and how much shorter the serial run gets for it. It needs a CrossValidator's rounds: a
// TrainValidationSplit fits each param map once, so its log holds no warm fit of the first ones.
func (t *Tuning) warmed() (*Tuning, time.Duration, error) {
	if t.Kind != scenarios.CrossValidator || len(t.roundDurations()) < 2 {
		return nil, 0, fmt.Errorf("--jvm warm from a log of a fresh JVM needs a CrossValidator's rounds (the last round's fits, warm, stand in for the first's); a %s fits each param map once, so give whatif the log of a run in a warm JVM instead", TunerName(t.Kind))
	}
	lastRound := t.lastRound()
	last := lastRound[0].Fold
	warm := map[int]*Fit{}
	for i := range lastRound {
		warm[lastRound[i].ParamMap] = &lastRound[i]
	}
	w := *t
	w.Fits = append([]Fit(nil), t.Fits...)
	var saved time.Duration
	for i := range w.Fits {
		f := &w.Fits[i]
		sub, ok := warm[f.ParamMap]
		if f.Refit || f.Fold == last || !ok {
			continue
		}
		saved += (f.End - f.Start) - (sub.End - sub.Start)
		fold := f.Fold
		*f = *sub
		f.Fold = fold
	}
	return &w, saved, nil
}

// lastRound is the fits of the tuning's last round (the refit left out).
func (t *Tuning) lastRound() []Fit {
	last := -1
	for _, f := range t.Fits {
		if !f.Refit {
			last = max(last, f.Fold)
		}
	}
	var out []Fit
	for _, f := range t.Fits {
		if !f.Refit && f.Fold == last {
			out = append(out, f)
		}
	}
	return out
}
