package sparklog

import (
	"fmt"
	"io"
	"runtime"
	"testing"

	"tunesim/trace"
)

// syntheticLog generates a long log without holding it: jobs of one stage of 100 tasks on 16
// executors, each task started and ended, as Spark writes them.
type syntheticLog struct {
	jobs, job int
	pending   []byte
	task      int64
}

func (g *syntheticLog) Read(p []byte) (int, error) {
	for len(g.pending) == 0 {
		if g.job == g.jobs {
			return 0, io.EOF
		}
		g.pending = g.nextJob()
	}
	n := copy(p, g.pending)
	g.pending = g.pending[n:]
	return n, nil
}

func (g *syntheticLog) nextJob() []byte {
	var b []byte
	if g.job == 0 {
		b = fmt.Appendf(b, `{"Event":"SparkListenerApplicationStart","App Name":"synthetic","App ID":"app-1","Timestamp":0,"User":"u"}`+"\n")
		for e := 0; e < 16; e++ {
			b = fmt.Appendf(b, `{"Event":"SparkListenerExecutorAdded","Timestamp":0,"Executor ID":"%d","Executor Info":{"Host":"h%d","Total Cores":4}}`+"\n", e, e)
		}
	}
	j, t0 := g.job, int64(g.job)*1000
	b = fmt.Appendf(b, `{"Event":"SparkListenerJobStart","Job ID":%d,"Submission Time":%d,"Stage Infos":[{"Stage ID":%d,"Stage Attempt ID":0,"Stage Name":"op","Number of Tasks":100}],"Stage IDs":[%d],"Properties":{"tunesim.fit":"%d","tunesim.param_map":"%d","tunesim.fold":"0"}}`+"\n", j, t0, j, j, j/10, j%7)
	for i := 0; i < 100; i++ {
		id := g.task + int64(i)
		b = fmt.Appendf(b, `{"Event":"SparkListenerTaskStart","Stage ID":%d,"Stage Attempt ID":0,"Task Info":{"Task ID":%d,"Index":%d,"Attempt":0,"Launch Time":%d,"Executor ID":"%d","Host":"h","Locality":"PROCESS_LOCAL","Speculative":false,"Getting Result Time":0,"Finish Time":0,"Failed":false}}`+"\n", j, id, i, t0+int64(i%64)*10, i%16)
	}
	for i := 0; i < 100; i++ {
		id := g.task + int64(i)
		b = fmt.Appendf(b, `{"Event":"SparkListenerTaskEnd","Stage ID":%d,"Stage Attempt ID":0,"Task Type":"ResultTask","Task End Reason":{"Reason":"Success"},"Task Info":{"Task ID":%d,"Index":%d,"Attempt":0,"Launch Time":%d,"Executor ID":"%d","Host":"h","Locality":"PROCESS_LOCAL","Speculative":false,"Getting Result Time":0,"Finish Time":%d,"Failed":false},"Task Metrics":{"Executor Deserialize Time":1,"Executor Run Time":5,"Executor CPU Time":4000000,"Result Size":100,"JVM GC Time":0,"Result Serialization Time":0,"Memory Bytes Spilled":0,"Disk Bytes Spilled":0}}`+"\n", j, id, i, t0+int64(i%64)*10, i%16, t0+int64(i%64)*10+7)
	}
	b = fmt.Appendf(b, `{"Event":"SparkListenerStageCompleted","Stage Info":{"Stage ID":%d,"Stage Attempt ID":0,"Stage Name":"op","Number of Tasks":100,"Submission Time":%d,"Completion Time":%d}}`+"\n", j, t0, t0+700)
	b = fmt.Appendf(b, `{"Event":"SparkListenerJobEnd","Job ID":%d,"Completion Time":%d,"Job Result":{"Result":"JobSucceeded"}}`+"\n", j, t0+710)
	g.task += 100
	g.job++
	return b
}

// peakSink samples the heap every so many spans.
type peakSink struct {
	trace.Sink
	n    int
	peak uint64
}

func (p *peakSink) Add(s trace.Span) {
	p.Sink.Add(s)
	if p.n++; p.n%20000 == 0 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		p.peak = max(p.peak, m.HeapAlloc)
	}
}

// TestStreamInBoundedMemory streams a log of jobs × 202 events into an Accumulator: the heap
// stays within a few MiB while the log is hundreds of times larger, and the figures are the
// log's closed form.
func TestStreamInBoundedMemory(t *testing.T) {
	jobs := syntheticJobs
	var bytesRead countingReader
	bytesRead.r = &syntheticLog{jobs: jobs}
	acc := trace.NewAccumulator(64)
	sink := &peakSink{Sink: acc}
	info, err := StreamFrom(&bytesRead, "synthetic", CodecNone, false, sink)
	if err != nil {
		t.Fatal(err)
	}
	m := acc.Metrics()
	if m.Tasks != jobs*100 || m.Jobs != jobs || m.Stages != jobs || info.Lines != jobs*203+17 || m.Fits != (jobs+9)/10 {
		t.Fatalf("metrics %+v, %d lines", m, info.Lines)
	}
	// Each job runs from t0 to t0+710 ms, jobs 1 s apart; every task lasts 7 ms.
	if want := int64(jobs-1)*1000 + 710; m.Makespan.Milliseconds() != want || m.Busy.Milliseconds() != int64(jobs)*700 {
		t.Errorf("makespan %v busy %v", m.Makespan, m.Busy)
	}
	const bound = 16 << 20
	t.Logf("%d events, %.0f MiB of JSON, heap peak %.1f MiB", info.Lines, float64(bytesRead.n)/(1<<20), float64(sink.peak)/(1<<20))
	if sink.peak > bound || bytesRead.n < 2*bound {
		t.Errorf("heap peak %d bytes for a log of %d bytes; want under %d", sink.peak, bytesRead.n, bound)
	}
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// BenchmarkStream measures reading speed on a synthetic log of a million events
// (go test -run X -bench Stream -benchtime 1x ./sparklog).
func BenchmarkStream(b *testing.B) {
	for i := 0; i < b.N; i++ {
		var cr countingReader
		cr.r = &syntheticLog{jobs: 5000}
		if _, err := StreamFrom(&cr, "synthetic", CodecNone, false, trace.NewAccumulator(64)); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(cr.n)
		b.ReportMetric(float64(5000*203)/b.Elapsed().Seconds()*float64(i+1), "events/s")
	}
}
