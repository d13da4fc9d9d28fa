package main

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"tunesim/atomicfile"
	"tunesim/sparklog"
)

func init() {
	register(&command{name: "export", summary: "write a trace (or event log) as a Spark event log or a Perfetto trace", run: runExport})
}

const exportUsage = "export TRACE --format eventlog|perfetto -o PATH [--codec none|zstd|lz4|snappy] [--rolling SIZE] [--app-id ID]"

func runExport(args []string, c *cli) error {
	f := newFlags(c, "export", exportUsage)
	format := f.String("format", "", "what to write: eventlog (Spark's event log, which the History Server opens) or perfetto (Chrome/Perfetto trace JSON for ui.perfetto.dev)")
	out := f.StringP("output", "o", "", "write to `PATH` (atomically); with --rolling, the directory to create eventlog_v2_<appId>/ in")
	codecFlag := f.String("codec", "", "event log compression: none, zstd, lz4 or snappy (default: from PATH's extension, else none)")
	rolling := f.String("rolling", "", "write a rolling event log, a new file every `SIZE` bytes of JSON (e.g. 10m, 512k)")
	appID := f.String("app-id", "", "the event log's application id (default: the trace's app_id, else made from its source and scenario)")
	// parse would hold --format to table|json|csv, so this command parses for itself.
	if err := f.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprintf(c.stdout, "Usage: simulate %s\n\nTRACE is a tunesim trace JSON or a Spark event log.\n\nFlags:\n%s", exportUsage, f.FlagUsages())
			return errHelp
		}
		return badUsage("%v (see simulate export --help)", err)
	}
	if f.NArg() != 1 {
		return badUsage("want one TRACE, got %d arguments (see simulate export --help)", f.NArg())
	}
	if *format != "eventlog" && *format != "perfetto" {
		return badUsage("--format %q: allowed are eventlog, perfetto", *format)
	}
	if *out == "" {
		return badUsage("-o PATH is required: where to write the %s", *format)
	}
	codec := sparklog.CodecNone
	if *codecFlag != "" {
		var err error
		if codec, err = sparklog.ParseCodec(*codecFlag); err != nil {
			return badUsage("--codec: %v", err)
		}
	} else if c, _, err := sparklog.CodecOf(*out); err == nil && *rolling == "" {
		codec = c
	}
	var rollBytes int64
	if *rolling != "" {
		n, err := parseSize(*rolling)
		if err != nil {
			return badUsage("--rolling %q: %v", *rolling, err)
		}
		rollBytes = n
	}
	if *format == "perfetto" && (*codecFlag != "" || *rolling != "" || *appID != "") {
		return badUsage("--codec, --rolling and --app-id are for --format eventlog")
	}
	t, err := readTraceWarn(f.Arg(0), c.stderr)
	if err != nil {
		return err
	}
	if *format == "perfetto" {
		return atomicfile.Write(*out, func(w io.Writer) error { return sparklog.WritePerfetto(w, t) })
	}
	opts := sparklog.WriteOptions{AppID: *appID, Warn: func(msg string) { fmt.Fprintf(c.stderr, "warning: %s: %s\n", *out, msg) }}
	if rollBytes > 0 {
		dir, err := sparklog.WriteRolling(*out, t, codec, rollBytes, opts)
		if err != nil {
			return err
		}
		fmt.Fprintln(c.stdout, dir)
		return nil
	}
	return sparklog.WriteFile(*out, t, codec, opts)
}

// parseSize reads a byte count: a whole number with an optional k, m or g (powers of 1024).
func parseSize(s string) (int64, error) {
	mult := int64(1)
	v := strings.ToLower(strings.TrimSpace(s))
	for suffix, m := range map[string]int64{"k": 1 << 10, "m": 1 << 20, "g": 1 << 30} {
		if strings.HasSuffix(v, suffix) || strings.HasSuffix(v, suffix+"b") {
			v = strings.TrimSuffix(strings.TrimSuffix(v, "b"), suffix)
			mult = m
			break
		}
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 || n > (1<<40)/mult {
		return 0, fmt.Errorf("allowed is a whole number of bytes from 1 to 1t, with an optional k, m or g")
	}
	return n * mult, nil
}
