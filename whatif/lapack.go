package whatif

import (
	"fmt"
	"strings"

	"tunesim/sparklog"
)

// concurrentSVDWarning is what Summarize warns of when the tuning fits PCA in a fresh JVM: with
// parallelism 2 or more its first SVDs run at once on several threads, and Spark's pure-Java
// LAPACK (F2j, its fallback where no native LAPACK loads) can then hang in dgesdd or fail to
// converge (fommil/netlib-java#5). Seen on 2026-12-07 in three of fifteen fresh runs of the
// seed at parallelism 2-4 (docs/validation/2026-12-07-standalone-to-local.md); never at 1.
const concurrentSVDWarning = "the tuning fits PCA (%d fits) in a fresh JVM: at parallelism 2 or more its first SVDs " +
	"run at once on several threads, and Spark's pure-Java LAPACK (F2j, used where no native LAPACK loads) " +
	"can then hang in dgesdd or fail to converge; run the first fit alone (tunesim.adaptive does), or load a native LAPACK"

// pcaFits is how many of the tuning's fits ran a PCA fit (a stage of Spark's PCA.fit, which takes
// an SVD on the driver after it).
func (t *Tuning) pcaFits() int {
	n := 0
	for _, f := range t.Fits {
		for _, j := range f.Jobs {
			if jobFitsPCA(j.Stages) {
				n++
				break
			}
		}
	}
	return n
}

// jobFitsPCA says one of a job's stages was called from Spark's PCA.fit (Spark names a stage by
// its call site: "first at PCA.scala:44").
func jobFitsPCA(stages []*sparklog.Stage) bool {
	for _, st := range stages {
		if strings.Contains(st.Name, "at PCA.scala:") {
			return true
		}
	}
	return false
}

// svdWarnings are the warnings of concurrentSVDWarning for t, if any.
func (t *Tuning) svdWarnings() []string {
	if n := t.pcaFits(); n > 0 && t.JVM().Kind == JVMFresh {
		return []string{fmt.Sprintf(concurrentSVDWarning, n)}
	}
	return nil
}
