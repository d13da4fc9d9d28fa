package trace

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"tunesim/atomicfile"
)

// WriteJSON writes the trace as JSON: one span per line inside the "spans" array, so large traces
// stay readable with line tools and diff well.
func (t *Trace) WriteJSON(w io.Writer) error {
	head := *t
	head.Spans = nil
	hb, err := json.Marshal(head)
	if err != nil {
		return fmt.Errorf("encoding trace: %w", err)
	}
	// hb ends with `"spans":null}`; replace that tail with the spans, one per line.
	const tail = `"spans":null}`
	if !bytes.HasSuffix(hb, []byte(tail)) {
		return fmt.Errorf("encoding trace: unexpected header %q", hb[max(0, len(hb)-40):])
	}
	if _, err := w.Write(hb[:len(hb)-len(tail)]); err != nil {
		return err
	}
	if _, err := io.WriteString(w, "\"spans\":[\n"); err != nil {
		return err
	}
	for i, s := range t.Spans {
		b, err := json.Marshal(s)
		if err != nil {
			return fmt.Errorf("encoding span %d: %w", i, err)
		}
		if i > 0 {
			if _, err := io.WriteString(w, ",\n"); err != nil {
				return err
			}
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	_, err = io.WriteString(w, "\n]}\n")
	return err
}

// WriteFile writes the trace as JSON to path atomically.
func (t *Trace) WriteFile(path string) error {
	return atomicfile.Write(path, t.WriteJSON)
}

// ReadJSON reads a trace written by WriteJSON. Unknown fields are an error.
func ReadJSON(r io.Reader) (*Trace, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var t Trace
	if err := dec.Decode(&t); err != nil {
		return nil, err
	}
	if t.Source == "" {
		return nil, fmt.Errorf("not a tunesim trace: no \"source\" field")
	}
	for i := range t.Spans {
		s := &t.Spans[i]
		if s.End < s.Start {
			return nil, fmt.Errorf("span %d (%s) ends at %v before it starts at %v", i, s.Kind, s.End, s.Start)
		}
		if !s.Outcome.Valid() {
			return nil, fmt.Errorf("span %d (%s): outcome %q: allowed are %q, %q, %q or none (succeeded)", i, s.Kind, s.Outcome, OutcomeFailed, OutcomeKilled, OutcomeLost)
		}
		if d := s.Detail; d != nil {
			upgradeDetail(s, d)
		}
	}
	return &t, nil
}

// upgradeDetail moves what a task's detail said of its attempt in traces written before spans
// carried it (TaskDetail's Legacy fields) to the span.
func upgradeDetail(s *Span, d *TaskDetail) {
	if d.LegacyAttempt != 0 && s.Attempt == 0 {
		s.Attempt = d.LegacyAttempt
	}
	if d.LegacySpeculative {
		s.Speculative = true
	}
	if d.LegacyFailed && s.Outcome == OutcomeSucceeded {
		s.Outcome = OutcomeFailed
	}
	d.LegacyAttempt, d.LegacyFailed, d.LegacySpeculative = 0, false, false
}

// ReadFile reads a trace JSON file; errors name the file.
func ReadFile(path string) (*Trace, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t, err := ReadJSON(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}
