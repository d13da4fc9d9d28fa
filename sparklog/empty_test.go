package sparklog

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An event log without events is an error naming its file (Read, ReadApp and ReadAppFrom alike),
// not an application of 0 jobs; a rolling log's newest file, empty while the application runs,
// is a warning after files that hold the events.
func TestEmptyLogNamesItsFile(t *testing.T) {
	dir := t.TempDir()
	compressed := func(c Codec, s string) []byte {
		var buf bytes.Buffer
		w, err := Compress(c, &buf)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(s))
		w.Close()
		return buf.Bytes()
	}
	for name, content := range map[string][]byte{
		"nothing":                      nil,
		"blank-lines":                  []byte("\n  \r\n\t\n"),
		"nothing.inprogress":           nil,
		"zero-bytes.zstd":              nil,
		"no-events.zstd":               compressed(CodecZstd, ""),
		"no-events.lz4":                compressed(CodecLZ4, "\n"),
		"eventlog_v2_a-1/events_1_a-1": nil,
	} {
		path := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, content, 0o644); err != nil {
			t.Fatal(err)
		}
		for reader, read := range map[string]func() error{
			"Read":    func() error { _, _, err := Read(path); return err },
			"ReadApp": func() error { _, _, err := ReadApp(path); return err },
			"ReadApp of the directory": func() error {
				_, _, err := ReadApp(filepath.Dir(path))
				return err
			},
		} {
			if reader == "ReadApp of the directory" && !strings.Contains(name, "/") {
				continue
			}
			err := read()
			if !errors.Is(err, ErrEmpty) || !strings.Contains(err.Error(), path) {
				t.Errorf("%s %s: %v, want ErrEmpty naming %s", reader, name, err, path)
			}
		}
	}
	if _, _, err := ReadAppFrom(strings.NewReader(""), "stdin", CodecNone, false); !errors.Is(err, ErrEmpty) || !strings.HasPrefix(err.Error(), "stdin: ") {
		t.Errorf("ReadAppFrom of nothing: %v", err)
	}

	// A rolling log in progress whose newest file is still empty reads, with a warning naming it.
	roll := filepath.Join(dir, "eventlog_v2_local-1")
	os.MkdirAll(roll, 0o755)
	os.WriteFile(filepath.Join(roll, "events_1_local-1"), sampleLog(t), 0o644)
	os.WriteFile(filepath.Join(roll, "events_2_local-1"), nil, 0o644)
	os.WriteFile(filepath.Join(roll, "appstatus_local-1.inprogress"), nil, 0o644)
	app, info, err := ReadApp(roll)
	if err != nil || len(app.Jobs) == 0 || len(info.Warnings) != 1 || !strings.Contains(info.Warnings[0], "events_2_local-1") {
		t.Errorf("rolling log in progress with an empty newest file: %v, warnings %q", err, info.Warnings)
	}
	// Finished, the same empty file is an error.
	os.Rename(filepath.Join(roll, "appstatus_local-1.inprogress"), filepath.Join(roll, "appstatus_local-1"))
	if _, _, err := ReadApp(roll); !errors.Is(err, ErrEmpty) || !strings.Contains(err.Error(), "events_2_local-1") {
		t.Errorf("finished rolling log with an empty file: %v", err)
	}
}
