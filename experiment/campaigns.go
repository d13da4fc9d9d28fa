package experiment

import (
	"context"
	"time"

	"tunesim/scenarios"
)

// Campaigns measures several scenarios one after another under one journal: a scenario at
// several data sizes (AtEachRows), or several scenarios, as a calibration or a validation at
// several sizes runs them. Each scenario's runs are journaled under its own key.
type Campaigns struct {
	Measurer  Measurer
	Scenarios []*scenarios.Scenario
	// Profile and Master key the journal (NewJournalKey, with seed 0): a journal's runs are
	// reused only by a campaign of the same scenario, source, profile and master.
	Profile, Master string
	// OpenJournal, when set, is called with every scenario's key before anything runs; close is
	// called when the campaigns are over.
	OpenJournal func(keys ...JournalKey) (close func(), err error)
	// NewCampaign makes the campaign of scenario s, journaled under key.
	NewCampaign func(s *scenarios.Scenario, key JournalKey) *Campaign
}

// Run runs the campaign of each scenario in turn and gives each's runs to measured (with the
// scenario's index in Scenarios) before the next begins. It returns how long the campaigns took
// once the journal was open (what the measurements cost: runs taken from the journal take next to
// nothing). It stops at the first error, which it returns as it got it: OpenJournal's, a
// campaign's or measured's.
func (cs *Campaigns) Run(ctx context.Context, measured func(i int, ms *Measured) error) (time.Duration, error) {
	keys := make([]JournalKey, len(cs.Scenarios))
	for i, s := range cs.Scenarios {
		key, err := NewJournalKey(s, cs.Measurer.Source(), cs.Profile, 0, cs.Master)
		if err != nil {
			return 0, err
		}
		keys[i] = key
	}
	if cs.OpenJournal != nil {
		closeJournal, err := cs.OpenJournal(keys...)
		if err != nil {
			return 0, err
		}
		defer closeJournal()
	}
	start := time.Now()
	for i, s := range cs.Scenarios {
		ms, err := cs.NewCampaign(s, keys[i]).Run(ctx)
		if err != nil {
			return 0, err
		}
		if err := measured(i, ms); err != nil {
			return 0, err
		}
	}
	return time.Since(start), nil
}
