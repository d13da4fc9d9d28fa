package sparklog

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/golang/snappy"
)

// Spark's snappy codec is snappy-java's SnappyOutputStream (org.xerial.snappy), not the framing
// format of the snappy specification: a 16-byte header, then chunks:
//
//	header  "\x82SNAPPY\x00", version int32 big-endian (1), compatible version int32 (1)
//	chunk   int32 big-endian length, then that many bytes of one raw snappy block
//
// SnappyInputStream reads concatenated streams: a chunk length equal to the magic's first four
// bytes starts a new header. Spark writes chunks of spark.io.compression.snappy.blockSize (32 KiB).
const (
	snappyMagic       = "\x82SNAPPY\x00"
	snappyHeaderLen   = len(snappyMagic) + 8
	snappyMaxChunk    = 64 << 20 // well past any block size Spark allows, to refuse garbage lengths
	snappyDefaultSize = 32 << 10
)

var snappyMagicHead = binary.BigEndian.Uint32([]byte(snappyMagic))

// snappyStreamReader decompresses snappy-java's stream.
type snappyStreamReader struct {
	r      io.Reader
	header bool
	comp   []byte
	buf    []byte
	pos    int
	chunks int
}

func newSnappyStreamReader(r io.Reader) *snappyStreamReader { return &snappyStreamReader{r: r} }

func (z *snappyStreamReader) Read(p []byte) (int, error) {
	for z.pos >= len(z.buf) {
		if err := z.next(); err != nil {
			return 0, err
		}
	}
	n := copy(p, z.buf[z.pos:])
	z.pos += n
	return n, nil
}

func (z *snappyStreamReader) readHeader(prefix []byte) error {
	var h [snappyHeaderLen]byte
	n := copy(h[:], prefix)
	if _, err := io.ReadFull(z.r, h[n:]); err != nil {
		if err == io.EOF && n == 0 {
			return io.EOF // an empty file: no stream yet
		}
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return fmt.Errorf("snappy header: %w", err)
	}
	if string(h[:len(snappyMagic)]) != snappyMagic {
		return fmt.Errorf("snappy: bad magic %q (not Spark's snappy stream)", h[:len(snappyMagic)])
	}
	if v := int32(binary.BigEndian.Uint32(h[len(snappyMagic)+4:])); v > 1 {
		return fmt.Errorf("snappy: stream needs version %d of the format, this reader knows 1", v)
	}
	z.header = true
	return nil
}

func (z *snappyStreamReader) next() error {
	if !z.header {
		if err := z.readHeader(nil); err != nil {
			return err
		}
	}
	var lb [4]byte
	if _, err := io.ReadFull(z.r, lb[:]); err != nil {
		if err == io.ErrUnexpectedEOF {
			return fmt.Errorf("snappy chunk %d: length: %w", z.chunks, err)
		}
		return err // io.EOF: the stream ends between chunks
	}
	n := binary.BigEndian.Uint32(lb[:])
	if n == snappyMagicHead {
		if err := z.readHeader(lb[:]); err != nil {
			return err
		}
		z.buf, z.pos = z.buf[:0], 0
		return nil
	}
	if n > snappyMaxChunk {
		return fmt.Errorf("snappy chunk %d: length %d is past the %d allowed", z.chunks, n, snappyMaxChunk)
	}
	var err error
	if z.comp, err = readFull(z.r, z.comp, int(n)); err != nil {
		return fmt.Errorf("snappy chunk %d: %w", z.chunks, err)
	}
	dl, err := snappy.DecodedLen(z.comp)
	if err == nil && dl > 64*len(z.comp)+1024 { // past what snappy's copies can expand to
		err = fmt.Errorf("%d bytes cannot decode to %d", len(z.comp), dl)
	}
	if err != nil || dl > snappyMaxChunk {
		return fmt.Errorf("snappy chunk %d: corrupt (%v)", z.chunks, err)
	}
	if cap(z.buf) < dl {
		z.buf = make([]byte, dl)
	}
	out, err := snappy.Decode(z.buf[:cap(z.buf)], z.comp)
	if err != nil {
		return fmt.Errorf("snappy chunk %d: %w", z.chunks, err)
	}
	z.buf, z.pos = out, 0
	z.chunks++
	return nil
}

// snappyStreamWriter writes snappy-java's stream as Spark's snappy codec does.
type snappyStreamWriter struct {
	w      io.Writer
	size   int
	buf    []byte
	out    []byte
	header bool
	closed bool
}

func newSnappyStreamWriter(w io.Writer, blockSize int) *snappyStreamWriter {
	return &snappyStreamWriter{w: w, size: blockSize, buf: make([]byte, 0, blockSize),
		out: make([]byte, 4+snappy.MaxEncodedLen(blockSize))}
}

func (z *snappyStreamWriter) writeHeader() error {
	if z.header {
		return nil
	}
	z.header = true
	var h [snappyHeaderLen]byte
	copy(h[:], snappyMagic)
	binary.BigEndian.PutUint32(h[len(snappyMagic):], 1)
	binary.BigEndian.PutUint32(h[len(snappyMagic)+4:], 1)
	_, err := z.w.Write(h[:])
	return err
}

func (z *snappyStreamWriter) Write(p []byte) (int, error) {
	if z.closed {
		return 0, errors.New("snappy: write after close")
	}
	if err := z.writeHeader(); err != nil {
		return 0, err
	}
	n := 0
	for len(p) > 0 {
		k := min(len(p), z.size-len(z.buf))
		z.buf = append(z.buf, p[:k]...)
		p, n = p[k:], n+k
		if len(z.buf) == z.size {
			if err := z.flushChunk(); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

func (z *snappyStreamWriter) flushChunk() error {
	if len(z.buf) == 0 {
		return nil
	}
	enc := snappy.Encode(z.out[4:], z.buf)
	binary.BigEndian.PutUint32(z.out, uint32(len(enc)))
	_, err := z.w.Write(z.out[:4+len(enc)])
	z.buf = z.buf[:0]
	return err
}

// Close writes the last chunk (and the header of an empty stream); it does not close the
// underlying writer.
func (z *snappyStreamWriter) Close() error {
	if z.closed {
		return nil
	}
	z.closed = true
	if err := z.writeHeader(); err != nil {
		return err
	}
	return z.flushChunk()
}

// isSnappyStream says whether b starts like snappy-java's stream.
func isSnappyStream(b []byte) bool { return bytes.HasPrefix(b, []byte(snappyMagic)) }
