package experiment

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"tunesim/scenarios"
	"tunesim/trace"
)

// Journal is a campaign's record of its finished runs, so that a campaign stopped halfway (an
// interrupt, a crash, a closed laptop) goes on where it stopped: one JSON object per line, one
// line per finished run, appended with a single write and synced before the next run starts. A
// line cut short by a crash is the last one and has no newline: reading drops it (and cuts it
// off the file before the next line is appended); an interrupt never leaves one, since the run
// in progress is abandoned before anything of it is written.
//
// A journal may hold the runs of several campaigns that share it (calibrate's scenarios), each
// with its JournalKey; a line of any other key is refused: its runs were measured with another
// scenario, profile, tunesim or seed.
type Journal struct {
	path    string
	entries []JournalEntry
	// measuredBy names the other tunesim builds whose runs it reuses (OpenJournalOfAnyBuild).
	measuredBy map[string]bool
	f          *os.File
}

// JournalKey is what must be the same for runs to be reused: the tunesim (Version), what ran the
// runs, the scenario (its name and the SHA-256 of its JSON), the cost profile the command uses,
// the data seed of real runs and the Spark master.
type JournalKey struct {
	Tunesim        string `json:"tunesim"`
	Source         string `json:"source"`
	Scenario       string `json:"scenario"`
	ScenarioSHA256 string `json:"scenario_sha256"`
	Profile        string `json:"profile"`
	Seed           uint64 `json:"seed,omitempty"`
	Master         string `json:"master,omitempty"`
}

// NewJournalKey is the key of the runs of s by source with profile, seed and master, in this
// tunesim.
func NewJournalKey(s *scenarios.Scenario, source, profile string, seed uint64, master string) (JournalKey, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return JournalKey{}, fmt.Errorf("scenario %s: %w", s.Name, err)
	}
	sum := sha256.Sum256(b)
	return JournalKey{Tunesim: Version(), Source: source, Scenario: s.Name, ScenarioSHA256: hex.EncodeToString(sum[:]),
		Profile: profile, Seed: seed, Master: master}, nil
}

// JournalEntry is one finished run: its key, where it sits in the campaign, the tuner's choice,
// its figures and its whole trace (with what the host did around it).
type JournalEntry struct {
	JournalKey
	Parallelism int `json:"parallelism"`
	// Run is the run's number at its parallelism, from 1; Attempt counts its attempts, from 1
	// (a disturbed run run again has a line per attempt; the last counts).
	Run        int                `json:"run"`
	Attempt    int                `json:"attempt"`
	Best       int                `json:"best_index"`
	BestParams map[string]float64 `json:"best_param_map"`
	BestMetric float64            `json:"best_metric"`
	MakespanS  float64            `json:"makespan_s"`
	Disturbed  bool               `json:"disturbed"`
	Trace      *trace.Trace       `json:"trace"`
}

// KeyMismatchError says a journal holds runs of another campaign, and how it differs.
type KeyMismatchError struct {
	Path string
	Line int
	// Differences name each field that differs: "scenario seed-cv (this campaign: seed-tvs)".
	Differences []string
}

func (e *KeyMismatchError) Error() string {
	return fmt.Sprintf("journal %s line %d holds a run of another campaign: %s; give another --journal FILE (or remove this one) to start afresh",
		e.Path, e.Line, strings.Join(e.Differences, ", "))
}

// OpenJournal reads the journal at path (none yet is an empty journal), refusing it when a line
// has none of keys, and readies it for appending. A last line without its newline (cut short by
// a crash) is dropped and cut off the file.
func OpenJournal(path string, keys ...JournalKey) (*Journal, error) {
	return readJournal(path, false, keys)
}

// OpenJournalOfAnyBuild is OpenJournal that also takes the runs another tunesim build measured in
// a campaign that is otherwise the same: to simulate a campaign's runs again with this build (a
// changed model) without running them again. OtherBuilds names those builds, which a report
// must say.
func OpenJournalOfAnyBuild(path string, keys ...JournalKey) (*Journal, error) {
	return readJournal(path, true, keys)
}

// OtherBuilds are the tunesim builds other than this one that measured runs the journal holds
// (only OpenJournalOfAnyBuild takes them), sorted.
func (j *Journal) OtherBuilds() []string {
	var out []string
	for b := range j.measuredBy {
		out = append(out, b)
	}
	sort.Strings(out)
	return out
}

// readJournal is OpenJournal, taking other builds' runs when anyBuild (OpenJournalOfAnyBuild).
func readJournal(path string, anyBuild bool, keys []JournalKey) (*Journal, error) {
	j := &Journal{path: path, measuredBy: map[string]bool{}}
	b, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("journal: %w", err)
	}
	good := 0
	for line := 1; good < len(b); line++ {
		end := bytes.IndexByte(b[good:], '\n')
		if end < 0 {
			break // a torn last line
		}
		var e JournalEntry
		dec := json.NewDecoder(bytes.NewReader(b[good : good+end]))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&e); err != nil {
			return nil, fmt.Errorf("journal %s line %d: %w (a journal holds one JSON object per line, as tunesim writes them)", path, line, err)
		}
		if e.Trace == nil || e.Parallelism < 1 || e.Run < 1 || e.Attempt < 1 {
			return nil, fmt.Errorf("journal %s line %d: a run needs a trace, a parallelism, a run and an attempt from 1", path, line)
		}
		if anyBuild {
			for _, k := range keys {
				if other := e.JournalKey; other.Tunesim != k.Tunesim {
					other.Tunesim = k.Tunesim
					if other == k {
						j.measuredBy[e.Tunesim] = true
						e.JournalKey = k
						break
					}
				}
			}
		}
		if err := matchKey(path, line, e.JournalKey, keys); err != nil {
			return nil, err
		}
		j.entries = append(j.entries, e)
		good += end + 1
	}
	if err == nil && good < len(b) {
		if err := os.Truncate(path, int64(good)); err != nil {
			return nil, fmt.Errorf("journal: dropping the torn last line: %w", err)
		}
	}
	return j, nil
}

// matchKey checks that k is one of keys, naming the differences from the closest one (the one of
// the same scenario, else the first) when it is not.
func matchKey(path string, line int, k JournalKey, keys []JournalKey) error {
	if len(keys) == 0 {
		return nil
	}
	want := keys[0]
	for _, w := range keys {
		if w == k {
			return nil
		}
		if w.Scenario == k.Scenario {
			want = w
		}
	}
	var diff []string
	add := func(name, got, want string) {
		if got != want {
			diff = append(diff, fmt.Sprintf("%s %q (this campaign: %q)", name, got, want))
		}
	}
	add("tunesim version", k.Tunesim, want.Tunesim)
	add("source", k.Source, want.Source)
	add("scenario", k.Scenario, want.Scenario)
	if k.Scenario == want.Scenario {
		add("scenario JSON's sha256", k.ScenarioSHA256, want.ScenarioSHA256)
	}
	add("profile", k.Profile, want.Profile)
	add("seed", fmt.Sprint(k.Seed), fmt.Sprint(want.Seed))
	add("master", k.Master, want.Master)
	return &KeyMismatchError{Path: path, Line: line, Differences: diff}
}

// Path is the journal's file.
func (j *Journal) Path() string { return j.path }

// Entries is the runs of key k in the journal, in the order they were written.
func (j *Journal) Entries(k JournalKey) []JournalEntry {
	var out []JournalEntry
	for _, e := range j.entries {
		if e.JournalKey == k {
			out = append(out, e)
		}
	}
	return out
}

// Append writes e as one line and syncs it to disk.
func (j *Journal) Append(e JournalEntry) error {
	b, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("journal %s: encoding run %d at parallelism %d: %w", j.path, e.Run, e.Parallelism, err)
	}
	if j.f == nil {
		created := false
		if _, err := os.Stat(j.path); errors.Is(err, os.ErrNotExist) {
			created = true
		}
		f, err := os.OpenFile(j.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			return fmt.Errorf("journal: %w", err)
		}
		j.f = f
		if created {
			syncDir(filepath.Dir(j.path))
		}
	}
	if _, err := j.f.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("journal %s: %w", j.path, err)
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("journal %s: %w", j.path, err)
	}
	j.entries = append(j.entries, e)
	return nil
}

// Close closes the journal's file.
func (j *Journal) Close() error {
	if j.f == nil {
		return nil
	}
	err := j.f.Close()
	j.f = nil
	return err
}

// syncDir syncs a directory, so that a file just created in it is there after a crash; where
// directories cannot be synced, it does nothing.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
