package sparklog

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"

	"github.com/klauspost/compress/zstd"
)

// Codec names how an event log file is compressed, as Spark names it in the file's extension
// (spark.eventLog.compression.codec): "" for none, "zstd", "lz4" or "snappy".
type Codec string

// The codecs Spark writes event logs with. Spark also knows "lzf", which this package does not read.
const (
	CodecNone   Codec = ""
	CodecZstd   Codec = "zstd"
	CodecLZ4    Codec = "lz4"
	CodecSnappy Codec = "snappy"
)

// Codecs lists the codecs this package reads and writes.
var Codecs = []Codec{CodecNone, CodecZstd, CodecLZ4, CodecSnappy}

// InProgress is the suffix Spark gives a log while the application runs.
const InProgress = ".inprogress"

// CodecOf returns the codec a log file's name declares: its extension once ".inprogress" and
// ".compact" are taken off (Spark's EventLogFileWriter.codecName), and whether it is in progress.
// An unknown extension is an error naming it (an app id never contains a period: Spark replaces them).
func CodecOf(name string) (Codec, bool, error) {
	base := filepath.Base(name)
	inProgress := strings.HasSuffix(base, InProgress)
	base = strings.TrimSuffix(strings.TrimSuffix(base, InProgress), ".compact")
	i := strings.LastIndexByte(base, '.')
	if i < 0 {
		return CodecNone, inProgress, nil
	}
	switch c := Codec(base[i+1:]); c {
	case CodecZstd, CodecLZ4, CodecSnappy:
		return c, inProgress, nil
	case "zst":
		return CodecZstd, inProgress, nil
	case "json", "log", "txt":
		return CodecNone, inProgress, nil
	case "lzf":
		return "", inProgress, fmt.Errorf("%s: the lzf codec is not supported (zstd, lz4, snappy and plain logs are)", name)
	default:
		return "", inProgress, fmt.Errorf("%s: unknown extension %q: allowed are none, .zstd, .lz4, .snappy (with .inprogress)", name, c)
	}
}

// Decompress returns a reader of r's content decompressed with codec c. Close releases the
// decoder (for reuse by the next log read); it does not close r.
func Decompress(c Codec, r io.Reader) (io.ReadCloser, error) {
	switch c {
	case CodecNone:
		return io.NopCloser(r), nil
	case CodecZstd:
		d, _ := zstdDecoders.Get().(*zstd.Decoder)
		if d == nil {
			var err error
			if d, err = zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(zstdMaxWindow), zstd.WithDecoderMaxMemory(1<<30)); err != nil {
				return nil, fmt.Errorf("zstd: %w", err)
			}
		}
		if err := d.Reset(r); err != nil {
			return nil, fmt.Errorf("zstd: %w", err)
		}
		return &zstdReadCloser{d: d}, nil
	case CodecLZ4:
		br := getBlockInput(r)
		return &blockReadCloser{blockReader: newLZ4BlockReader(br), in: br}, nil
	case CodecSnappy:
		br := getBlockInput(r)
		return &blockReadCloser{blockReader: newSnappyStreamReader(br), in: br}, nil
	}
	return nil, fmt.Errorf("unknown codec %q", c)
}

// zstdMaxWindow is the largest zstd window the reader accepts: zstd's own default limit
// (ZSTD_WINDOWLOG_LIMIT_DEFAULT, 2^27), which zstd-jni and so Spark keep. A frame's window is
// what its decoder allocates, whatever the data's length.
const zstdMaxWindow = 128 << 20

// zstdDecoders recycles zstd decoders with their window buffers: a decoder allocates a window
// of the size a frame declares (512 KiB to 8 MiB for Spark's levels) before the first byte, and a
// rolling log or a fuzzer reads many short streams.
var zstdDecoders sync.Pool

type zstdReadCloser struct{ d *zstd.Decoder }

func (z *zstdReadCloser) Read(p []byte) (int, error) {
	if z.d == nil {
		return 0, errors.New("zstd: read after close")
	}
	return z.d.Read(p)
}

func (z *zstdReadCloser) Close() error {
	if z.d != nil {
		_ = z.d.Reset(nil) // lets go of the input; the decoder and its window stay for reuse
		zstdDecoders.Put(z.d)
		z.d = nil
	}
	return nil
}

// blockInputs recycles the read buffers under the lz4 and snappy block readers.
var blockInputs = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 64<<10) }}

func getBlockInput(r io.Reader) *bufio.Reader {
	br := blockInputs.Get().(*bufio.Reader)
	br.Reset(r)
	return br
}

// blockReadCloser is an lz4 or snappy block reader whose Close returns its read buffer.
type blockReadCloser struct {
	*blockReader
	in *bufio.Reader
}

func (b *blockReadCloser) Close() error {
	if b.in != nil {
		b.in.Reset(nil)
		blockInputs.Put(b.in)
		b.in = nil
		b.blockReader.next = func() ([]byte, error) { return nil, errors.New("read after close") }
	}
	return nil
}

// Compress returns a writer that compresses into w with codec c the way Spark does (zstd level
// 1, lz4 and snappy in 32 KiB blocks). Close finishes the stream; it does not close w.
func Compress(c Codec, w io.Writer) (io.WriteCloser, error) {
	switch c {
	case CodecNone:
		return nopWriteCloser{w}, nil
	case CodecZstd:
		e, err := zstd.NewWriter(w, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(1))
		if err != nil {
			return nil, fmt.Errorf("zstd: %w", err)
		}
		return e, nil
	case CodecLZ4:
		return newLZ4BlockWriter(w, lz4DefaultSize)
	case CodecSnappy:
		return newSnappyStreamWriter(w, snappyDefaultSize), nil
	}
	return nil, fmt.Errorf("unknown codec %q: allowed are none, zstd, lz4, snappy", c)
}

type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }

// ParseCodec reads a codec name as a user gives it ("none" or "" for no compression).
func ParseCodec(s string) (Codec, error) {
	switch c := Codec(strings.ToLower(s)); c {
	case "none", "":
		return CodecNone, nil
	case CodecZstd, CodecLZ4, CodecSnappy:
		return c, nil
	}
	return "", fmt.Errorf("codec %q: allowed are none, zstd, lz4, snappy", s)
}

// Ext is the file extension Spark gives a log compressed with c ("" for none).
func (c Codec) Ext() string {
	if c == CodecNone {
		return ""
	}
	return "." + string(c)
}
