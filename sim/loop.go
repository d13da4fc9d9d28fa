package sim

import (
	"fmt"
	"math"
	"time"

	"tunesim/costmodel"
	"tunesim/estimators"
	"tunesim/scenarios"
	"tunesim/trace"
	"tunesim/tuning"
)

// threadKind says what a host thread is doing, and so what happens when it ends.
type threadKind uint8

const (
	thTask       threadKind = iota // a task on an executor slot
	thDriver                       // a driver step on a fit's tuner thread
	thJobDriver                    // the fit thread's own work after a job's tasks (collect, merge)
	thDAG                          // the DAGScheduler event loop handling a submission
	thBackground                   // CPU a job costs off the fit's path (compilers, GC): nobody waits
	thSteady                       // a thread runnable throughout the run (Overheads.SteadyThreads)
	thFitSetup                     // the fit thread's work before a fit's first job
	thLaunch                       // the driver launching a task on a cluster (serializing, sending it)
	thResult                       // the driver taking a task's result on a cluster
)

// thread is a unit of CPU work on a host. Only running threads exist; the table reuses slots.
type thread struct {
	kind threadKind
	fit  int32
	// part is a task's partition, or a background thread's index.
	part  int32
	exec  int32
	slot  int32
	start int64
	// launched is when a task took its slot: before start when it waited for a cached block
	// another task was storing.
	launched int64
	// stores is 1 + the split whose partition part this task materializes (0: none).
	stores int32
	// wait is a task's off-CPU time, passed after its CPU work ends (see costmodel.OffCPU).
	wait int64
	// work is a launching task's CPU work on its executor, and blockWait says it will wait
	// there for a cached block another task is storing (thLaunch only).
	work      int64
	blockWait bool
}

// blockWaiter is a task holding its slot until the cached block it reads is stored.
type blockWaiter struct {
	th   thread
	work int64
}

// dagRequest is a submission waiting for the DAGScheduler loop.
type dagRequest struct {
	fit      int32
	newJob   bool // job submission (with its first stage) rather than a later stage's
	duration int64
}

// fitState is where a fit is in its steps.
type fitState struct {
	thread     int32
	step       int
	start      int64
	stage      int   // stage index within the current job
	jobID      int   // Spark job id of the current job
	stageID0   int   // Spark stage id of the job's first stage
	jobStart   int64 // when the job was submitted
	stageStart int64
	pending    int32 // next partition of the current stage to launch
	left       int32 // tasks of the current stage not finished
	stepStart  int64
	loc        localityState // delay scheduling of the current stage (when locality is modelled)
}

type sim struct {
	p  *tuning.Plan
	m  costmodel.Model
	ov costmodel.Overheads
	// warming, when the model has one, slows CPU work by the time it starts (costmodel.Warming).
	warming costmodel.Warming
	cpu     int64 // CPU work of every thread started, ns
	// bgBacklog is, per background thread, background CPU (Overheads.JobBackground per job,
	// shared out over Overheads.BackgroundThreads threads) not yet started; each thread works its
	// backlog off, as a JVM's compiler threads work off their queue. The driver's JVM's threads
	// come first (bgDriver of them), then each executor's (Overheads.ExecutorBackground) when its
	// JVM is its own; bgJVM is each one's JVM (see jvmOf).
	bgBacklog []int64
	bgRunning []bool
	bgJVM     []int32
	bgDriver  int
	// pool is, per JVM (executor e at e, the driver's after them), its process pool on its host
	// (see host).
	pool []int32
	// execCPU is the CPU work of the threads of executor JVMs of their own (tasks and their
	// background), ns, counted apart when the executors' background is modelled.
	execCPU int64
	// steadyCPU is the CPU the steady threads did over the run (Overheads.SteadyThreads).
	steadyCPU int64
	// debt is what the driver JVM's steady compilers owe (nil: nothing; see
	// costmodel.CompileDebt): owed is the CPU they fell behind its track that work has made up
	// for so far, and slowed the work that added (both ns). record is the track this run writes
	// (Options.RecordCompile), compilers the steady threads' ids.
	debt         *costmodel.CompileDebt
	owed, slowed int64
	record       *costmodel.CompileTrack
	compilers    []int32
	policy       tuning.Policy
	noise        noise
	sink         trace.Sink

	now      int64
	events   eventQueue
	hosts    []host
	execHost []int32 // index of each executor's host
	driver   int32   // index of the driver's host
	offCPU   int32   // index of the host where off-CPU waits pass
	// cl is what running on a cluster adds (zero in local mode or for a model without it);
	// warm says an executor has run its first task (see ClusterOverheads.ExecutorColdStart);
	// warmStage, per fit and executor, the stage (stageKey) whose task it finished last, when
	// ClusterOverheads.ColdStage prices the others (nil otherwise).
	cl        costmodel.ClusterOverheads
	warm      []bool
	warmStage [][]int64
	// loc is the delay scheduling state when locality is modelled (nil otherwise).
	loc *locality

	threads []thread
	free    []int32 // unused thread-table slots

	slotsPerExec int
	freeSlots    slotHeap

	fits        []fitState
	active      []int32 // fits whose current stage has tasks waiting for a slot
	poolRunning []int   // running tasks per tuner thread (FAIR pools)

	dag     []dagRequest
	dagHead int
	dagBusy bool
	nextJob int
	nextStg int

	// block is, per split and partition, the cached block's state: blockMissing, blockStoring
	// (a task is materializing it; readers wait, as for Spark's block write lock) or blockStored.
	block   [][]uint8
	waiters map[[2]int32][]blockWaiter

	doneBuf []int32
	handled int64 // events handled (stale ones not counted), for the benchmark

	idle       []bool // tuner threads without a fit
	round      int
	roundStart int64
	queuePos   int
	roundLeft  int
	done       bool
	// refitWaits is the refit (its index + 1; 0: none) whose steps are done but whose end waits
	// for the background CPU the tuning's jobs left: the tuning is over when that work is too.
	refitWaits int32
}

func newSim(p *tuning.Plan, m costmodel.Model, opts Options, sink trace.Sink) (*sim, error) {
	sc := p.Scenario
	pol := opts.Policy
	if pol == nil {
		var err error
		if pol, err = tuning.PolicyFor(sc.Scheduler.Mode); err != nil {
			return nil, err
		}
	}
	if ch, ok := m.(costmodel.Checker); ok {
		if err := ch.Check(p); err != nil {
			return nil, err
		}
	}
	c := sc.Cluster
	if c.Executors < 1 || c.CoresPerExecutor < 1 || c.HostCores < 1 || p.Parallelism < 1 {
		return nil, fmt.Errorf("sim: cluster needs executors, slots, host cores and parallelism >= 1 (got %d, %d, %d, %d)", c.Executors, c.CoresPerExecutor, c.HostCores, p.Parallelism)
	}
	s := &sim{p: p, m: m, ov: m.Overheads(), policy: pol, waiters: map[[2]int32][]blockWaiter{}, noise: newNoise(TaskCV(sc, m), opts.Seed, opts.Replica), sink: sink}
	s.warming, _ = m.(costmodel.Warming)
	if s.ov.SteadyThreads > 0 {
		if cd, ok := m.(costmodel.CompileDebtor); ok {
			s.debt = cd.CompileDebt()
		}
		s.record = opts.RecordCompile
	}
	pl := c.Placement()
	disc := hostScheduling(m)
	var jvms []int32
	s.pool, jvms = processPools(pl, c.Executors)
	for i, cores := range pl.HostCores {
		pools := 1
		if i < len(pl.Processes) && pl.Processes[i] {
			pools = int(jvms[i])
		}
		h := newHost(cores, pools)
		h.queue = newRunQueue(cores, disc)
		if h.queue != nil {
			h.queue.onRun = s.firstRun
		}
		s.hosts = append(s.hosts, h)
	}
	for _, h := range pl.ExecHost {
		s.execHost = append(s.execHost, int32(h))
	}
	s.driver = int32(pl.DriverHost)
	if cm, ok := m.(costmodel.Clustered); ok && !c.Local {
		s.cl = cm.Cluster()
		s.warm = make([]bool, c.Executors)
		if s.cl.ColdStage > 0 {
			s.warmStage = make([][]int64, len(p.Fits))
		}
	}
	// Off-CPU time (a task waiting on I/O, the network or a lock) passes on a host of its own
	// that never runs short of cores, so it takes no core from anyone.
	s.offCPU = int32(len(s.hosts))
	s.hosts = append(s.hosts, newHost(math.MaxInt32, 1))
	s.slotsPerExec = c.CoresPerExecutor
	for i := 0; i < c.Slots(); i++ {
		s.freeSlots.push(int32(i))
	}
	s.fits = make([]fitState, len(p.Fits))
	k := max(s.ov.BackgroundThreads, 1)
	s.bgBacklog, s.bgRunning, s.bgJVM, s.bgDriver = make([]int64, k), make([]bool, k), make([]int32, k), k
	for i := range s.bgJVM {
		s.bgJVM[i] = int32(c.Executors) // the driver's JVM
	}
	if s.ov.ExecutorBackground > 0 && !c.Local {
		ke := max(s.ov.ExecutorBackgroundThreads, 1)
		for e := range c.Executors {
			for range ke {
				s.bgBacklog, s.bgRunning, s.bgJVM = append(s.bgBacklog, 0), append(s.bgRunning, false), append(s.bgJVM, int32(e))
			}
		}
	}
	s.poolRunning = make([]int, p.Parallelism)
	s.idle = make([]bool, p.Parallelism)
	for i := range s.idle {
		s.idle[i] = true
	}
	for _, sp := range p.Splits {
		s.block = append(s.block, make([]uint8, len(sp.Rows)))
	}
	if s.cl.Locality && c.Executors > 1 {
		s.loc = newLocality(p, c.Executors, s.slotsPerExec, s.execHost)
	}
	return s, nil
}

// run is the event loop.
func (s *sim) run() error {
	steady := s.startSteady()
	s.compilers = steady[:min(s.ov.SteadyThreads, len(steady))]
	defer func() {
		s.steadyCPU = s.steadyDone(steady)
		s.cpu += s.steadyCPU
	}()
	s.startRound(0)
	for s.events.len() > 0 && !(s.done && len(steady) > 0) {
		e := s.events.pop()
		if e.at < s.now {
			return fmt.Errorf("sim: event at %d before now %d", e.at, s.now)
		}
		s.now = e.at
		if e.kind == evOffer {
			s.handled++
			if ls := &s.fits[e.host].loc; ls.timerAt == e.at {
				ls.timerAt = 0
			}
			s.offer()
			continue
		}
		h := &s.hosts[e.host]
		if e.ver != h.ver {
			continue // superseded by a later change on that host
		}
		s.handled++
		h.pending = false
		h.advance(s.now)
		done := s.doneBuf[:0]
		for {
			id, ok := h.popDone()
			if !ok {
				break
			}
			done = append(done, id)
		}
		s.doneBuf = done
		s.reschedule(e.host)
		for _, id := range done {
			th := s.threads[id]
			s.free = append(s.free, id)
			s.finished(th)
		}
	}
	if !s.done {
		return fmt.Errorf("sim: the run stalled at %v with fits unfinished", time.Duration(s.now))
	}
	return nil
}

// startSteady starts the steady threads: the driver's JVM's (Overheads.SteadyThreads) on its
// host, and each executor's JVM of its own's (Overheads.ExecutorSteadyThreads) on the executor's.
func (s *sim) startSteady() []int32 {
	var ids []int32
	for range s.ov.SteadyThreads {
		ids = append(ids, s.startThread(s.driver, thread{kind: thSteady, exec: s.driverJVM()}, steadyWork))
	}
	if !s.p.Scenario.Cluster.Local {
		for e, h := range s.execHost {
			for range s.ov.ExecutorSteadyThreads {
				ids = append(ids, s.startThread(h, thread{kind: thSteady, exec: int32(e)}, steadyWork))
			}
		}
	}
	return ids
}

// steadyDone is the CPU the steady threads ids did up to now.
func (s *sim) steadyDone(ids []int32) int64 {
	var done int64
	for _, id := range ids {
		h := &s.hosts[s.hostOf(s.jvmOf(s.threads[id]))]
		h.advance(s.now)
		done += steadyWork - int64(math.Round(h.left(id)))
	}
	return done
}

// steadyWork is a steady thread's work: more than any run lasts (13 days of CPU), small enough
// that its end at any share of a core stays an int64.
const steadyWork = 1 << 50

// startThread runs work ns of CPU on host h; finished(th) is called when it ends. It returns the
// thread's id.
func (s *sim) startThread(h int32, th thread, work int64) int32 {
	th.start = s.now
	jvm := s.jvmOf(th)
	if h != s.offCPU && th.kind != thSteady {
		s.cpu += max(work, 0)
		if jvm != s.driverJVM() {
			s.execCPU += max(work, 0)
		}
	}
	var id int32
	if n := len(s.free); n > 0 {
		id = s.free[n-1]
		s.free = s.free[:n-1]
		s.threads[id] = th
	} else {
		id = int32(len(s.threads))
		s.threads = append(s.threads, th)
	}
	host := &s.hosts[h]
	host.advance(s.now)
	host.add(id, max(work, 0), s.pool[jvm])
	s.reschedule(h)
	return id
}

// reschedule replaces host h's pending completion event, unless it is still right.
func (s *sim) reschedule(h int32) {
	host := &s.hosts[h]
	at, ok := host.next()
	at = max(at, s.now)
	if ok && host.pending && host.pendingAt == at {
		return
	}
	host.ver++
	host.pending = ok
	if ok {
		host.pendingAt = at
		s.events.push(event{at: at, kind: evHostDone, host: h, ver: host.ver})
	}
}

// finished handles the end of a thread's work.
func (s *sim) finished(th thread) {
	switch th.kind {
	case thTask:
		if th.wait > 0 {
			w := th.wait
			th.wait = 0
			s.startThread(s.offCPU, th, w) // its CPU part is done; it waits off-CPU
			return
		}
		if s.cl.TaskResult > 0 {
			th.kind = thResult // the driver takes its result before the task ends
			s.startThread(s.driver, th, int64(s.cl.TaskResult))
			return
		}
		s.taskDone(th)
	case thLaunch:
		s.toExecutor(th, th.work, th.blockWait)
	case thResult:
		s.taskDone(th)
	case thDriver:
		f := &s.fits[th.fit]
		step := &s.p.Fits[th.fit].Steps[f.step]
		s.emit(trace.DriverSpan(string(step.Op), trace.None, int(f.thread), d(th.start), d(s.now)), th.fit)
		s.nextStep(th.fit)
	case thJobDriver:
		f := &s.fits[th.fit]
		s.emit(trace.DriverSpan(trace.SpanJobResult, f.jobID, int(f.thread), d(th.start), d(s.now)), th.fit)
		s.nextStep(th.fit)
	case thDAG:
		s.dagDone()
	case thFitSetup:
		f := &s.fits[th.fit]
		s.emit(trace.DriverSpan(trace.SpanFitSetup, trace.None, int(f.thread), d(th.start), d(s.now)), th.fit)
		s.nextStep(th.fit)
	case thBackground:
		s.bgRunning[th.part] = false
		s.startBackground(th.part)
		if s.refitWaits > 0 && !s.backgroundLeft() {
			fi := s.refitWaits - 1
			s.refitWaits = 0
			s.fitDone(fi)
		}
	}
}

func d(ns int64) time.Duration { return time.Duration(ns) }

// emit sends a span of fit fi, filling in the fit's labels.
func (s *sim) emit(sp trace.Span, fi int32) {
	fit := &s.p.Fits[fi]
	sp.Fit, sp.ParamMap, sp.Fold = int(fi), fit.ParamMap, fit.Fold
	s.sink.Add(sp)
}

// --- the tuner: rounds (folds), its thread pool and queue, the refit ---

func (s *sim) startRound(r int) {
	s.round, s.roundStart, s.queuePos = r, s.now, 0
	s.roundLeft = len(s.p.Rounds[r])
	s.dispatch()
}

// dispatch gives queued fits of the round to idle tuner threads, lowest thread first.
func (s *sim) dispatch() {
	queue := s.p.Rounds[s.round]
	for t := 0; t < len(s.idle) && s.queuePos < len(queue); t++ {
		if s.idle[t] {
			fi := int32(queue[s.queuePos])
			s.queuePos++
			if s.now > s.roundStart {
				s.emit(trace.QueueSpan(t, d(s.roundStart), d(s.now)), fi)
			}
			s.startFit(fi, int32(t))
		}
	}
}

func (s *sim) startFit(fi, t int32) {
	s.idle[t] = false
	s.fits[fi] = fitState{thread: t, step: -1, start: s.now}
	if s.ov.FitSetup > 0 {
		s.startThread(s.driver, thread{kind: thFitSetup, fit: fi}, int64(s.ov.FitSetup))
		return
	}
	s.nextStep(fi)
}

func (s *sim) fitDone(fi int32) {
	f := &s.fits[fi]
	fit := &s.p.Fits[fi]
	s.emit(trace.FitSpan(fit.Refit, int(f.thread), d(f.start), d(s.now)), fi)
	s.idle[f.thread] = true
	if fit.Refit {
		s.done = true
		return
	}
	s.roundLeft--
	switch {
	case s.roundLeft > 0:
		s.dispatch()
	case s.round+1 < len(s.p.Rounds):
		s.startRound(s.round + 1) // the fold barrier has passed
	default:
		s.startFit(int32(len(s.p.Fits)-1), 0) // refit on the calling thread
	}
}

// nextStep starts the fit's next step, or ends the fit.
func (s *sim) nextStep(fi int32) {
	f := &s.fits[fi]
	f.step++
	steps := s.p.Fits[fi].Steps
	if f.step == len(steps) {
		if s.p.Fits[fi].Refit && s.ov.BackgroundDone && s.backgroundLeft() {
			s.refitWaits = fi + 1
			return
		}
		s.fitDone(fi)
		return
	}
	st := &steps[f.step]
	f.stepStart = s.now
	if st.Kind == tuning.StepDriver {
		work := s.m.Driver(tuning.DriverRef{Fit: int(fi), Step: f.step, Op: st.Op, Shape: st.Shape})
		s.startThread(s.driver, thread{kind: thDriver, fit: fi}, s.warmed(work))
		return
	}
	f.jobID = s.nextJob
	s.nextJob++
	f.jobStart = s.now
	f.stage = 0
	if s.ov.JobBackground > 0 || (s.ov.ExecutorBackground > 0 && s.p.Scenario.Cluster.Local) {
		bg := s.ov.JobBackground
		if s.p.Scenario.Cluster.Local { // the executors are the driver's JVM
			bg += s.ov.ExecutorBackground * time.Duration(s.p.Scenario.Cluster.Executors)
		}
		each := int64(bg) / int64(s.bgDriver)
		for i := range s.bgDriver {
			s.bgBacklog[i] += each
			s.startBackground(int32(i))
		}
	}
	if n := len(s.bgBacklog) - s.bgDriver; n > 0 {
		each := int64(s.ov.ExecutorBackground) / int64(n/s.p.Scenario.Cluster.Executors)
		for i := s.bgDriver; i < len(s.bgBacklog); i++ {
			s.bgBacklog[i] += each
			s.startBackground(int32(i))
		}
	}
	s.submit(dagRequest{fit: fi, newJob: true, duration: s.submitCost(fi, f.step, 0)})
}

// submitCost is the DAGScheduler's time to submit stage g of the fit's step (g = 0: the job with
// its first stage): the model's own figure when it measured one, else the overheads.
func (s *sim) submitCost(fi int32, step, g int) int64 {
	if sc, ok := s.m.(costmodel.Scheduled); ok {
		return int64(sc.Submit(int(fi), step, g))
	}
	if g == 0 {
		return int64(s.ov.JobSubmit + s.ov.StageSubmit)
	}
	return int64(s.ov.StageSubmit)
}

// resultCost is the fit thread's time after a job's tasks end (collecting and merging results).
func (s *sim) resultCost(fi int32, step int) int64 {
	if sc, ok := s.m.(costmodel.Scheduled); ok {
		return int64(sc.Result(int(fi), step))
	}
	return int64(s.ov.JobDriver)
}

// warmed is CPU work d started now, slowed by the model's warm-up (see costmodel.Warming).
func (s *sim) warmed(d time.Duration) int64 {
	if s.warming == nil {
		return s.owing(int64(d))
	}
	return s.owing(int64(math.Round(float64(d) * s.warming.WarmUp(time.Duration(s.now)))))
}

// owing is work w of the driver's JVM (a driver step, or a task in local mode) starting now, with
// what the JVM's compilers owe added when they are behind their serial track (see
// costmodel.CompileDebt); when the run records its track, it records the point.
func (s *sim) owing(w int64) int64 {
	if s.debt == nil && s.record == nil {
		return w
	}
	compiled := s.steadyDone(s.compilers)
	work := time.Duration(s.cpu - s.slowed)
	if s.record != nil {
		*s.record = append(*s.record, costmodel.CompilePoint{Work: work, Compiled: time.Duration(compiled)})
	}
	if s.debt == nil || s.debt.Share <= 0 {
		return w
	}
	behind := int64(s.debt.Track.At(work)) - compiled - s.owed
	if behind <= 0 {
		return w
	}
	// The work can at most double: what it cannot take waits for the work after it.
	owed := min(behind, int64(float64(w)/s.debt.Share))
	extra := int64(math.Round(s.debt.Share * float64(owed)))
	s.owed += owed
	s.slowed += extra
	return w + extra
}

// startBackground runs background thread i's backlog on its JVM's host unless it is running.
func (s *sim) startBackground(i int32) {
	if s.bgRunning[i] || s.bgBacklog[i] == 0 {
		return
	}
	s.bgRunning[i] = true
	work := s.bgBacklog[i]
	s.bgBacklog[i] = 0
	s.startThread(s.hostOf(s.bgJVM[i]), thread{kind: thBackground, part: i}, work)
}

// backgroundLeft says some background thread is running or has work queued.
func (s *sim) backgroundLeft() bool {
	for i, r := range s.bgRunning {
		if r || s.bgBacklog[i] > 0 {
			return true
		}
	}
	return false
}

// hostOf is the host JVM j runs on (the executors' first, the driver's after them).
func (s *sim) hostOf(j int32) int32 {
	if j == s.driverJVM() {
		return s.driver
	}
	return s.execHost[j]
}

// driverJVM is the driver's JVM's index among the JVMs (after the executors').
func (s *sim) driverJVM() int32 { return int32(len(s.execHost)) }

// jvmOf is the JVM a thread runs in: a task's executor's (in local mode that is the driver's,
// but its host has one pool and its executor no background of its own, so it makes no
// difference), a background thread's own, else the driver's.
func (s *sim) jvmOf(th thread) int32 {
	switch th.kind {
	case thTask:
		return th.exec
	case thBackground:
		return s.bgJVM[th.part]
	case thSteady:
		return th.exec
	}
	return s.driverJVM()
}

// processPools is each JVM's pool on its host (executor e at e, the driver's after them), the
// JVMs on a host numbered in order, executors first; and how many JVMs each host holds.
func processPools(pl scenarios.Placement, executors int) (pools, jvms []int32) {
	jvms = make([]int32, len(pl.HostCores))
	pools = make([]int32, executors+1)
	for e := range executors {
		h := pl.ExecHost[e]
		pools[e] = jvms[h]
		jvms[h]++
	}
	pools[executors] = jvms[pl.DriverHost]
	jvms[pl.DriverHost]++
	return pools, jvms
}

// --- the DAGScheduler event loop: one server, FIFO ---

func (s *sim) submit(r dagRequest) {
	s.dag = append(s.dag, r)
	s.serveNext()
}

func (s *sim) serveNext() {
	if s.dagBusy || s.dagHead == len(s.dag) {
		return
	}
	s.dagBusy = true
	r := s.dag[s.dagHead]
	s.startThread(s.driver, thread{kind: thDAG, fit: r.fit}, r.duration)
}

func (s *sim) dagDone() {
	r := s.dag[s.dagHead]
	s.dagHead++
	if s.dagHead > 1024 && s.dagHead*2 > len(s.dag) {
		s.dag = append(s.dag[:0], s.dag[s.dagHead:]...)
		s.dagHead = 0
	}
	s.dagBusy = false
	f := &s.fits[r.fit]
	if r.newJob {
		// handleJobSubmitted creates all of the job's stages, parents first.
		f.stageID0 = s.nextStg
		s.nextStg += len(s.p.Fits[r.fit].Steps[f.step].Stages)
	}
	s.stageReady(r.fit)
	s.serveNext()
}

// --- stages and tasks ---

// stageReady makes the fit's current stage's tasks wait for slots.
func (s *sim) stageReady(fi int32) {
	f := &s.fits[fi]
	st := &s.p.Fits[fi].Steps[f.step].Stages[f.stage]
	f.stageStart, f.pending, f.left = s.now, 0, int32(st.Tasks)
	if s.loc != nil {
		s.readyLocal(fi, st, s.p.Fits[fi].Steps[f.step].Split)
	}
	s.active = append(s.active, fi)
	s.offer()
}

func (s *sim) taskSet(fi int32) tuning.TaskSet {
	f := &s.fits[fi]
	return tuning.TaskSet{JobID: f.jobID, StageID: f.stageID0 + f.stage, Pool: int(f.thread), PoolRunning: s.poolRunning[f.thread]}
}

// offer gives free slots, in slotKey's order (round the executors), to the first TaskSet in the policy's order.
func (s *sim) offer() {
	if s.loc != nil {
		s.offerLocal()
		return
	}
	for s.freeSlots.len() > 0 && len(s.active) > 0 {
		best := 0
		bestTS := s.taskSet(s.active[0])
		for i := 1; i < len(s.active); i++ {
			if ts := s.taskSet(s.active[i]); s.policy.Before(ts, bestTS) {
				best, bestTS = i, ts
			}
		}
		fi := s.active[best]
		f := &s.fits[fi]
		part := f.pending
		f.pending++
		if int(f.pending) == s.p.Fits[fi].Steps[f.step].Stages[f.stage].Tasks {
			s.active = append(s.active[:best], s.active[best+1:]...)
		}
		s.launch(fi, part, s.slotOf(s.freeSlots.pop()))
	}
}

func (s *sim) launch(fi, part, slot int32) {
	f := &s.fits[fi]
	step := &s.p.Fits[fi].Steps[f.step]
	st := &step.Stages[f.stage]
	sp := &s.p.Splits[step.Split]
	ref := tuning.TaskRef{Fit: int(fi), Step: f.step, Stage: f.stage, Part: int(part), Op: st.Op, Shape: st.TaskShape(sp, int(part))}
	work := float64(s.m.Task(ref))
	var stores int32
	wait := false
	extra := ref
	extra.Extra = true
	if st.ReadsSplit {
		switch {
		case !sp.Cached:
			extra.Op, extra.Shape = estimators.OpSource, s.p.SourceShape(st, step.Split, int(part))
			work += float64(s.m.Task(extra))
		case s.block[step.Split][part] == blockMissing:
			s.block[step.Split][part] = blockStoring // the first task to read it stores it
			stores = int32(step.Split) + 1
			extra.Op, extra.Shape = estimators.OpMaterialize, s.p.BlockShape(step.Split, int(part))
			work += float64(s.m.Task(extra))
		case s.block[step.Split][part] == blockStoring:
			wait = true
		}
	}
	for _, fu := range st.Fused {
		extra.Op, extra.Shape = fu.Op, st.FusedShape(fu, sp, int(part))
		work += float64(s.m.Task(extra))
	}
	work *= s.noise.factor(int(fi), f.step, f.stage, int(part))
	if s.warming != nil {
		work *= s.warming.WarmUp(time.Duration(s.now))
	}
	exec := slot / int32(s.slotsPerExec)
	if s.warm != nil && !s.warm[exec] {
		s.warm[exec] = true
		work += float64(s.cl.ExecutorColdStart)
	}
	if s.warmStage != nil && !s.stageWarm(fi, exec) {
		work *= 1 + s.cl.ColdStage
	}

	s.poolRunning[f.thread]++
	th := thread{kind: thTask, fit: fi, part: part, exec: exec, slot: slot % int32(s.slotsPerExec), launched: s.now, stores: stores}
	if oc, ok := s.m.(costmodel.OffCPU); ok {
		th.wait = int64(oc.TaskWait(ref))
	}
	w := int64(math.Round(work))
	if s.p.Scenario.Cluster.Local { // the driver's JVM runs the task
		w = s.owing(w)
	}
	if s.cl.TaskLaunch > 0 {
		th.kind, th.work, th.blockWait = thLaunch, w, wait
		s.startThread(s.driver, th, int64(s.cl.TaskLaunch))
		return
	}
	s.toExecutor(th, w, wait)
}

// toExecutor starts task th's work on its executor's host, or makes it wait there for the cached
// block it reads when wait says another task was storing it (and still is).
func (s *sim) toExecutor(th thread, work int64, wait bool) {
	th.kind = thTask
	if wait {
		f := &s.fits[th.fit]
		split := int32(s.p.Fits[th.fit].Steps[f.step].Split)
		if s.block[split][th.part] == blockStoring {
			k := [2]int32{split, th.part}
			s.waiters[k] = append(s.waiters[k], blockWaiter{th, work})
			return
		}
	}
	s.startThread(s.execHost[th.exec], th, work)
}

// The states of a cached block.
const (
	blockMissing uint8 = iota
	blockStoring
	blockStored
)

// stored marks a cached block stored and starts the tasks that waited for it.
func (s *sim) stored(split, part int32) {
	s.block[split][part] = blockStored
	k := [2]int32{split, part}
	for _, w := range s.waiters[k] {
		s.startThread(s.execHost[w.th.exec], w.th, w.work)
	}
	delete(s.waiters, k)
}

func (s *sim) taskDone(th thread) {
	fi := th.fit
	f := &s.fits[fi]
	step := &s.p.Fits[fi].Steps[f.step]
	st := &step.Stages[f.stage]
	s.emit(trace.TaskSpan(string(st.Op), f.jobID, f.stageID0+f.stage, int(th.part), int(th.exec), int(th.slot), d(th.launched), d(s.now)), fi)
	if th.stores > 0 {
		if s.loc != nil {
			s.loc.block[th.stores-1][th.part] = th.exec
		}
		s.stored(th.stores-1, th.part)
	}
	if s.warmStage != nil {
		s.warmStage[fi][th.exec] = stageKey(f.step, f.stage)
	}
	s.poolRunning[f.thread]--
	if s.loc != nil {
		s.loc.free(th.exec*int32(s.slotsPerExec) + th.slot)
	} else {
		s.freeSlots.push(s.slotKey(th.exec*int32(s.slotsPerExec) + th.slot))
	}
	f.left--
	if f.left == 0 {
		s.emit(trace.StageSpan(string(st.Op), f.jobID, f.stageID0+f.stage, d(f.stageStart), d(s.now)), fi)
		f.stage++
		if f.stage < len(step.Stages) {
			s.submit(dagRequest{fit: fi, duration: s.submitCost(fi, f.step, f.stage)})
		} else {
			s.emit(trace.JobSpan(string(step.Op), f.jobID, d(f.jobStart), d(s.now)), fi)
			s.startThread(s.driver, thread{kind: thJobDriver, fit: fi}, s.resultCost(fi, f.step))
		}
	}
	s.offer()
}

// slotKey orders free slot number slot (executor * slots per executor + its slot) for offering: by
// the slot within its executor, then the executor, so that free slots go round the executors as
// Spark's offers do (TaskSchedulerImpl.resourceOfferSingleTaskSet gives each executor in turn one
// task per round), not filling one executor before the next. slotOf is its inverse.
func (s *sim) slotKey(slot int32) int32 {
	spe, execs := int32(s.slotsPerExec), int32(len(s.execHost))
	return (slot%spe)*execs + slot/spe
}

// slotOf is the slot number of slot key k (see slotKey).
func (s *sim) slotOf(k int32) int32 {
	spe, execs := int32(s.slotsPerExec), int32(len(s.execHost))
	return (k%execs)*spe + k/execs
}

// slotHeap is a min-heap of free slots' keys (see slotKey): the lowest is offered first.
type slotHeap struct{ h []int32 }

func (q *slotHeap) len() int { return len(q.h) }

func (q *slotHeap) push(v int32) {
	q.h = append(q.h, v)
	i := len(q.h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if q.h[p] <= q.h[i] {
			break
		}
		q.h[i], q.h[p] = q.h[p], q.h[i]
		i = p
	}
}

func (q *slotHeap) pop() int32 {
	top := q.h[0]
	n := len(q.h) - 1
	q.h[0] = q.h[n]
	q.h = q.h[:n]
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		m := l
		if r := l + 1; r < n && q.h[r] < q.h[l] {
			m = r
		}
		if q.h[i] <= q.h[m] {
			break
		}
		q.h[i], q.h[m] = q.h[m], q.h[i]
		i = m
	}
	return top
}

// stageKey names stage of step within a fit.
func stageKey(step, stage int) int64 { return int64(step)<<32 | int64(stage) }

// stageWarm says whether executor exec has finished a task of fit fi's current stage
// (ClusterOverheads.ColdStage).
func (s *sim) stageWarm(fi, exec int32) bool {
	w := s.warmStage[fi]
	if w == nil {
		w = make([]int64, len(s.execHost))
		for i := range w {
			w[i] = -1
		}
		s.warmStage[fi] = w
	}
	f := &s.fits[fi]
	return w[exec] == stageKey(f.step, f.stage)
}
