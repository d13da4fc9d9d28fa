//go:build !race

package sparklog

// syntheticJobs sizes TestStreamInBoundedMemory: 400k events, about 140 MiB of JSON.
const syntheticJobs = 2000
