package tuning

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"tunesim/scenarios"
)

var update = flag.Bool("update", false, "rewrite the expected plans in testdata/*.txt with what the plans are now")

// TestGoldenPlans reads testdata/*.txt, files of cases in the style of etcd-io/raft's datadriven
// tests: a directive line, "----", and the plan it must give as text, up to a blank line. A
// directive is
//
//	plan scenario=NAME|FILE [spark=2|3|4] [tuner=cv|tvs] [partitions=N] [classes=N]
//	     [evaluator=NAME] [param:NAME=VALUE ...] [maps=I,J,...]
//
// (param: fixes a param in pipeline.params, a number or a string) and its text is the plan's splits and, for the param maps listed (default: the first and the
// last) in the first round and for the refit, every job with its stages, their tasks, operations
// and shapes, and every driver step. A reviewer reads a change to a plan as a diff of these files;
// `go test ./tuning -update` rewrites them.
func TestGoldenPlans(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata/*.txt (%v)", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			cases, err := readCases(file)
			if err != nil {
				t.Fatal(err)
			}
			changed := false
			for i := range cases {
				c := &cases[i]
				if c.directive == "" {
					continue
				}
				got, err := runDirective(c.directive)
				if err != nil {
					t.Fatalf("%s:%d: %s: %v", file, c.line, c.directive, err)
				}
				if got != c.want {
					if *update {
						c.want, changed = got, true
						continue
					}
					t.Errorf("%s:%d: %s: the plan differs (go test ./tuning -update rewrites it):\n%s", file, c.line, c.directive, lineDiff(c.want, got))
				}
			}
			if changed {
				if err := writeCases(file, cases); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// goldenCase is a directive and its expected text, or (directive "") comment lines kept as they are.
type goldenCase struct {
	line      int
	comment   string
	directive string
	want      string
}

func readCases(file string) ([]goldenCase, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var cases []goldenCase
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	n := 0
	next := func() (string, bool) {
		if !sc.Scan() {
			return "", false
		}
		n++
		return sc.Text(), true
	}
	for {
		line, ok := next()
		if !ok {
			break
		}
		switch {
		case strings.TrimSpace(line) == "":
		case strings.HasPrefix(line, "#"):
			cases = append(cases, goldenCase{line: n, comment: line})
		default:
			c := goldenCase{line: n, directive: line}
			if sep, ok := next(); !ok || sep != "----" {
				return nil, fmt.Errorf("%s:%d: a directive is followed by a line \"----\"", file, n)
			}
			var want []string
			for {
				l, ok := next()
				if !ok || l == "" {
					break
				}
				want = append(want, l)
			}
			c.want = strings.Join(want, "\n")
			cases = append(cases, c)
		}
	}
	return cases, sc.Err()
}

func writeCases(file string, cases []goldenCase) error {
	var b strings.Builder
	for i, c := range cases {
		if c.directive == "" {
			if i > 0 && cases[i-1].directive != "" {
				b.WriteString("\n")
			}
			b.WriteString(c.comment + "\n")
			continue
		}
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s\n----\n%s\n", c.directive, c.want)
	}
	return os.WriteFile(file, []byte(b.String()), 0o644)
}

// runDirective derives the plan a directive asks for and writes it as text.
func runDirective(d string) (string, error) {
	fields := strings.Fields(d)
	if len(fields) == 0 || fields[0] != "plan" {
		return "", fmt.Errorf("unknown directive (allowed: plan)")
	}
	args := map[string]string{}
	for _, f := range fields[1:] {
		k, v, ok := strings.Cut(f, "=")
		if !ok {
			return "", fmt.Errorf("argument %q is not key=value", f)
		}
		args[k] = v
	}
	name := args["scenario"]
	var s *scenarios.Scenario
	var err error
	if strings.HasSuffix(name, ".json") {
		s, err = scenarios.LoadFile(filepath.Join("testdata", name))
	} else {
		s, err = scenarios.Builtin(name)
	}
	if err != nil {
		return "", err
	}
	if v, ok := args["spark"]; ok {
		s.SparkVersion = v
	}
	switch args["tuner"] {
	case "cv":
		s.Tuner = scenarios.Tuner{Kind: scenarios.CrossValidator, Folds: 3, Parallelism: s.Tuner.Parallelism}
	case "tvs":
		s.Tuner = scenarios.Tuner{Kind: scenarios.TrainValidationSplit, TrainRatio: 0.8, Parallelism: s.Tuner.Parallelism}
	case "":
	default:
		return "", fmt.Errorf("tuner=%s: allowed are cv and tvs", args["tuner"])
	}
	if v, ok := args["partitions"]; ok {
		if s.Data.Partitions, err = strconv.Atoi(v); err != nil {
			return "", err
		}
	}
	if v, ok := args["evaluator"]; ok {
		s.Pipeline.Evaluator = v
	}
	if v, ok := args["classes"]; ok {
		if s.Data.Classes, err = strconv.Atoi(v); err != nil {
			return "", err
		}
	}
	for k, v := range args {
		name, ok := strings.CutPrefix(k, "param:")
		if !ok {
			continue
		}
		set := scenarios.Setting{Name: name, Str: v, IsStr: true}
		if x, err := strconv.ParseFloat(v, 64); err == nil {
			set = scenarios.Setting{Name: name, Num: x}
		}
		replaced := false
		for i := range s.Pipeline.Params {
			if s.Pipeline.Params[i].Name == name {
				s.Pipeline.Params[i], replaced = set, true
			}
		}
		if !replaced {
			s.Pipeline.Params = append(s.Pipeline.Params, set)
		}
	}
	p, err := New(s)
	if err != nil {
		return "", err
	}
	maps := []int{0, len(p.ParamMaps) - 1}
	if v, ok := args["maps"]; ok {
		maps = nil
		for _, m := range strings.Split(v, ",") {
			i, err := strconv.Atoi(m)
			if err != nil || i < 0 || i >= len(p.ParamMaps) {
				return "", fmt.Errorf("maps=%s: param maps are 0 to %d", v, len(p.ParamMaps)-1)
			}
			maps = append(maps, i)
		}
	}
	return planText(p, maps), nil
}

// planText writes the plan's splits and the fits of the listed param maps in round 0, and the
// refit.
func planText(p *Plan, maps []int) string {
	var b strings.Builder
	sc := p.Scenario
	fmt.Fprintf(&b, "%s: Spark %s, %s, stages %s, evaluator %s, %d param maps, %d rounds, %d fits with the refit\n",
		sc.Name, sc.SparkVersion, sc.Tuner.Kind, strings.Join(sc.Pipeline.Stages, " -> "), sc.Units().Evaluator.Name, len(p.ParamMaps), len(p.Rounds), len(p.Fits))
	for _, sp := range p.Splits {
		cached := ""
		if sp.Cached {
			cached = " cached"
		}
		if sp.Fold > 0 {
			continue
		}
		fmt.Fprintf(&b, "split %s%s: %d partitions, rows %s\n", sp.Name, cached, len(sp.Rows), rowRange(sp.Rows))
	}
	for _, m := range maps {
		fitText(&b, p, &p.Fits[p.Rounds[0][m]])
	}
	fitText(&b, p, p.Refit())
	return strings.TrimSuffix(b.String(), "\n")
}

func fitText(b *strings.Builder, p *Plan, f *Fit) {
	jobs, stages, tasks := 0, 0, 0
	for _, st := range f.Steps {
		if st.Kind == StepJob {
			jobs++
			stages += len(st.Stages)
			tasks += st.Tasks()
		}
	}
	label := fmt.Sprintf("fit %d", f.Index)
	if f.Refit {
		label = "refit"
	}
	fmt.Fprintf(b, "%s (param map %d: %s): K %d, %d jobs, %d stages, %d tasks\n", label, f.ParamMap, p.ParamMaps[f.ParamMap], f.K, jobs, stages, tasks)
	for _, st := range f.Steps {
		if st.Kind == StepDriver {
			fmt.Fprintf(b, "  driver %s: %s\n", st.Op, shapeText(st.Shape))
			continue
		}
		sp := &p.Splits[st.Split]
		fmt.Fprintf(b, "  job %s on %s\n", st.Op, sp.Name)
		for _, stage := range st.Stages {
			read := "reads partials " + strconv.Itoa(stage.Partials)
			switch {
			case stage.Take:
				read = "takes 1 row"
			case stage.ReadsSplit:
				read = "reads the split"
			case stage.Cached:
				read = "reads the fit's cache"
			}
			var rows []int64
			for i := range stage.Tasks {
				rows = append(rows, stage.TaskShape(sp, i).Rows)
			}
			sh := stage.TaskShape(sp, 0)
			fmt.Fprintf(b, "    stage %s: %d tasks, %s, rows %s, %s\n", stage.Op, stage.Tasks, read, rowRange(rows), dims(sh.In, sh.Out, sh.Elems))
			for _, fu := range stage.Fused {
				fmt.Fprintf(b, "      + %s: %s\n", fu.Op, dims(fu.In, fu.Out, fu.Elems))
			}
		}
	}
}

func shapeText(sh Shape) string {
	return fmt.Sprintf("rows %d, %s", sh.Rows, dims(sh.In, sh.Out, sh.Elems))
}

func dims(in, out int, elems int64) string {
	s := fmt.Sprintf("in %d, out %d", in, out)
	if elems != 0 {
		s += fmt.Sprintf(", elems %d", elems)
	}
	return s
}

// rowRange is "n" when every value is n, else "min-max".
func rowRange(rows []int64) string {
	if len(rows) == 0 {
		return "-"
	}
	lo, hi := rows[0], rows[0]
	for _, r := range rows {
		lo, hi = min(lo, r), max(hi, r)
	}
	if lo == hi {
		return strconv.FormatInt(lo, 10)
	}
	return fmt.Sprintf("%d-%d", lo, hi)
}

// lineDiff shows the first lines where want and got part.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\n  want: %s\n  got:  %s", i+1, wl, gl)
		}
	}
	return "(equal)"
}
