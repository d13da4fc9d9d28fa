package sparklog

import "errors"

// Spark's lz4 and snappy codecs are both block streams: a writer cuts the data into blocks of a
// fixed size and frames each; a reader decodes block after block. blockReader and blockWriter
// are the part they share; each codec brings its framing.

// blockReader serves the bytes of the blocks next decodes, one after another. next returns the
// following block's bytes (possibly none, for a block that only frames the stream) or an error,
// io.EOF where the stream may end.
type blockReader struct {
	next func() ([]byte, error)
	buf  []byte
	pos  int
}

func (b *blockReader) Read(p []byte) (int, error) {
	for b.pos >= len(b.buf) {
		buf, err := b.next()
		if err != nil {
			return 0, err
		}
		b.buf, b.pos = buf, 0
	}
	n := copy(p, b.buf[b.pos:])
	b.pos += n
	return n, nil
}

// blockWriter cuts what is written into blocks of size bytes and hands each to flush; Close
// hands over the last, shorter one (perhaps empty) and then calls end.
type blockWriter struct {
	size   int
	buf    []byte
	flush  func(block []byte) error
	end    func() error
	closed bool
	name   string // the codec, for errors
}

func newBlockWriter(name string, size int, flush func([]byte) error, end func() error) *blockWriter {
	return &blockWriter{name: name, size: size, buf: make([]byte, 0, size), flush: flush, end: end}
}

func (b *blockWriter) Write(p []byte) (int, error) {
	if b.closed {
		return 0, errors.New(b.name + ": write after close")
	}
	n := 0
	for len(p) > 0 {
		k := min(len(p), b.size-len(b.buf))
		b.buf = append(b.buf, p[:k]...)
		p, n = p[k:], n+k
		if len(b.buf) == b.size {
			if err := b.flushBuf(); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

func (b *blockWriter) flushBuf() error {
	err := b.flush(b.buf)
	b.buf = b.buf[:0]
	return err
}

// Close writes the last block and the stream's end; it does not close the underlying writer.
func (b *blockWriter) Close() error {
	if b.closed {
		return nil
	}
	b.closed = true
	if err := b.flushBuf(); err != nil {
		return err
	}
	return b.end()
}
