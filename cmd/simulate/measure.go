package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"tunesim/experiment"
	"tunesim/hostload"
	"tunesim/scenarios"
)

// campaignFlags are what every command that measures runs (real, spark, calibrate, validate)
// shares: rerunning disturbed runs, and the journal of finished runs.
type campaignFlags struct {
	retryDisturbed int
	journalPath    string
	anyBuild       bool
	journal        *experiment.Journal
}

func (cf *campaignFlags) add(f *flags) {
	f.IntVar(&cf.retryDisturbed, "retry-disturbed", 0, "run a run the host disturbed (see the notes under the table) again, up to `N` times")
	f.StringVar(&cf.journalPath, "journal", "", "append every finished run to `FILE`, and take the runs it holds from it instead of running them again (the same command goes on where an interrupted one stopped)")
	f.BoolVar(&cf.anyBuild, "journal-any-build", false, "take --journal's runs also when another tunesim build measured them (the campaign otherwise the same): simulate them again with this build; stderr names the builds")
}

// openJournal opens --journal, when given, for campaigns of keys; a journal of other campaigns is
// bad input. close closes it.
func (cf *campaignFlags) openJournal(keys ...experiment.JournalKey) (close func(), err error) {
	if cf.journalPath == "" {
		return func() {}, nil
	}
	open := experiment.OpenJournal
	if cf.anyBuild {
		open = experiment.OpenJournalOfAnyBuild
	}
	if cf.journal, err = open(cf.journalPath, keys...); err != nil {
		return nil, badInput(err)
	}
	return func() { cf.journal.Close() }, nil
}

// journalKey is the key of a campaign of s measured by m with profile, seed and master: its
// runs in a journal are reused only by a campaign of the same key.
func journalKey(s *scenarios.Scenario, m experiment.Measurer, profile string, seed uint64, master string) (experiment.JournalKey, error) {
	return experiment.NewJournalKey(s, m.Source(), profile, seed, master)
}

// check checks the parsed flags.
func (cf *campaignFlags) check() error {
	if cf.retryDisturbed < 0 || cf.retryDisturbed > 100 {
		return badUsage("--retry-disturbed %d: allowed are 0 to 100", cf.retryDisturbed)
	}
	if cf.anyBuild && cf.journalPath == "" {
		return badUsage("--journal-any-build: give the --journal FILE whose runs to take")
	}
	return nil
}

// newProbe makes the host probe of a campaign (tests replace it).
var newProbe = hostload.NewProbe

// campaign is the campaign of runs runs of s at each of ps with m, journaled under key when the
// journal is open, reporting progress under label and warnings on stderr.
func (cf *campaignFlags) campaign(c *cli, m experiment.Measurer, s *scenarios.Scenario, ps []int, runs int, label string, key experiment.JournalKey) *experiment.Campaign {
	return &experiment.Campaign{Measurer: m, Scenario: s, Parallelisms: ps, Runs: runs, RetryDisturbed: cf.retryDisturbed,
		Journal: cf.journal, JournalKey: key, Probe: newProbe(), Progress: c.progress(label), Log: c.stderr}
}

// runCampaigns runs a campaign of runs runs of each of scens at each of ps with m, in turn, under
// --journal (keyed by profile and master, seed 0), giving each's runs to measured before the
// next begins; it returns how long the campaigns took.
func (cf *campaignFlags) runCampaigns(ctx context.Context, c *cli, m experiment.Measurer, scens []*scenarios.Scenario, ps []int, runs int,
	profile, master string, measured func(i int, ms *experiment.Measured) error) (time.Duration, error) {
	cs := &experiment.Campaigns{Measurer: m, Scenarios: scens, Profile: profile, Master: master, OpenJournal: cf.openJournal,
		NewCampaign: func(s *scenarios.Scenario, key experiment.JournalKey) *experiment.Campaign {
			return cf.campaign(c, m, s, ps, runs, "running "+s.Name+" ("+m.Source()+")", key)
		}}
	return cs.Run(ctx, measured)
}

// measuredReport is the report of measured runs: what run and sweep report for simulations
// (medians with spread, speedup, the best param map of the first run, notes on what the runs
// disagreed on), plus what the host did around each run.
type measuredReport struct {
	*report
	// Disturbed says some parallelism's figures rest on disturbed runs (marked in the table).
	Disturbed            bool                   `json:"disturbed"`
	DisturbanceThreshold string                 `json:"disturbance_threshold"`
	MeasuredRuns         []experiment.RunRecord `json:"measured_runs"`
}

func newMeasuredReport(ms *experiment.Measured, s *scenarios.Scenario, source, host string) *measuredReport {
	results, note := ms.Results()
	rep := newReport(s, source, results)
	rep.Seed, rep.Replicas, rep.Host = s.Seed, len(ms.Runs[0]), host
	first := ms.First()
	rep.BestParamMap = first.BestParams
	if r := first.Plan.Refit(); r != nil {
		rep.BestParamLabel = first.Plan.ParamMaps[r.ParamMap].String()
	}
	metric := first.BestMetric
	rep.BestMetric = &metric
	if note != "" {
		rep.Notes = append(rep.Notes, note)
	}
	if n := ms.Disagreements(); n > 0 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("note: %d runs chose another best param map than the first run", n))
	}
	if s.Noise.TaskCV != 0 {
		rep.Notes = append(rep.Notes, "note: noise.task_cv applies to simulations only; measured runs vary by themselves")
	}
	rep.Notes = append(rep.Notes, metricNote(s))
	for i, p := range ms.Parallelisms {
		if ms.AllDisturbed(i) {
			if rep.Marks == nil {
				rep.Marks = map[int]string{}
			}
			rep.Marks[p] = experiment.DisturbedMark
		}
	}
	rep.Notes = append(rep.Notes, ms.DisturbanceNotes()...)
	return &measuredReport{report: rep, Disturbed: ms.Disturbed(), DisturbanceThreshold: ms.Threshold.String(), MeasuredRuns: ms.Records()}
}

// writeMeasured writes r in the flags' format to stdout or -o: JSON with the runs, or the table
// or CSV of a report.
func (f *flags) writeMeasured(r *measuredReport) error {
	if f.format != "json" {
		return f.writeReport(r.report)
	}
	return f.write(func(w io.Writer) error {
		return writeJSON(w, "report", r)
	})
}

// parallelismCell is parallelism p as a table prints it, with its mark when it has one.
func parallelismCell(p int, marks map[int]string) string { return strconv.Itoa(p) + marks[p] }

// metricNote says what the best param map's metric is: the scenario's evaluator's, on the
// validation split (mean over folds), and which way is better (as Spark's isLargerBetter).
func metricNote(s *scenarios.Scenario) string {
	ev := s.Units().Evaluator
	metric, larger := "RMSE", false
	named := func() string { // the metricName param, spelt as Spark spells it
		p, _ := ev.Param("metricName")
		v := ev.Values(s.Pipeline.Source(nil)).Str("metricName")
		for _, c := range p.Choices {
			if strings.EqualFold(c, v) {
				return c
			}
		}
		return v
	}
	switch ev.Name {
	case "binary_classification_evaluator":
		metric, larger = named(), true
	case "multiclass_classification_evaluator":
		metric = named()
		larger = metric != "logLoss" && metric != "hammingLoss"
	case "clustering_evaluator":
		metric, larger = "silhouette", true
	}
	way := "smaller"
	if larger {
		way = "larger"
	}
	return fmt.Sprintf("metric: %s's %s on the validation split (mean over folds), %s is better", ev.Name, metric, way)
}
