package sparklog

import (
	"bytes"
	"encoding/binary"
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

// snappyStreamReader decompresses snappy-java's stream, chunk by chunk, for a blockReader.
type snappyStreamReader struct {
	r      io.Reader
	header bool
	comp   []byte
	out    []byte
	chunks int
}

func newSnappyStreamReader(r io.Reader) *blockReader {
	z := &snappyStreamReader{r: r}
	return &blockReader{next: z.next}
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

// next reads one chunk and returns its bytes (none where a new stream's header starts).
func (z *snappyStreamReader) next() ([]byte, error) {
	if !z.header {
		if err := z.readHeader(nil); err != nil {
			return nil, err
		}
	}
	var lb [4]byte
	if _, err := io.ReadFull(z.r, lb[:]); err != nil {
		if err == io.ErrUnexpectedEOF {
			return nil, fmt.Errorf("snappy chunk %d: length: %w", z.chunks, err)
		}
		return nil, err // io.EOF: the stream ends between chunks
	}
	n := binary.BigEndian.Uint32(lb[:])
	if n == snappyMagicHead {
		if err := z.readHeader(lb[:]); err != nil {
			return nil, err
		}
		return nil, nil
	}
	if n > snappyMaxChunk {
		return nil, fmt.Errorf("snappy chunk %d: length %d is past the %d allowed", z.chunks, n, snappyMaxChunk)
	}
	var err error
	if z.comp, err = readFull(z.r, z.comp, int(n)); err != nil {
		return nil, fmt.Errorf("snappy chunk %d: %w", z.chunks, err)
	}
	dl, err := snappy.DecodedLen(z.comp)
	if err == nil && dl > 64*len(z.comp)+1024 { // past what snappy's copies can expand to
		err = fmt.Errorf("%d bytes cannot decode to %d", len(z.comp), dl)
	}
	if err != nil || dl > snappyMaxChunk {
		return nil, fmt.Errorf("snappy chunk %d: corrupt (%v)", z.chunks, err)
	}
	if cap(z.out) < dl {
		z.out = make([]byte, dl)
	}
	out, err := snappy.Decode(z.out[:cap(z.out)], z.comp)
	if err != nil {
		return nil, fmt.Errorf("snappy chunk %d: %w", z.chunks, err)
	}
	z.chunks++
	return out, nil
}

// snappyStreamWriter frames chunks as snappy-java's stream, as Spark's snappy codec writes them.
type snappyStreamWriter struct {
	w      io.Writer
	out    []byte
	header bool
}

func newSnappyStreamWriter(w io.Writer, blockSize int) *blockWriter {
	z := &snappyStreamWriter{w: w, out: make([]byte, 4+snappy.MaxEncodedLen(blockSize))}
	return newBlockWriter("snappy", blockSize, z.chunk, func() error { return nil })
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

// chunk writes one chunk, after the stream's header (which even an empty stream has).
func (z *snappyStreamWriter) chunk(buf []byte) error {
	if err := z.writeHeader(); err != nil || len(buf) == 0 {
		return err
	}
	enc := snappy.Encode(z.out[4:], buf)
	binary.BigEndian.PutUint32(z.out, uint32(len(enc)))
	_, err := z.w.Write(z.out[:4+len(enc)])
	return err
}

// isSnappyStream says whether b starts like snappy-java's stream.
func isSnappyStream(b []byte) bool { return bytes.HasPrefix(b, []byte(snappyMagic)) }
