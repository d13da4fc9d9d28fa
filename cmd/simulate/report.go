package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"tunesim/costmodel"
	"tunesim/scenarios"
	"tunesim/trace"
)

// report is the output of run, sweep and the commands that measure real runs.
type report struct {
	Scenario string `json:"scenario"`
	// Source is "sim", "real" or "spark".
	Source   string `json:"source"`
	Profile  string `json:"profile,omitempty"`
	Seed     uint64 `json:"seed"`
	Replicas int    `json:"replicas"`
	// Host describes where a real run ran (cores); empty for a simulation.
	Host                   string         `json:"host,omitempty"`
	Results                []trace.Result `json:"results"`
	RecommendedParallelism int            `json:"recommended_parallelism"`
	Rule                   string         `json:"rule"`
	// Ties are the parallelisms within the rule's slack of the fastest prediction, the ones it
	// chose among (trace.Ties).
	Ties         []int              `json:"ties,omitempty"`
	BestParamMap map[string]float64 `json:"best_param_map,omitempty"`
	// BestParamLabel is the best param map as Spark prints it, e.g. "pca.k=75 lr.regParam=0.03".
	BestParamLabel string   `json:"best_param_label,omitempty"`
	BestMetric     *float64 `json:"best_metric,omitempty"`
	// Borrowed lists the operations the profile did not price and how they were priced.
	Borrowed []costmodel.Borrowed `json:"borrowed,omitempty"`
	// Notes are extra lines printed under the table.
	Notes []string `json:"notes,omitempty"`
	// RunsName names what Replicas counts when it is neither a simulation's replicas nor real
	// runs (whatif's "logs", each predicted on its own); empty for those.
	RunsName string `json:"-"`
	// Marks are printed after a parallelism in the table (a measured row that rests on disturbed
	// runs); the notes say what they mean.
	Marks map[int]string `json:"-"`
}

// newReport fills in the recommendation of results.
func newReport(s *scenarios.Scenario, source string, results []trace.Result) *report {
	return &report{Scenario: s.Name, Source: source, Results: results,
		RecommendedParallelism: trace.Recommend(results), Rule: trace.RecommendRule,
		Ties: trace.Ties(results, trace.RecommendTolerance)}
}

// writeReport writes r in the flags' format to stdout or -o.
func (f *flags) writeReport(r *report) error { return f.writeReportAs(r, r, nil) }

// writeReportAs writes r in the flags' format: as JSON, doc (r itself, or a document that embeds
// it); as a table, r's table after what head writes (when set); as CSV, r's rows.
func (f *flags) writeReportAs(r *report, doc any, head func(io.Writer)) error {
	return f.write(func(w io.Writer) error {
		switch f.format {
		case "json":
			return writeJSON(w, "report", doc)
		case "csv":
			return writeResultsCSV(w, r.Results)
		}
		if head != nil {
			head(w)
		}
		return writeResultsTable(w, r)
	})
}

func writeResultsTable(w io.Writer, r *report) error {
	what := fmt.Sprintf("scenario %s, %s", r.Scenario, r.Source)
	if r.Profile != "" {
		what += ", profile " + r.Profile
	}
	if r.Host != "" {
		what += ", host " + r.Host
	}
	runs := "replicas"
	if r.Source != "sim" {
		runs = "runs"
	}
	if r.RunsName != "" {
		runs = r.RunsName
	}
	if r.Replicas == 1 {
		runs = strings.TrimSuffix(runs, "s")
	}
	fmt.Fprintf(w, "%s, seed %d, %d %s\n\n", what, r.Seed, r.Replicas, runs)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "parallelism\tmakespan s\tspeedup\tutilization\tidle core-s\tmean fits\t")
	for _, res := range r.Results {
		cell := func(s trace.Spread, prec int) string {
			v := strconv.FormatFloat(s.P50, 'f', prec, 64)
			if res.Runs > 1 {
				v += fmt.Sprintf(" [%s-%s]", strconv.FormatFloat(s.P10, 'f', prec, 64), strconv.FormatFloat(s.P90, 'f', prec, 64))
			}
			return v
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t\n", parallelismCell(res.Parallelism, r.Marks), cell(res.Makespan, 3), cell(res.Speedup, 2),
			cell(res.Utilization, 2), cell(res.IdleCoreSeconds, 2), cell(res.MeanConcurrentFits, 2))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(r.Results) > 0 && r.Results[0].Runs > 1 {
		fmt.Fprintln(w, "\nfigures are medians [p10-p90] over", r.Replicas, runs)
	}
	if len(r.Results) > 1 {
		fmt.Fprintf(w, "\nrecommended parallelism: %d (%s)\n", r.RecommendedParallelism, strings.TrimPrefix(r.Rule, "recommended: "))
		if len(r.Ties) > 1 {
			fmt.Fprintf(w, "within that slack of the fastest (ties): %s\n", joinInts(r.Ties))
		}
	}
	if r.BestParamMap != nil {
		label := r.BestParamLabel
		if label == "" {
			label = fmt.Sprint(r.BestParamMap)
		}
		fmt.Fprintf(w, "best param map: %s", label)
		if r.BestMetric != nil {
			fmt.Fprintf(w, " (metric %.6g)", *r.BestMetric)
		}
		fmt.Fprintln(w)
	}
	for _, n := range r.Notes {
		fmt.Fprintln(w, n)
	}
	return nil
}

func writeResultsCSV(w io.Writer, results []trace.Result) error {
	cw := csv.NewWriter(w)
	head := []string{"parallelism", "runs"}
	var probe trace.Result
	for _, f := range probe.Figures() {
		head = append(head, f.Key, f.Key+"_p10", f.Key+"_p90")
	}
	if err := cw.Write(append(head, "tasks", "jobs", "fits")); err != nil {
		return err
	}
	for _, r := range results {
		row := []string{strconv.Itoa(r.Parallelism), strconv.Itoa(r.Runs)}
		for _, f := range r.Figures() {
			for _, v := range []float64{f.Spread.P50, f.Spread.P10, f.Spread.P90} {
				row = append(row, strconv.FormatFloat(v, 'g', -1, 64))
			}
		}
		row = append(row, strconv.Itoa(r.Tasks), strconv.Itoa(r.Jobs), strconv.Itoa(r.Fits))
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// loadProfile loads the scenario's cost profile, or override when set, prices what it lacks of
// the plans of s and more as pf says (borrowing, unless --strict), and checks that it then prices
// every operation of those plans; it returns what was borrowed. Problems are bad input.
func loadProfile(s *scenarios.Scenario, override string, pf pricingFlags, more ...*scenarios.Scenario) (*costmodel.Profile, string, []costmodel.Borrowed, error) {
	name := s.Cost.Profile
	if override != "" {
		name = override
	}
	p, err := costmodel.Load(name, s.Dir)
	if err != nil {
		return nil, "", nil, badInput(fmt.Errorf("cost.profile: %w", err))
	}
	plans, err := plansOf(append([]*scenarios.Scenario{s}, more...))
	if err != nil {
		return nil, "", nil, err
	}
	p, borrowed, err := pf.fill(p, s.Dir, plans)
	if err != nil {
		return nil, "", nil, err
	}
	for _, plan := range plans {
		if err := p.Check(plan); err != nil {
			return nil, "", nil, badInput(fmt.Errorf("cost.profile: %w", err))
		}
	}
	return p, name, borrowed, nil
}

// progress returns a progress callback that draws on a terminal's stderr, or nil when stderr
// is not a terminal.
func (c *cli) progress(what string) func(done, total int) {
	if !c.stderrTTY {
		return nil
	}
	return func(done, total int) {
		fmt.Fprintf(c.stderr, "\r%s %d/%d", what, done, total)
		if done == total {
			fmt.Fprint(c.stderr, "\r\033[K")
		}
	}
}

// joinInts is ns as "2, 3, 4".
func joinInts(ns []int) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ", ")
}
