package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"tunesim/sparklog"
)

func init() {
	register(&command{name: "eventlog", summary: "read a Spark event log: eventlog summary PATH", run: runEventlog})
}

// eventlogSummary is what `eventlog summary` prints: what the log says and the run's figures,
// every figure computed by the trace package's metrics.
type eventlogSummary struct {
	AppID              string   `json:"app_id"`
	AppName            string   `json:"app_name"`
	SparkVersion       string   `json:"spark_version"`
	Master             string   `json:"master"`
	Jobs               int      `json:"jobs"`
	Stages             int      `json:"stages"`
	Tasks              int      `json:"tasks"`
	Fits               int      `json:"fits"`
	Executors          int      `json:"executors"`
	Slots              int      `json:"slots"`
	MakespanS          float64  `json:"makespan_s"`
	Utilization        float64  `json:"utilization"`
	IdleCoreS          float64  `json:"idle_core_s"`
	MeanConcurrentFits float64  `json:"mean_concurrent_fits"`
	InProgress         bool     `json:"in_progress"`
	UnfinishedJobs     int      `json:"unfinished_jobs"`
	UnfinishedStages   int      `json:"unfinished_stages"`
	UnfinishedTasks    int      `json:"unfinished_tasks"`
	Files              []string `json:"files"`
	Warnings           []string `json:"warnings"`
}

func runEventlog(args []string, c *cli) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(c.stdout, "Usage: simulate eventlog summary PATH [--format table|json|csv] [-o FILE]\n\n"+
			"PATH is a Spark event log: a file (plain, .zstd, .lz4, .snappy, perhaps .inprogress) or a rolling\n"+
			"log's directory (eventlog_v2_<appId>/). See simulate eventlog summary --help.")
		if len(args) == 0 {
			return badUsage("want a subcommand: eventlog summary PATH")
		}
		return errHelp
	}
	if args[0] != "summary" {
		return badUsage("unknown subcommand %q: allowed is summary (simulate eventlog summary PATH)", args[0])
	}
	f := newFlags(c, "eventlog summary", "eventlog summary PATH [--format table|json|csv] [-o FILE]")
	f.outputFlags()
	if err := f.parse(args[1:]); err != nil {
		return err
	}
	if f.NArg() != 1 {
		return badUsage("want one event log PATH, got %d arguments (see simulate eventlog summary --help)", f.NArg())
	}
	if isLog, err := sparklog.IsEventLog(f.Arg(0)); err == nil && !isLog {
		return badUsage("%s is a tunesim trace, not a Spark event log (its figures: simulate run, or export it as an event log first)", f.Arg(0))
	}
	m, info, err := sparklog.Summarize(f.Arg(0))
	if err != nil {
		return badInput(err)
	}
	s := eventlogSummary{AppID: info.AppID, AppName: info.AppName, SparkVersion: info.SparkVersion, Master: info.Master,
		Jobs: m.Jobs, Stages: m.Stages, Tasks: m.Tasks, Fits: m.Fits, Executors: len(info.TraceExecutors()), Slots: m.Slots,
		MakespanS: m.Makespan.Seconds(), Utilization: m.Utilization(), IdleCoreS: m.IdleCoreSeconds(), MeanConcurrentFits: m.MeanConcurrentFits(),
		InProgress: info.InProgress, UnfinishedJobs: info.UnfinishedJobs, UnfinishedStages: info.UnfinishedStages, UnfinishedTasks: info.UnfinishedTasks,
		Files: info.Files, Warnings: info.Warnings}
	if s.Warnings == nil {
		s.Warnings = []string{}
	}
	return f.write(func(w io.Writer) error {
		switch f.format {
		case "json":
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			enc.SetEscapeHTML(false)
			return enc.Encode(s)
		case "csv":
			cw := csv.NewWriter(w)
			keys, values := s.fields()
			if err := cw.Write(keys); err != nil {
				return err
			}
			if err := cw.Write(values); err != nil {
				return err
			}
			cw.Flush()
			return cw.Error()
		}
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		keys, values := s.fields()
		for i := range keys {
			fmt.Fprintf(tw, "%s\t%s\n", keys[i], values[i])
		}
		return tw.Flush()
	})
}

// fields lists the summary's keys (its JSON names) and values as text, in order.
func (s eventlogSummary) fields() ([]string, []string) {
	kv := [][2]string{
		{"app_id", s.AppID}, {"app_name", s.AppName}, {"spark_version", s.SparkVersion}, {"master", s.Master},
		{"jobs", strconv.Itoa(s.Jobs)}, {"stages", strconv.Itoa(s.Stages)}, {"tasks", strconv.Itoa(s.Tasks)}, {"fits", strconv.Itoa(s.Fits)},
		{"executors", strconv.Itoa(s.Executors)}, {"slots", strconv.Itoa(s.Slots)},
		{"makespan_s", num(s.MakespanS)}, {"utilization", num(s.Utilization)}, {"idle_core_s", num(s.IdleCoreS)},
		{"mean_concurrent_fits", num(s.MeanConcurrentFits)}, {"in_progress", strconv.FormatBool(s.InProgress)},
		{"unfinished_jobs", strconv.Itoa(s.UnfinishedJobs)}, {"unfinished_stages", strconv.Itoa(s.UnfinishedStages)},
		{"unfinished_tasks", strconv.Itoa(s.UnfinishedTasks)}, {"files", strings.Join(s.Files, " ")}, {"warnings", strings.Join(s.Warnings, "; ")},
	}
	keys, values := make([]string, len(kv)), make([]string, len(kv))
	for i, p := range kv {
		keys[i], values[i] = p[0], p[1]
	}
	return keys, values
}
