package sparklog

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"tunesim/trace"
)

// fieldNames lists the JSON names a fieldSet decodes.
func fieldNames[T any](fs *fieldSet[T]) []string {
	var out []string
	for _, f := range fs.fields {
		out = append(out, f.name)
	}
	return out
}

// TestDecoderKnowsEveryField walks event and every struct it holds: each JSON field must have
// its entry in the decoder's tables, so that a field added to event cannot be left unset by the
// fast path. The trace header and spans are decoded by encoding/json and need none.
func TestDecoderKnowsEveryField(t *testing.T) {
	tables := map[reflect.Type][]string{
		reflect.TypeFor[event]():              fieldNames(eventFields),
		reflect.TypeFor[result]():             fieldNames(resultFields),
		reflect.TypeFor[jobException]():       fieldNames(jobExceptionFields),
		reflect.TypeFor[endReason]():          fieldNames(endReasonFields),
		reflect.TypeFor[blockManagerID]():     fieldNames(blockManagerIDFields),
		reflect.TypeFor[executorInfo]():       fieldNames(executorInfoFields),
		reflect.TypeFor[stageInfo]():          fieldNames(stageInfoFields),
		reflect.TypeFor[rddInfo]():            fieldNames(rddInfoFields),
		reflect.TypeFor[storageLevel]():       fieldNames(storageLevelFields),
		reflect.TypeFor[taskInfo]():           fieldNames(taskInfoFields),
		reflect.TypeFor[taskMetrics]():        fieldNames(taskMetricsFields),
		reflect.TypeFor[inputMetrics]():       fieldNames(inputMetricsFields),
		reflect.TypeFor[shuffleReadMetrics](): fieldNames(shuffleReadMetricsFields),
	}
	viaJSON := map[reflect.Type]bool{reflect.TypeFor[traceInfo](): true, reflect.TypeFor[trace.Span](): true}
	seen := map[reflect.Type]bool{}
	var walk func(typ reflect.Type)
	walk = func(typ reflect.Type) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct || viaJSON[typ] || seen[typ] {
			return
		}
		seen[typ] = true
		have, ok := tables[typ]
		if !ok {
			t.Errorf("%v: no decoder table (eventdecode.go)", typ)
			return
		}
		var want []string
		for f := range typ.Fields() {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" || !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			want = append(want, name)
			walk(f.Type)
		}
		sort.Strings(want)
		have = slices.Sorted(slices.Values(have))
		if !slices.Equal(have, want) {
			t.Errorf("%v: the decoder knows %q, the struct has %q", typ, have, want)
		}
	}
	walk(reflect.TypeFor[event]())
	for typ := range tables {
		if !seen[typ] {
			t.Errorf("%v: a decoder table for a type event does not hold", typ)
		}
	}
}

// agrees checks x against encoding/json on one line: the same event, or both an error. It
// returns whether the fast path decoded the line.
func agrees(t *testing.T, x *eventDecoder, name string, line []byte) bool {
	t.Helper()
	var fast, ref, got event
	took := x.fast(line, &fast)
	refErr := json.Unmarshal(line, &ref)
	if took && refErr != nil {
		t.Errorf("%s: the fast path decoded a line encoding/json rejects (%v): %q", name, refErr, line)
	}
	if took && refErr == nil && !reflect.DeepEqual(fast, ref) {
		t.Errorf("%s: the fast path decoded\n%+v\nencoding/json\n%+v\nfrom %q", name, fast, ref, line)
	}
	got.Event = "left over from an earlier line"
	err := x.decode(line, &got)
	if (err == nil) != (refErr == nil) || err != nil && err.Error() != refErr.Error() {
		t.Errorf("%s: decodeEvent's error %v, encoding/json's %v", name, err, refErr)
	}
	if err == nil && !reflect.DeepEqual(got, ref) {
		t.Errorf("%s: decodeEvent decoded\n%+v\nencoding/json\n%+v", name, got, ref)
	}
	if validJSON(line) && !json.Valid(line) {
		t.Errorf("%s: validJSON accepts what json.Valid rejects: %.200q", name, line)
	}
	return took
}

// TestDecodeEventLikeEncodingJSON decodes every line of the test logs (Spark's own, the
// failure logs, the fuzz seeds, a log the writer wrote) and lines made to trip a decoder, and
// checks each against encoding/json. Every line of a real log must take the fast path.
func TestDecodeEventLikeEncodingJSON(t *testing.T) {
	var logs [][]byte
	for _, pattern := range []string{"testdata/spark-events/local-1426533911241", "testdata/spark-events/local-1795612175730",
		"testdata/spark-events/eventlog_v2_local-1766844910796/events_*", "testdata/failures/*"} {
		paths, _ := filepath.Glob(pattern)
		for _, p := range paths {
			if st, err := os.Stat(p); err != nil || st.IsDir() {
				continue
			}
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			logs = append(logs, b)
		}
	}
	var written bytes.Buffer
	if err := Write(&written, simulated(t, "seed-cv", 2), WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	logs = append(logs, written.Bytes())
	lines := 0
	var x eventDecoder // one for all the lines, as for a log
	for _, b := range logs {
		sc := bufio.NewScanner(bytes.NewReader(b))
		sc.Buffer(nil, 16<<20)
		for sc.Scan() {
			if len(bytes.TrimSpace(sc.Bytes())) == 0 {
				continue
			}
			lines++
			if !agrees(t, &x, "log line", sc.Bytes()) {
				t.Errorf("a line of a real log left the fast path: %.300s", sc.Bytes())
			}
		}
	}
	if lines < 1000 {
		t.Fatalf("only %d lines in the test logs", lines)
	}
	tests := []struct {
		line string
		fast bool // the fast path takes it
	}{
		{`{}`, true},
		{` {"Event" : "SparkListenerJobEnd" , "Job ID" : 3 } ` + "\t\r", true},
		{`{"Event":"SparkListenerTaskEnd","Stage ID":-0,"Task Info":{"Task ID":9223372036854775807,"Launch Time":-9223372036854775808}}`, true},
		{`{"Stage Infos":[],"Stage IDs":[],"Properties":{},"Spark Properties":{"a":"","b":"ü"}}`, true},
		{`{"Stage Infos":[{"Stage ID":1,"RDD Info":[{"RDD ID":2,"Storage Level":{"Use Disk":true,"Use Memory":false}}],"Parent IDs":[0,1]}],"Stage IDs":[1,2,3]}`, true},
		{`{"Task Metrics":{"Executor Run Time":5,"Shuffle Write Metrics":{"a":[1.5e-3,-2,0.0,true,false,null,"x\u00e9\n"],"b":{}},"Updated Blocks":[]},"x":{"y":[[[]]]}}`, true},
		{`{"App Name":"caf\u00e9 \"q\" \\ \/","User":"日本"}`, true},
		{"{\"App Name\":\"bad \xff utf8\"}", true},
		{`{"Span":{"kind":"fit","start_ns":5,"end_ns":9},"Trace":{"Epoch ms":1,"Header":{"source":"sim"}}}`, true},
		{`{"Task End Reason":{"Reason":"ExecutorLostFailure","Exit Caused By App":false,"Loss Reason":"x","Block Manager Address":{"Port":7}}}`, true},
		// Left to encoding/json: it decides, and the result is its own.
		{`{"Job ID":null}`, false},
		{`{"Stage Attempt ID":null}`, false},
		{`{"Job ID":1,"Job ID":2}`, false},
		{`{"job id":1}`, false},
		{`{"JOB ID":1}`, false},
		{`{"Task Info":{"task id":1}}`, false},
		{`{"Job \u0049D":1}`, false},
		{`{"Job ID":1.0}`, false},
		{`{"Job ID":1e3}`, false},
		{`{"Job ID":9223372036854775808}`, false},
		{`{"Job ID":"1"}`, false},
		{`{"Job ID":01}`, false},
		{`{"Job ID":-}`, false},
		{`{"App Name":5}`, false},
		{`{"Task Info":{"Speculative":1}}`, false},
		{`{"Task Info":{"Speculative":"true"}}`, false},
		{`{"Properties":{"a":1}}`, false},
		{`{"Properties":{"a":"1","a":"2"}}`, false},
		{`{"Properties":[]}`, false},
		{`{"Stage IDs":{}}`, false},
		{`{"Stage IDs":[1,]}`, false},
		{`{"Span":null}`, false},
		{`{"Span":{"kind":5}}`, false},
		{`{"Task Info":{"Task ID":1},"x":[1 2]}`, false},
		{`{"x":"unterminated}`, false},
		{"{\"x\":\"tab\there\"}", false},
		{`{"x":"\q"}`, false},
		{`{"x":"\u12G4"}`, false},
		{`{"x":tru}`, false},
		{`{"x":nul}`, false},
		{`{"x":01}`, false},
		{`{"x":1.}`, false},
		{`{"x":.5}`, false},
		{`{"x":1e}`, false},
		{`{"x":-}`, false},
		{`{"x":+1}`, false},
		{`{"x":1}}`, false},
		{`{"x":1} x`, false},
		{`{"x" 1}`, false},
		{`{"x":1,}`, false},
		{`{,}`, false},
		{`{`, false},
		{``, false},
		{`[]`, false},
		{`"Event"`, false},
		{`null`, false},
		{`{"x":` + strings.Repeat("[", 1100) + strings.Repeat("]", 1100) + `}`, false},
	}
	for _, tt := range tests {
		if took := agrees(t, &x, "case", []byte(tt.line)); took != tt.fast {
			t.Errorf("%.80q: fast path %v, want %v", tt.line, took, tt.fast)
		}
	}
}
