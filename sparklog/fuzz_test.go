package sparklog

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// FuzzReader feeds the reader arbitrary bytes under every codec: it must return spans or an
// error, never panic. What it reads, the writer writes, and that reads back with as many tasks.
//
// Its seeds are testdata/fuzz/FuzzReader: small logs (a few kilobytes; see testdata/README.md)
// rather than the whole logs of testdata/spark-events. The fuzzer spends its time on mutations of
// its seeds and on minimizing every new input it finds interesting, both in proportion to the
// input's length: seeded with the 70 KB logs it ran 2 executions a second.
func FuzzReader(f *testing.F) {
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

// FuzzDecodeEvent checks decodeEvent against encoding/json on arbitrary lines: whatever the fast
// path decodes, encoding/json decodes to the same event; what it leaves, encoding/json decides;
// and what validJSON accepts, json.Valid does (the reader asks encoding/json about the rest).
func FuzzDecodeEvent(f *testing.F) {
	f.Add([]byte(`{"Event":"SparkListenerTaskEnd","Stage ID":0,"Task End Reason":{"Reason":"Success"},"Task Info":{"Task ID":1,"Launch Time":5,"Executor ID":"x","Finish Time":9},"Task Metrics":{"Executor Run Time":4,"Input Metrics":{"Records Read":10}}}`))
	f.Add([]byte(`{"Event":"SparkListenerJobStart","Job ID":0,"Stage Infos":[{"Stage ID":0,"Stage Name":"c","RDD Info":[{"RDD ID":1,"Storage Level":{"Use Memory":true}}]}],"Stage IDs":[0],"Properties":{"tunesim.fit":"0"}}`))
	f.Add([]byte(`{"Event":"org.tunesim.Span","Span":{"kind":"fit","start_ns":5,"end_ns":9}}`))
	f.Add([]byte(`{"x":[1.5e-3,"\u00e9",{"y":null}],"Job ID":-1}`))
	var x eventDecoder
	f.Fuzz(func(t *testing.T, line []byte) {
		agrees(t, &x, "fuzz", line)
	})
}

// TestFuzzReaderSeeds checks that the fuzzer starts from logs the reader reads whole (a seed it
// rejects would leave the writer's half of the fuzz target unfuzzed): each seed's tasks, counted
// by hand from its TaskEnd lines (a Resubmitted end takes back an earlier success and adds no
// task), and the compressed copies of "job" decompress to its log.
func TestFuzzReaderSeeds(t *testing.T) {
	cases := []struct {
		seed    string
		tasks   int
		warning string // a warning the reader must give, if any
	}{
		{"app", 0, ""},
		{"job", 1, ""},
		{"job-zstd", 1, ""},
		{"job-lz4", 1, ""},
		{"job-snappy", 1, ""},
		{"job-cut", 1, "cut short"},
		{"stage", 1, ""},
		{"killed", 1, ""},
		{"lost", 2, ""},
		{"fetch", 1, ""},
		{"exception", 2, ""},
		{"spark12", 1, ""},
		{"ml", 0, ""},
		{"tunesim", 1, ""},
	}
	dir := filepath.Join("testdata", "fuzz", "FuzzReader")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(cases) {
		t.Errorf("%s holds %d seeds, this test knows %d: add the new ones here", dir, len(entries), len(cases))
	}
	var job []byte
	for _, c := range cases {
		data, codec, inProgress, err := readCorpusEntry(filepath.Join(dir, c.seed))
		if err != nil {
			t.Fatal(err)
		}
		cd := Codecs[int(codec)%len(Codecs)]
		tr, info, err := ReadFrom(bytes.NewReader(data), c.seed, cd, inProgress)
		if err != nil {
			t.Errorf("%s: %v", c.seed, err)
			continue
		}
		if got := countKinds(tr)["task"]; got != c.tasks {
			t.Errorf("%s: %d tasks, want %d", c.seed, got, c.tasks)
		}
		if w := strings.Join(info.Warnings, "; "); c.warning != "" && !strings.Contains(w, c.warning) {
			t.Errorf("%s: warnings %q, want one saying %q", c.seed, w, c.warning)
		}
		if strings.HasPrefix(c.seed, "job") && c.seed != "job-cut" {
			dr, err := Decompress(cd, bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			var plain bytes.Buffer
			if _, err := plain.ReadFrom(dr); err != nil {
				t.Fatalf("%s: %v", c.seed, err)
			}
			dr.Close()
			if job == nil {
				job = plain.Bytes()
			} else if !bytes.Equal(plain.Bytes(), job) {
				t.Errorf("%s does not decompress to the log of seed job", c.seed)
			}
		}
	}
}

// readCorpusEntry reads a FuzzReader corpus file in Go's format ("go test fuzz v1", then one
// line per argument: []byte("..."), byte('.'), bool(...)).
func readCorpusEntry(path string) (data []byte, codec uint8, inProgress bool, err error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, 0, false, err
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	arg := func(line, typ string) (string, error) {
		if !strings.HasPrefix(line, typ+"(") || !strings.HasSuffix(line, ")") {
			return "", fmt.Errorf("%s: %q is not a %s", path, line, typ)
		}
		return line[len(typ)+1 : len(line)-1], nil
	}
	if len(lines) != 4 || lines[0] != "go test fuzz v1" {
		return nil, 0, false, errors.New(path + ": not a corpus entry of FuzzReader (go test fuzz v1 and three arguments)")
	}
	s, err := arg(lines[1], "[]byte")
	if err == nil {
		s, err = strconv.Unquote(s)
	}
	if err != nil {
		return nil, 0, false, fmt.Errorf("%s: data: %w", path, err)
	}
	c, err := arg(lines[2], "byte")
	if err == nil {
		var v rune
		v, _, _, err = strconv.UnquoteChar(strings.Trim(c, "'"), '\'')
		codec = uint8(v)
	}
	if err != nil {
		return nil, 0, false, fmt.Errorf("%s: codec: %w", path, err)
	}
	p, err := arg(lines[3], "bool")
	if err == nil {
		inProgress, err = strconv.ParseBool(p)
	}
	if err != nil {
		return nil, 0, false, fmt.Errorf("%s: in progress: %w", path, err)
	}
	return []byte(s), codec, inProgress, nil
}
