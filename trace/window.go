package trace

import "time"

// Window keeps the spans that lie wholly within [from, to] and moves time zero to from: every
// span and every executor's Added and Removed shift back by from. An executor added before from
// is there from the start (Added 0); one removed before from or added after to is dropped, being
// no part of the window. Window is how one run is cut out of a log of several (one Spark
// application that ran the tuning again and again).
func (t *Trace) Window(from, to time.Duration) {
	kept := t.Spans[:0]
	for _, s := range t.Spans {
		if s.Start >= from && s.End <= to {
			s.Start -= from
			s.End -= from
			kept = append(kept, s)
		}
	}
	t.Spans = kept
	execs := t.Executors[:0]
	for _, e := range t.Executors {
		if (e.Removed > 0 && e.Removed <= from) || e.Added > to {
			continue
		}
		e.Added = max(0, e.Added-from)
		if e.Removed > 0 {
			e.Removed -= from
		}
		execs = append(execs, e)
	}
	t.Executors = execs
}
