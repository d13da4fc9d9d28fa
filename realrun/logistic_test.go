package realrun

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/optimize"

	"tunesim/estimators"
	"tunesim/scenarios"
	"tunesim/trace"
	"tunesim/tuning"
)

// logisticScenario is a LogisticRegression over features numeric columns of rows rows in 3
// partitions, with classes classes, expected to take iterations iterations of maxIter 500.
func logisticScenario(t *testing.T, rows int64, classes, iterations int, family string) *scenarios.Scenario {
	t.Helper()
	js := fmt.Sprintf(`{"name": "logreg-real", "seed": 7, "spark_version": "4",
		"cluster": {"local": true, "executors": 1, "cores_per_executor": 2, "host_cores": 2},
		"data": {"rows": %d, "features": 5, "partitions": 3, "classes": %d},
		"pipeline": {"stages": ["logistic_regression"], "grid": {"logreg.regParam": [0.01, 0.1]},
			"params": {"logreg.maxIter": 500, "logreg.iterations": %d, "logreg.family": %q, "evaluator.metricName": "accuracy"},
			"evaluator": "multiclass_classification_evaluator"},
		"tuner": {"kind": "train_validation_split", "train_ratio": 0.75, "parallelism": 2}}`, rows, classes, iterations, family)
	s, err := scenarios.Parse("logreg-real.json", []byte(js))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// objective is the loss the test holds L-BFGS's result against, written out plainly (its
// gradient checked against central differences in TestLogisticLossGradient): the mean binomial
// or multinomial (softmax) log loss of the rows z (standardized) with labels y, plus reg/2 times
// the squared coefficients, the intercepts (last of each set) unregularized.
func objective(z [][]float64, y []float64, sets int, reg float64) optimize.Problem {
	f := len(z[0])
	// margins is each set's intercept plus its coefficients times the row.
	margins := func(w, row []float64) []float64 {
		m := make([]float64, sets)
		for k := range sets {
			m[k] = w[k*(f+1)+f]
			for j, v := range row {
				m[k] += w[k*(f+1)+j] * v
			}
		}
		return m
	}
	value := func(w []float64) float64 {
		var sum float64
		for i, row := range z {
			m := margins(w, row)
			if sets == 1 {
				sum += math.Log(1+math.Exp(m[0])) - y[i]*m[0]
				continue
			}
			var e float64
			for k := range sets {
				e += math.Exp(m[k])
			}
			sum += math.Log(e) - m[int(y[i])]
		}
		loss := sum / float64(len(z))
		for i, v := range w {
			if (i+1)%(f+1) != 0 {
				loss += reg / 2 * v * v
			}
		}
		return loss
	}
	grad := func(g, w []float64) {
		for i := range g {
			g[i] = 0
		}
		for i, row := range z {
			m := margins(w, row)
			// d loss / d margin k: sigmoid(m) - y, or softmax(m)_k - [y = k].
			d := make([]float64, sets)
			if sets == 1 {
				d[0] = 1/(1+math.Exp(-m[0])) - y[i]
			} else {
				var e float64
				for k := range sets {
					e += math.Exp(m[k])
				}
				for k := range sets {
					d[k] = math.Exp(m[k]) / e
				}
				d[int(y[i])]--
			}
			for k := range sets {
				for j, v := range row {
					g[k*(f+1)+j] += d[k] * v / float64(len(z))
				}
				g[k*(f+1)+f] += d[k] / float64(len(z))
			}
		}
		for i, v := range w {
			if (i+1)%(f+1) != 0 {
				g[i] += reg * v
			}
		}
	}
	return optimize.Problem{Func: value, Grad: grad}
}

// numericGradient is the central differences of p's loss at w.
func numericGradient(p optimize.Problem, w []float64) []float64 {
	g := make([]float64, len(w))
	x := append([]float64(nil), w...)
	for i := range x {
		h := 1e-6 * math.Max(1, math.Abs(x[i]))
		x[i] = w[i] + h
		up := p.Func(x)
		x[i] = w[i] - h
		down := p.Func(x)
		x[i] = w[i]
		g[i] = (up - down) / (2 * h)
	}
	return g
}

// standardized is split 0 of the run's data with each feature divided by its sample deviation,
// as the Summarizer's job makes it.
func standardized(d *Data) ([][]float64, []float64) {
	x, y := d.Matrix(0)
	n, f := x.Dims()
	z := make([][]float64, n)
	for j := range f {
		var s, ss float64
		for i := range n {
			s += x.At(i, j)
			ss += x.At(i, j) * x.At(i, j)
		}
		sd := math.Sqrt((ss - s*s/float64(n)) / float64(n-1))
		for i := range n {
			if z[i] == nil {
				z[i] = make([]float64, f)
			}
			z[i][j] = x.At(i, j) / sd
		}
	}
	return z, y
}

// TestLogisticRegressionRunsForReal runs logistic regressions for real and holds each against
// independent truth: the refit's coefficients against gonum's L-BFGS minimizing, on the whole
// data at once, a plainly written loss with a numerical gradient — with evaluations to spare
// (both converge to the optimum) and with as few as the plan's 4 loss jobs (both follow the same
// path). Every fit runs its plan's jobs (iterations + 1 loss evaluations, each a job whose tasks
// aggregate their partition's loss and gradient), and the labels are learnt.
func TestLogisticRegressionRunsForReal(t *testing.T) {
	for _, c := range []struct {
		name               string
		classes, iter      int
		family             string
		tolerance, minBest float64
	}{
		{"binomial, converged", 2, 60, "auto", 1e-4, 0.7},
		{"binomial, 3 iterations", 2, 3, "auto", 1e-6, 0.6},
		{"multinomial, converged", 3, 80, "multinomial", 1e-3, 0.5},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := logisticScenario(t, 1500, c.classes, c.iter, c.family)
			res, err := Run(context.Background(), s, Options{})
			if err != nil {
				t.Fatal(err)
			}
			plan, err := tuning.New(s)
			if err != nil {
				t.Fatal(err)
			}
			plan = plan.WithRefit(res.Best)
			jobs := map[int]int{}
			for _, sp := range res.Trace.Spans {
				if sp.Kind == trace.KindJob {
					jobs[sp.Fit]++
				}
			}
			for _, f := range plan.Fits {
				want, loss := 0, 0
				for _, st := range f.Steps {
					if st.Kind == tuning.StepJob {
						want++
						if st.Op == estimators.OpLogRegLoss {
							loss++
						}
					}
				}
				if jobs[f.Index] != want || loss != c.iter+1 {
					t.Errorf("fit %d ran %d jobs; its plan has %d, %d of them loss evaluations (want %d)", f.Index, jobs[f.Index], want, loss, c.iter+1)
				}
			}
			for m, v := range res.Metrics {
				if v < c.minBest/2 || v > 1 {
					t.Errorf("param map %d: accuracy %g", m, v)
				}
			}
			if res.BestMetric < c.minBest || res.Metrics[1-res.Best] > res.BestMetric {
				t.Errorf("best param map %d, accuracy %g of %v: want the largest, at least %g", res.Best, res.BestMetric, res.Metrics, c.minBest)
			}

			// The refit against gonum on the whole data.
			got := res.Model.Logistic
			if got == nil {
				t.Fatal("no logistic model in the result")
			}
			z, y := standardized(NewData(plan, s.Seed))
			reg := plan.ParamMaps[res.Best].Map()["logreg.regParam"]
			p := objective(z, y, got.Sets, reg)
			settings := &optimize.Settings{}
			if c.iter < 10 {
				settings.FuncEvaluations = c.iter + 1 // the plan's budget: the same path
			}
			truth, err := optimize.Minimize(p, make([]float64, len(got.Coef)), settings, &optimize.LBFGS{GradStopThreshold: 1e-9})
			if err != nil {
				t.Fatalf("gonum on the whole data: %v (status %v)", err, truth.Status)
			}
			if c.classes == 2 {
				for i := range got.Coef {
					if math.Abs(got.Coef[i]-truth.X[i]) > c.tolerance*math.Max(1, math.Abs(truth.X[i])) {
						t.Errorf("coefficient %d: %.8f, gonum on the whole data %.8f", i, got.Coef[i], truth.X[i])
					}
				}
			}
			// The multinomial loss is flat along a shift of every set's intercept: compare losses.
			if lg, lt := p.Func(got.Coef), truth.F; math.Abs(lg-lt) > c.tolerance*math.Max(1, lt) {
				t.Errorf("loss at the refit %.8f, at gonum's solution %.8f", lg, lt)
			}
		})
	}
}

// TestLogisticLossGradient: the loss kernel's gradient, summed over rows and regularized, is the
// derivative of the plainly written loss (central differences), binomial and multinomial.
func TestLogisticLossGradient(t *testing.T) {
	z := [][]float64{{0.5, -1.2, 2}, {1.5, 0.3, -0.7}, {-0.2, 0.9, 0.4}, {2.2, -0.5, -1.1}}
	for _, sets := range []int{1, 3} {
		y := []float64{1, 0, 1, 0}
		if sets == 3 {
			y = []float64{2, 0, 1, 2}
		}
		w := make([]float64, sets*4)
		for i := range w {
			w[i] = 0.3*float64(i%5) - 0.4
		}
		acc := &LossGrad{Grad: make([]float64, len(w))}
		margins := make([]float64, sets)
		for i := range z {
			acc.LogisticLoss(w, sets, z[i], y[i], margins)
		}
		grad := make([]float64, len(w))
		loss := LogisticObjective(acc, w, sets, 0.2, grad)
		p := objective(z, y, sets, 0.2)
		want := numericGradient(p, w)
		plain := make([]float64, len(w))
		p.Grad(plain, w)
		if math.Abs(loss-p.Func(w)) > 1e-12 {
			t.Errorf("%d sets: loss %.12f, plainly %.12f", sets, loss, p.Func(w))
		}
		for i := range grad {
			if math.Abs(grad[i]-want[i]) > 1e-6 || math.Abs(plain[i]-want[i]) > 1e-6 {
				t.Errorf("%d sets: gradient %d is %.9f (the test's own %.9f), numerically %.9f", sets, i, grad[i], plain[i], want[i])
			}
		}
	}
}

// TestLogisticNotRunnable: OWL-QN and a metric realrun does not compute are refused before
// anything runs.
func TestLogisticNotRunnable(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(s *scenarios.Scenario)
		want string
	}{
		{"elastic net", func(s *scenarios.Scenario) {
			s.Pipeline.Params = append(s.Pipeline.Params, scenarios.Setting{Name: "logreg.elasticNetParam", Num: 0.5})
		}, "OWL-QN"},
		{"log loss", func(s *scenarios.Scenario) {
			for i := range s.Pipeline.Params {
				if s.Pipeline.Params[i].Name == "evaluator.metricName" {
					s.Pipeline.Params[i].Str = "logLoss"
				}
			}
		}, "realrun computes f1, accuracy"},
	} {
		s := logisticScenario(t, 300, 2, 3, "auto")
		c.edit(s)
		p, err := tuning.New(s)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if err := Runnable(p); !errors.Is(err, ErrNotRunnable) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Runnable = %v, want ErrNotRunnable saying %q", c.name, err, c.want)
		}
	}
}
