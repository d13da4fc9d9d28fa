package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"tunesim/costmodel"
	"tunesim/plots"
	"tunesim/scenarios"
	"tunesim/sim"
	"tunesim/trace"
)

// parseVary reads --vary PATH=A:B, PATH=A:B:STEP or PATH=a,b,c. PATH is a numeric scenario field
// other than tuner.parallelism (which the sweep crosses the values with).
func parseVary(v string) (*scenarios.Vary, error) {
	var names []string
	for n := range scenarios.NumericFields() {
		if n != "tuner.parallelism" {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	bad := func(format string, a ...any) error {
		return badUsage("--vary %q: %s; allowed: PATH=A:B, PATH=A:B:STEP or PATH=a,b,c with PATH one of %s", v, fmt.Sprintf(format, a...), strings.Join(names, ", "))
	}
	path, spec, ok := strings.Cut(v, "=")
	if !ok || spec == "" {
		return nil, bad("no =VALUES")
	}
	if path == "tuner.parallelism" {
		return nil, bad("the sweep already crosses every value with --parallelism")
	}
	vary, err := scenarios.ParseVary(path, spec)
	if err != nil {
		return nil, bad("%v", err)
	}
	return vary, nil
}

// varyGrid is s at each value of v, each checked as a scenario file is (an out-of-range value is
// bad input naming the field).
func varyGrid(s *scenarios.Scenario, v *scenarios.Vary) ([]*scenarios.Scenario, error) {
	grid := make([]*scenarios.Scenario, len(v.Values))
	for i, x := range v.Values {
		sc, err := s.WithField(v.Field, x, fmt.Sprintf("scenario %s with --vary %s=%s", s.Name, v.Field, scenarios.FormatValue(x)))
		if errors.Is(err, scenarios.ErrInvalid) {
			return nil, badInput(err)
		}
		if err != nil {
			return nil, err
		}
		grid[i] = sc
	}
	return grid, nil
}

// varyRow is one cell of a sweep over a field and parallelism.
type varyRow struct {
	Value       float64 `json:"value"`
	Parallelism int     `json:"parallelism"`
	// Slots is executors x cores_per_executor at this value.
	Slots int `json:"slots"`
	// Makespan is the median over replicas, with its p10 and p90.
	MakespanS    float64 `json:"makespan_s"`
	MakespanP10S float64 `json:"makespan_p10_s"`
	MakespanP90S float64 `json:"makespan_p90_s"`
	// CoreSeconds is what the slots cost over the run: slots x median makespan.
	CoreSeconds float64 `json:"core_seconds"`
	// Speedup is over parallelism 1 at the same value.
	Speedup         float64 `json:"speedup"`
	Utilization     float64 `json:"utilization"`
	IdleCoreSeconds float64 `json:"idle_core_s"`
	MeanFits        float64 `json:"mean_concurrent_fits"`
}

// varyReport is sweep --vary's output: every (value, parallelism) and the fastest and cheapest.
type varyReport struct {
	Scenario string `json:"scenario"`
	Source   string `json:"source"`
	Profile  string `json:"profile,omitempty"`
	// Borrowed lists the operations the profile did not price and how they were priced.
	Borrowed []costmodel.Borrowed `json:"borrowed,omitempty"`
	Seed     uint64               `json:"seed"`
	Replicas int                  `json:"replicas"`
	// Field is the varied field's JSON path.
	Field string    `json:"field"`
	Rows  []varyRow `json:"rows"`
	// Fastest is the row with the smallest makespan; Cheapest the row with the fewest core-seconds
	// among those within trace.RecommendTolerance of the fastest.
	Fastest  varyRow  `json:"fastest"`
	Cheapest varyRow  `json:"cheapest"`
	Rule     string   `json:"rule"`
	Notes    []string `json:"notes,omitempty"`
}

// varySweep simulates s at each value of v crossed with each parallelism (sim.SweepGrid).
func varySweep(s *scenarios.Scenario, prof costmodel.Model, v *scenarios.Vary, o sim.SweepOptions) ([][]trace.Result, []*scenarios.Scenario, error) {
	grid, err := varyGrid(s, v)
	if err != nil {
		return nil, nil, err
	}
	results, err := sim.SweepGrid(grid, prof, o)
	var ge *sim.GridError
	if errors.As(err, &ge) {
		return nil, nil, fmt.Errorf("%s=%s: %w", v.Field, scenarios.FormatValue(v.Values[ge.Index]), ge.Err)
	}
	if err != nil {
		return nil, nil, err
	}
	return results, grid, nil
}

// newVaryReport lays the sweeps out as rows (value-major, parallelism in the order asked) and
// picks the fastest and the cheapest.
func newVaryReport(s *scenarios.Scenario, v *scenarios.Vary, scens []*scenarios.Scenario, results [][]trace.Result) *varyReport {
	r := &varyReport{Scenario: s.Name, Source: "sim", Field: v.Field, Rule: trace.CheapestRule}
	for i, rs := range results {
		slots := scens[i].Cluster.Slots()
		for _, res := range rs {
			r.Rows = append(r.Rows, varyRow{Value: v.Values[i], Parallelism: res.Parallelism, Slots: slots,
				MakespanS: res.Makespan.P50, MakespanP10S: res.Makespan.P10, MakespanP90S: res.Makespan.P90,
				CoreSeconds: float64(slots) * res.Makespan.P50, Speedup: res.Speedup.P50, Utilization: res.Utilization.P50,
				IdleCoreSeconds: res.IdleCoreSeconds.P50, MeanFits: res.MeanConcurrentFits.P50})
		}
	}
	makespans, costs := make([]float64, len(r.Rows)), make([]float64, len(r.Rows))
	for i, row := range r.Rows {
		makespans[i], costs[i] = row.MakespanS, row.CoreSeconds
	}
	if f, c, ok := trace.FastestAndCheapest(makespans, costs); ok {
		r.Fastest, r.Cheapest = r.Rows[f], r.Rows[c]
	}
	return r
}

// writeVaryReport writes r in the flags' format to stdout or -o: a table, JSON, or CSV rows.
func (f *flags) writeVaryReport(r *varyReport) error {
	return f.write(func(w io.Writer) error {
		switch f.format {
		case "json":
			return writeJSON(w, "report", r)
		case "csv":
			return writeVaryCSV(w, r)
		}
		return writeVaryTable(w, r)
	})
}

func writeVaryCSV(w io.Writer, r *varyReport) error {
	cw := csv.NewWriter(w)
	head := []string{r.Field, "parallelism", "slots", "makespan_s", "makespan_p10_s", "makespan_p90_s", "core_seconds", "speedup", "utilization", "idle_core_s", "mean_concurrent_fits"}
	if err := cw.Write(head); err != nil {
		return err
	}
	g := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	for _, row := range r.Rows {
		if err := cw.Write([]string{scenarios.FormatValue(row.Value), strconv.Itoa(row.Parallelism), strconv.Itoa(row.Slots),
			g(row.MakespanS), g(row.MakespanP10S), g(row.MakespanP90S), g(row.CoreSeconds), g(row.Speedup),
			g(row.Utilization), g(row.IdleCoreSeconds), g(row.MeanFits)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func writeVaryTable(w io.Writer, r *varyReport) error {
	what := fmt.Sprintf("scenario %s, %s", r.Scenario, r.Source)
	if r.Profile != "" {
		what += ", profile " + r.Profile
	}
	runs := "replicas"
	if r.Replicas == 1 {
		runs = "replica"
	}
	fmt.Fprintf(w, "%s, seed %d, %d %s; %s crossed with parallelism\n\n", what, r.Seed, r.Replicas, runs, r.Field)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%s\tparallelism\tslots\tmakespan s\tcore-s paid\tspeedup\tutilization\tidle core-s\t\n", r.Field)
	for _, row := range r.Rows {
		mk := strconv.FormatFloat(row.MakespanS, 'f', 3, 64)
		if r.Replicas > 1 {
			mk += fmt.Sprintf(" [%.3f-%.3f]", row.MakespanP10S, row.MakespanP90S)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%.2f\t%.2f\t%.2f\t%.2f\t\n", scenarios.FormatValue(row.Value), row.Parallelism, row.Slots, mk,
			row.CoreSeconds, row.Speedup, row.Utilization, row.IdleCoreSeconds)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if r.Replicas > 1 {
		fmt.Fprintf(w, "\nmakespans are medians [p10-p90] over %d %s; core-s paid = slots x median makespan\n", r.Replicas, runs)
	}
	if len(r.Rows) > 0 {
		fa, ch := r.Fastest, r.Cheapest
		fmt.Fprintf(w, "\nfastest:  %s %s, parallelism %d: %.3f s, %.2f core-s\n", r.Field, scenarios.FormatValue(fa.Value), fa.Parallelism, fa.MakespanS, fa.CoreSeconds)
		fmt.Fprintf(w, "cheapest: %s %s, parallelism %d: %.3f s (%+.1f%%), %.2f core-s (%.0f%% of the fastest's)\n", r.Field, scenarios.FormatValue(ch.Value), ch.Parallelism,
			ch.MakespanS, 100*(ch.MakespanS/fa.MakespanS-1), ch.CoreSeconds, 100*ch.CoreSeconds/fa.CoreSeconds)
		fmt.Fprintf(w, "(%s)\n", trace.CheapestRule)
	}
	for _, n := range r.Notes {
		fmt.Fprintln(w, n)
	}
	return nil
}

// sweepVary is sweep --vary: every value of v crossed with every parallelism of ps, reported
// and, with --plot, drawn as heatmaps.
func (sf *simFlags) sweepVary(f *flags, v *scenarios.Vary, ps []int, plot *plotFlag) error {
	if sf.replicas < 1 {
		return badUsage("--replicas %d: allowed are 1 or more", sf.replicas)
	}
	s, err := loadScenario(sf.scenario)
	if err != nil {
		return err
	}
	grid, err := varyGrid(s, v)
	if err != nil {
		return err
	}
	prof, profName, borrowed, err := loadProfile(s, sf.profile, sf.pricing, grid...)
	if err != nil {
		return err
	}
	seed := s.Seed
	if f.Changed("seed") {
		seed = sf.seed
	}
	results, scens, err := varySweep(s, prof, v, sim.SweepOptions{Parallelisms: ps, Replicas: sf.replicas, Seed: seed, Workers: sf.workers, Progress: f.c.progress("simulating")})
	if err != nil {
		return err
	}
	r := newVaryReport(s, v, scens, results)
	r.Profile, r.Seed, r.Replicas = profName, seed, sf.replicas
	r.Borrowed, r.Notes = borrowed, append(r.Notes, borrowedNotes(borrowed)...)
	if sf.replicas > 1 && sim.TaskCV(s, prof) == 0 {
		r.Notes = append(r.Notes, "note: the scenario's noise.task_cv and the profile's task_cv are 0, so the replicas are identical; set one to see spread")
	}
	if err := f.writeVaryReport(r); err != nil {
		return err
	}
	if !plot.set() {
		return nil
	}
	title := fmt.Sprintf("%s: %s x parallelism, simulated (profile %s, %d %s)", r.Scenario, r.Field, r.Profile, r.Replicas, map[bool]string{true: "replica", false: "replicas"}[r.Replicas == 1])
	return plots.Heatmap(title, r.grid(), plot.path, plot.opts())
}

// grid is r for plots.Heatmap: rows by value, columns by parallelism, in the order swept.
func (r *varyReport) grid() plots.Grid {
	g := plots.Grid{Field: r.Field}
	row, col := map[float64]int{}, map[int]int{}
	for _, x := range r.Rows {
		if _, ok := row[x.Value]; !ok {
			row[x.Value] = len(g.Values)
			g.Values = append(g.Values, x.Value)
			g.Makespan = append(g.Makespan, nil)
			g.CoreSeconds = append(g.CoreSeconds, nil)
		}
		if _, ok := col[x.Parallelism]; !ok {
			col[x.Parallelism] = len(g.Parallelisms)
			g.Parallelisms = append(g.Parallelisms, x.Parallelism)
		}
		i := row[x.Value]
		g.Makespan[i] = append(g.Makespan[i], x.MakespanS)
		g.CoreSeconds[i] = append(g.CoreSeconds[i], x.CoreSeconds)
	}
	g.Fastest = [2]int{row[r.Fastest.Value], col[r.Fastest.Parallelism]}
	g.Cheapest = [2]int{row[r.Cheapest.Value], col[r.Cheapest.Parallelism]}
	return g
}
