package whatif

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseMeasurement(t *testing.T) {
	for _, tc := range []struct {
		name, json, err string
		want            CPUOptions
	}{
		{"whole", `{"app_id":"local-1","app_cpu_s":86,"driver_jvm_cpu_s":80,"python_cpu_s":6,"host_busy_s":85.5,"cores":2,"wall_s":49}`, "",
			CPUOptions{AppCPU: 86 * time.Second, Wall: 49 * time.Second, Cores: 2, HostBusy: 85500 * time.Millisecond, DriverHostOnly: true}},
		{"folds", `{"app_cpu_s":10,"wall_s":5,"folds":[{"app_cpu_s":4,"host_busy_s":4,"wall_s":2}]}`, "", CPUOptions{AppCPU: 10 * time.Second, Wall: 5 * time.Second, DriverHostOnly: true}},
		{"executors", `{"app_cpu_s":10,"wall_s":5,"executor_jvms":2,"executor_jvms_cpu_s":12.5,"executor_jvm_threads_cpu_s":{"jit":6,"tasks":5,"ended":1.5}}`, "",
			CPUOptions{AppCPU: 10 * time.Second, Wall: 5 * time.Second, DriverHostOnly: true}},
		{"negative executors", `{"app_cpu_s":10,"wall_s":5,"executor_jvms":-2}`, "executor_jvms -2", CPUOptions{}},
		{"no cpu", `{"wall_s":5}`, "app_cpu_s 0", CPUOptions{}},
		{"no wall", `{"app_cpu_s":5}`, "wall_s 0", CPUOptions{}},
		{"negative cores", `{"app_cpu_s":5,"wall_s":1,"cores":-1}`, "cores -1", CPUOptions{}},
		{"unknown field", `{"app_cpu_s":5,"wall_s":1,"cpus":2}`, `unknown field "cpus"`, CPUOptions{}},
		{"not JSON", `app_cpu_s=5`, "want JSON", CPUOptions{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := ParseMeasurement("m.json", []byte(tc.json))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), "m.json") {
					t.Fatalf("error %v, want one naming m.json and %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := m.CPUOptions(); got != tc.want {
				t.Errorf("options %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestReadMeasurementBesideTheLog: the file is found in the log folder's .tunesim, and its
// absence is no error.
func TestReadMeasurementBesideTheLog(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "eventlog_v2_local-123")
	if m, err := ReadMeasurement(log, "local-123"); m != nil || err != nil {
		t.Fatalf("no file: %v, %v; want nil, nil", m, err)
	}
	p := MeasurementPath(log, "local-123")
	if want := filepath.Join(dir, ".tunesim", "local-123.cpu.json"); p != want {
		t.Fatalf("path %s, want %s", p, want)
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(`{"app_id":"local-123","app_cpu_s":12.5,"wall_s":10,"cores":2}`), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := ReadMeasurement(log+"/", "local-123")
	if err != nil || m == nil || m.AppCPUS != 12.5 {
		t.Fatalf("read %+v, %v", m, err)
	}
	if _, err := ReadMeasurement(filepath.Join(dir, "local-123.zstd"), "local-123"); err != nil {
		t.Errorf("a plain log file beside it: %v", err)
	}
	if err := os.WriteFile(MeasurementPath(log, "app.1"), []byte(`{"app_id":"other","app_cpu_s":1,"wall_s":1}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadMeasurement(log, "app.1"); err == nil || !strings.Contains(err.Error(), "other") {
		t.Errorf("another application's measurement: %v, want an error naming it", err)
	}
}

func TestSanitizeID(t *testing.T) {
	for in, want := range map[string]string{"local-1796474577881": "local-1796474577881", "App:1/x.y": "app-1-x_y", "app-2024{a}": "app-2024_a_"} {
		if got := sanitizeID(in); got != want {
			t.Errorf("sanitizeID(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParseMeasurement(f *testing.F) {
	f.Add([]byte(`{"app_cpu_s":86,"wall_s":49,"cores":2,"host_busy_s":85}`))
	f.Add([]byte(`{"app_cpu_s":1,"wall_s":1,"folds":[{}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseMeasurement("f", b)
		if err == nil && (m.AppCPUS <= 0 || m.WallS <= 0 || m.Cores < 0) {
			t.Fatalf("accepted %+v", m)
		}
	})
}
