package sparklog

import (
	"strconv"
	"strings"
)

// The fit-tag protocol: properties a tuning harness sets on each fit's thread
// (SparkContext.setLocalProperty), which Spark copies into every job's properties: they say which
// fit a job belongs to. Their values are decimal integers (the label is text). This is the one Go
// definition; the Python one is python/tunesim/tagging.py (spark/tune.py uses it), and
// spark.TestHarnessTagsAgree checks the two name the same properties.
const (
	PropFit        = "tunesim.fit"         // the fit's index in plan order
	PropParamMap   = "tunesim.param_map"   // the param map's index in grid order
	PropFold       = "tunesim.fold"        // the fold, -1 for the final refit
	PropParamLabel = "tunesim.param_label" // e.g. "pca.k=15 lr.regParam=0.001"
	// PropPhase says what a harness's job was for: "warmup" or "tune" (spark/tune.py).
	PropPhase = "tunesim.phase"
	// PropJobName names a job in logs this package writes (Spark's UI names a job after its
	// last stage, which is what the reader does without it).
	PropJobName = "tunesim.job_name"
	// PropPrefix starts every tunesim property's name.
	PropPrefix = "tunesim."
	// PropJobGroup is Spark's job group (SparkContext.setJobGroup); without the tunesim
	// properties, jobs of one group make one fit.
	PropJobGroup = "spark.jobGroup.id"
)

// FormatTag is an index as a fit tag's value.
func FormatTag(n int) string { return strconv.Itoa(n) }

// TagOf reads the integer property key of a job's properties (a fit tag); ok is false when the
// job has none or it is not an integer.
func TagOf(props map[string]string, key string) (n int, ok bool) {
	v, ok := props[key]
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	return n, err == nil
}
