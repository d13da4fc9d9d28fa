package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"sort"
	"strconv"
	"strings"

	"tunesim/costmodel"
	"tunesim/experiment"
	"tunesim/scenarios"
	"tunesim/trace"
)

// sizesValidation is validate --rows-scale's report: one validation per data size and profile,
// all profiles compared with the same measured runs, and each profile's errors over all sizes.
type sizesValidation struct {
	Scenario string `json:"scenario"`
	Against  string `json:"against"`
	// Rows is the data sizes validated, each Factor times the scenario's data.rows.
	Rows    []int64   `json:"rows"`
	Factors []float64 `json:"factors"`
	// Profiles are each profile's validations (one per size, in Rows' order) and errors.
	Profiles []sizesProfile `json:"profiles"`
}

// sizesProfile is one profile's validations at every size.
type sizesProfile struct {
	Profile     string                   `json:"profile"`
	Validations []*experiment.Validation `json:"validations"`
	// MedianAbsErrorPct and MaxAbsErrorPct are over every row of every size.
	MedianAbsErrorPct float64 `json:"median_abs_error_pct"`
	MaxAbsErrorPct    float64 `json:"max_abs_error_pct"`
}

// sizesRunsKey is the profile a journal of validate --rows-scale's runs is keyed by: the runs
// are the same whatever profiles they are compared with.
const sizesRunsKey = "any (validate --rows-scale)"

// validateSizes is validate --rows-scale: s at data.rows times each factor, measured at every
// parallelism and compared with the simulation priced by each profile of --profile (one, or
// several separated by commas; calibrated elsewhere, at other sizes).
func (o *validateFlags) validateSizes(c *cli, f *flags, s *scenarios.Scenario) error {
	sizes, err := experiment.ScaledRows(s.Data.Rows, o.rowsScale)
	if err != nil {
		return badUsage("--rows-scale %q: %v", o.rowsScale, err)
	}
	scens, err := experiment.AtEachRows(s, sizes)
	if err != nil {
		return badUsage("--rows-scale: %v", err)
	}
	var profs []costmodel.Model
	var names []string
	var borrowed [][]costmodel.Borrowed
	for _, name := range strings.Split(o.profile, ",") {
		prof, profName, b, err := loadProfile(s, strings.TrimSpace(name), o.pricing, scens...)
		if err != nil {
			return err
		}
		profs, names, borrowed = append(profs, prof), append(names, profName), append(borrowed, b)
	}
	m, done, err := o.spf.measurerFor(o.against)
	if err != nil {
		return err
	}
	defer done()
	rep := &sizesValidation{Scenario: s.Name, Against: m.Source(), Rows: sizes}
	for _, name := range names {
		rep.Profiles = append(rep.Profiles, sizesProfile{Profile: name})
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	_, err = o.cf.runCampaigns(ctx, c, m, scens, o.ps, o.runs, sizesRunsKey, o.spf.master, func(i int, ms *experiment.Measured) error {
		rep.Factors = append(rep.Factors, float64(sizes[i])/float64(s.Data.Rows))
		for k, prof := range profs {
			v, err := experiment.Compare(scens[i], prof, names[k], ms, m.Source())
			if err != nil {
				return err
			}
			v.Borrowed, v.Notes = borrowed[k], append(v.Notes, borrowedNotes(borrowed[k])...)
			rep.Profiles[k].Validations = append(rep.Profiles[k].Validations, v)
		}
		return nil
	})
	if err != nil {
		return err
	}
	rep.summarize()
	if err := writeSizesValidation(f, rep); err != nil {
		return err
	}
	if !o.plot.set() || len(rep.Profiles) != 1 {
		return nil
	}
	for i, v := range rep.Profiles[0].Validations {
		if err := plotValidation(v, v.Profile, experiment.SizedPath(o.plot.path, rep.Rows[i]), o.plot); err != nil {
			return err
		}
	}
	return nil
}

// summarize sets each profile's median and largest |error| over every row of every size.
func (r *sizesValidation) summarize() {
	for k := range r.Profiles {
		p := &r.Profiles[k]
		var errs []float64
		for _, v := range p.Validations {
			for _, row := range v.Rows {
				errs = append(errs, math.Abs(row.ErrorPct))
			}
		}
		sort.Float64s(errs)
		p.MedianAbsErrorPct, p.MaxAbsErrorPct = trace.Quantile(errs, 0.5), errs[len(errs)-1]
	}
}

func writeSizesValidation(f *flags, r *sizesValidation) error {
	return f.write(func(w io.Writer) error {
		switch f.format {
		case "json":
			return writeJSON(w, "validation", r)
		case "csv":
			cw := csv.NewWriter(w)
			_ = cw.Write([]string{"profile", "rows", "parallelism", "simulated_s", "real_s", "real_p10_s", "real_p90_s", "error_pct", "simulated_speedup", "real_speedup", "disturbed"})
			for _, p := range r.Profiles {
				for i, v := range p.Validations {
					for _, row := range v.Rows {
						_ = cw.Write([]string{p.Profile, strconv.FormatInt(r.Rows[i], 10), strconv.Itoa(row.Parallelism), num(row.SimulatedS), num(row.RealS), num(row.RealP10S), num(row.RealP90S),
							num(row.ErrorPct), num(row.SimulatedSpeedup), num(row.RealSpeedup), strconv.FormatBool(row.Disturbed)})
					}
				}
			}
			cw.Flush()
			return cw.Error()
		}
		for _, p := range r.Profiles {
			for i, v := range p.Validations {
				fmt.Fprintf(w, "%s (%g x data.rows):\n", v.Scenario, r.Factors[i])
				if err := writeValidationTable(w, v); err != nil {
					return err
				}
				fmt.Fprintln(w)
			}
		}
		for _, p := range r.Profiles {
			if _, err := fmt.Fprintf(w, "profile %s over every size: median |error| %.1f%%, max %.1f%%\n", p.Profile, p.MedianAbsErrorPct, p.MaxAbsErrorPct); err != nil {
				return err
			}
		}
		return nil
	})
}
