package whatif

import (
	"time"

	"tunesim/sparklog"
	"tunesim/tuning"
)

// Scale extrapolates the log's tasks to data Factor times larger. Per stage name (a call site,
// e.g. "treeAggregate at RDDLossFunction.scala:61"), a task's duration is modelled as a fixed
// cost plus a cost per record read, fitted by least squares over every counted task of that name
// in the log — a tuning reads its data at several sizes (a fold's training part, its validation
// part, the whole data in the refit), which is what separates the two — with the per-record cost
// kept >= 0. A task at Factor x the data keeps its measured duration and adds its per-record
// cost for the extra records. The partitions stay as they were (a cached DataFrame keeps its
// partitioning; data read from larger files would have more), and driver work stays: it depends
// on the model's size, not the data's. It is an extrapolation, and the output says so. Logs at
// several sizes price it better (Sizes.Scale): they separate the two costs by the sizes, and give
// the driver's growth.
type Scale struct {
	Factor float64
	// Fits are the per-stage-name models, by name.
	Fits map[string]ScaleFit
	// driver is, per kind of driver time, its cost per unit of data (the largest log's), which
	// only logs at several sizes give (see Sizes); nil keeps the driver's time as measured.
	driver map[tuning.Op]float64
}

// ScaleFit is one stage name's model: seconds fixed and per record, over Tasks tasks whose
// records ranged from MinRecords to MaxRecords; or, for a stage whose tasks' records do not
// grow with the data (a blockified dataset reads a block or two a partition), seconds per unit
// of data (the largest log's), which only logs at several sizes give.
type ScaleFit struct {
	FixedS, PerRecordS     float64
	PerSizeS               float64
	Tasks                  int
	MinRecords, MaxRecords int64
}

// Scale fits the per-record costs of the tuning's tasks for a factor f.
func (t *Tuning) Scale(f float64) *Scale {
	by := map[string]*line{}
	for _, fit := range t.Fits {
		for _, j := range fit.Jobs {
			for _, st := range j.Stages {
				for _, tk := range countedTasks(st) {
					l := by[st.Name]
					if l == nil {
						l = &line{}
						by[st.Name] = l
					}
					l.add(0, float64(tk.Records), tk.Duration().Seconds())
				}
			}
		}
	}
	s := &Scale{Factor: f, Fits: map[string]ScaleFit{}}
	for _, name := range sortedKeys(by) {
		l := by[name]
		fixed, perRecord := l.fit(false)
		s.Fits[name] = ScaleFit{FixedS: fixed, PerRecordS: perRecord, Tasks: l.n, MinRecords: int64(l.minX), MaxRecords: int64(l.maxX)}
	}
	return s
}

// task is the duration of a counted task of stage name at the scale (as measured for a nil one).
func (s *Scale) task(name string, tk sparklog.Task) time.Duration {
	d := tk.Duration()
	if s == nil {
		return d
	}
	f := s.Fits[name]
	extra := (f.PerRecordS*float64(tk.Records) + f.PerSizeS) * (s.Factor - 1)
	return max(d+time.Duration(extra*float64(time.Second)), 0)
}

// driverTime is driver time d of kind op at the scale (as measured for a nil one, or one without
// the driver's growth).
func (s *Scale) driverTime(op tuning.Op, d time.Duration) time.Duration {
	if s == nil || s.driver[op] == 0 {
		return d
	}
	return max(d+time.Duration(s.driver[op]*(s.Factor-1)*float64(time.Second)), 0)
}
