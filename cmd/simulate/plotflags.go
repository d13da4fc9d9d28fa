package main

import (
	"strconv"

	"tunesim/plots"
)

// plotFlag is a --NAME FILE flag that asks for a picture; the format follows FILE's extension.
// The --width and --height flags it brings are shared by every picture of the command.
type plotFlag struct {
	// path is the picture's file, empty when the flag was not given.
	path   string
	width  *pixels
	height *pixels
}

// addPlotFlag registers --NAME FILE on f, and --width and --height unless f has them already.
func addPlotFlag(f *flags, name, help string) *plotFlag {
	return addPlotFlagP(f, name, "", help)
}

// addPlotFlagP is addPlotFlag with a one-letter shorthand (e.g. -o).
func addPlotFlagP(f *flags, name, shorthand, help string) *plotFlag {
	pf := &plotFlag{}
	f.VarP((*picturePath)(&pf.path), name, shorthand, help)
	if f.Lookup("width") == nil {
		f.Var(new(pixels), "width", "picture width in `PIXELS` (default: 1400 for a timeline, 1000 or more for a chart)")
		f.Var(new(pixels), "height", "picture height in `PIXELS` (default: from the number of lanes, or 760)")
	}
	pf.width = f.Lookup("width").Value.(*pixels)
	pf.height = f.Lookup("height").Value.(*pixels)
	return pf
}

// set says whether the picture was asked for.
func (p *plotFlag) set() bool { return p.path != "" }

// opts are the picture's size options (zero for the defaults).
func (p *plotFlag) opts() plots.Options {
	return plots.Options{Width: int(*p.width), Height: int(*p.height)}
}

// picturePath is a flag value that accepts only files whose extension is a picture format, so a
// bad name is a usage error before anything runs.
type picturePath string

func (v *picturePath) String() string { return string(*v) }
func (v *picturePath) Type() string   { return "FILE" }
func (v *picturePath) Set(s string) error {
	if err := plots.CheckPath(s); err != nil {
		return err
	}
	*v = picturePath(s)
	return nil
}

// pixels is a flag value for a picture's width or height.
type pixels int

func (v *pixels) String() string { return strconv.Itoa(int(*v)) }
func (v *pixels) Type() string   { return "PIXELS" }
func (v *pixels) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil {
		return plots.CheckSize(-1)
	}
	if err := plots.CheckSize(n); err != nil {
		return err
	}
	*v = pixels(n)
	return nil
}
