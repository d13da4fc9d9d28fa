//go:build race

package sparklog

// syntheticJobs sizes TestStreamInBoundedMemory under the race detector, which is ten times slower.
const syntheticJobs = 600
