package trace

// Disturbance is what the host did around a measured run (a real or Spark run; nil for a
// simulation or a foreign event log) and whether that was beyond the threshold of the package
// that measured it (tunesim/hostload states its threshold and why).
type Disturbance struct {
	// Disturbed says the figures are beyond the threshold; Reason says which, with the figures.
	Disturbed bool   `json:"disturbed"`
	Reason    string `json:"reason,omitempty"`
	// WallS is the wall time watched, in seconds, on Cores CPUs.
	WallS float64 `json:"wall_s"`
	Cores int     `json:"cores"`
	// OwnCPUPct is the CPU time the run's processes got, in percent of wall x cores.
	OwnCPUPct float64 `json:"own_cpu_pct"`
	// OthersCPUPct is the CPU time other processes used, in percent of all the CPUs' time.
	OthersCPUPct float64 `json:"others_cpu_pct"`
	// StealPct is the CPU time the hypervisor stole, in percent of all the CPUs' time.
	StealPct float64 `json:"steal_pct"`
	// Load1 is the host's 1-minute load average at the end.
	Load1 float64 `json:"load1"`
	// ReferenceBeforeMs and ReferenceAfterMs time the reference kernel just before and just after
	// the run; ReferenceBestMs is the campaign's fastest reading, and SlowdownPct how much slower
	// the slower of the run's two readings was than that.
	ReferenceBeforeMs float64 `json:"reference_before_ms"`
	ReferenceAfterMs  float64 `json:"reference_after_ms"`
	ReferenceBestMs   float64 `json:"reference_best_ms"`
	SlowdownPct       float64 `json:"slowdown_pct"`
	// Unknown names the figures that could not be measured on this host, and why.
	Unknown []string `json:"unknown,omitempty"`
}
