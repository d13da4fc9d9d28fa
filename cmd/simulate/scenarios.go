package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"tunesim/scenarios"
)

func init() {
	register(&command{name: "scenarios", summary: "list the built-in scenarios; `scenarios show NAME|FILE` prints one as JSON", run: runScenarios})
}

func runScenarios(args []string, c *cli) error {
	f := newFlags(c, "scenarios", "scenarios [show NAME|FILE] [-o FILE]")
	f.StringVarP(&f.output, "output", "o", "", "write the output to `FILE` (atomically) instead of stdout")
	if err := f.parse(args); err != nil {
		return err
	}
	switch rest := f.Args(); {
	case len(rest) == 0:
		return f.write(func(w io.Writer) error {
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tWHAT")
			for _, n := range scenarios.BuiltinNames() {
				s, err := scenarios.Builtin(n)
				if err != nil {
					return err
				}
				fmt.Fprintf(tw, "%s\t%s\n", n, s)
			}
			return tw.Flush()
		})
	case len(rest) == 2 && rest[0] == "show":
		s, err := loadScenario(rest[1])
		if err != nil {
			return err
		}
		b, err := s.MarshalIndent()
		if err != nil {
			return fmt.Errorf("encoding scenario %s: %w", s.Name, err)
		}
		return f.write(func(w io.Writer) error { _, err := w.Write(b); return err })
	default:
		return badUsage("unexpected arguments %q: use `scenarios` or `scenarios show NAME|FILE`", rest)
	}
}
