package whatif

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// ErrScaleOverflow is a row factor whose extrapolated tasks would not fit in a time.Duration
// (about 292 years), alone or added up over the tuning.
var ErrScaleOverflow = errors.New("the extrapolated run is longer than a time.Duration can hold")

// maxDurationS is the longest time.Duration in seconds.
var maxDurationS = time.Duration(math.MaxInt64).Seconds()

// check says whether every counted task of t at the scale, and their sum (the serial time, which
// the simulator adds up), fits in a time.Duration; the error names the factor and the largest
// factor that fits.
func (s *Scale) check(t *Tuning) error {
	var fixed, perFactor float64 // the sum of the scaled tasks is fixed + perFactor x (Factor-1)
	for _, fit := range t.Fits {
		for _, j := range fit.Jobs {
			for _, st := range j.Stages {
				for _, tk := range countedTasks(st) {
					fixed += tk.Duration().Seconds()
					perFactor += s.Fits[st.Name].PerRecordS * float64(tk.Records)
				}
			}
		}
	}
	total := fixed + perFactor*(s.Factor-1)
	if !math.IsInf(total, 0) && !math.IsNaN(total) && total < maxDurationS {
		return nil
	}
	limit := math.Floor((maxDurationS-fixed)/perFactor) + 1
	return fmt.Errorf("scale rows %g: the tasks would take %.3g s in all: %w; allowed is a factor > 0 and below %.3g for this log", s.Factor, total, ErrScaleOverflow, limit)
}
