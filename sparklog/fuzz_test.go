package sparklog

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzReader feeds the reader arbitrary bytes under every codec: it must return spans or an
// error, never panic. What it reads, the writer writes, and that reads back with as many tasks.
func FuzzReader(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/spark-events/local-*")
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		c, _, _ := CodecOf(p)
		for i, k := range Codecs {
			if k == c {
				f.Add(b, uint8(i), false)
			}
		}
	}
	f.Add([]byte(`{"Event":"SparkListenerTaskEnd","Stage ID":0,"Task Info":{"Task ID":1,"Launch Time":5,"Finish Time":2,"Executor ID":"x"}}`), uint8(0), true)
	f.Add([]byte(`{"Event":"org.tunesim.Span","Span":{"kind":"fit","start_ns":5,"end_ns":9}}`+"\n"+`{"Event":"SparkListenerJobEnd","Job ID":3}`), uint8(0), false)
	f.Add([]byte("LZ4Block\x20\x05\x00\x00\x00\x05\x00\x00\x00\x00\x00\x00\x00"), uint8(2), true)
	f.Add([]byte("\x82SNAPPY\x00\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\x03\x01\x00{"), uint8(3), true)
	f.Fuzz(func(t *testing.T, data []byte, codec uint8, inProgress bool) {
		c := Codecs[int(codec)%len(Codecs)]
		tr, _, err := ReadFrom(bytes.NewReader(data), "fuzz", c, inProgress)
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := Write(&buf, tr, WriteOptions{}); err != nil {
			return
		}
		back, _, err := ReadFrom(&buf, "written", CodecNone, false)
		if err != nil {
			t.Fatalf("the writer's log does not read back: %v\n%s", err, buf.Bytes())
		}
		if a, b := countKinds(tr), countKinds(back); a["task"] != b["task"] {
			t.Fatalf("%d tasks read, %d after a round trip", a["task"], b["task"])
		}
	})
}
