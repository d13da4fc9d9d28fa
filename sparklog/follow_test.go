package sparklog

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sync/atomic"
	"testing"
	"time"
)

// appendAndPoll writes data to path in pieces cut at the given offsets, polling f after each, and
// returns the number of events the polls read.
func appendAndPoll(t testing.TB, f *Follower, path string, data []byte, cuts []int) int {
	t.Helper()
	fh, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	read, from := 0, 0
	for _, c := range append(cuts, len(data)) {
		c = min(max(c, from), len(data))
		if _, err := fh.Write(data[from:c]); err != nil {
			t.Fatal(err)
		}
		from = c
		n, err := f.Poll()
		if err != nil {
			t.Fatalf("poll after %d bytes: %v", c, err)
		}
		read += n
	}
	return read
}

// sameApp checks that the followed application is the one ReadApp reads from the whole log.
func sameApp(t testing.TB, f *Follower, whole string) {
	t.Helper()
	want, wantInfo, err := ReadApp(whole)
	if err != nil {
		t.Fatal(err)
	}
	sameAs(t, f, want, wantInfo)
}

// sameAs checks that the followed application is want, read with wantInfo.
func sameAs(t testing.TB, f *Follower, want *App, wantInfo *Info) {
	t.Helper()
	got, info := f.App()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("followed app differs from the whole log's: %d jobs, want %d", len(got.Jobs), len(want.Jobs))
	}
	if info.Lines != wantInfo.Lines || info.Skipped != wantInfo.Skipped || info.AppID != wantInfo.AppID ||
		!reflect.DeepEqual(info.Executors, wantInfo.Executors) || info.EpochMs != wantInfo.EpochMs {
		t.Errorf("followed info: lines %d skipped %d app %q execs %v; whole log: %d %d %q %v",
			info.Lines, info.Skipped, info.AppID, info.Executors, wantInfo.Lines, wantInfo.Skipped, wantInfo.AppID, wantInfo.Executors)
	}
}

// Following a log written in pieces — cut inside lines (or compressed blocks), at line ends, in
// one piece — and then renamed from .inprogress to its final name gives the application ReadApp
// reads from the whole, plain or compressed as Spark compresses it.
func TestFollowerReadsAppendsAndRename(t *testing.T) {
	for _, ext := range []string{"", ".zstd", ".lz4", ".snappy"} {
		src := filepath.Join("testdata", "spark-events", "local-1795612175730"+ext)
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		for name, cuts := range map[string][]int{
			"one piece":    nil,
			"inside lines": {1, 100, 101, 5000, len(data) / 2, len(data) - 1},
			"every 997 B":  every(997, len(data)),
		} {
			t.Run(ext+" "+name, func(t *testing.T) {
				dir := t.TempDir()
				final := filepath.Join(dir, "app-1"+ext)
				ip := final + InProgress
				if err := os.WriteFile(ip, nil, 0o644); err != nil {
					t.Fatal(err)
				}
				f, err := Follow(ip)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				appendAndPoll(t, f, ip, data, cuts)
				if f.Complete() {
					t.Fatal("complete before the rename")
				}
				if err := os.Rename(ip, final); err != nil {
					t.Fatal(err)
				}
				if _, err := f.Poll(); err != nil {
					t.Fatal(err)
				}
				if !f.Complete() || !f.Ended() {
					t.Fatalf("complete %v, ended %v after the rename", f.Complete(), f.Ended())
				}
				sameApp(t, f, final)
			})
		}
	}
}

// What is written is read by the next Poll, without waiting for more: half a plain log's lines,
// and the whole of a compressed log's stream (its decoder waits at the end of the file).
func TestFollowerReadsWhatIsWritten(t *testing.T) {
	plain, err := os.ReadFile(filepath.Join("testdata", "spark-events", "local-1795612175730"))
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitAfter(bytes.TrimRight(plain, "\n"), []byte("\n"))
	half := len(lines) / 2
	for _, c := range []struct {
		ext  string
		data []byte
		want int
	}{
		{"", bytes.Join(lines[:half], nil), half},
		{".zstd", nil, len(lines)},
		{".snappy", nil, len(lines)},
	} {
		data := c.data
		if data == nil {
			if data, err = os.ReadFile(filepath.Join("testdata", "spark-events", "local-1795612175730"+c.ext)); err != nil {
				t.Fatal(err)
			}
		}
		ip := filepath.Join(t.TempDir(), "app"+c.ext+InProgress)
		if err := os.WriteFile(ip, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := Follow(ip)
		if err != nil {
			t.Fatal(err)
		}
		if n := appendAndPoll(t, f, ip, data, nil); n != c.want {
			t.Errorf("%q: read %d events of the %d written", c.ext, n, c.want)
		}
		f.Close()
	}
}

func every(step, n int) []int {
	var cuts []int
	for c := step; c < n; c += step {
		cuts = append(cuts, c)
	}
	return cuts
}

// A rolling log followed while its files appear one by one, the marker renamed at the end, gives
// the application of the whole directory: two plain files split at a line end as Spark rolls,
// and Spark's own lz4 rolling log.
func TestFollowerReadsARollingLog(t *testing.T) {
	plain, err := os.ReadFile(filepath.Join("testdata", "spark-events", "local-1795612175730"))
	if err != nil {
		t.Fatal(err)
	}
	mid := len(plain) / 2
	for plain[mid-1] != '\n' {
		mid++
	}
	lz4 := filepath.Join("testdata", "spark-events", "eventlog_v2_local-1795612175730")
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(lz4, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for name, files := range map[string][][2]string{
		"plain": {{"events_1_local-1", string(plain[:mid])}, {"events_2_local-1", string(plain[mid:])}},
		"lz4": {{"events_1_local-1795612175730.lz4", string(read("events_1_local-1795612175730.lz4"))},
			{"events_2_local-1795612175730.lz4", string(read("events_2_local-1795612175730.lz4"))}},
	} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "eventlog_v2_local-1")
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			marker := filepath.Join(dir, "appstatus_local-1")
			if err := os.WriteFile(marker+InProgress, nil, 0o644); err != nil {
				t.Fatal(err)
			}
			first := filepath.Join(dir, files[0][0])
			if err := os.WriteFile(first, nil, 0o644); err != nil {
				t.Fatal(err)
			}
			f, err := Follow(dir)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			for _, fl := range files {
				appendAndPoll(t, f, filepath.Join(dir, fl[0]), []byte(fl[1]), every(3001, len(fl[1])))
			}
			if f.Complete() {
				t.Fatal("complete while the marker is .inprogress")
			}
			if err := os.Rename(marker+InProgress, marker); err != nil {
				t.Fatal(err)
			}
			if _, err := f.Poll(); err != nil || !f.Complete() {
				t.Fatalf("after the marker's rename: complete %v, %v", f.Complete(), err)
			}
			sameApp(t, f, dir)
		})
	}
}

// FuzzFollower cuts a log, plain or compressed, into appends at arbitrary offsets: the followed
// application is the whole log's.
func FuzzFollower(f *testing.F) {
	exts := []string{"", ".zstd", ".lz4", ".snappy"}
	var logs [][]byte
	var apps []*App // each log as ReadApp reads it whole, once: what every execution must follow to
	var infos []*Info
	for _, ext := range exts {
		path := filepath.Join("testdata", "spark-events", "local-1795612175730"+ext)
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		app, info, err := ReadApp(path)
		if err != nil {
			f.Fatal(err)
		}
		logs, apps, infos = append(logs, data), append(apps, app), append(infos, info)
	}
	f.Add(uint8(0), uint16(1), uint16(2), uint16(3))
	f.Add(uint8(1), uint16(500), uint16(501), uint16(9000))
	f.Add(uint8(2), uint16(7), uint16(4000), uint16(12000))
	f.Add(uint8(3), uint16(0), uint16(13000), uint16(13001))
	// One directory for every execution, a file name each: system calls were a quarter of an
	// execution's CPU, and a directory made and removed per execution added to them.
	dir := f.TempDir()
	var n atomic.Int64
	f.Fuzz(func(t *testing.T, codec uint8, a, b, c uint16) {
		k := int(codec) % len(exts)
		data := logs[k]
		final := filepath.Join(dir, fmt.Sprintf("app-%d%s", n.Add(1), exts[k]))
		defer os.Remove(final)
		defer os.Remove(final + InProgress)
		if err := os.WriteFile(final+InProgress, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		fl, err := Follow(final + InProgress)
		if err != nil {
			t.Fatal(err)
		}
		defer fl.Close()
		cuts := []int{int(a) % len(data), int(b) % len(data), int(c) % len(data)}
		appendAndPoll(t, fl, final+InProgress, data, cuts)
		if err := os.Rename(final+InProgress, final); err != nil {
			t.Fatal(err)
		}
		if _, err := fl.Poll(); err != nil {
			t.Fatal(err)
		}
		sameAs(t, fl, apps[k], infos[k])
	})
}

// A compressed log's decoder that went idle at the end of an empty file before anything was
// written (here given 20 ms to get there) still reads what was written before the next Poll: the
// Poll does not take that earlier idle for the end of what is written now.
func TestFollowerPollAfterAnIdleStart(t *testing.T) {
	for _, ext := range []string{".zstd", ".lz4", ".snappy"} {
		data, err := os.ReadFile(filepath.Join("testdata", "spark-events", "local-1795612175730"+ext))
		if err != nil {
			t.Fatal(err)
		}
		ip := filepath.Join(t.TempDir(), "app"+ext+InProgress)
		if err := os.WriteFile(ip, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := Follow(ip)
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
		if n := appendAndPoll(t, f, ip, data, nil); n == 0 {
			t.Errorf("%s: the first Poll after the decoder went idle read no events", ext)
		}
		f.Close()
	}
}
