// Package sparklog reads Spark event logs into traces and writes traces as Spark event logs.
//
// Reading (Read, Stream, Summarize): the JSON-lines event log of Spark 1.x to 4.x, as a file or a
// stream, plain or compressed as Spark compresses it — zstd (Spark's default since 3.2, decoded by
// github.com/klauspost/compress/zstd), lz4 (lz4-java's LZ4BlockOutputStream framing, blocks by
// github.com/pierrec/lz4/v4, checksums by this package's XXH32) and snappy (snappy-java's
// SnappyOutputStream framing, blocks by github.com/golang/snappy) — perhaps .inprogress (a cut-short
// last line, or last compressed block, is a warning), or a rolling log's directory
// eventlog_v2_<appId>/ read in order from its last compacted file. Tasks, stages and jobs become
// spans from launch to finish and from submission to completion; executors and their cores come
// from SparkListenerExecutorAdded or local[N]; fits come from the tunesim.* job properties a tuning
// harness sets (or the job group). Stream keeps only what is open at once, so a log of millions of
// events reads in bounded memory. Each line is decoded by a hand-written decoder of the fields the
// reader uses, which checks and skips the rest without allocating and leaves any line it does not
// take exactly as encoding/json would (a null, a duplicate key, a syntax error) to encoding/json,
// whose result and error are then the reader's.
//
// Following (Follow): a log Spark is still writing, read as it grows — each Poll parses only the
// lines appended since the last, across the .inprogress rename, a rolling log's new files and
// compressed streams — and App gives the application so far (whatif --follow).
//
// Writing (Write, WriteFile, WriteRolling): a trace becomes a Spark 4 event log that Spark's History
// Server lists and opens, times rounded to milliseconds (Resolution), plus tunesim's own events
// (which Spark skips) that carry the trace's header and its fit, driver and queue spans exactly, so
// that reading the log back gives the trace again.
//
// WritePerfetto writes a trace as Chrome/Perfetto trace JSON for ui.perfetto.dev.
package sparklog
