package whatif

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Measurement is the CPU measured over a tuning from /proc, as the Python package's
// tunesim.measure writes it beside the application's event log (see MeasurementPath).
type Measurement struct {
	// AppID is the application the measurement is of.
	AppID string `json:"app_id"`
	// AppCPUS is the CPU the driver's JVM and Python used over the tuning (user + system).
	AppCPUS float64 `json:"app_cpu_s"`
	// DriverJVMCPUS and PythonCPUS are its parts.
	DriverJVMCPUS float64 `json:"driver_jvm_cpu_s"`
	PythonCPUS    float64 `json:"python_cpu_s"`
	// DriverJVMThreadsCPUS is the driver JVM's CPU by kind of thread (jit, gc, tasks, scheduler,
	// other, ended), when its threads were read: what the hidden CPU was spent on.
	DriverJVMThreadsCPUS map[string]float64 `json:"driver_jvm_threads_cpu_s,omitempty"`
	// ExecutorJVMs is how many of a cluster's executor JVMs ran on the measuring host through
	// the tuning (none in local mode); ExecutorJVMsCPUS their CPU over it and
	// ExecutorJVMThreadsCPUS that CPU by kind of thread, as DriverJVMThreadsCPUS. Recorded to
	// see what executor JVMs spend beyond their tasks; Predict does not read them.
	ExecutorJVMs           int                `json:"executor_jvms,omitempty"`
	ExecutorJVMsCPUS       float64            `json:"executor_jvms_cpu_s,omitempty"`
	ExecutorJVMThreadsCPUS map[string]float64 `json:"executor_jvm_threads_cpu_s,omitempty"`
	// HostBusyS is the time all the host's CPUs were busy over the tuning (any process).
	HostBusyS float64 `json:"host_busy_s"`
	// Cores is the host's CPUs.
	Cores int `json:"cores"`
	// WallS is the tuning's wall time the figures cover.
	WallS float64 `json:"wall_s"`
	// Folds are the same figures per fold, when the tuner's folds were measured apart.
	Folds []FoldMeasurement `json:"folds,omitempty"`
}

// FoldMeasurement is the CPU measured over one fold of a tuning.
type FoldMeasurement struct {
	AppCPUS   float64 `json:"app_cpu_s"`
	HostBusyS float64 `json:"host_busy_s"`
	WallS     float64 `json:"wall_s"`
}

// MeasurementPath is where tunesim.measure leaves the measurement of application appID whose event
// log (a file, or a rolling log's folder) is at log: <the logs' folder>/.tunesim/<appID>.cpu.json,
// the id spelt as Spark names its log (a hidden folder, which Spark's history server does not read
// as a log).
func MeasurementPath(log, appID string) string {
	return filepath.Join(filepath.Dir(filepath.Clean(log)), ".tunesim", sanitizeID(appID)+".cpu.json")
}

// sanitizeID is an application id as Spark names its log (Utils.sanitizeDirName).
func sanitizeID(id string) string {
	return strings.ToLower(strings.NewReplacer(" ", "-", ":", "-", "/", "-",
		".", "_", "$", "_", "{", "_", "}", "_", "'", "_", `"`, "_").Replace(id))
}

// ReadMeasurement reads the measurement of application appID beside its event log; nil when there
// is none. A measurement of another application is an error naming both.
func ReadMeasurement(log, appID string) (*Measurement, error) {
	path := MeasurementPath(log, appID)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the CPU measurement: %w", err)
	}
	m, err := ParseMeasurement(path, b)
	if err == nil && m.AppID != "" && m.AppID != appID {
		return nil, fmt.Errorf("%s: app_id %s, but the log is of %s", path, m.AppID, appID)
	}
	return m, err
}

// ParseMeasurement decodes a measurement strictly; path names it in errors.
func ParseMeasurement(path string, b []byte) (*Measurement, error) {
	var m Measurement
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("%s: %w (want JSON with app_cpu_s, wall_s, cores, host_busy_s)", path, err)
	}
	switch {
	case m.AppCPUS <= 0:
		return nil, fmt.Errorf("%s: app_cpu_s %v: allowed is CPU-seconds > 0", path, m.AppCPUS)
	case m.WallS <= 0:
		return nil, fmt.Errorf("%s: wall_s %v: allowed is seconds > 0", path, m.WallS)
	case m.Cores < 0:
		return nil, fmt.Errorf("%s: cores %d: allowed is 0 (unknown) or more", path, m.Cores)
	case m.ExecutorJVMs < 0 || m.ExecutorJVMsCPUS < 0:
		return nil, fmt.Errorf("%s: executor_jvms %d, executor_jvms_cpu_s %v: allowed are 0 or more", path, m.ExecutorJVMs, m.ExecutorJVMsCPUS)
	case m.HostBusyS < 0:
		return nil, fmt.Errorf("%s: host_busy_s %v: allowed is seconds >= 0", path, m.HostBusyS)
	}
	return &m, nil
}

// CPUOptions is the measurement as Predict takes it.
func (m *Measurement) CPUOptions() CPUOptions {
	return CPUOptions{AppCPU: secs(m.AppCPUS), Wall: secs(m.WallS), Cores: m.Cores, HostBusy: secs(m.HostBusyS), DriverHostOnly: true}
}

func secs(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
