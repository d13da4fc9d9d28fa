package sparklog

import (
	"bytes"
	"encoding/binary"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/golang/snappy"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
)

func TestXXH32KnownValues(t *testing.T) {
	// Reference values of XXH32 (xxHash's own test vectors and sanity checks).
	tests := []struct {
		in   string
		seed uint32
		want uint32
	}{
		{"", 0, 0x02cc5d05},
		{"", 0x9e3779b1, 0x36b78ae7},
		{"a", 0, 0x550d7456},
		{"abc", 0, 0x32d153ff},
		{"Nobody inspects the spammish repetition", 0, 0xe2293b2f},
	}
	for _, tt := range tests {
		if got := xxh32([]byte(tt.in), tt.seed); got != tt.want {
			t.Errorf("xxh32(%q, %#x) = %#08x, want %#08x", tt.in, tt.seed, got, tt.want)
		}
	}
}

// The LZ4 frame format ends with the XXH32 (seed 0) of the content: pierrec/lz4 computes it, so
// it checks xxh32 on inputs of every length around the 16-byte stripes.
func TestXXH32AgainstLZ4FrameChecksum(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 300; n += 1 + n/8 {
		data := make([]byte, n)
		for i := range data {
			data[i] = byte(r.IntN(256))
		}
		var buf bytes.Buffer
		zw := lz4.NewWriter(&buf)
		if err := zw.Apply(lz4.ChecksumOption(true)); err != nil {
			t.Fatal(err)
		}
		zw.Write(data)
		zw.Close()
		b := buf.Bytes()
		want := binary.LittleEndian.Uint32(b[len(b)-4:])
		if got := xxh32(data, 0); got != want {
			t.Fatalf("len %d: xxh32 %#08x, lz4 frame checksum %#08x", n, got, want)
		}
	}
}

// lz4JavaBlock frames one block as lz4-java's LZ4BlockOutputStream does (written here from its
// source, independently of the package's writer), compressing with pierrec/lz4's block encoder.
func lz4JavaBlock(t *testing.T, data []byte, blockSize int) []byte {
	t.Helper()
	level := 0
	for 1<<(level+10) < blockSize {
		level++
	}
	comp := make([]byte, lz4.CompressBlockBound(len(data)))
	var c lz4.Compressor
	n, err := c.CompressBlock(data, comp)
	method := byte(0x20)
	if err != nil || n == 0 || n >= len(data) {
		method, comp, n = 0x10, data, len(data)
	}
	h := make([]byte, 21)
	copy(h, "LZ4Block")
	h[8] = method | byte(level)
	binary.LittleEndian.PutUint32(h[9:], uint32(n))
	binary.LittleEndian.PutUint32(h[13:], uint32(len(data)))
	binary.LittleEndian.PutUint32(h[17:], xxh32(data, 0x9747b28c)&0x0fffffff)
	return append(h, comp[:n]...)
}

func lz4JavaEnd() []byte {
	h := make([]byte, 21)
	copy(h, "LZ4Block")
	h[8] = 0x10 | 5
	return h
}

// snappyJavaStream frames chunks as snappy-java's SnappyOutputStream does, each a raw snappy
// block made by golang/snappy.
func snappyJavaStream(chunks ...[]byte) []byte {
	var b bytes.Buffer
	b.WriteString("\x82SNAPPY\x00")
	binary.Write(&b, binary.BigEndian, int32(1))
	binary.Write(&b, binary.BigEndian, int32(1))
	for _, c := range chunks {
		enc := snappy.Encode(nil, c)
		binary.Write(&b, binary.BigEndian, int32(len(enc)))
		b.Write(enc)
	}
	return b.Bytes()
}

func readAllCodec(t *testing.T, c Codec, b []byte) ([]byte, error) {
	t.Helper()
	r, err := Decompress(c, bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

func sampleLog(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/spark-events/local-1795612175730")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecompressStreamsOfTheRealLibraries(t *testing.T) {
	plain := sampleLog(t)
	half := len(plain) / 2
	var zbuf bytes.Buffer
	zw, _ := zstd.NewWriter(&zbuf)
	zw.Write(plain)
	zw.Close()
	var lz4Stream []byte
	for off := 0; off < len(plain); off += 32 << 10 {
		lz4Stream = append(lz4Stream, lz4JavaBlock(t, plain[off:min(off+32<<10, len(plain))], 32<<10)...)
	}
	lz4Stream = append(lz4Stream, lz4JavaEnd()...)
	incompressible := make([]byte, 5000)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range incompressible {
		incompressible[i] = byte(rng.IntN(256))
	}
	tests := []struct {
		name  string
		codec Codec
		in    []byte
		want  []byte
	}{
		{"zstd by klauspost/compress", CodecZstd, zbuf.Bytes(), plain},
		{"lz4 blocks by pierrec/lz4", CodecLZ4, lz4Stream, plain},
		{"lz4 raw block", CodecLZ4, append(lz4JavaBlock(t, incompressible, 8192), lz4JavaEnd()...), incompressible},
		{"lz4 concatenated streams", CodecLZ4, append(append(lz4JavaBlock(t, plain[:half], 1<<17), lz4JavaEnd()...), append(lz4JavaBlock(t, plain[half:], 1<<17), lz4JavaEnd()...)...), plain},
		{"lz4 empty", CodecLZ4, nil, nil},
		{"snappy chunks by golang/snappy", CodecSnappy, snappyJavaStream(plain[:half], plain[half:]), plain},
		{"snappy concatenated streams", CodecSnappy, append(snappyJavaStream(plain[:100]), snappyJavaStream(plain[100:])...), plain},
		{"snappy header only", CodecSnappy, snappyJavaStream(), nil},
		{"plain", CodecNone, plain, plain},
	}
	for _, tt := range tests {
		got, err := readAllCodec(t, tt.codec, tt.in)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if !bytes.Equal(got, tt.want) {
			t.Errorf("%s: got %d bytes, want %d", tt.name, len(got), len(tt.want))
		}
	}
}

// The fixtures compressed by Spark's own CompressionCodec (zstd-jni, lz4-java, snappy-java)
// decompress to the plain log, byte for byte.
func TestDecompressSparkCodecFixtures(t *testing.T) {
	plain := sampleLog(t)
	for _, c := range []Codec{CodecZstd, CodecLZ4, CodecSnappy} {
		path := "testdata/spark-events/local-1795612175730" + c.Ext()
		in, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		got, err := readAllCodec(t, c, in)
		if err != nil {
			t.Errorf("%s: %v", path, err)
		} else if !bytes.Equal(got, plain) {
			t.Errorf("%s: %d bytes differ from the plain log's %d", path, len(got), len(plain))
		}
		if s, ok := sniff(in); !ok || s != c {
			t.Errorf("%s: sniffed as %q, %v", path, s, ok)
		}
	}
}

func TestCompressRoundTripAndAgainstReferenceDecoders(t *testing.T) {
	plain := sampleLog(t)
	for _, c := range Codecs {
		var buf bytes.Buffer
		w, err := Compress(c, &buf)
		if err != nil {
			t.Fatal(err)
		}
		// Odd write sizes cross block boundaries.
		for off, step := 0, 1; off < len(plain); off, step = off+step, step*3+1 {
			w.Write(plain[off:min(off+step, len(plain))])
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		got, err := readAllCodec(t, c, buf.Bytes())
		if err != nil || !bytes.Equal(got, plain) {
			t.Errorf("codec %q: round trip gives %d bytes (%v), want %d", c, len(got), err, len(plain))
		}
		// Decode independently of the package's readers: the blocks with pierrec/lz4 and
		// golang/snappy, the framing from the formats' definitions.
		b := buf.Bytes()
		var ref []byte
		switch c {
		case CodecLZ4:
			for len(b) >= 21 {
				comp, orig := binary.LittleEndian.Uint32(b[9:]), binary.LittleEndian.Uint32(b[13:])
				if orig == 0 {
					b = b[21:]
					break
				}
				out := make([]byte, orig)
				if b[8]&0xf0 == 0x10 {
					copy(out, b[21:21+comp])
				} else if _, err := lz4.UncompressBlock(b[21:21+comp], out); err != nil {
					t.Fatal(err)
				}
				if xxh32(out, 0x9747b28c)&0x0fffffff != binary.LittleEndian.Uint32(b[17:]) {
					t.Fatal("lz4 block checksum")
				}
				ref, b = append(ref, out...), b[21+comp:]
			}
		case CodecSnappy:
			if string(b[:8]) != "\x82SNAPPY\x00" {
				t.Fatal("snappy magic")
			}
			for b = b[16:]; len(b) > 0; {
				n := binary.BigEndian.Uint32(b)
				out, err := snappy.Decode(nil, b[4:4+n])
				if err != nil {
					t.Fatal(err)
				}
				ref, b = append(ref, out...), b[4+n:]
			}
		case CodecZstd:
			d, _ := zstd.NewReader(nil)
			ref, err = d.DecodeAll(b, nil)
			if err != nil {
				t.Fatal(err)
			}
		default:
			ref = b
		}
		if !bytes.Equal(ref, plain) || len(b) != 0 && c != CodecNone && c != CodecZstd {
			t.Errorf("codec %q: the reference decoding gives %d bytes (%d left over), want %d", c, len(ref), len(b), len(plain))
		}
	}
}

func TestCorruptAndCutShortStreams(t *testing.T) {
	plain := sampleLog(t)[:20000]
	block := lz4JavaBlock(t, plain, 32<<10)
	badSum := append([]byte(nil), block...)
	badSum[17] ^= 1
	badMagic := append([]byte(nil), block...)
	badMagic[0] = 'X'
	snap := snappyJavaStream(plain)
	var zbuf bytes.Buffer
	zw, _ := zstd.NewWriter(&zbuf)
	zw.Write(plain)
	zw.Close()
	tests := []struct {
		name     string
		codec    Codec
		in       []byte
		cutShort bool // a stream cut short, as a log in progress is
	}{
		{"lz4 without end block", CodecLZ4, block, true},
		{"lz4 cut in a block", CodecLZ4, block[:len(block)/2], true},
		{"lz4 cut in a header", CodecLZ4, block[:10], true},
		{"lz4 bad checksum", CodecLZ4, append(badSum, lz4JavaEnd()...), false},
		{"lz4 bad magic", CodecLZ4, badMagic, false},
		{"snappy cut in a chunk", CodecSnappy, snap[:len(snap)-10], true},
		{"snappy cut in a length", CodecSnappy, snap[:18], true},
		{"snappy bad magic", CodecSnappy, append([]byte("\x82SNAPPX\x00"), snap[8:]...), false},
		{"zstd cut short", CodecZstd, zbuf.Bytes()[:zbuf.Len()/2], true},
	}
	for _, tt := range tests {
		_, err := readAllCodec(t, tt.codec, tt.in)
		if err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		if got := isCutShort(err); got != tt.cutShort {
			t.Errorf("%s: cut short = %v, want %v (%v)", tt.name, got, tt.cutShort, err)
		}
	}
}

// withWindow rewrites a single-segment zstd frame (what the encoder makes of a short input) to
// declare a window instead: descriptor byte wd, the window 2^(10+wd>>3) * (1 + (wd&7)/8) bytes.
func withWindow(frame []byte, wd byte) []byte {
	out := append([]byte(nil), frame[:4]...)
	out = append(out, frame[4]&^0x20, wd) // clear Single_Segment_flag, add Window_Descriptor
	return append(out, frame[5:]...)
}

// TestZstdWindowsAndReusedDecoders checks the zstd window limit (zstd's default, 128 MiB, which
// Spark's zstd-jni keeps) and that the pooled decoders carry nothing from one stream to the next,
// a failed one included.
func TestZstdWindowsAndReusedDecoders(t *testing.T) {
	plain := sampleLog(t)[:3000]
	var zbuf bytes.Buffer
	zw, _ := zstd.NewWriter(&zbuf, zstd.WithEncoderConcurrency(1))
	zw.Write(plain)
	zw.Close()
	frame := zbuf.Bytes()
	if frame[4]&0x20 == 0 {
		t.Fatalf("the encoder wrote a frame with a window (header %x); the test rewrites single-segment frames", frame[:6])
	}
	other := []byte(`{"Event":"SparkListenerLogStart","Spark Version":"4.0.1"}` + "\n")
	var obuf bytes.Buffer
	zw.Reset(&obuf)
	zw.Write(other)
	zw.Close()
	tests := []struct {
		name string
		in   []byte
		want []byte // nil: an error
	}{
		{"single segment", frame, plain},
		{"1 MiB window", withWindow(frame, 0x50), plain},
		{"128 MiB window", withWindow(frame, 0x88), plain},
		{"another stream after it", obuf.Bytes(), other},
		{"144 MiB window", withWindow(frame, 0x89), nil},
		{"256 MiB window", withWindow(frame, 0x90), nil},
		{"corrupt", append(append([]byte(nil), frame[:20]...), bytes.Repeat([]byte{0xff}, 40)...), nil},
		{"the first stream again", frame, plain},
		{"two frames in one stream", append(append([]byte(nil), obuf.Bytes()...), frame...), append(append([]byte(nil), other...), plain...)},
	}
	for _, tt := range tests {
		got, err := readAllCodec(t, CodecZstd, tt.in)
		switch {
		case tt.want == nil && err == nil:
			t.Errorf("%s: read %d bytes, want an error", tt.name, len(got))
		case tt.want != nil && err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case tt.want != nil && !bytes.Equal(got, tt.want):
			t.Errorf("%s: read %d bytes, not the %d written", tt.name, len(got), len(tt.want))
		}
	}
}

func TestCodecOf(t *testing.T) {
	tests := []struct {
		name       string
		codec      Codec
		inProgress bool
		bad        bool
	}{
		{"local-1426533911241", CodecNone, false, false},
		{"app-1.zstd", CodecZstd, false, false},
		{"app-1.lz4.inprogress", CodecLZ4, true, false},
		{"events_3_app-1.snappy", CodecSnappy, false, false},
		{"events_1_app-1.compact.zstd", CodecZstd, false, false},
		{"app-1.inprogress", CodecNone, true, false},
		{"app-1.lzf", "", false, true},
		{"app-1.gz", "", false, true},
	}
	for _, tt := range tests {
		c, ip, err := CodecOf(filepath.Join("dir", tt.name))
		if (err != nil) != tt.bad || c != tt.codec || ip != tt.inProgress {
			t.Errorf("CodecOf(%q) = %q, %v, %v", tt.name, c, ip, err)
		}
	}
	if _, err := ParseCodec("gzip"); err == nil {
		t.Error("ParseCodec(gzip) is not an error")
	}
	if c, err := ParseCodec("NONE"); err != nil || c != CodecNone {
		t.Errorf("ParseCodec(NONE) = %q, %v", c, err)
	}
	if _, err := newLZ4BlockWriter(io.Discard, 10); err == nil {
		t.Error("an lz4 block of 10 bytes is allowed")
	}
}
