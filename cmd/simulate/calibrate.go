package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"text/tabwriter"
	"time"

	"tunesim/costmodel"
	"tunesim/experiment"
	"tunesim/plots"
	"tunesim/scenarios"
)

func init() {
	register(&command{name: "calibrate", summary: "fit a cost profile to real or Spark runs (or Spark event logs), at one data size or several", run: runCalibrate})
}

// calibrationReport is calibrate's output: where the profile went and how well it fits.
type calibrationReport struct {
	Profile   string            `json:"profile"`
	Scenarios []string          `json:"scenarios"`
	Source    string            `json:"source"`
	Runs      int               `json:"runs"`
	Host      string            `json:"host"`
	Ops       []costmodel.OpFit `json:"ops"`
	Overhead  struct {
		JobSubmitS   float64 `json:"job_submit_s"`
		StageSubmitS float64 `json:"stage_submit_s"`
		JobDriverS   float64 `json:"job_driver_s"`
	} `json:"overheads"`
	Skipped []string `json:"skipped,omitempty"`
	// MeasuringS is the wall-clock seconds the runs took (runs taken from a journal take none):
	// what the calibration cost, to weigh against how well the profile predicts.
	MeasuringS float64 `json:"measuring_s,omitempty"`
	// Disturbed says the calibration rests on disturbed runs (some parallelism of a scenario had
	// no undisturbed run); nil when calibrating from event logs, whose runs were not watched.
	Disturbed            *bool                  `json:"disturbed,omitempty"`
	DisturbanceThreshold string                 `json:"disturbance_threshold,omitempty"`
	MeasuredRuns         []experiment.RunRecord `json:"measured_runs,omitempty"`
	// Notes are lines printed at the end of the table (disturbed runs).
	Notes []string `json:"notes,omitempty"`
	// Iterations is what the runs said of each iterative solver's iterations per param map.
	Iterations []learnedIterations `json:"iterations,omitempty"`
}

// calibrateFlags are calibrate's flags, and what parse makes of them.
type calibrateFlags struct {
	names, logs                                      []string
	par, against, rows, base, out, name, scenarioDir string
	runs                                             int
	cf                                               campaignFlags
	spf                                              sparkFlags
	plot                                             *plotFlag
	// ps, sizes and baseProfile are --parallelism, --rows and --base, parsed.
	ps          []int
	sizes       []int64
	baseProfile *costmodel.Profile
}

// newCalibrateFlags registers calibrate's flags.
func newCalibrateFlags(c *cli) (*flags, *calibrateFlags) {
	f := newFlags(c, "calibrate", "calibrate [-s SCENARIO]... [--against real|spark] [--master URL] [--rows A,B] [--parallelism 1] [--runs N] [--retry-disturbed N] [--journal FILE] [--from-eventlog PATH]... -o PROFILE [--plot FILE] [--format table|json]")
	o := &calibrateFlags{}
	f.StringArrayVarP(&o.names, "scenario", "s", nil, "built-in scenario `NAME` or FILE to run (repeat for several; default seed-tvs)")
	f.StringVar(&o.par, "parallelism", "1", "parallelism values to run: `N`, A:B or a,b,c (serial runs calibrate best: parallel gaps hold queueing)")
	f.IntVar(&o.runs, "runs", 3, "runs per scenario and parallelism")
	f.StringVar(&o.against, "against", "real", "what to run: `real` (goroutine slot pool) or spark (PySpark harness)")
	f.StringVar(&o.rows, "rows", "", "run each scenario at these data sizes, `A,B,...` rows (data.rows; default its own): two or more sizes fit the per-row costs")
	o.cf.add(f)
	o.spf.add(f)
	f.StringArrayVar(&o.logs, "from-eventlog", nil, "calibrate from a Spark event log `PATH` of spark/tune.py (file or rolling-log directory; repeat for several) instead of running; -s names the scenario it ran")
	f.StringVar(&o.base, "base", costmodel.Gonum, "profile `NAME|FILE` whose non-zero terms each operation may use (plus a fixed cost)")
	f.StringVarP(&o.out, "output", "o", "", "write the calibrated profile to `FILE` (required)")
	f.StringVar(&o.name, "name", "", "the profile's name (default: calibrated-<scenarios>)")
	f.StringVar(&o.scenarioDir, "scenario-dir", "", "write each scenario whose runs took other iterations (L-BFGS, KMeans) than it expects, with those of each param map, to `DIR`/NAME.json")
	f.StringVar(&f.format, "format", "table", "report format on stdout: table or json")
	o.plot = addPlotFlag(f, "plot", "draw predicted against measured seconds per operation to `FILE`")
	return f, o
}

// parse parses args and checks them.
func (o *calibrateFlags) parse(f *flags, args []string) error {
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() > 0 {
		return badUsage("unexpected arguments %q", f.Args())
	}
	if o.out == "" {
		return badUsage("-o PROFILE is required: where to write the calibrated profile")
	}
	if f.format == "csv" {
		return badUsage("--format csv: allowed for calibrate are table and json")
	}
	if o.runs < 1 {
		return badUsage("--runs %d: allowed are 1 or more", o.runs)
	}
	if err := o.cf.check(); err != nil {
		return err
	}
	var err error
	if o.ps, err = parseParallelism("parallelism", o.par); err != nil {
		return err
	}
	if len(o.names) == 0 {
		o.names = []string{scenarios.Default}
	}
	if o.baseProfile, err = costmodel.Load(o.base, ""); err != nil {
		return badInput(fmt.Errorf("--base: %w", err))
	}
	if o.rows != "" {
		if o.sizes, err = experiment.ParseRows(o.rows); err != nil {
			return badUsage("--rows %q: %v; allowed: a,b,... rows", o.rows, err)
		}
	}
	if o.against != "real" && o.against != "spark" {
		return badUsage("--against %q: allowed are real and spark", o.against)
	}
	if len(o.logs) > 0 && (o.cf.journalPath != "" || o.sizes != nil || o.against != "real") {
		return badUsage("--journal, --rows and --against: calibrating from event logs runs nothing")
	}
	return nil
}

// calibrationRuns are the runs calibrate fits a profile to, and where they came from.
type calibrationRuns struct {
	runs      []costmodel.Run
	scenarios []string
	source    string
	host      string
	// measured is what the host did around the runs calibrate made (nil for event logs);
	// measuring is how long they took.
	measured  *calibrationMeasured
	measuring time.Duration
}

func runCalibrate(args []string, c *cli) error {
	f, o := newCalibrateFlags(c)
	if err := o.parse(f, args); err != nil {
		return err
	}
	if len(o.logs) > 0 {
		runs, names, host, err := eventLogRuns(o.logs, o.names)
		if err != nil {
			return err
		}
		return o.calibrate(c, f, &calibrationRuns{runs: runs, scenarios: names, source: "spark", host: host})
	}
	m, done, err := o.spf.measurerFor(o.against)
	if err != nil {
		return err
	}
	defer done()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	g, err := o.measure(ctx, c, m)
	if err != nil {
		return err
	}
	return o.calibrate(c, f, g)
}

// measure runs each scenario at each size with m.
func (o *calibrateFlags) measure(ctx context.Context, c *cli, m experiment.Measurer) (*calibrationRuns, error) {
	var scens []*scenarios.Scenario
	for _, n := range o.names {
		s, err := loadScenario(n)
		if err != nil {
			return nil, err
		}
		sized, err := experiment.AtEachRows(s, o.sizes)
		if re := (*experiment.RowsError)(nil); errors.As(err, &re) {
			return nil, badUsage("--rows %d: %v", re.Rows, re.Err)
		} else if err != nil {
			return nil, err
		}
		scens = append(scens, sized...)
	}
	g := &calibrationRuns{source: m.Source(), host: experiment.RealHost(), measured: &calibrationMeasured{}}
	var err error
	g.measuring, err = o.cf.runCampaigns(ctx, c, m, scens, o.ps, o.runs, o.base, o.spf.master, func(i int, ms *experiment.Measured) error {
		g.runs = append(g.runs, ms.CalibrationRuns()...)
		g.measured.add(scens[i].Name, ms, len(scens) > 1)
		g.scenarios = append(g.scenarios, scens[i].Name)
		if sm, ok := m.(*standaloneChecked); ok {
			g.host = sm.Host(ms)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return g, nil
}

// calibrate fits the profile to g's runs, writes it, and reports how well it fits.
func (o *calibrateFlags) calibrate(c *cli, f *flags, g *calibrationRuns) error {
	pname := o.name
	if pname == "" {
		pname = "calibrated-" + strings.Join(g.scenarios, "+")
	}
	cal, err := costmodel.Calibrate(g.runs, costmodel.CalibrateOptions{
		Base: o.baseProfile, Name: pname, Host: g.host,
		Description: fmt.Sprintf("Calibrated by `simulate calibrate` on %s from %d %s runs of %s at parallelism %s, %s.",
			time.Now().UTC().Format("2006-01-02"), len(g.runs), g.source, strings.Join(g.scenarios, ", "), o.par, "terms allowed by "+o.base),
	})
	if err != nil {
		return badInput(err)
	}
	if err := cal.Profile.WriteFile(o.out); err != nil {
		return fmt.Errorf("writing profile: %w", err)
	}
	learned, err := learnIterations(g.runs, o.scenarioDir)
	if err != nil {
		return err
	}
	rep := calibrationReport{Profile: o.out, Scenarios: g.scenarios, Source: g.source, Runs: len(g.runs), Host: g.host, Ops: cal.Ops, Skipped: cal.Skipped,
		MeasuringS: g.measuring.Seconds()}
	if cm := g.measured; cm != nil {
		rep.Disturbed, rep.DisturbanceThreshold, rep.MeasuredRuns, rep.Notes = &cm.disturbed, cm.threshold, cm.runs, cm.notes
	}
	rep.Iterations = learned
	rep.Overhead.JobSubmitS, rep.Overhead.StageSubmitS, rep.Overhead.JobDriverS = cal.Profile.Overhead.JobSubmitS, cal.Profile.Overhead.StageSubmitS, cal.Profile.Overhead.JobDriverS
	if err := writeCalibration(c.stdout, f.format, &rep); err != nil {
		return err
	}
	if !o.plot.set() {
		return nil
	}
	var pts []plots.CalibrationPoint
	for _, p := range cal.Points {
		pts = append(pts, plots.CalibrationPoint{Op: p.Label, Measured: p.Measured, Predicted: p.Predicted})
	}
	title := fmt.Sprintf("%s: calibration of %s (%d %s runs)", strings.Join(g.scenarios, ", "), pname, len(g.runs), g.source)
	return plots.Calibration(title, pts, o.plot.path, o.plot.opts())
}

func writeCalibration(w io.Writer, format string, r *calibrationReport) error {
	if format == "json" {
		return writeJSON(w, "report", r)
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "operation\tsamples\tR²\trms residual ms\tmeasured s\tpredicted s\t")
	for _, o := range r.Ops {
		fmt.Fprintf(tw, "%s\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t\n", o.Label, o.Samples, o.R2, 1000*o.RMSResidualS, o.TotalMeasured, o.TotalPredicted)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\noverheads: job submit %.3f ms, stage submit %.3f ms, job result on the driver %.3f ms\n",
		1000*r.Overhead.JobSubmitS, 1000*r.Overhead.StageSubmitS, 1000*r.Overhead.JobDriverS)
	fmt.Fprintf(w, "profile written to %s (%d %s runs of %s on %s)\n", r.Profile, r.Runs, r.Source, strings.Join(r.Scenarios, ", "), r.Host)
	if r.MeasuringS > 0 {
		fmt.Fprintf(w, "the runs took %.1f minutes\n", r.MeasuringS/60)
	}
	for _, s := range r.Skipped {
		fmt.Fprintf(w, "skipped: %s\n", s)
	}
	for _, n := range r.Notes {
		fmt.Fprintln(w, n)
	}
	writeLearnedIterations(w, r.Iterations)
	return nil
}

// calibrationMeasured gathers what the host did around the runs of each scenario calibrate ran.
type calibrationMeasured struct {
	disturbed bool
	threshold string
	runs      []experiment.RunRecord
	notes     []string
}

// add adds the runs of scenario name; with several scenarios, notes name theirs.
func (cm *calibrationMeasured) add(name string, ms *experiment.Measured, several bool) {
	cm.disturbed = cm.disturbed || ms.Disturbed()
	cm.threshold = ms.Threshold.String()
	for _, r := range ms.Records() {
		r.Scenario = name
		cm.runs = append(cm.runs, r)
	}
	for _, n := range ms.DisturbanceNotes() {
		if several {
			n = name + ": " + n
		}
		cm.notes = append(cm.notes, n)
	}
}

// eventLogRuns loads the scenarios and reads harness event logs for calibration: one scenario for
// all logs, or one per log.
func eventLogRuns(paths, names []string) (runs []costmodel.Run, scenarioNames []string, host string, err error) {
	if len(names) != 1 && len(names) != len(paths) {
		return nil, nil, "", badUsage("--from-eventlog: give one -s for all %d logs or one per log (got %d)", len(paths), len(names))
	}
	var scens []*scenarios.Scenario
	for _, n := range names {
		s, err := loadScenario(n)
		if err != nil {
			return nil, nil, "", err
		}
		scens = append(scens, s)
	}
	runs, scenarioNames, host, err = experiment.EventLogRuns(paths, scens)
	if err != nil {
		return nil, nil, "", badInput(err)
	}
	return runs, scenarioNames, host, nil
}
