package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"tunesim/atomicfile"
	"tunesim/scenarios"
)

// errHelp ends a command that printed its --help (exit status 0).
var errHelp = errors.New("help requested")

// flags is a subcommand's flag set with the flags most commands share.
type flags struct {
	*pflag.FlagSet
	c      *cli
	usage  string
	format string
	output string
}

// newFlags makes a flag set for command name; usage is its synopsis line(s).
func newFlags(c *cli, name, usage string) *flags {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	return &flags{FlagSet: fs, c: c, usage: usage}
}

// outputFlags adds --format (table, json or csv) and -o.
func (f *flags) outputFlags() {
	f.StringVar(&f.format, "format", "table", "output format: table, json or csv")
	f.StringVarP(&f.output, "output", "o", "", "write the output to `FILE` (atomically) instead of stdout")
}

// parse parses args; --help prints the usage on stdout and returns errHelp.
func (f *flags) parse(args []string) error {
	err := f.Parse(args)
	if errors.Is(err, pflag.ErrHelp) {
		fmt.Fprintf(f.c.stdout, "Usage: simulate %s\n\nFlags:\n%s", f.usage, f.FlagUsages())
		return errHelp
	}
	if err != nil {
		return badUsage("%v (see simulate %s --help)", err, f.Name())
	}
	if f.Lookup("format") != nil {
		switch f.format {
		case "table", "json", "csv":
		default:
			return badUsage("--format %q: allowed are table, json, csv", f.format)
		}
	}
	return nil
}

// write sends what fill writes to -o FILE (atomically) or to stdout.
func (f *flags) write(fill func(w io.Writer) error) error {
	if f.output == "" {
		return fill(f.c.stdout)
	}
	return atomicfile.Write(f.output, fill)
}

// loadScenario loads a built-in scenario or a scenario file; any problem is bad input.
func loadScenario(nameOrPath string) (*scenarios.Scenario, error) {
	s, err := scenarios.Load(nameOrPath)
	if err != nil {
		return nil, badInput(err)
	}
	return s, nil
}

// parseParallelism reads "N", "A:B" (every value from A to B), "A:B:STEP" or "a,b,c".
func parseParallelism(flag, v string) ([]int, error) {
	bad := func(format string, a ...any) ([]int, error) {
		return nil, badUsage("--%s %q: %s; allowed: N, A:B, A:B:STEP or a,b,c with values from 1 to 4096", flag, v, fmt.Sprintf(format, a...))
	}
	num := func(s string) (int, error) {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 || n > 4096 {
			return 0, fmt.Errorf("%q is not a whole number from 1 to 4096", s)
		}
		return n, nil
	}
	var out []int
	if strings.Contains(v, ":") {
		parts := strings.Split(v, ":")
		if len(parts) > 3 {
			return bad("too many colons")
		}
		var r [3]int
		r[2] = 1
		for i, p := range parts {
			n, err := num(p)
			if err != nil {
				return bad("%v", err)
			}
			r[i] = n
		}
		if r[1] < r[0] {
			return bad("the range ends before it starts")
		}
		for p := r[0]; p <= r[1]; p += r[2] {
			out = append(out, p)
		}
		return out, nil
	}
	seen := map[int]bool{}
	for _, p := range strings.Split(v, ",") {
		n, err := num(p)
		if err != nil {
			return bad("%v", err)
		}
		if seen[n] {
			return bad("%d appears twice", n)
		}
		seen[n] = true
		out = append(out, n)
	}
	return out, nil
}

// writeJSON writes v to w as indented JSON and a newline; what names it in an error.
func writeJSON(w io.Writer, what string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding %s: %w", what, err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
