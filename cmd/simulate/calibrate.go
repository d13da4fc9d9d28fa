package main

import (
	"context"
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

func runCalibrate(args []string, c *cli) error {
	f := newFlags(c, "calibrate", "calibrate [-s SCENARIO]... [--against real|spark] [--master URL] [--rows A,B] [--parallelism 1] [--runs N] [--retry-disturbed N] [--journal FILE] [--from-eventlog PATH]... -o PROFILE [--plot FILE] [--format table|json]")
	scen := f.StringArrayP("scenario", "s", nil, "built-in scenario `NAME` or FILE to run (repeat for several; default seed-tvs)")
	par := f.String("parallelism", "1", "parallelism values to run: `N`, A:B or a,b,c (serial runs calibrate best: parallel gaps hold queueing)")
	runs := f.Int("runs", 3, "runs per scenario and parallelism")
	against := f.String("against", "real", "what to run: `real` (goroutine slot pool) or spark (PySpark harness)")
	rowsFlag := f.String("rows", "", "run each scenario at these data sizes, `A,B,...` rows (data.rows; default its own): two or more sizes fit the per-row costs")
	var cf campaignFlags
	cf.add(f)
	var spf sparkFlags
	spf.add(f)
	logs := f.StringArray("from-eventlog", nil, "calibrate from a Spark event log `PATH` of spark/tune.py (file or rolling-log directory; repeat for several) instead of running; -s names the scenario it ran")
	base := f.String("base", costmodel.Gonum, "profile `NAME|FILE` whose non-zero terms each operation may use (plus a fixed cost)")
	var out string
	f.StringVarP(&out, "output", "o", "", "write the calibrated profile to `FILE` (required)")
	name := f.String("name", "", "the profile's name (default: calibrated-<scenarios>)")
	scenarioDir := f.String("scenario-dir", "", "write each scenario whose runs took other iterations (L-BFGS, KMeans) than it expects, with those of each param map, to `DIR`/NAME.json")
	f.StringVar(&f.format, "format", "table", "report format on stdout: table or json")
	plot := addPlotFlag(f, "plot", "draw predicted against measured seconds per operation to `FILE`")
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() > 0 {
		return badUsage("unexpected arguments %q", f.Args())
	}
	if out == "" {
		return badUsage("-o PROFILE is required: where to write the calibrated profile")
	}
	if f.format == "csv" {
		return badUsage("--format csv: allowed for calibrate are table and json")
	}
	if *runs < 1 {
		return badUsage("--runs %d: allowed are 1 or more", *runs)
	}
	if err := cf.check(); err != nil {
		return err
	}
	ps, err := parseParallelism("parallelism", *par)
	if err != nil {
		return err
	}
	names := *scen
	if len(names) == 0 {
		names = []string{scenarios.Default}
	}
	baseProfile, err := costmodel.Load(*base, "")
	if err != nil {
		return badInput(fmt.Errorf("--base: %w", err))
	}
	var sizes []int64
	if *rowsFlag != "" {
		if sizes, err = experiment.ParseRows(*rowsFlag); err != nil {
			return badUsage("--rows %q: %v; allowed: a,b,... rows", *rowsFlag, err)
		}
	}
	if *against != "real" && *against != "spark" {
		return badUsage("--against %q: allowed are real and spark", *against)
	}
	var calRuns []costmodel.Run
	var scenarioNames []string
	var measured calibrationMeasured
	var measuring time.Duration
	source, host := "real", experiment.RealHost()
	if len(*logs) > 0 {
		if cf.journalPath != "" || sizes != nil || *against != "real" {
			return badUsage("--journal, --rows and --against: calibrating from event logs runs nothing")
		}
		source = "spark"
		if calRuns, scenarioNames, host, err = eventLogRuns(*logs, names); err != nil {
			return err
		}
	} else {
		m, done, err := spf.measurerFor(*against)
		if err != nil {
			return err
		}
		defer done()
		source = m.Source()
		var scens []*scenarios.Scenario
		var keys []experiment.JournalKey
		for _, n := range names {
			s, err := loadScenario(n)
			if err != nil {
				return err
			}
			sized := []*scenarios.Scenario{s}
			if sizes != nil {
				sized = sized[:0]
				for _, rows := range sizes {
					sr, err := experiment.AtRows(s, rows)
					if err != nil {
						return badUsage("--rows %d: %v", rows, err)
					}
					sized = append(sized, sr)
				}
			}
			for _, sr := range sized {
				key, err := journalKey(sr, m, *base, 0, spf.master)
				if err != nil {
					return err
				}
				scens, keys = append(scens, sr), append(keys, key)
			}
		}
		closeJournal, err := cf.openJournal(keys...)
		if err != nil {
			return err
		}
		defer closeJournal()
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		start := time.Now()
		for i, s := range scens {
			ms, err := cf.campaign(c, m, s, ps, *runs, "running "+s.Name+" ("+source+")", keys[i]).Run(ctx)
			if err != nil {
				return err
			}
			calRuns = append(calRuns, ms.CalibrationRuns()...)
			measured.add(s.Name, ms, len(scens) > 1)
			scenarioNames = append(scenarioNames, s.Name)
			if sm, ok := m.(*standaloneChecked); ok {
				host = sm.Host(ms)
			}
		}
		measuring = time.Since(start)
	}
	pname := *name
	if pname == "" {
		pname = "calibrated-" + strings.Join(scenarioNames, "+")
	}
	cal, err := costmodel.Calibrate(calRuns, costmodel.CalibrateOptions{
		Base: baseProfile, Name: pname, Host: host,
		Description: fmt.Sprintf("Calibrated by `simulate calibrate` on %s from %d %s runs of %s at parallelism %s, %s.",
			time.Now().UTC().Format("2006-01-02"), len(calRuns), source, strings.Join(scenarioNames, ", "), *par, "terms allowed by "+*base),
	})
	if err != nil {
		return badInput(err)
	}
	if err := cal.Profile.WriteFile(out); err != nil {
		return fmt.Errorf("writing profile: %w", err)
	}
	learned, err := learnIterations(calRuns, *scenarioDir)
	if err != nil {
		return err
	}
	rep := calibrationReport{Profile: out, Scenarios: scenarioNames, Source: source, Runs: len(calRuns), Host: host, Ops: cal.Ops, Skipped: cal.Skipped,
		MeasuringS: measuring.Seconds()}
	if len(*logs) == 0 {
		rep.Disturbed, rep.DisturbanceThreshold, rep.MeasuredRuns, rep.Notes = &measured.disturbed, measured.threshold, measured.runs, measured.notes
	}
	rep.Iterations = learned
	rep.Overhead.JobSubmitS, rep.Overhead.StageSubmitS, rep.Overhead.JobDriverS = cal.Profile.Overhead.JobSubmitS, cal.Profile.Overhead.StageSubmitS, cal.Profile.Overhead.JobDriverS
	if err := writeCalibration(c.stdout, f.format, &rep); err != nil {
		return err
	}
	if plot.set() {
		var pts []plots.CalibrationPoint
		for _, p := range cal.Points {
			pts = append(pts, plots.CalibrationPoint{Op: p.Label, Measured: p.Measured, Predicted: p.Predicted})
		}
		title := fmt.Sprintf("%s: calibration of %s (%d %s runs)", strings.Join(scenarioNames, ", "), pname, len(calRuns), source)
		return plots.Calibration(title, pts, plot.path, plot.opts())
	}
	return nil
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
