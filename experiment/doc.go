// Package experiment measures scenarios for real and compares the measurements with the simulator:
// it runs a scenario at each parallelism a number of times (with goroutines, package realrun, or on
// Apache Spark, package spark), summarizes the runs, calibrates a cost profile from them, and sets
// a simulation beside them.
//
// The command line (cmd/simulate) only parses flags, calls this package and prints what it returns;
// everything a measuring campaign decides (the order of runs, the warm-up, which runs calibrate,
// the host a comparison simulates) is decided here.
package experiment
