package whatif

import (
	"encoding/json"
	"math"
	"os"
	"reflect"
	"strconv"
	"testing"
	"time"

	"tunesim/scenarios"
	"tunesim/sim"
	"tunesim/sparklog"
	"tunesim/trace"
)

func TestOnDriverHost(t *testing.T) {
	for _, tc := range []struct {
		host, driver string
		want         bool
	}{
		{"192.0.2.2", "192.0.2.2", true},
		{"127.0.0.1", "192.0.2.2", true}, // loopback: reachable from the driver's machine only
		{"127.1.2.3", "", true},
		{"::1", "10.0.0.1", true},
		{"localhost", "10.0.0.1", true},
		{"LocalHost", "", true},
		{"10.0.0.2", "10.0.0.1", false},
		{"worker-1.example", "driver.example", false},
		{"", "", false}, // no address says nothing
		{"", "10.0.0.1", false},
	} {
		if got := onDriverHost(tc.host, tc.driver); got != tc.want {
			t.Errorf("onDriverHost(%q, %q) = %v, want %v", tc.host, tc.driver, got, tc.want)
		}
	}
}

func TestPlaceExecutors(t *testing.T) {
	ex := func(id int, host string, slots int) trace.Executor {
		return trace.Executor{ID: id, Host: host, Slots: slots}
	}
	share := scenarios.CPUShareProcesses
	for _, tc := range []struct {
		name   string
		execs  []trace.Executor
		driver string
		want   []scenarios.Host
		hostOf map[int]string // executor -> host name, where the hosts are shared
	}{
		{"a host each, apart from the driver", []trace.Executor{ex(0, "10.0.0.2", 4), ex(1, "10.0.0.3", 4)}, "10.0.0.1", nil, nil},
		{"no addresses", []trace.Executor{ex(0, "", 2), ex(1, "", 2)}, "", nil, nil},
		{"standalone on the driver's machine (loopback)", []trace.Executor{{ID: 0, Host: "driver", Slots: 1}, ex(1, "127.0.0.1", 1), ex(0, "127.0.0.1", 1)}, "192.0.2.2",
			[]scenarios.Host{{Cores: 2, Executors: 2, Driver: true, CPUShare: share}}, map[int]string{0: driverHostName, 1: driverHostName}},
		{"two executors on one worker host", []trace.Executor{ex(0, "10.0.0.2", 2), ex(1, "10.0.0.2", 2)}, "10.0.0.1",
			[]scenarios.Host{{Cores: 4, Executors: 2, CPUShare: share}}, map[int]string{0: "10.0.0.2", 1: "10.0.0.2"}},
		{"one executor beside the driver, one apart", []trace.Executor{ex(0, "10.0.0.9", 2), ex(1, "10.0.0.1", 2)}, "10.0.0.1",
			[]scenarios.Host{{Cores: 2, Executors: 1, Driver: true, CPUShare: share}, {Cores: 2, Executors: 1, CPUShare: share}},
			map[int]string{1: driverHostName, 0: "10.0.0.9"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := placeExecutors(tc.execs, tc.driver)
			if !reflect.DeepEqual(p.hosts, tc.want) {
				t.Fatalf("hosts %+v, want %+v", p.hosts, tc.want)
			}
			for id, want := range tc.hostOf {
				if got := p.hostOf(id); got != want {
					t.Errorf("executor %d on %q, want %q", id, got, want)
				}
			}
		})
	}
}

// sharedHostTuning is a standalone tuning whose two 1-core executors registered at the loopback
// address, so ran on the driver's machine, each fit one job of tasks run in pairs, one on each.
// Each task held its slot for stretch times its CPU (5 to 11 ms).
func sharedHostTuning(driverHost, execHost string, stretch float64) *Tuning {
	info := &sparklog.Info{Master: "spark://127.0.0.1:7077", DriverHost: driverHost,
		Executors: []trace.Executor{{ID: 0, Host: execHost, Slots: 1}, {ID: 1, Host: execHost, Slots: 1}}}
	tu := &Tuning{Info: info}
	at := time.Duration(0)
	for i := range 4 {
		st := &sparklog.Stage{ID: i}
		for k := range 8 {
			cpu := time.Duration(5+2*(k/2)) * time.Millisecond // the two tasks of a pair alike
			slot := time.Duration(stretch * float64(cpu))
			st.Tasks = append(st.Tasks, sparklog.Task{Index: k, Executor: k % 2, Launch: at, Finish: at + slot, CPU: cpu})
			if k%2 == 1 {
				at += slot
			}
		}
		tu.Fits = append(tu.Fits, Fit{Fold: 0, ParamMap: i, Jobs: []*sparklog.Job{{ID: i, Succeeded: true, Stages: []*sparklog.Stage{st}}}})
	}
	return tu
}

// TestSharedHostCluster: a log whose executors ran on the driver's machine is replayed on one
// host that holds them and the driver (a valid scenario cluster), sized by measured cores when
// there are some; the driver's thread there gets the share of a core its executors' tasks show
// (none lost on a host of its own).
func TestSharedHostCluster(t *testing.T) {
	tu := sharedHostTuning("192.0.2.2", "127.0.0.1", 3)
	c := tu.Cluster()
	want := []scenarios.Host{{Cores: 2, Executors: 2, Driver: true, CPUShare: scenarios.CPUShareProcesses}}
	if !reflect.DeepEqual(c.Hosts, want) || c.Local || c.Executors != 2 || c.CoresPerExecutor != 1 {
		t.Fatalf("cluster %+v", c)
	}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := scenarios.ParseCluster("log", b); err != nil {
		t.Errorf("the log's cluster does not validate: %v", err)
	}
	if got := tu.LoggedCluster(CPUOptions{Cores: 8}).Hosts[0].Cores; got != 8 {
		t.Errorf("measured 8 cores: the shared host has %d", got)
	}
	if got := tu.Cluster().Hosts[0].Cores; got != 2 {
		t.Errorf("LoggedCluster changed the log's cluster: %d cores", got)
	}

	// Two runnable tasks on 2 cores that each took 3 times their CPU: 4 threads beside them,
	// so one driver thread gets 2/(1+4) of a core.
	ld, cont := inferLoad(tu.Fits, c, tu.placement())
	if math.Abs(cont.Threads-4) > 0.2 {
		t.Errorf("contention threads %.2f, want 4", cont.Threads)
	}
	if want := 2 / (1 + cont.Threads); math.Abs(ld.driverShare-want) > 1e-9 {
		t.Errorf("driver's share %.3f, want %.3f", ld.driverShare, want)
	}

	apart := sharedHostTuning("10.0.0.1", "", 3) // no addresses: hosts apart
	ca := apart.Cluster()
	if ca.Hosts != nil {
		t.Fatalf("executors without addresses placed on %+v", ca.Hosts)
	}
	if ld, _ := inferLoad(apart.Fits, ca, apart.placement()); ld.driverShare != 1 {
		t.Errorf("a driver on a host of its own: share %.3f, want 1", ld.driverShare)
	}
}

// sa22Expected is testdata/sa22-glr-expected.json: a GeneralizedLinearRegression CrossValidator
// run as fresh applications on a standalone cluster of two 2-core workers started on one 2-core
// host beside the driver, its serial run's CPU measured from /proc, and the median wall times of
// the tuning at each parallelism.
type sa22Expected struct {
	Measurement Measurement        `json:"measurement"`
	FitS        map[string]float64 `json:"fit_s_median"`
}

// sa22 is the sa22 glr-cv fixture: what its runs measured, and the tuning its serial log holds.
func sa22(t *testing.T) (sa22Expected, *Tuning) {
	t.Helper()
	var e sa22Expected
	b, err := os.ReadFile("testdata/sa22-glr-expected.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatal(err)
	}
	tun, err := find(t, "testdata/sa22-glr-serial", Hints{})
	if err != nil {
		t.Fatal(err)
	}
	return e, tun
}

// TestSharedStandaloneHost predicts the standalone tuning from its serial log: its executors'
// loopback addresses put them on the driver's host, whose cores the log takes from what they
// offered (4), the measurement gives as 2, and so does the user (--host-cores 2, CPUOptions.
// HostCores); the host's busy time measured is the application's CPU there. Every way whatif must
// see what the runs showed: a host already busy, and parallelism giving next to nothing
// (0.99-1.02x measured); with the host's real cores, the CPU inferred from the log alone must come
// near the host's busy time /proc measured (on the 4 cores offered it is 1.7x that).
func TestSharedStandaloneHost(t *testing.T) {
	e, tun := sa22(t)
	want := []scenarios.Host{{Cores: 4, Executors: 2, Driver: true, CPUShare: scenarios.CPUShareProcesses}}
	if c := tun.Cluster(); !reflect.DeepEqual(c.Hosts, want) || c.Executors != 2 || c.CoresPerExecutor != 2 {
		t.Fatalf("the log's cluster %+v, want 2 executors x 2 cores on %+v", c, want)
	}
	wall := tun.End() - tun.Start()
	for _, tc := range []struct {
		name    string
		co      CPUOptions
		cores   int
		source  string
		minBusy float64
	}{
		{"from the log alone", CPUOptions{}, 4, SourceInferred, 0.5},
		{"measured", e.Measurement.CPUOptions(), 2, SourceMeasured, 0.9},
		{"the host's cores given", CPUOptions{HostCores: 2}, 2, SourceInferred, 0.75},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pr, err := tun.Predict(Options{}, tc.co)
			if err != nil {
				t.Fatal(err)
			}
			bud := pr.Budget
			if bud.Cores != tc.cores || bud.Source != tc.source || bud.BusyFraction < tc.minBusy {
				t.Errorf("budget: %d cores, %s, busy %.2f; want %d, %s, busy >= %.2f", bud.Cores, bud.Source, bud.BusyFraction, tc.cores, tc.source, tc.minBusy)
			}
			hostBusy := e.Measurement.HostBusyS * wall.Seconds() / e.Measurement.WallS
			switch {
			case tc.source == SourceMeasured && math.Abs(bud.AppCPUS-hostBusy) > 1e-6:
				t.Errorf("app CPU %.2f, want the host's busy time %.2f", bud.AppCPUS, hostBusy)
			case tc.co.HostCores > 0 && math.Abs(bud.AppCPUS/hostBusy-1) > 0.2:
				t.Errorf("app CPU inferred on the host's %d cores %.2f, want within 20%% of its busy time %.2f", tc.co.HostCores, bud.AppCPUS, hostBusy)
			}
			serial, err := sim.Run(pr.Plan.WithParallelism(1), pr.Model, sim.Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range []int{2, 4, 10} {
				m, err := sim.Run(pr.Plan.WithParallelism(p), pr.Model, sim.Options{})
				if err != nil {
					t.Fatal(err)
				}
				got := serial.Makespan.Seconds() / m.Makespan.Seconds()
				real := e.FitS["1"] / e.FitS[strconv.Itoa(p)]
				if math.Abs(got/real-1) > 0.10 {
					t.Errorf("P=%d: predicted speedup %.3f, measured %.3f", p, got, real)
				}
			}
		})
	}
}
