package estimators

import "testing"

// TestIterativeSolvers: every iterative solver's Param is a model input of its unit and its Bound
// a Spark param; the iterations a count of jobs means undo what the unit's plan runs for them.
func TestIterativeSolvers(t *testing.T) {
	found := 0
	for _, u := range Builtin {
		it := u.Iterative
		if it == nil {
			continue
		}
		found++
		p, ok := u.Param(it.Param)
		b, okb := u.Param(it.Bound)
		if !ok || !p.Model || !okb || b.Model || it.Site == "" {
			t.Errorf("%s: Iterative %+v: want a model input, a Spark param bounding it and a call site", u.Name, it)
		}
		if _, ok := it.Iterations(0); ok {
			t.Errorf("%s: no jobs at %s should teach nothing", u.Name, it.Site)
		}
	}
	if found != 3 {
		t.Errorf("%d iterative units, want 3 (linear_regression, logistic_regression, kmeans)", found)
	}
	for _, c := range []struct {
		it         *Iterative
		jobs, want int
	}{
		// L-BFGS: a loss evaluation at the start and one per iteration (Evaluations).
		{LogisticRegression.Iterative, 11, 10},
		{LogisticRegression.Iterative, 14, 13}, // line searches: more than maxIter 10 + 1
		{LogisticRegression.Iterative, 1, 1},   // converged at the start: at least 1 (0 means maxIter)
		{KMeans.Iterative, 3, 3},               // a job per Lloyd iteration
	} {
		n, ok := c.it.Iterations(c.jobs)
		if !ok || n != c.want {
			t.Errorf("%s: %d jobs: %d iterations, want %d", c.it.Site, c.jobs, n, c.want)
		}
		if c.it.Extra == 1 && c.want+1 == c.jobs && Evaluations(n, 10) != c.jobs {
			t.Errorf("%s: %d iterations plan %d evaluations, not the %d jobs counted", c.it.Site, n, Evaluations(n, 10), c.jobs)
		}
	}
}
