package whatif

import "tunesim/sparklog"

// FromJob leaves out of app the jobs before job first (what the application ran before the tuning
// to read, e.g. an earlier tuning of its own, which would be taken as part of it) and the
// unpersists among them; it returns how many jobs it left out. The jobs after are kept as they
// are, so the tuning is found among them as in a log that began there (its first fit's setup is
// bounded as usual).
func FromJob(app *sparklog.App, first int) int {
	kept := app.Jobs[:0:0]
	for _, j := range app.Jobs {
		if j.ID >= first {
			kept = append(kept, j)
		}
	}
	dropped := len(app.Jobs) - len(kept)
	// The jobs are in submission order and ids ascend with it, so the dropped ones are the first.
	var unpersists []sparklog.Unpersist
	for _, u := range app.Unpersists {
		if u.JobsBefore >= dropped {
			u.JobsBefore -= dropped
			unpersists = append(unpersists, u)
		}
	}
	app.Jobs, app.Unpersists = kept, unpersists
	return dropped
}
