package costmodel

// WithColdStage is m whose tasks cost 1 + extra times their work on an executor that has not
// finished one of their stage yet (ClusterOverheads.ColdStage; 0 or less: none).
func (m *Measured) WithColdStage(extra float64) *Measured {
	c := *m
	c.coldStage = max(extra, 0)
	return &c
}

// Cluster implements Clustered: of what running on a cluster adds, a log's tasks carry all but
// their executor's cold stages (WithColdStage).
func (m *Measured) Cluster() ClusterOverheads { return ClusterOverheads{ColdStage: m.coldStage} }
