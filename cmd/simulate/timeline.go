package main

import (
	"tunesim/plots"
)

func init() {
	register(&command{name: "timeline", summary: "draw a saved trace as a Spark-UI-like timeline (PNG, SVG or PDF)", run: runTimeline})
}

func runTimeline(args []string, c *cli) error {
	f := newFlags(c, "timeline", "timeline TRACE -o FILE [--width PIXELS] [--height PIXELS]")
	pf := addPlotFlagP(f, "output", "o", "write the picture to `FILE`: .png, .svg or .pdf (atomically)")
	if err := f.parse(args); err != nil {
		return err
	}
	if f.NArg() != 1 {
		return badUsage("want one TRACE file, got %d arguments (see simulate timeline --help)", f.NArg())
	}
	if !pf.set() {
		return badUsage("-o FILE is required: the picture's file (.png, .svg or .pdf)")
	}
	t, err := readTraceWarn(f.Arg(0), c.stderr)
	if err != nil {
		return err
	}
	return plots.Timeline(t, pf.path, pf.opts())
}
