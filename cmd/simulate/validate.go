package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"text/tabwriter"

	"tunesim/costmodel"
	"tunesim/experiment"
	"tunesim/plots"
	"tunesim/scenarios"
)

func init() {
	register(&command{name: "validate", summary: "simulate and run for real at each parallelism, and compare", run: runValidate})
}

// validateFlags are validate's flags, and what parse makes of them.
type validateFlags struct {
	scenario, against, profile, par, rowsScale string
	runs                                       int
	cf                                         campaignFlags
	spf                                        sparkFlags
	pricing                                    pricingFlags
	plot                                       *plotFlag
	// ps is --parallelism, parsed.
	ps []int
}

// newValidateFlags registers validate's flags.
func newValidateFlags(c *cli) (*flags, *validateFlags) {
	f := newFlags(c, "validate", "validate [-s SCENARIO] [--against real|spark] [--profile NAME|FILE [--strict] [--borrow-from FILE]...] [--rows-scale F1,F2] [--parallelism 1:4] [--runs N] [--retry-disturbed N] [--journal FILE] [--master URL] [--plot FILE] [--format table|json|csv] [-o FILE]")
	o := &validateFlags{}
	f.StringVarP(&o.scenario, "scenario", "s", scenarios.Default, "built-in scenario `NAME` or scenario FILE")
	f.StringVar(&o.against, "against", "real", "what to run: `real` (goroutine slot pool) or spark (PySpark harness)")
	f.StringVar(&o.profile, "profile", "", "cost profile `NAME|FILE` to simulate with (default: calibrated from this validation's serial runs, parallelism 1 added if missing)")
	f.StringVar(&o.par, "parallelism", "1:4", "parallelism values: `A:B`, A:B:STEP or a,b,c")
	f.IntVar(&o.runs, "runs", 3, "runs per parallelism (the median of the undisturbed ones is compared)")
	f.StringVar(&o.rowsScale, "rows-scale", "", "validate at data.rows times each factor `F1,F2` (e.g. 4,16) instead: how --profile (required; several separated by commas are compared on the same runs), calibrated at other sizes, extrapolates")
	o.cf.add(f)
	o.spf.add(f)
	o.pricing.add(f)
	o.plot = addPlotFlag(f, "plot", "draw simulated and real makespans and speedups to `FILE`")
	f.outputFlags()
	return f, o
}

// parse parses args and checks them.
func (o *validateFlags) parse(f *flags, args []string) error {
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() > 0 {
		return badUsage("unexpected arguments %q", f.Args())
	}
	if o.runs < 1 {
		return badUsage("--runs %d: allowed are 1 or more", o.runs)
	}
	if err := o.cf.check(); err != nil {
		return err
	}
	var err error
	o.ps, err = parseParallelism("parallelism", o.par)
	return err
}

func runValidate(args []string, c *cli) error {
	f, o := newValidateFlags(c)
	if err := o.parse(f, args); err != nil {
		return err
	}
	s, err := loadScenario(o.scenario)
	if err != nil {
		return err
	}
	if o.rowsScale != "" {
		if o.profile == "" {
			return badUsage("--rows-scale needs --profile: profiles calibrated at other sizes (simulate calibrate --rows A,B), one or several separated by commas, whose extrapolation it checks")
		}
		return o.validateSizes(c, f, s)
	}
	return o.validate(c, f, s)
}

// validate measures s at each parallelism and compares the runs with the simulation priced by
// --profile, or by a profile calibrated from the serial runs.
func (o *validateFlags) validate(c *cli, f *flags, s *scenarios.Scenario) error {
	var prof costmodel.Model
	var profName string
	var borrowed []costmodel.Borrowed
	var err error
	ps := o.ps
	if o.profile != "" {
		if prof, profName, borrowed, err = loadProfile(s, o.profile, o.pricing); err != nil {
			return err
		}
	} else if !slices.Contains(ps, 1) {
		ps = append([]int{1}, ps...)
	}
	m, done, err := o.spf.measurerFor(o.against)
	if err != nil {
		return err
	}
	defer done()
	journalProfile := o.profile
	if journalProfile == "" {
		journalProfile = "calibrated from the serial runs"
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var ms *experiment.Measured
	_, err = o.cf.runCampaigns(ctx, c, m, []*scenarios.Scenario{s}, ps, o.runs, journalProfile, o.spf.master, func(_ int, got *experiment.Measured) error {
		ms = got
		return nil
	})
	if err != nil {
		return err
	}
	if prof == nil {
		cal, err := ms.CalibrateSerial()
		if err != nil {
			return err
		}
		prof = cal.Profile
		profName = fmt.Sprintf("calibrated from the %d serial %s runs", len(ms.CountedAt(1)), m.Source())
	}
	v, err := experiment.Compare(s, prof, profName, ms, m.Source())
	if err != nil {
		return err
	}
	v.Borrowed, v.Notes = borrowed, append(v.Notes, borrowedNotes(borrowed)...)
	if err := writeValidation(f, v); err != nil {
		return err
	}
	if !o.plot.set() {
		return nil
	}
	return plotValidation(v, profName, o.plot.path, o.plot)
}

// plotValidation draws v's simulated and measured makespans and speedups to path, the title
// naming the profile as profile.
func plotValidation(v *experiment.Validation, profile, path string, plot *plotFlag) error {
	var rows []plots.ValidationRow
	for _, r := range v.Rows {
		rows = append(rows, plots.ValidationRow{Parallelism: r.Parallelism, SimulatedS: r.SimulatedS, RealS: r.RealS, SimulatedSpeedup: r.SimulatedSpeedup, RealSpeedup: r.RealSpeedup})
	}
	title := fmt.Sprintf("%s: simulated (profile %s) vs %s, median |error| %.1f%%", v.Scenario, profile, v.Against, v.MedianAbsErrorPct)
	return plots.Validation(title, rows, path, plot.opts())
}

func writeValidation(f *flags, v *experiment.Validation) error {
	return f.write(func(w io.Writer) error {
		switch f.format {
		case "json":
			return writeJSON(w, "validation", v)
		case "csv":
			cw := csv.NewWriter(w)
			_ = cw.Write([]string{"parallelism", "simulated_s", "real_s", "real_p10_s", "real_p90_s", "error_pct", "simulated_speedup", "real_speedup", "disturbed"})
			for _, r := range v.Rows {
				_ = cw.Write([]string{strconv.Itoa(r.Parallelism), num(r.SimulatedS), num(r.RealS), num(r.RealP10S), num(r.RealP90S), num(r.ErrorPct), num(r.SimulatedSpeedup), num(r.RealSpeedup), strconv.FormatBool(r.Disturbed)})
			}
			cw.Flush()
			return cw.Error()
		}
		return writeValidationTable(w, v)
	})
}

func num(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) }

func writeValidationTable(w io.Writer, v *experiment.Validation) error {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "parallelism\tsimulated s\t%s s (p10-p90)\terror\tsim speedup\t%s speedup\t\n", v.Against, v.Against)
	marks := map[int]string{}
	for _, r := range v.Rows {
		if r.Disturbed {
			marks[r.Parallelism] = experiment.DisturbedMark
		}
	}
	for _, r := range v.Rows {
		fmt.Fprintf(tw, "%s\t%.3f\t%.3f (%.3f-%.3f)\t%+.1f%%\t%.2f\t%.2f\t\n", parallelismCell(r.Parallelism, marks), r.SimulatedS, r.RealS, r.RealP10S, r.RealP90S, r.ErrorPct, r.SimulatedSpeedup, r.RealSpeedup)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	holds := "holds"
	if !v.RecommendationHolds {
		holds = "does not hold"
	}
	fmt.Fprintf(w, "\n%s vs simulated (profile %s, on %s, %d %s runs per row): median |error| %.1f%%, max %.1f%%\n",
		v.Against, v.Profile, v.Host, v.Runs, v.Against, v.MedianAbsErrorPct, v.MaxAbsErrorPct)
	fmt.Fprintf(w, "simulation recommends %d; %s recommends %d by the same rule, fastest %d: the recommendation %s\n",
		v.RecommendedParallelism, v.Against, v.RealRecommended, v.RealFastest, holds)
	for _, n := range v.Notes {
		fmt.Fprintln(w, n)
	}
	return nil
}
