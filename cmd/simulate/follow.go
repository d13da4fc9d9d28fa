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

// checkFollow validates the flags --follow takes, and refuses those it does not.
func (w *whatifFlags) checkFollow() error {
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
	return nil
}

// following is the state of one whatif --follow between polls.
type following struct {
	w       *whatifFlags
	c       *cli
	path    string
	ps      []int
	fl      *sparklog.Follower
	fc      *whatif.Forecast
	co      *whatif.CPUOptions
	key     string // what the forecast was made for: fits done and running, the shape
	stalled map[string]bool
	noted   map[string]bool
	tty     bool
}

// runFollow follows the log at path until the application ends, the tuning's refit is done or
// --timeout passes, re-planning whenever a fit begins or ends.
func (w *whatifFlags) runFollow(path string, ps []int, c *cli) error {
	if err := w.checkFollow(); err != nil {
		return err
	}
	fl, err := sparklog.Follow(path)
	if err != nil {
		return badInput(fmt.Errorf("following the event log: %w", err))
	}
	defer fl.Close()
	out, isFile := c.stdout.(*os.File)
	s := &following{w: w, c: c, path: path, ps: ps, fl: fl, stalled: map[string]bool{}, noted: map[string]bool{}, tty: isFile && isTerminal(out)}
	began := time.Now()
	for {
		line, replanned, err := s.poll()
		if err != nil {
			return err
		}
		done := line.Event == "end"
		timedOut := !done && *w.timeout > 0 && time.Since(began) >= *w.timeout
		if timedOut {
			line.Event = "timeout"
		}
		switch {
		case s.tty:
			fmt.Fprintf(c.stdout, "\r%s\x1b[K", progressText(line))
			if done || timedOut {
				fmt.Fprintln(c.stdout)
			}
		case replanned || line.Event != "progress":
			if err := writeJSONLine(c.stdout, line); err != nil {
				return err
			}
		}
		if done {
			return nil
		}
		if timedOut {
			return &exitError{code: 1, err: fmt.Errorf("--timeout %v passed before the tuning ended (%d fits done)", *w.timeout, line.FitsDone)}
		}
		sleep(*w.poll)
	}
}

// poll reads what the log gained, finds the tuning so far, re-plans when a fit began or ended,
// and returns the line to show (Event "end", "stall" for a fit newly stalled, else "progress").
func (s *following) poll() (*followLine, bool, error) {
	if _, err := s.fl.Poll(); err != nil {
		return nil, false, badInput(fmt.Errorf("following the event log: %w", err))
	}
	app, info := s.fl.App()
	ended := s.fl.Ended()
	live, err := whatif.FindLive(app, info, whatif.Hints{Folds: *s.w.folds, ParamMaps: *s.w.ms}, ended)
	if err != nil {
		return nil, false, badInput(fmt.Errorf("%s: %w", s.path, err))
	}
	k := fmt.Sprint(len(live.Done), len(live.Running), live.Folds, live.ParamMaps, live.RefitDone)
	replanned := k != s.key
	if replanned {
		if err := s.replan(live, info); err != nil {
			return nil, false, err
		}
		s.key = k
	}
	now := wallClock()
	logNow := app.End
	if info.EpochMs != 0 && !ended {
		logNow = max(logNow, time.Duration(now.UnixMilli()-info.EpochMs)*time.Millisecond)
	}
	line := &followLine{Event: "progress", LogS: logNow.Seconds(), Folds: live.Folds, ParamMaps: live.ParamMaps,
		FitsDone: len(live.Done), FitsTotal: live.Total(), RunParallelism: live.Parallelism, Status: s.fc.Status(logNow), Notes: live.Notes}
	if live.Kind != "" {
		line.Tuner = whatif.TunerName(live.Kind)
	}
	if line.LeftAtRun >= 0 {
		secs := line.LeftAtRun.Seconds()
		line.ETAS, line.ETA = &secs, now.Add(line.LeftAtRun).Format(time.RFC3339)
	}
	if s.warn(line, live.Notes) {
		line.Event = "stall"
	}
	if live.RefitDone || ended {
		line.Event = "end"
	}
	return line, replanned, nil
}

// replan makes the forecast for the tuning as it now stands.
func (s *following) replan(live *whatif.Live, info *sparklog.Info) error {
	if s.co == nil && info.AppID != "" {
		o, err := s.w.cpuOptions(s.path, info.AppID, s.c)
		if err != nil {
			return badInput(err)
		}
		s.co = &o
	}
	var co whatif.CPUOptions
	if s.co != nil {
		co = *s.co
	}
	cl, _ := s.w.cluster(&whatif.Tuning{Info: info}, co)
	fc, err := live.Forecast(s.ps, whatif.Options{Cluster: &cl, SchedulerMode: strings.ToUpper(*s.w.mode), ScaleRows: *s.w.scale}, co)
	if err != nil {
		return badInput(fmt.Errorf("%s: predicting the time left: %w", s.path, err))
	}
	s.fc = fc
	return nil
}

// warn writes, on stderr, a warning for each fit newly stalled and (on a terminal, where the JSON
// lines' notes are not shown) each new note; it says whether a fit newly stalled.
func (s *following) warn(line *followLine, notes []string) bool {
	newStall := false
	for _, r := range line.Running {
		id := fitName(r)
		if r.Stalled && !s.stalled[id] {
			s.stalled[id], newStall = true, true
			if s.tty {
				fmt.Fprint(s.c.stderr, "\r\x1b[K") // off the progress line, which the next poll redraws
			}
			fmt.Fprintf(s.c.stderr, "warning: %s has run %.1f s, more than %.0fx the %.1f s expected from %s: it may be stuck (e.g. a native routine spinning); see the driver's thread dump\n",
				id, r.ElapsedS, whatif.StallFactor, r.ExpectedS, r.Basis)
		}
	}
	for _, n := range notes {
		if s.tty && !s.noted[n] {
			s.noted[n] = true
			fmt.Fprintf(s.c.stderr, "note: %s\n", n)
		}
	}
	return newStall
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
