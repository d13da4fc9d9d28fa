package experiment

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"testing"

	"tunesim/scenarios"
)

// TestCampaignsShareOneJournal runs a scenario at two sizes under one journal: the journal opens
// once with both keys before anything runs, each size runs its own campaign in turn, and a second
// pass takes every run from the journal.
func TestCampaignsShareOneJournal(t *testing.T) {
	sized, err := AtEachRows(seed(t), []int64{20000, 40000})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "journal")
	pass := func() (runs int, keys []JournalKey, order []string) {
		m := &countingMeasurer{fakeMeasurer: fakeMeasurer{makespan: map[int]float64{1: 2, 2: 1}}}
		var j *Journal
		cs := &Campaigns{Measurer: m, Scenarios: sized, Profile: "any", Master: "local",
			OpenJournal: func(ks ...JournalKey) (func(), error) {
				keys = ks
				order = append(order, "open")
				var err error
				j, err = OpenJournal(path, ks...)
				return func() { order = append(order, "close"); j.Close() }, err
			},
			NewCampaign: func(s *scenarios.Scenario, key JournalKey) *Campaign {
				_, probe := newHostScript(t)
				order = append(order, "campaign "+key.Scenario)
				return &Campaign{Measurer: m, Scenario: s, Parallelisms: []int{1, 2}, Runs: 2, Probe: probe, Journal: j, JournalKey: key}
			}}
		took, err := cs.Run(context.Background(), func(i int, ms *Measured) error {
			order = append(order, "measured "+sized[i].Name)
			if len(ms.Runs) != 2 || len(ms.Runs[0]) != 2 {
				t.Errorf("%s: %d parallelisms measured", sized[i].Name, len(ms.Runs))
			}
			return nil
		})
		if err != nil || took <= 0 {
			t.Fatalf("took %v: %v", took, err)
		}
		return m.runs, keys, order
	}
	runs, keys, order := pass()
	want := []string{"open", "campaign seed-tvs at 20000 rows", "measured seed-tvs at 20000 rows",
		"campaign seed-tvs at 40000 rows", "measured seed-tvs at 40000 rows", "close"}
	if runs != 8 || !reflect.DeepEqual(order, want) {
		t.Errorf("first pass: %d runs, %q; want 8 runs, %q", runs, order, want)
	}
	if len(keys) != 2 || keys[0].Scenario != sized[0].Name || keys[1].ScenarioSHA256 == keys[0].ScenarioSHA256 || keys[0].Profile != "any" || keys[0].Master != "local" {
		t.Errorf("journal keys %+v", keys)
	}
	if runs, _, _ := pass(); runs != 0 {
		t.Errorf("second pass made %d runs; want all taken from the journal", runs)
	}
}

// TestCampaignsStopAtTheFirstError checks that an error from the journal, a campaign or the
// caller stops the campaigns and comes back as it was.
func TestCampaignsStopAtTheFirstError(t *testing.T) {
	sized, err := AtEachRows(seed(t), []int64{20000, 40000})
	if err != nil {
		t.Fatal(err)
	}
	errJournal, errMeasured := errors.New("journal"), errors.New("measured")
	newCampaigns := func(m Measurer, campaigns *int) *Campaigns {
		return &Campaigns{Measurer: m, Scenarios: sized, NewCampaign: func(s *scenarios.Scenario, key JournalKey) *Campaign {
			*campaigns++
			_, probe := newHostScript(t)
			return &Campaign{Measurer: m, Scenario: s, Parallelisms: []int{1}, Runs: 1, Probe: probe}
		}}
	}
	var n int
	cs := newCampaigns(&fakeMeasurer{makespan: map[int]float64{1: 1}}, &n)
	cs.OpenJournal = func(...JournalKey) (func(), error) { return nil, errJournal }
	if _, err := cs.Run(context.Background(), func(int, *Measured) error { return nil }); err != errJournal || n != 0 {
		t.Errorf("journal error: %v after %d campaigns; want it before any", err, n)
	}
	n = 0
	cs = newCampaigns(&fakeMeasurer{makespan: map[int]float64{1: 1}}, &n)
	if _, err := cs.Run(context.Background(), func(int, *Measured) error { return errMeasured }); err != errMeasured || n != 1 {
		t.Errorf("measured error: %v after %d campaigns; want it after 1", err, n)
	}
	n = 0
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cs = newCampaigns(&countingMeasurer{fakeMeasurer: fakeMeasurer{makespan: map[int]float64{1: 1}}, cancelAt: 1, cancel: cancel}, &n)
	if _, err := cs.Run(ctx, func(int, *Measured) error { return nil }); !errors.Is(err, context.Canceled) || n != 1 {
		t.Errorf("interrupted campaign: %v after %d campaigns; want the interrupt after 1", err, n)
	}
}
