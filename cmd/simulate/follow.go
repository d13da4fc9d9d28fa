package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"tunesim/sparklog"
	"tunesim/whatif"
)

// wallClock is the time now; tests set it, so that the log's time and the ETA do not depend on
// when they run.
var wallClock = time.Now

// sleep waits between polls; tests keep it.
var sleep = time.Sleep

// followLine is what whatif --follow writes: a JSON line per event, or the progress line's figures.
type followLine struct {
	// Event is "progress" (a fit began or ended: re-planned), "stall" (a fit newly stalled),
	// "end" (the application ended or the refit is done) or "timeout".
	Event string `json:"event"`
	// LogS is the time in the log's clock (seconds since the application started).
	LogS      float64 `json:"log_s"`
	Tuner     string  `json:"tuner,omitempty"`
	Folds     int     `json:"folds"`
	ParamMaps int     `json:"param_maps"`
	FitsDone  int     `json:"fits_done"`
	// FitsTotal counts the refit; 0 while the tuning's shape is not known.
	FitsTotal int `json:"fits_total"`
	// RunParallelism is the most fits the log shows running at once: what the ETA is for.
	RunParallelism int `json:"run_parallelism"`
	whatif.Status
	// ETAS is the time left at the run's parallelism, ETA the wall-clock time it ends.
	ETAS  *float64 `json:"eta_s,omitempty"`
	ETA   string   `json:"eta,omitempty"`
	Notes []string `json:"notes,omitempty"`
}

// forbiddenWithFollow are the flags that write a report, which --follow does not.
var forbiddenWithFollow = []string{"format", "output", "plot", "timeline", "log-timeline", "trace"}

// runFollow follows the log at path until the application ends, the tuning's refit is done or
// --timeout passes, re-planning whenever a fit begins or ends.
func (w *whatifFlags) runFollow(path string, ps []int, c *cli) error {
	for _, name := range forbiddenWithFollow {
		if w.f.Changed(name) {
			return badUsage("--%s: not with --follow, which writes a progress line on a terminal and JSON lines otherwise", name)
		}
	}
	if *w.poll <= 0 {
		return badUsage("--poll %v: allowed is a duration > 0 (e.g. 500ms, 2s)", *w.poll)
	}
	if *w.timeout < 0 {
		return badUsage("--timeout %v: allowed is a duration >= 0 (0: no timeout)", *w.timeout)
	}
	fl, err := sparklog.Follow(path)
	if err != nil {
		return badInput(fmt.Errorf("following the event log: %w", err))
	}
	defer fl.Close()
	out, isFile := c.stdout.(*os.File)
	tty := isFile && isTerminal(out)
	began := time.Now()
	hints := whatif.Hints{Folds: *w.folds, ParamMaps: *w.ms}
	var (
		fc      *whatif.Forecast
		co      *whatif.CPUOptions
		key     string
		stalled = map[string]bool{}
		noted   = map[string]bool{}
	)
	for {
		if _, err := fl.Poll(); err != nil {
			return badInput(fmt.Errorf("following the event log: %w", err))
		}
		app, info := fl.App()
		ended := fl.Ended()
		live, err := whatif.FindLive(app, info, hints, ended)
		if err != nil {
			return badInput(fmt.Errorf("%s: %w", path, err))
		}
		k := fmt.Sprint(len(live.Done), len(live.Running), live.Folds, live.ParamMaps, live.RefitDone)
		replanned := k != key
		if replanned {
			if co == nil && info.AppID != "" {
				o, err := w.cpuOptions(path, info.AppID, c)
				if err != nil {
					return badInput(err)
				}
				co = &o
			}
			opts := whatif.CPUOptions{}
			if co != nil {
				opts = *co
			}
			cl, _ := w.cluster(&whatif.Tuning{Info: info})
			fc, err = live.Forecast(ps, whatif.Options{Cluster: &cl, SchedulerMode: strings.ToUpper(*w.mode), ScaleRows: *w.scale}, opts)
			if err != nil {
				return badInput(fmt.Errorf("%s: predicting the time left: %w", path, err))
			}
			key = k
		}
		now := wallClock()
		logNow := app.End
		if info.EpochMs != 0 && !ended {
			logNow = max(logNow, time.Duration(now.UnixMilli()-info.EpochMs)*time.Millisecond)
		}
		line := followLine{LogS: logNow.Seconds(), Tuner: whatif.TunerName(live.Kind), Folds: live.Folds, ParamMaps: live.ParamMaps,
			FitsDone: len(live.Done), FitsTotal: live.Total(), RunParallelism: live.Parallelism, Status: fc.Status(logNow), Notes: live.Notes}
		if live.Kind == "" {
			line.Tuner = ""
		}
		if line.LeftAtRun >= 0 {
			s := line.LeftAtRun.Seconds()
			line.ETAS, line.ETA = &s, now.Add(line.LeftAtRun).Format(time.RFC3339)
		}
		newStall := false
		for _, r := range line.Running {
			id := fitName(r)
			if r.Stalled && !stalled[id] {
				stalled[id], newStall = true, true
				fmt.Fprintf(c.stderr, "warning: %s has run %.1f s, more than %.0fx the %.1f s expected from %s: it may be stuck (e.g. a native routine spinning); see the driver's thread dump\n",
					id, r.ElapsedS, whatif.StallFactor, r.ExpectedS, r.Basis)
			}
		}
		for _, n := range live.Notes {
			if tty && !noted[n] {
				noted[n] = true
				fmt.Fprintf(c.stderr, "note: %s\n", n)
			}
		}
		done := live.RefitDone || ended
		timedOut := !done && *w.timeout > 0 && time.Since(began) >= *w.timeout
		switch {
		case done:
			line.Event = "end"
		case timedOut:
			line.Event = "timeout"
		case newStall:
			line.Event = "stall"
		default:
			line.Event = "progress"
		}
		switch {
		case tty:
			fmt.Fprintf(c.stdout, "\r%s\x1b[K", progressText(&line))
			if done || timedOut {
				fmt.Fprintln(c.stdout)
			}
		case replanned || newStall || done || timedOut:
			if err := writeJSONLine(c.stdout, &line); err != nil {
				return err
			}
		}
		if done {
			return nil
		}
		if timedOut {
			return &exitError{code: 1, err: fmt.Errorf("--timeout %v passed before the tuning ended (%d fits done)", *w.timeout, len(live.Done))}
		}
		sleep(*w.poll)
	}
}

// writeJSONLine writes v as one line of JSON.
func writeJSONLine(w io.Writer, v *followLine) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encoding a --follow line: %w", err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// fitName names a running fit.
func fitName(r whatif.RunningFit) string {
	if r.Refit {
		return "the refit"
	}
	return fmt.Sprintf("fit (fold %d, param map %d)", r.Fold, r.ParamMap)
}

// progressText is the progress line: fits done, the running fits, the time left and the ETA.
func progressText(l *followLine) string {
	var b strings.Builder
	total := "?"
	if l.FitsTotal > 0 {
		total = fmt.Sprint(l.FitsTotal)
	}
	fmt.Fprintf(&b, "fits %d/%s done", l.FitsDone, total)
	for _, r := range l.Running {
		fmt.Fprintf(&b, " | %s %.0f s", strings.TrimPrefix(fitName(r), "fit "), r.ElapsedS)
		if r.ExpectedS > 0 {
			fmt.Fprintf(&b, " of ~%.0f", r.ExpectedS)
		}
		if r.Stalled {
			b.WriteString(" STALLED?")
		}
	}
	if l.ETAS != nil {
		fmt.Fprintf(&b, " | left %.0f s at parallelism %d", *l.ETAS, l.RunParallelism)
		for _, x := range l.Left {
			if x.Parallelism == l.Recommended && x.Parallelism != l.RunParallelism {
				fmt.Fprintf(&b, ", %.0f s at %d", x.RemainingS, x.Parallelism)
			}
		}
		fmt.Fprintf(&b, " | ETA %s", l.ETA[strings.IndexByte(l.ETA, 'T')+1:])
	} else if l.Why != "" {
		fmt.Fprintf(&b, " | %s", l.Why)
	}
	if l.Event == "end" {
		b.WriteString(" | the tuning has ended")
	}
	return b.String()
}
