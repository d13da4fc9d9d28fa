package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"tunesim/atomicfile"
	"tunesim/costmodel"
	"tunesim/scenarios"
)

// learnedIterations is, in calibrate's report, what the runs said of a scenario's iterative
// solver, and the scenario file written with it (--scenario-dir).
type learnedIterations struct {
	costmodel.LearnedIterations
	File string `json:"file,omitempty"`
}

// learnIterations counts the iterations each param map of the runs' iterative solvers took and,
// when dir is given, writes each scenario whose runs took other iterations than it expects, with
// them in pipeline.params, to dir/NAME.json.
func learnIterations(runs []costmodel.Run, dir string) ([]learnedIterations, error) {
	var out []learnedIterations
	for _, l := range costmodel.LearnIterations(runs) {
		li := learnedIterations{LearnedIterations: l}
		if dir != "" && l.Differs() {
			var s *scenarios.Scenario
			for _, r := range runs {
				if r.Plan.Scenario.Name == l.Scenario {
					s = r.Plan.Scenario
				}
			}
			applied, err := l.Apply(s)
			if err != nil {
				return nil, err
			}
			b, err := applied.MarshalIndent()
			if err != nil {
				return nil, err
			}
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return nil, fmt.Errorf("--scenario-dir: %w", err)
			}
			li.File = filepath.Join(dir, strings.NewReplacer(" ", "-", "/", "-").Replace(l.Scenario)+".json")
			if err := atomicfile.WriteBytes(li.File, b); err != nil {
				return nil, fmt.Errorf("writing the scenario with the learned iterations: %w", err)
			}
		}
		out = append(out, li)
	}
	return out, nil
}

// writeLearnedIterations prints what the runs said of each iterative solver.
func writeLearnedIterations(w io.Writer, learned []learnedIterations) {
	for _, l := range learned {
		fmt.Fprintf(w, "iterations: %s of %s: the scenario expects %v per param map, the runs took %v (fits counted %v)",
			l.Param, l.Scenario, l.Expected, l.PerParamMap, l.Seen)
		switch {
		case l.File != "":
			fmt.Fprintf(w, "; the scenario with them written to %s", l.File)
		case l.Differs():
			fmt.Fprint(w, "; --scenario-dir DIR writes the scenario with them")
		}
		fmt.Fprintln(w)
	}
}
