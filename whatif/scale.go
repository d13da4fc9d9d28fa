package whatif

import (
	"sort"
	"time"

	"tunesim/sparklog"
)

// Scale extrapolates the log's tasks to data Factor times larger. Per stage name (a call site,
// e.g. "treeAggregate at RDDLossFunction.scala:61"), a task's duration is modelled as a fixed
// cost plus a cost per record read, fitted by least squares over every counted task of that name
// in the log — a tuning reads its data at several sizes (a fold's training part, its validation
// part, the whole data in the refit), which is what separates the two — with the per-record cost
// kept >= 0. A task at Factor x the data keeps its measured duration and adds its per-record
// cost for the extra records. The partitions stay as they were (a cached DataFrame keeps its
// partitioning; data read from larger files would have more), and driver work stays: it depends
// on the model's size, not the data's. It is an extrapolation, and the output says so.
type Scale struct {
	Factor float64
	// Fits are the per-stage-name models, by name.
	Fits map[string]ScaleFit
}

// ScaleFit is one stage name's model: seconds fixed and per record, over Tasks tasks whose
// records ranged from MinRecords to MaxRecords.
type ScaleFit struct {
	FixedS, PerRecordS     float64
	Tasks                  int
	MinRecords, MaxRecords int64
}

// Scale fits the per-record costs of the tuning's tasks for a factor f.
func (t *Tuning) Scale(f float64) *Scale {
	type acc struct {
		n                int
		sx, sy, sxx, sxy float64
		minRec, maxRec   int64
	}
	by := map[string]*acc{}
	for _, fit := range t.Fits {
		for _, j := range fit.Jobs {
			for _, st := range j.Stages {
				for _, tk := range countedTasks(st) {
					a := by[st.Name]
					if a == nil {
						a = &acc{minRec: tk.Records, maxRec: tk.Records}
						by[st.Name] = a
					}
					x, y := float64(tk.Records), tk.Duration().Seconds()
					a.n++
					a.sx, a.sy, a.sxx, a.sxy = a.sx+x, a.sy+y, a.sxx+x*x, a.sxy+x*y
					a.minRec, a.maxRec = min(a.minRec, tk.Records), max(a.maxRec, tk.Records)
				}
			}
		}
	}
	s := &Scale{Factor: f, Fits: map[string]ScaleFit{}}
	names := make([]string, 0, len(by))
	for n := range by {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		a := by[name]
		n := float64(a.n)
		fit := ScaleFit{Tasks: a.n, MinRecords: a.minRec, MaxRecords: a.maxRec}
		if den := n*a.sxx - a.sx*a.sx; den > 0 {
			fit.PerRecordS = (n*a.sxy - a.sx*a.sy) / den
		}
		if fit.PerRecordS < 0 || a.maxRec == a.minRec {
			fit.PerRecordS = 0
		}
		fit.FixedS = max((a.sy-fit.PerRecordS*a.sx)/n, 0)
		s.Fits[name] = fit
	}
	return s
}

// task is the duration of a counted task of stage name at the scale (as measured for a nil one).
func (s *Scale) task(name string, tk sparklog.Task) time.Duration {
	d := tk.Duration()
	if s == nil {
		return d
	}
	extra := s.Fits[name].PerRecordS * float64(tk.Records) * (s.Factor - 1)
	return max(d+time.Duration(extra*float64(time.Second)), 0)
}
