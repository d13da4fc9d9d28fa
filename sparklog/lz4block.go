package sparklog

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math/bits"

	"github.com/pierrec/lz4/v4"
)

// Spark's lz4 codec is lz4-java's LZ4BlockOutputStream (net.jpountz.lz4), not the LZ4 frame
// format: a sequence of blocks, each a 21-byte header and a payload:
//
//	"LZ4Block"  magic, 8 bytes
//	token       1 byte: method (0x10 raw, 0x20 LZ4) | log2(block size) - 10
//	compressed  uint32 little-endian, payload length
//	original    uint32 little-endian, length once decompressed
//	checksum    uint32 little-endian: XXH32(original bytes, seed 0x9747b28c) & 0x0FFFFFFF
//
// A block with both lengths 0 ends a stream; another stream may follow (lz4-java reads
// concatenated streams). Spark writes blocks of spark.io.compression.lz4.blockSize (32 KiB).
const (
	lz4Magic       = "LZ4Block"
	lz4HeaderLen   = len(lz4Magic) + 13
	lz4MethodRaw   = 0x10
	lz4MethodLZ4   = 0x20
	lz4Seed        = 0x9747b28c
	lz4LevelBase   = 10
	lz4MaxBlock    = 1 << (lz4LevelBase + 0x0f)
	lz4DefaultSize = 32 << 10
)

func lz4Checksum(b []byte) uint32 { return xxh32(b, lz4Seed) & 0x0fffffff }

// lz4BlockReader decompresses lz4-java's block stream, block by block, for a blockReader.
type lz4BlockReader struct {
	r      io.Reader
	header [lz4HeaderLen]byte
	comp   []byte
	out    []byte // decompressed bytes of the current block
	ended  bool   // an end-of-stream block was read (more streams may follow)
	blocks int
}

func newLZ4BlockReader(r io.Reader) *blockReader {
	z := &lz4BlockReader{r: r}
	return &blockReader{next: z.next}
}

// next reads one block and returns its bytes (none for an end-of-stream block).
func (z *lz4BlockReader) next() ([]byte, error) {
	if _, err := io.ReadFull(z.r, z.header[:]); err != nil {
		if err == io.EOF {
			if z.ended || z.blocks == 0 {
				return nil, io.EOF
			}
			err = io.ErrUnexpectedEOF // data blocks without the end block: a stream cut short
		}
		return nil, fmt.Errorf("lz4 block %d: header: %w", z.blocks, err)
	}
	if string(z.header[:len(lz4Magic)]) != lz4Magic {
		return nil, fmt.Errorf("lz4 block %d: bad magic %q, want %q (not Spark's lz4 block stream)", z.blocks, z.header[:len(lz4Magic)], lz4Magic)
	}
	token := z.header[len(lz4Magic)]
	method := int(token & 0xf0)
	level := lz4LevelBase + int(token&0x0f)
	compLen := binary.LittleEndian.Uint32(z.header[len(lz4Magic)+1:])
	origLen := binary.LittleEndian.Uint32(z.header[len(lz4Magic)+5:])
	check := binary.LittleEndian.Uint32(z.header[len(lz4Magic)+9:])
	z.blocks++
	switch {
	case method != lz4MethodRaw && method != lz4MethodLZ4:
		return nil, fmt.Errorf("lz4 block %d: unknown method 0x%02x", z.blocks-1, method)
	case uint64(origLen) > 1<<level || origLen > lz4MaxBlock || compLen > lz4MaxBlock+lz4MaxBlock/255+16:
		return nil, fmt.Errorf("lz4 block %d: lengths %d/%d exceed the block size %d", z.blocks-1, compLen, origLen, 1<<level)
	case method == lz4MethodRaw && compLen != origLen:
		return nil, fmt.Errorf("lz4 block %d: raw block with lengths %d and %d", z.blocks-1, compLen, origLen)
	case (origLen == 0) != (compLen == 0):
		return nil, fmt.Errorf("lz4 block %d: lengths %d and %d", z.blocks-1, compLen, origLen)
	}
	if origLen == 0 {
		if check != 0 {
			return nil, fmt.Errorf("lz4 block %d: end block with checksum %08x", z.blocks-1, check)
		}
		z.ended = true
		return nil, nil
	}
	z.ended = false
	if method == lz4MethodLZ4 && uint64(origLen) > 255*uint64(compLen)+16 {
		return nil, fmt.Errorf("lz4 block %d: %d bytes cannot decompress to %d", z.blocks-1, compLen, origLen)
	}
	var err error
	if z.comp, err = readFull(z.r, z.comp, int(compLen)); err != nil {
		return nil, fmt.Errorf("lz4 block %d: payload: %w", z.blocks-1, err)
	}
	if cap(z.out) < int(origLen) {
		z.out = make([]byte, origLen)
	}
	z.out = z.out[:origLen]
	if method == lz4MethodRaw {
		copy(z.out, z.comp)
	} else {
		n, err := lz4.UncompressBlock(z.comp, z.out)
		if err != nil || n != int(origLen) {
			return nil, fmt.Errorf("lz4 block %d: corrupt: %d of %d bytes (%v)", z.blocks-1, n, origLen, err)
		}
	}
	if got := lz4Checksum(z.out); got != check {
		return nil, fmt.Errorf("lz4 block %d: checksum %07x, header says %07x", z.blocks-1, got, check)
	}
	return z.out, nil
}

// readFull reads n bytes from r into buf (reused), growing it only as data arrives, so that a
// length read from a corrupt stream costs no more memory than the bytes actually there.
func readFull(r io.Reader, buf []byte, n int) ([]byte, error) {
	buf = buf[:0]
	for len(buf) < n {
		k := min(n-len(buf), 1<<20)
		if cap(buf)-len(buf) < k {
			buf = append(buf, make([]byte, k)...)[:len(buf)]
		}
		m, err := io.ReadFull(r, buf[len(buf):len(buf)+k])
		buf = buf[:len(buf)+m]
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return buf, err
		}
	}
	return buf, nil
}

// lz4BlockWriter frames blocks as lz4-java's block stream, as Spark's lz4 codec writes them.
type lz4BlockWriter struct {
	w     io.Writer
	token byte
	out   []byte
	c     lz4.Compressor
}

// newLZ4BlockWriter compresses into blocks of blockSize bytes (64 B to 32 MiB).
func newLZ4BlockWriter(w io.Writer, blockSize int) (*blockWriter, error) {
	if blockSize < 64 || blockSize > lz4MaxBlock {
		return nil, fmt.Errorf("lz4 block size %d: allowed are 64 B to 32 MiB", blockSize)
	}
	level := max(0, bits.Len32(uint32(blockSize-1))-lz4LevelBase)
	z := &lz4BlockWriter{w: w, token: byte(level), out: make([]byte, lz4HeaderLen+lz4.CompressBlockBound(blockSize))}
	return newBlockWriter("lz4", blockSize, z.block, z.end), nil
}

// block writes one block, compressed unless that does not make it smaller.
func (z *lz4BlockWriter) block(buf []byte) error {
	if len(buf) == 0 {
		return nil
	}
	method := byte(lz4MethodLZ4)
	n, err := z.c.CompressBlock(buf, z.out[lz4HeaderLen:])
	if err != nil || n == 0 || n >= len(buf) {
		method = lz4MethodRaw
		n = copy(z.out[lz4HeaderLen:], buf)
	}
	z.header(method, n, len(buf), lz4Checksum(buf))
	_, err = z.w.Write(z.out[:lz4HeaderLen+n])
	return err
}

func (z *lz4BlockWriter) header(method byte, comp, orig int, check uint32) {
	copy(z.out, lz4Magic)
	z.out[len(lz4Magic)] = method | z.token
	binary.LittleEndian.PutUint32(z.out[len(lz4Magic)+1:], uint32(comp))
	binary.LittleEndian.PutUint32(z.out[len(lz4Magic)+5:], uint32(orig))
	binary.LittleEndian.PutUint32(z.out[len(lz4Magic)+9:], check)
}

// end writes the end-of-stream block.
func (z *lz4BlockWriter) end() error {
	z.header(lz4MethodRaw, 0, 0, 0)
	_, err := z.w.Write(z.out[:lz4HeaderLen])
	return err
}

// isLZ4Block says whether b starts like lz4-java's block stream.
func isLZ4Block(b []byte) bool { return bytes.HasPrefix(b, []byte(lz4Magic)) }
