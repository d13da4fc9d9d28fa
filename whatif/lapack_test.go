package whatif

import (
	"strings"
	"testing"
	"time"

	"tunesim/sparklog"
)

// TestSVDWarning: a tuning whose fits call Spark's PCA.fit is warned of the concurrent first SVDs
// when its JVM was fresh, and not when it was warm or fits no PCA.
func TestSVDWarning(t *testing.T) {
	job := func(name string, deserialize time.Duration) *sparklog.Job {
		return &sparklog.Job{End: time.Second, Stages: []*sparklog.Stage{{Name: name,
			Tasks: []sparklog.Task{{Deserialize: deserialize, Finish: time.Millisecond}}}}}
	}
	for _, c := range []struct {
		name        string
		stage       string
		deserialize time.Duration
		fits        int // of the tuning's two, those that ran the stage
		want        string
	}{
		{"fresh, PCA in both fits", "first at PCA.scala:44", 60 * time.Millisecond, 2, "fits PCA (2 fits) in a fresh JVM"},
		{"fresh, PCA in one fit", "first at PCA.scala:44", 60 * time.Millisecond, 1, "fits PCA (1 fits) in a fresh JVM"},
		{"warm, PCA", "first at PCA.scala:44", 2 * time.Millisecond, 2, ""},
		{"fresh, no PCA", "treeAggregate at RowMatrix.scala:171", 60 * time.Millisecond, 2, ""},
	} {
		tun := &Tuning{App: &sparklog.App{}}
		for i := range 2 {
			name := "count at NativeMethodAccessorImpl.java:0"
			if i < c.fits {
				name = c.stage
			}
			j := job(name, c.deserialize)
			tun.App.Jobs = append(tun.App.Jobs, j)
			tun.Fits = append(tun.Fits, Fit{ParamMap: i, Jobs: []*sparklog.Job{j}})
		}
		got := strings.Join(tun.svdWarnings(), "\n")
		if c.want == "" && got != "" || !strings.Contains(got, c.want) {
			t.Errorf("%s: warnings %q, want %q", c.name, got, c.want)
		}
	}
}
