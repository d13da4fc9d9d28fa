// Package whatif finds the tuning run in a Spark application's event log — a CrossValidator's or
// TrainValidationSplit's fits, its folds and param maps, the refit — even when nothing tagged it,
// and turns it into an ordinary tuning.Plan priced by a costmodel.Measured model whose durations
// are the log's own, so the simulator's event loop can replay it at any parallelism, cluster or
// data size.
//
// Finding the tuning uses what Spark itself records. A job's role comes from the call stacks of
// its stages (the Details of each stage): frames in org.apache.spark.ml.evaluation (or mllib's)
// make it an evaluator's job, other org.apache.spark.ml frames an estimator's. A fit is a run of
// estimator jobs followed by evaluator jobs; the last fit, which evaluates nothing, is the refit.
// The folds of a CrossValidator are the runs of fits that read the same persisted training set
// (each fold's training split is cached, and its RDD id is in the stages' RDD infos); the
// tuner's kind comes from the names Spark gives those splits (CrossValidator_<uid>_rand,
// TrainValidationSplit_<uid>_rand) or from tuning frames in the call stacks, else from the
// number of folds. Jobs that carry tunesim's fit properties (spark/tune.py, or the notebook
// module's tagging) are attributed by them instead.
package whatif

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"tunesim/scenarios"
	"tunesim/sparklog"
	"tunesim/trace"
)

// ErrNoTuning is wrapped by the error for a log that holds no tuning run.
var ErrNoTuning = errors.New("found no CrossValidator/TrainValidationSplit fits")

// ErrAmbiguous is wrapped by errors a flag (--folds, --param-maps) would settle.
var ErrAmbiguous = errors.New("the log leaves the tuning's structure open")

// ErrParallel is wrapped by the error for a log of fits that ran at once with nothing saying
// which job belongs to which fit.
var ErrParallel = errors.New("the fits ran at once and are not tagged")

// Hints settle what the log leaves open: the folds (CrossValidator's numFolds; 1 means a
// TrainValidationSplit) and the number of param maps. Zero means "find it in the log".
type Hints struct {
	Folds, ParamMaps int
}

// Role is what a job did for the tuning.
type Role uint8

// Job roles.
const (
	RoleOther     Role = iota // not an ML estimator's or evaluator's job (loading, caching, saving)
	RoleEstimator             // fitting an estimator (its stack has org.apache.spark.ml frames)
	RoleEvaluator             // an evaluator's metrics (ml.evaluation / mllib.evaluation frames)
)

// String names the role.
func (r Role) String() string {
	return [...]string{"other", "estimator", "evaluator"}[r]
}

// Fit is one fit of the tuning as the log shows it.
type Fit struct {
	// Fold is the round (CrossValidator fold) the fit belongs to; trace.None for the refit.
	Fold int
	// ParamMap is the param map's index in the tuner's order.
	ParamMap int
	Refit    bool
	Jobs     []*sparklog.Job
	// Roles are the jobs' roles.
	Roles []Role
	// Start is when the fit's thread began it (before its first job: its setup), End when its
	// last job ended plus, for the refit, the driver work after it (Tail).
	Start, End time.Duration
	Tail       time.Duration
}

// Tuning is a tuning run found in a log.
type Tuning struct {
	App  *sparklog.App
	Info *sparklog.Info
	// Kind is scenarios.CrossValidator or scenarios.TrainValidationSplit.
	Kind      string
	Folds     int
	ParamMaps int
	// Fits are in the order they ran (fold by fold), the refit last.
	Fits []Fit
	// Before and After are the application's jobs outside the tuning.
	Before, After []*sparklog.Job
	// Tagged says the fits were attributed by tunesim's job properties.
	Tagged bool
	// parallel says the fits overlapped in the log (a run at parallelism > 1).
	parallel bool
	// Evidence says how the structure was decided, a line per decision.
	Evidence []string
	// Warnings are things the finder assumed that the user may want to check.
	Warnings []string
}

// Refit is the final fit.
func (t *Tuning) Refit() *Fit { return &t.Fits[len(t.Fits)-1] }

// Start and End bound the tuning: the first fit's start and the refit's end.
func (t *Tuning) Start() time.Duration { return t.Fits[0].Start }

// End is the refit's end.
func (t *Tuning) End() time.Duration { return t.Refit().End }

// RoleOf classifies a job by the call stacks and names of its stages, or, when they name no ML
// class (Spark SQL runs a query's jobs from helper threads), by the call stack of the SQL query
// the job ran for.
func RoleOf(j *sparklog.Job) Role {
	role := RoleOther
	for _, st := range j.Stages {
		switch stageRole(st) {
		case RoleEvaluator:
			return RoleEvaluator
		case RoleEstimator:
			role = RoleEstimator
		}
	}
	if role == RoleOther && j.SQLDetails != "" {
		return stackRole(j.SQLDetails)
	}
	return role
}

// evaluatorSites are source files of Spark's evaluators' jobs, for stages whose call stack the
// log does not keep (only their name, "collect at AreaUnderCurve.scala:44").
var evaluatorSites = []string{"BinaryClassificationMetrics.scala", "AreaUnderCurve.scala", "MulticlassMetrics.scala",
	"RegressionMetrics.scala", "ClusteringEvaluator.scala", "RankingMetrics.scala", "MultilabelMetrics.scala",
	"BinaryClassificationEvaluator.scala", "MulticlassClassificationEvaluator.scala", "RegressionEvaluator.scala"}

func stageRole(st *sparklog.Stage) Role {
	role := stackRole(st.Details)
	if role == RoleOther && st.Details == "" {
		for _, s := range evaluatorSites {
			if strings.Contains(st.Name, " at "+s) {
				return RoleEvaluator
			}
		}
	}
	return role
}

// stackRole classifies a call stack: an evaluator's when a frame is in ml.evaluation or
// mllib.evaluation, an estimator's when another frame is in org.apache.spark.ml (the tuners'
// and ml.util's own frames aside).
func stackRole(stack string) Role {
	role := RoleOther
	for line := range strings.SplitSeq(stack, "\n") {
		f := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(f, "org.apache.spark.ml.evaluation."), strings.HasPrefix(f, "org.apache.spark.mllib.evaluation."):
			return RoleEvaluator
		case strings.HasPrefix(f, "org.apache.spark.ml.tuning."), strings.HasPrefix(f, "org.apache.spark.ml.util."):
		case strings.HasPrefix(f, "org.apache.spark.ml."), strings.HasPrefix(f, "org.apache.spark.mllib."):
			role = RoleEstimator
		}
	}
	return role
}

// Find finds the tuning run in an application read by sparklog.ReadApp.
func Find(app *sparklog.App, info *sparklog.Info, h Hints) (*Tuning, error) {
	t := &Tuning{App: app, Info: info}
	if tagged(app) {
		if err := t.fromTags(); err != nil {
			return nil, err
		}
	} else if err := t.fromStructure(h); err != nil {
		return nil, err
	}
	t.times()
	return t, nil
}

func tagged(app *sparklog.App) bool {
	for _, j := range app.Jobs {
		if _, ok := j.Props[sparklog.PropFit]; ok {
			return true
		}
	}
	return false
}

// lookedFor says what the finder looks for, for the no-tuning error.
const lookedFor = "looked for jobs whose stages' call stacks name org.apache.spark.ml estimators followed by " +
	"org.apache.spark.ml.evaluation evaluators (or evaluator call sites such as BinaryClassificationMetrics.scala), " +
	"and for tunesim.fit job properties"

// fromStructure finds the fits of an untagged log from the roles of its jobs.
func (t *Tuning) fromStructure(h Hints) error {
	jobs := t.App.Jobs
	roles := make([]Role, len(jobs))
	first, last := -1, -1
	evaluators := 0
	for i, j := range jobs {
		roles[i] = RoleOf(j)
		if roles[i] != RoleOther {
			if first < 0 && roles[i] == RoleEstimator {
				first = i
			}
			if first >= 0 {
				last = i
			}
			if roles[i] == RoleEvaluator {
				evaluators++
			}
		}
	}
	if first < 0 || evaluators == 0 {
		return fmt.Errorf("%w in %d jobs (%s)", ErrNoTuning, len(jobs), lookedFor)
	}
	t.Before, t.After = jobs[:first], jobs[last+1:]
	var fits []Fit
	if err := t.checkSerial(jobs[first:last+1], roles[first:last+1]); err != nil {
		groups, how := threadGroups(jobs[first:last+1], roles[first:last+1])
		if groups == nil {
			return err
		}
		for _, g := range groups {
			fits = append(fits, splitFits(g.jobs, g.roles)...)
		}
		sort.SliceStable(fits, func(a, b int) bool { return fits[a].Jobs[0].Submit < fits[b].Jobs[0].Submit })
		t.parallel = true
		t.Evidence = append(t.Evidence, "the fits ran at once; jobs attributed to threads by their "+how)
	} else {
		fits = splitFits(jobs[first:last+1], roles[first:last+1])
	}
	r := &fits[len(fits)-1]
	if slices.Contains(r.Roles, RoleEvaluator) {
		k := len(r.Roles)
		for k > 0 && r.Roles[k-1] != RoleEstimator {
			k--
		}
		t.After = append(append([]*sparklog.Job(nil), r.Jobs[k:]...), t.After...)
		r.Jobs, r.Roles = r.Jobs[:k], r.Roles[:k]
		t.Warnings = append(t.Warnings, fmt.Sprintf("the last fit evaluated its model (%d evaluator jobs after it): taken as the refit, its evaluation as the user's work after the tuning", len(t.After)))
	}
	r.Refit = true
	if len(fits) < 2 {
		return fmt.Errorf("%w: one fit and no refit (%s)", ErrNoTuning, lookedFor)
	}
	t.Fits = fits
	t.Evidence = append(t.Evidence, fmt.Sprintf("%d fits and a refit from the jobs' call stacks: estimator jobs then evaluator jobs per fit", len(fits)-1))
	return t.rounds(h)
}

// splitFits cuts one thread's jobs into fits: a fit is a run of estimator jobs followed by
// evaluator jobs; other jobs go with the fit they fall in.
func splitFits(jobs []*sparklog.Job, roles []Role) []Fit {
	var fits []Fit
	evaluated := false
	for i, j := range jobs {
		if len(fits) == 0 || (roles[i] == RoleEstimator && evaluated) {
			fits = append(fits, Fit{})
			evaluated = false
		}
		if roles[i] == RoleEvaluator {
			evaluated = true
		}
		f := &fits[len(fits)-1]
		f.Jobs, f.Roles = append(f.Jobs, j), append(f.Roles, roles[i])
	}
	return fits
}

// group is the jobs one tuner thread submitted, as a job property says.
type group struct {
	jobs  []*sparklog.Job
	roles []Role
}

// threadGroups attributes the jobs of a parallel run to the threads that submitted them, by a
// property Spark copies from the submitting thread: spark.jobGroup.id, or the job tags
// (spark.job.tags) that not every job carries. It returns nil when no property tells the
// threads apart (every ML job must carry one, and at least two values must occur).
func threadGroups(jobs []*sparklog.Job, roles []Role) ([]group, string) {
	keyers := []struct {
		how string
		key func(j *sparklog.Job) string
	}{
		{"job groups (spark.jobGroup.id)", func(j *sparklog.Job) string { return j.Props[sparklog.PropJobGroup] }},
		{"job tags (spark.job.tags)", tagKey(jobs)},
	}
	for _, k := range keyers {
		index := map[string]int{}
		var gs []group
		ok := true
		for i, j := range jobs {
			key := k.key(j)
			if key == "" {
				if roles[i] != RoleOther {
					ok = false
					break
				}
				continue
			}
			gi, seen := index[key]
			if !seen {
				gi = len(gs)
				index[key] = gi
				gs = append(gs, group{})
			}
			gs[gi].jobs, gs[gi].roles = append(gs[gi].jobs, j), append(gs[gi].roles, roles[i])
		}
		if ok && len(gs) >= 2 {
			return gs, k.how
		}
	}
	return nil, ""
}

// tagKey keys a job by its tags that not every job carries (Spark adds session tags to all).
func tagKey(jobs []*sparklog.Job) func(*sparklog.Job) string {
	count := map[string]int{}
	for _, j := range jobs {
		for tag := range strings.SplitSeq(j.Props["spark.job.tags"], ",") {
			if tag != "" {
				count[tag]++
			}
		}
	}
	return func(j *sparklog.Job) string {
		var own []string
		for tag := range strings.SplitSeq(j.Props["spark.job.tags"], ",") {
			if tag != "" && count[tag] < len(jobs) && !strings.Contains(tag, "execution-root-id") {
				own = append(own, tag)
			}
		}
		sort.Strings(own)
		return strings.Join(own, ",")
	}
}

// overlapSlack is how far jobs of a serial run may overlap: Spark SQL starts broadcast and
// subquery jobs from helper threads, a few milliseconds into another job (a query's own jobs
// may overlap at any length: see sameQuery).
const overlapSlack = 5 * time.Millisecond

// checkSerial refuses a log whose ML jobs overlap: a parallel run, whose jobs the finder cannot
// attribute to fits without tags.
func (t *Tuning) checkSerial(jobs []*sparklog.Job, roles []Role) error {
	var prevEnd time.Duration
	prev := -1
	for i, j := range jobs {
		if roles[i] == RoleOther {
			continue
		}
		if prev >= 0 && j.Submit+overlapSlack < prevEnd && !sameQuery(j, jobs[prev]) {
			return fmt.Errorf("%w: job %d was submitted at %v, before job %d ended at %v, so several fits ran at once "+
				"(parallelism > 1) and no job property says which fit a job belongs to; give whatif the event log of a "+
				"serial run (parallelism 1), or, from PySpark, tag each fit's jobs with `tunesim.tag_fits(cv)` before "+
				"cv.fit (python/tunesim; a Scala or Java tuner runs its fits on threads of its own, so there a serial "+
				"run's log is the way)",
				ErrParallel, j.ID, j.Submit.Round(time.Millisecond), jobs[prev].ID, prevEnd.Round(time.Millisecond))
		}
		if j.End > prevEnd {
			prevEnd, prev = j.End, i
		}
	}
	return nil
}

// sameQuery says two jobs ran for the same SQL query: Spark's adaptive execution runs a query's
// stages as jobs at once, within one fit.
func sameQuery(a, b *sparklog.Job) bool {
	id := a.Props[sparklog.PropSQLExecution]
	return id != "" && id == b.Props[sparklog.PropSQLExecution]
}

// rounds groups the fits (all but the refit) into folds and numbers their param maps.
func (t *Tuning) rounds(h Hints) error {
	n := len(t.Fits) - 1
	sets := make([]string, n)
	count := map[int]int{}
	for f := 0; f < n; f++ {
		for id := range persisted(&t.Fits[f]) {
			count[id]++
		}
	}
	for f := 0; f < n; f++ {
		var ids []int
		for id := range persisted(&t.Fits[f]) {
			if count[id] >= 2 && count[id] < n {
				ids = append(ids, id)
			}
		}
		sort.Ints(ids)
		sets[f] = fmt.Sprint(ids)
	}
	var sizes []int
	for f := 0; f < n; f++ {
		if f == 0 || sets[f] != sets[f-1] {
			sizes = append(sizes, 0)
		}
		sizes[len(sizes)-1]++
	}
	kind, kindWhy := t.kindFromNames()
	folds := len(sizes)
	uniform := true
	for _, s := range sizes {
		uniform = uniform && s == sizes[0]
	}
	switch {
	case h.Folds > 0:
		folds = h.Folds
		t.Evidence = append(t.Evidence, fmt.Sprintf("%d rounds from --folds", folds))
	case h.ParamMaps > 0:
		if n%h.ParamMaps != 0 {
			return fmt.Errorf("--param-maps %d: the log has %d fits besides the refit, not a multiple of it", h.ParamMaps, n)
		}
		folds = n / h.ParamMaps
		t.Evidence = append(t.Evidence, fmt.Sprintf("%d rounds from --param-maps %d", folds, h.ParamMaps))
	case !uniform:
		return fmt.Errorf("%w: %d fits besides the refit read persisted training sets in runs of %v, not equal folds; "+
			"pass --folds K (CrossValidator's numFolds, 1 for TrainValidationSplit) or --param-maps N", ErrAmbiguous, n, sizes)
	case folds == 1 && kind == scenarios.CrossValidator:
		return fmt.Errorf("%w: %s, but all %d fits read the same persisted data, so the folds cannot be told apart; "+
			"pass --folds K or --param-maps N", ErrAmbiguous, kindWhy, n)
	default:
		if folds > 1 {
			t.Evidence = append(t.Evidence, fmt.Sprintf("%d folds: runs of %d fits each read their own persisted training split", folds, sizes[0]))
		} else {
			t.Evidence = append(t.Evidence, "one round: every fit read the same persisted training split")
		}
	}
	if folds < 1 || n%folds != 0 {
		return fmt.Errorf("--folds %d: the log has %d fits besides the refit, not a multiple of it", folds, n)
	}
	t.Folds, t.ParamMaps = folds, n/folds
	switch {
	case kind != "":
		t.Kind = kind
		t.Evidence = append(t.Evidence, kindWhy)
	case folds > 1:
		t.Kind = scenarios.CrossValidator
		t.Evidence = append(t.Evidence, "CrossValidator: more than one round of fits")
	default:
		t.Kind = scenarios.TrainValidationSplit
		t.Evidence = append(t.Evidence, "TrainValidationSplit: one round of fits")
	}
	if t.Kind == scenarios.TrainValidationSplit && folds != 1 {
		return fmt.Errorf("%w: %s, yet the fits form %d rounds; pass --folds 1 or --param-maps %d", ErrAmbiguous, kindWhy, folds, n)
	}
	for f := 0; f < n; f++ {
		t.Fits[f].Fold, t.Fits[f].ParamMap = f/t.ParamMaps, f%t.ParamMaps
	}
	r := t.Refit()
	r.Fold, r.ParamMap = trace.None, 0
	t.refitParamMap()
	return nil
}

// refitParamMap guesses the refit's param map, which no job names: the one whose fits ran the
// number of estimator jobs nearest the refit's (maxIter, maxDepth or numTrees change it; the
// first such map on a tie). When every map ran as many, it stays 0 and the evidence says so.
func (t *Tuning) refitParamMap() {
	estimatorJobs := func(f *Fit) float64 {
		n := 0
		for _, r := range f.Roles {
			if r == RoleEstimator {
				n++
			}
		}
		return float64(n)
	}
	// perRecord is the fit's estimator task time per record read: more trees or wider models
	// cost more per record at any data size.
	perRecord := func(f *Fit) float64 {
		var d time.Duration
		var rec int64
		for i, j := range f.Jobs {
			if f.Roles[i] != RoleEstimator {
				continue
			}
			for _, st := range j.Stages {
				for _, tk := range countedTasks(st) {
					d, rec = d+tk.Duration(), rec+tk.Records
				}
			}
		}
		return d.Seconds() / float64(max(rec, 1))
	}
	mean := make([]float64, t.ParamMaps)
	cost := make([]float64, t.ParamMaps)
	for i := range t.Fits[:len(t.Fits)-1] {
		mean[t.Fits[i].ParamMap] += estimatorJobs(&t.Fits[i]) / float64(t.Folds)
		cost[t.Fits[i].ParamMap] += perRecord(&t.Fits[i]) / float64(t.Folds)
	}
	r := t.Refit()
	want, wantCost := estimatorJobs(r), perRecord(r)
	off := func(m int) (float64, float64) {
		return math.Round(math.Abs(mean[m] - want)), math.Abs(math.Log(max(cost[m], 1e-300) / max(wantCost, 1e-300)))
	}
	best, spread := 0, false
	for m := range mean {
		dj, dc := off(m)
		bj, bc := off(best)
		if dj < bj || (dj == bj && dc < bc) {
			best = m
		}
		spread = spread || mean[m] != mean[0] || cost[m] != cost[0]
	}
	if !spread {
		t.Evidence = append(t.Evidence, "the refit's param map: not told apart (every param map's fits ran alike); shown as 0")
		return
	}
	r.ParamMap = best
	t.Evidence = append(t.Evidence, fmt.Sprintf("the refit's param map: %d, whose fits ran the nearest number of estimator jobs to the refit's %d, "+
		"then the nearest estimator time per record (a guess: no job names it)", best, int(want)))
}

// persisted is the set of persisted RDDs the fit's estimator jobs read.
func persisted(f *Fit) map[int]bool {
	ids := map[int]bool{}
	for i, j := range f.Jobs {
		if f.Roles[i] != RoleEstimator {
			continue
		}
		for _, st := range j.Stages {
			for id := range st.Persisted {
				ids[id] = true
			}
		}
	}
	return ids
}

// kindFromNames finds the tuner's class in the names of persisted splits (PySpark names the
// random column CrossValidator_<uid>_rand) or in the stages' call stacks (Scala and Java tuners).
func (t *Tuning) kindFromNames() (kind, why string) {
	for _, f := range t.Fits {
		for _, j := range f.Jobs {
			for _, st := range j.Stages {
				for _, name := range st.Persisted {
					if strings.Contains(name, "CrossValidator_") {
						return scenarios.CrossValidator, "CrossValidator: its random column names the fold splits"
					}
					if strings.Contains(name, "TrainValidationSplit_") {
						return scenarios.TrainValidationSplit, "TrainValidationSplit: its random column names the splits"
					}
				}
				if strings.Contains(st.Details, "org.apache.spark.ml.tuning.CrossValidator") {
					return scenarios.CrossValidator, "CrossValidator: in the stages' call stacks"
				}
				if strings.Contains(st.Details, "org.apache.spark.ml.tuning.TrainValidationSplit") {
					return scenarios.TrainValidationSplit, "TrainValidationSplit: in the stages' call stacks"
				}
			}
		}
	}
	return "", ""
}

// fromTags attributes jobs to fits by tunesim's job properties: tunesim.fit (the fit's index in
// run order), tunesim.fold (-1 for the refit) and tunesim.param_map.
func (t *Tuning) fromTags() error {
	byFit := map[int]*Fit{}
	var order []int
	seenTagged := false
	for _, j := range t.App.Jobs {
		v, ok := j.Props[sparklog.PropFit]
		if !ok {
			if seenTagged {
				t.After = append(t.After, j)
			} else {
				t.Before = append(t.Before, j)
			}
			continue
		}
		seenTagged = true
		fi, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("job %d: %s = %q: allowed is a fit index", j.ID, sparklog.PropFit, v)
		}
		f, ok := byFit[fi]
		if !ok {
			f = &Fit{Fold: propInt(j, sparklog.PropFold, 0), ParamMap: propInt(j, sparklog.PropParamMap, 0)}
			byFit[fi] = f
			order = append(order, fi)
		}
		f.Jobs = append(f.Jobs, j)
		f.Roles = append(f.Roles, RoleOf(j))
	}
	// Untagged jobs between tagged ones ran inside the tuning (a harness's bookkeeping); they
	// are not a fit's work and are left out.
	sort.Ints(order)
	folds, maps := 0, 0
	for _, fi := range order {
		f := byFit[fi]
		if f.Fold < 0 {
			f.Refit, f.Fold = true, trace.None
			continue
		}
		folds, maps = max(folds, f.Fold+1), max(maps, f.ParamMap+1)
		t.Fits = append(t.Fits, *f)
	}
	for _, fi := range order {
		if f := byFit[fi]; f.Refit {
			t.Fits = append(t.Fits, *f)
		}
	}
	if len(t.Fits) < 2 || !t.Fits[len(t.Fits)-1].Refit {
		return fmt.Errorf("%w: the tagged jobs hold no refit (tunesim.fold = -1)", ErrNoTuning)
	}
	t.Tagged, t.Folds, t.ParamMaps = true, folds, maps
	if len(t.Fits)-1 != folds*maps {
		return fmt.Errorf("%w: tagged fits: %d besides the refit, but %d folds x %d param maps", ErrAmbiguous, len(t.Fits)-1, folds, maps)
	}
	t.Kind = scenarios.TrainValidationSplit
	if k, _ := t.kindFromNames(); k != "" {
		t.Kind = k
	} else if folds > 1 {
		t.Kind = scenarios.CrossValidator
	}
	t.Evidence = append(t.Evidence, fmt.Sprintf("%d fits and a refit from the jobs' tunesim.fit properties", len(t.Fits)-1))
	return nil
}

func propInt(j *sparklog.Job, key string, def int) int {
	if n, err := strconv.Atoi(j.Props[key]); err == nil {
		return n
	}
	return def
}

// times sets each fit's start and end. In a serial run a fit starts when the one before it ends
// (its setup is the gap before its first job); the first fit's setup is the gap after the last
// job before the tuning, but no longer than the longest setup of another fit that starts a round
// (what is longer was the application's own work). The refit's last job is followed by driver
// work the log does not bound (building the model and its summary); it is taken as the median
// time the other fits spent between their last estimator job and their first evaluator job, no
// longer than the log allows before its next job.
func (t *Tuning) times() {
	var setups, all []time.Duration
	var overlapped []int
	for f := range t.Fits {
		fit := &t.Fits[f]
		first := fit.Jobs[0].Submit
		fit.Start = first
		if f > 0 {
			if prev := lastEnd(t.Fits[f-1].Jobs); prev <= first {
				fit.Start = prev
				all = append(all, first-prev)
				if f > 1 && (fit.Refit || fit.Fold != t.Fits[f-1].Fold) {
					setups = append(setups, first-fit.Start)
				}
			} else {
				overlapped = append(overlapped, f)
			}
		}
		fit.End = lastEnd(fit.Jobs)
	}
	// In a parallel run a fit's thread is not the previous fit's: its setup is taken as the
	// median of the setups the log shows whole (a fit that started after the one before ended).
	for _, f := range overlapped {
		t.Fits[f].Start -= median(all)
	}
	if len(setups) == 0 {
		for f := 1; f < len(t.Fits); f++ {
			setups = append(setups, t.Fits[f].Jobs[0].Submit-t.Fits[f].Start)
		}
	}
	f0 := &t.Fits[0]
	from := t.App.Start
	if n := len(t.Before); n > 0 {
		from = max(from, lastEnd(t.Before))
	}
	gap := f0.Jobs[0].Submit - from
	if longest := maxDuration(setups); gap > longest && len(setups) > 0 {
		gap = longest
	}
	f0.Start = f0.Jobs[0].Submit - max(gap, 0)

	var tails []time.Duration
	for _, fit := range t.Fits[:len(t.Fits)-1] {
		lastEst, firstEval := time.Duration(-1), time.Duration(-1)
		for i, j := range fit.Jobs {
			if fit.Roles[i] == RoleEstimator {
				lastEst = j.End
			}
			if fit.Roles[i] == RoleEvaluator && firstEval < 0 {
				firstEval = j.Submit
			}
		}
		if lastEst >= 0 && firstEval >= lastEst {
			tails = append(tails, firstEval-lastEst)
		}
	}
	r := t.Refit()
	r.Tail = median(tails)
	limit := t.App.End
	if len(t.After) > 0 {
		limit = t.After[0].Submit
	}
	if r.End+r.Tail > limit {
		r.Tail = max(limit-r.End, 0)
	}
	r.End += r.Tail
}

func lastEnd(jobs []*sparklog.Job) time.Duration {
	var e time.Duration
	for _, j := range jobs {
		e = max(e, j.End)
	}
	return e
}

func maxDuration(ds []time.Duration) time.Duration {
	var m time.Duration
	for _, d := range ds {
		m = max(m, d)
	}
	return m
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
