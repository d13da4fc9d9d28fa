package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"tunesim/sparklog"
	"tunesim/trace"
)

func init() {
	register(&command{name: "eventlog", summary: "read a Spark event log: eventlog summary PATH", run: runEventlog})
}

// eventlogSummary is what `eventlog summary` prints: what the log says and the run's figures,
// every figure computed by the trace package's metrics.
type eventlogSummary struct {
	AppID              string  `json:"app_id"`
	AppName            string  `json:"app_name"`
	SparkVersion       string  `json:"spark_version"`
	Master             string  `json:"master"`
	Jobs               int     `json:"jobs"`
	Stages             int     `json:"stages"`
	Tasks              int     `json:"tasks"`
	Fits               int     `json:"fits"`
	Executors          int     `json:"executors"`
	Slots              int     `json:"slots"`
	MakespanS          float64 `json:"makespan_s"`
	Utilization        float64 `json:"utilization"`
	IdleCoreS          float64 `json:"idle_core_s"`
	MeanConcurrentFits float64 `json:"mean_concurrent_fits"`
	// What did not count: task attempts that failed, were killed or lost their output, the slot
	// time they held, the utilization of the work that counted, speculative copies, stage
	// retries, failed stage attempts and jobs, executors that came or went during the run, and
	// the most frequent reasons (as Spark's UI words them, first line, with their counts).
	FailedTasks        int      `json:"failed_tasks"`
	KilledTasks        int      `json:"killed_tasks"`
	LostOutputTasks    int      `json:"lost_output_tasks"`
	LostTaskS          float64  `json:"lost_task_s"`
	CountedUtilization float64  `json:"counted_utilization"`
	SpeculativeTasks   int      `json:"speculative_tasks"`
	StageRetries       int      `json:"stage_retries"`
	FailedStages       int      `json:"failed_stages"`
	FailedJobs         int      `json:"failed_jobs"`
	ExecutorsAdded     int      `json:"executors_added"`
	ExecutorsRemoved   int      `json:"executors_removed"`
	FailureReasons     []string `json:"failure_reasons"`
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
	acc, reasons := trace.NewAccumulator(0), reasonCounts{}
	info, err := sparklog.Stream(f.Arg(0), trace.Tee{acc, reasons})
	if err != nil {
		return badInput(err)
	}
	acc.SetExecutors(info.TraceExecutors())
	m := acc.Metrics()
	s := eventlogSummary{AppID: info.AppID, AppName: info.AppName, SparkVersion: info.SparkVersion, Master: info.Master,
		Jobs: m.Jobs, Stages: m.Stages, Tasks: m.Tasks, Fits: m.Fits, Executors: len(info.TraceExecutors()), Slots: m.Slots,
		MakespanS: m.Makespan.Seconds(), Utilization: m.Utilization(), IdleCoreS: m.IdleCoreSeconds(), MeanConcurrentFits: m.MeanConcurrentFits(),
		FailedTasks: m.FailedTasks, KilledTasks: m.KilledTasks, LostOutputTasks: m.LostTasks, LostTaskS: m.Lost.Seconds(),
		CountedUtilization: m.CountedUtilization(), SpeculativeTasks: m.SpeculativeTasks, StageRetries: m.StageRetries,
		FailedStages: m.FailedStages, FailedJobs: m.FailedJobs, FailureReasons: reasons.top(5),
		InProgress: info.InProgress, UnfinishedJobs: info.UnfinishedJobs, UnfinishedStages: info.UnfinishedStages, UnfinishedTasks: info.UnfinishedTasks,
		Files: info.Files, Warnings: info.Warnings}
	for _, e := range info.TraceExecutors() {
		if e.Added > 0 {
			s.ExecutorsAdded++
		}
		if e.Removed > 0 {
			s.ExecutorsRemoved++
		}
	}
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
		{"mean_concurrent_fits", num(s.MeanConcurrentFits)},
		{"failed_tasks", strconv.Itoa(s.FailedTasks)}, {"killed_tasks", strconv.Itoa(s.KilledTasks)}, {"lost_output_tasks", strconv.Itoa(s.LostOutputTasks)},
		{"lost_task_s", num(s.LostTaskS)}, {"counted_utilization", num(s.CountedUtilization)}, {"speculative_tasks", strconv.Itoa(s.SpeculativeTasks)},
		{"stage_retries", strconv.Itoa(s.StageRetries)}, {"failed_stages", strconv.Itoa(s.FailedStages)}, {"failed_jobs", strconv.Itoa(s.FailedJobs)},
		{"executors_added", strconv.Itoa(s.ExecutorsAdded)}, {"executors_removed", strconv.Itoa(s.ExecutorsRemoved)},
		{"failure_reasons", strings.Join(s.FailureReasons, "; ")},
		{"in_progress", strconv.FormatBool(s.InProgress)},
		{"unfinished_jobs", strconv.Itoa(s.UnfinishedJobs)}, {"unfinished_stages", strconv.Itoa(s.UnfinishedStages)},
		{"unfinished_tasks", strconv.Itoa(s.UnfinishedTasks)}, {"files", strings.Join(s.Files, " ")}, {"warnings", strings.Join(s.Warnings, "; ")},
	}
	keys, values := make([]string, len(kv)), make([]string, len(kv))
	for i, p := range kv {
		keys[i], values[i] = p[0], p[1]
	}
	return keys, values
}

// reasonCounts counts the reasons of the task attempts that did not count, by their first line
// (a sink beside the metrics' accumulator, told too of outputs lost later).
type reasonCounts map[string]int

// Add counts s's reason when its work did not count.
func (r reasonCounts) Add(s trace.Span) {
	if s.Kind == trace.KindTask && !s.Counted() {
		r[reasonKey(s)]++
	}
}

// Amend counts an attempt the log later says did not count.
func (r reasonCounts) Amend(s trace.Span, o trace.Outcome, reason string) {
	if s.Kind == trace.KindTask && s.Counted() && o != trace.OutcomeSucceeded {
		s.Outcome, s.Reason = o, reason
		r.Add(s)
	}
}

func reasonKey(s trace.Span) string {
	first, _, _ := strings.Cut(s.Reason, "\n")
	if first = strings.TrimSpace(first); first == "" {
		first = "(no reason given)"
	}
	const most = 160
	if r := []rune(first); len(r) > most {
		first = string(r[:most-1]) + "…"
	}
	return string(s.Outcome) + ": " + first
}

// top lists the n most frequent reasons as "N× outcome: reason", most frequent first.
func (r reasonCounts) top(n int) []string {
	keys := make([]string, 0, len(r))
	for k := range r {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(a, b int) bool {
		if r[keys[a]] != r[keys[b]] {
			return r[keys[a]] > r[keys[b]]
		}
		return keys[a] < keys[b]
	})
	out := []string{}
	for _, k := range keys[:min(n, len(keys))] {
		out = append(out, fmt.Sprintf("%d× %s", r[k], k))
	}
	return out
}
