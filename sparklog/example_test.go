package sparklog_test

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"tunesim/sparklog"
	"tunesim/trace"
)

// Read a Spark event log (here Spark's own SparkPi test log, a rolling log's directory) and
// compute its figures with the trace package.
func ExampleRead() {
	t, info, err := sparklog.Read("testdata/spark-events/eventlog_v2_local-1766844910796")
	if err != nil {
		fmt.Println(err)
		return
	}
	m := t.Metrics()
	fmt.Printf("%s, Spark %s, %s\n", info.AppID, info.SparkVersion, info.Master)
	fmt.Printf("%d job, %d stage, %d tasks on %d slots\n", m.Jobs, m.Stages, m.Tasks, m.Slots)
	fmt.Printf("makespan %v, utilization %.3f\n", m.Makespan, m.Utilization())
	// Output:
	// local-1766844910796, Spark 4.2.0-SNAPSHOT, local[*]
	// 1 job, 1 stage, 2 tasks on 10 slots
	// makespan 334ms, utilization 0.063
}

// Write a trace as an lz4-compressed event log (Spark's History Server opens it) and read it back:
// times come back in whole milliseconds (1.5 ms rounds to 2 ms), and the job's tunesim.fit
// property makes a fit span.
func ExampleWriteFile() {
	ms := func(n int) trace.Span {
		return trace.Span{Kind: trace.KindTask, Name: "gramian", Fit: 0, ParamMap: 0, Fold: 0, Job: 0, Stage: 0,
			Partition: n, Executor: 0, Start: 0, End: 1500000 * time.Duration(n+1)}
	}
	t := &trace.Trace{Source: "sim", Executors: []trace.Executor{{ID: 0, Slots: 2}}, ParamMaps: []string{"pca.k=15"},
		Spans: []trace.Span{ms(0), ms(1)}}
	dir, _ := os.MkdirTemp("", "sparklog")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "app-1.lz4")
	if err := sparklog.WriteFile(path, t, sparklog.CodecLZ4, sparklog.WriteOptions{}); err != nil {
		fmt.Println(err)
		return
	}
	back, _, _ := sparklog.Read(path)
	for _, s := range back.Spans {
		fmt.Println(s.Kind, s.Name, s.Partition, s.Duration())
	}
	// Output:
	// task gramian 0 2ms
	// task gramian 1 3ms
	// stage gramian -1 3ms
	// job gramian -1 3ms
	// fit fit -1 3ms
}
