package realrun

import (
	"container/heap"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"tunesim/trace"
	"tunesim/tuning"
)

// jobRun is one Spark job of a fit in flight. Its fields after submitted are the scheduler's,
// guarded by taskScheduler.mu, except jobID and stageID0, which the DAGScheduler sets before the
// first stage is ready.
type jobRun struct {
	fit       *fitRun
	step      *tuning.Step
	submitted time.Duration

	jobID, stageID0 int
	stage           int // current stage
	pending, left   int // next partition to launch, tasks not finished
	stageStart      time.Duration
	// outputs[stage][task] are the tasks' partial aggregates.
	outputs [][]partial
}

// jobDone tells a fit goroutine its job has finished.
type jobDone struct {
	job     *jobRun
	lastEnd time.Duration
}

// taskMsg is a task handed to a slot.
type taskMsg struct {
	job         *jobRun
	stage, part int
}

// dagRequest is a submission for the DAGScheduler goroutine: a new job (with its first stage) or a
// job's next stage.
type dagRequest struct {
	job    *jobRun
	newJob bool
}

// taskScheduler is TaskSchedulerImpl over local slots: a free slot (lowest first) goes to the first
// stage, in the scenario's policy's order (tuning.FIFO or tuning.Fair), that has a task left to
// launch.
type taskScheduler struct {
	r            *runner
	mu           sync.Mutex
	free         intHeap
	active       []*jobRun
	slots        []chan taskMsg
	slotsPerExec int
	policy       tuning.Policy
	poolRunning  []int

	// running counts tasks executing on slots; maxRunning is its peak (an instrument for tests).
	running, maxRunning atomic.Int64
}

func newTaskScheduler(r *runner, slots, perExec, threads int, policy tuning.Policy) *taskScheduler {
	ts := &taskScheduler{r: r, slotsPerExec: perExec, policy: policy, poolRunning: make([]int, threads)}
	ts.slots = make([]chan taskMsg, slots)
	for i := range ts.slots {
		ts.slots[i] = make(chan taskMsg, 1)
		ts.free = append(ts.free, i)
	}
	return ts
}

// taskSet is what the policy sees of job j's current stage.
func (ts *taskScheduler) taskSet(j *jobRun) tuning.TaskSet {
	return tuning.TaskSet{JobID: j.jobID, StageID: j.stageID0 + j.stage, Pool: j.fit.thread, PoolRunning: ts.poolRunning[j.fit.thread]}
}

// stageReady makes job j's current stage's tasks wait for slots (called by the DAGScheduler).
func (ts *taskScheduler) stageReady(j *jobRun) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	st := j.step.Stages[j.stage]
	j.stageStart, j.pending, j.left = ts.r.now(), 0, st.Tasks
	if j.outputs == nil {
		j.outputs = make([][]partial, len(j.step.Stages))
	}
	j.outputs[j.stage] = make([]partial, st.Tasks)
	ts.active = append(ts.active, j)
	ts.offer()
}

// offer hands tasks to free slots; ts.mu is held. A free slot's channel is empty, so sends never block.
func (ts *taskScheduler) offer() {
	for len(ts.free) > 0 && len(ts.active) > 0 {
		best := 0
		bestTS := ts.taskSet(ts.active[0])
		for i := 1; i < len(ts.active); i++ {
			if t := ts.taskSet(ts.active[i]); ts.policy.Before(t, bestTS) {
				best, bestTS = i, t
			}
		}
		j := ts.active[best]
		part := j.pending
		j.pending++
		if j.pending == j.step.Stages[j.stage].Tasks {
			ts.active = append(ts.active[:best], ts.active[best+1:]...)
		}
		ts.poolRunning[j.fit.thread]++
		slot := heap.Pop(&ts.free).(int)
		ts.slots[slot] <- taskMsg{job: j, stage: j.stage, part: part}
	}
}

// slotLoop is one task slot: it runs the tasks handed to it until its channel closes.
func (ts *taskScheduler) slotLoop(slot int) {
	exec, lane := slot/ts.slotsPerExec, slot%ts.slotsPerExec
	for m := range ts.slots[slot] {
		n := ts.running.Add(1)
		for {
			peak := ts.maxRunning.Load()
			if n <= peak || ts.maxRunning.CompareAndSwap(peak, n) {
				break
			}
		}
		start := ts.r.now()
		out := ts.r.runTask(m.job, m.stage, m.part)
		end := ts.r.now()
		ts.running.Add(-1)
		ts.taskDone(m, slot, exec, lane, start, end, out)
	}
}

// taskDone records a finished task and moves its job on: the next stage goes to the DAGScheduler,
// the end of the job goes to the fit's goroutine.
func (ts *taskScheduler) taskDone(m taskMsg, slot, exec, lane int, start, end time.Duration, out partial) {
	j := m.job
	st := j.step.Stages[m.stage]
	r := ts.r
	ts.mu.Lock()
	r.emit(trace.TaskSpan(string(st.Op), j.jobID, j.stageID0+m.stage, m.part, exec, lane, start, end), j.fit)
	ts.poolRunning[j.fit.thread]--
	heap.Push(&ts.free, slot)
	j.outputs[m.stage][m.part] = out
	j.left--
	nextStage := false
	if j.left == 0 {
		r.emit(trace.StageSpan(string(st.Op), j.jobID, j.stageID0+m.stage, j.stageStart, end), j.fit)
		if m.stage+1 < len(j.step.Stages) {
			j.stage++
			nextStage = true
		} else {
			r.emit(trace.JobSpan(string(j.step.Op), j.jobID, j.submitted, end), j.fit)
			j.fit.done <- jobDone{job: j, lastEnd: end} // buffered: one job at a time per fit
		}
	}
	ts.offer()
	ts.mu.Unlock()
	if nextStage {
		r.dag <- dagRequest{job: j}
	}
}

// dagLoop is the DAGScheduler's event loop: one goroutine that every job and stage submission
// passes through, in order. It numbers jobs and stages in submission order (a job's stages get
// consecutive ids, as handleJobSubmitted creates them all) and makes stages ready.
func (r *runner) dagLoop() {
	nextJob, nextStage := 0, 0
	for req := range r.dag {
		j := req.job
		if req.newJob {
			j.jobID, j.stageID0 = nextJob, nextStage
			nextJob++
			nextStage += len(j.step.Stages)
		}
		r.ts.stageReady(j)
	}
}

// intHeap is a min-heap of free slot numbers.
type intHeap []int

func (h intHeap) Len() int           { return len(h) }
func (h intHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h intHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *intHeap) Push(x any)        { *h = append(*h, x.(int)) }
func (h *intHeap) Pop() any {
	old := *h
	v := old[len(old)-1]
	*h = old[:len(old)-1]
	return v
}

// recorder collects spans from every goroutine.
type recorder struct {
	mu    sync.Mutex
	spans []trace.Span
}

func (rc *recorder) add(s trace.Span) {
	rc.mu.Lock()
	rc.spans = append(rc.spans, s)
	rc.mu.Unlock()
}

// sorted returns the spans by end, then start (the order a simulation emits them in).
func (rc *recorder) sorted() []trace.Span {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	s := rc.spans
	sort.SliceStable(s, func(a, b int) bool {
		if s[a].End != s[b].End {
			return s[a].End < s[b].End
		}
		return s[a].Start < s[b].Start
	})
	return s
}
