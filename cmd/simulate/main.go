// Command simulate predicts, runs and compares Spark ML tuning workloads: which CrossValidator or
// TrainValidationSplit parallelism to pick, how much faster it is, and where cores sit idle.
//
// Each subcommand lives in its own file and registers itself in init; this file only dispatches.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// command is one subcommand: its name, a one-line summary, and what it does with its arguments.
type command struct {
	name    string
	summary string
	run     func(args []string, out *cli) error
}

var commands = map[string]*command{}

// register adds a subcommand; each subcommand's file calls it from init.
func register(c *command) {
	if _, dup := commands[c.name]; dup {
		panic("simulate: command registered twice: " + c.name)
	}
	commands[c.name] = c
}

// cli carries the streams of one invocation, so tests can run commands in-process.
type cli struct {
	stdout, stderr io.Writer
	// stderrTTY says whether stderr is a terminal (progress is shown only then).
	stderrTTY bool
}

// exitError carries the exit status: 2 for bad usage or bad input, 1 for a failure while running.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// badInput marks err as bad usage or bad input (exit status 2).
func badInput(err error) error { return &exitError{code: 2, err: err} }

// badUsage formats a bad-usage error (exit status 2).
func badUsage(format string, a ...any) error { return badInput(fmt.Errorf(format, a...)) }

func main() {
	c := &cli{stdout: os.Stdout, stderr: os.Stderr, stderrTTY: isTerminal(os.Stderr)}
	os.Exit(c.main(os.Args[1:]))
}

// main runs one invocation and returns its exit status.
func (c *cli) main(args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		c.usage(c.stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(c.stderr, "simulate: unknown command %q; commands: %s\n", args[0], strings.Join(commandNames(), ", "))
		return 2
	}
	err := cmd.run(args[1:], c)
	if err == nil {
		return 0
	}
	if errors.Is(err, errHelp) {
		return 0
	}
	fmt.Fprintf(c.stderr, "simulate %s: %v\n", cmd.name, err)
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return 1
}

func commandNames() []string {
	var names []string
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (c *cli) usage(w io.Writer) {
	fmt.Fprintln(w, "simulate: predict how long a Spark ML tuning run takes at each parallelism, and which to pick.")
	fmt.Fprintln(w, "\nUsage: simulate COMMAND [flags]   (simulate COMMAND --help for its flags)\n\nCommands:")
	for _, n := range commandNames() {
		fmt.Fprintf(w, "  %-12s %s\n", n, commands[n].summary)
	}
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
