package scenarios

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// TestParseCluster reads a cluster section alone and inside a whole scenario, and refuses bad
// ones naming the field.
func TestParseCluster(t *testing.T) {
	seed, err := Builtin("seed-tvs")
	if err != nil {
		t.Fatal(err)
	}
	whole, err := seed.MarshalIndent()
	if err != nil {
		t.Fatal(err)
	}
	shared := `{"local": false, "executors": 2, "cores_per_executor": 1, "host_cores": 2,
		"hosts": [{"cores": 2, "executors": 2, "driver": true, "cpu_share": "processes"}]}`
	for _, tc := range []struct {
		name, in string
		want     Cluster
		bad      string // the field the error names, "" when it parses
	}{
		{name: "section", in: shared, want: Cluster{Executors: 2, CoresPerExecutor: 1, HostCores: 2,
			Hosts: []Host{{Cores: 2, Executors: 2, Driver: true, CPUShare: CPUShareProcesses}}}},
		{name: "local", in: `{"local": true, "executors": 1, "cores_per_executor": 2, "host_cores": 2}`,
			want: Cluster{Local: true, Executors: 1, CoresPerExecutor: 2, HostCores: 2}},
		{name: "scenario", in: string(whole), want: seed.Cluster},
		{name: "unknown field", in: `{"executors": 1, "cores_per_executor": 1, "host_cores": 1, "cpus": 4}`, bad: "cluster.cpus"},
		{name: "no executors", in: `{"cores_per_executor": 1, "host_cores": 1}`, bad: "cluster.executors"},
		{name: "wrong type", in: `{"executors": "2", "cores_per_executor": 1, "host_cores": 1}`, bad: "cluster.executors"},
		{name: "host misses executors", in: `{"executors": 2, "cores_per_executor": 1, "host_cores": 2, "hosts": [{"executors": 1}]}`, bad: "cluster.hosts"},
		{name: "not an object", in: `[1, 2]`, bad: "cluster"},
		{name: "two values", in: `{} {}`, bad: "more than one JSON value"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ParseCluster("c.json", []byte(tc.in))
			if tc.bad != "" {
				if err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "c.json") || !strings.Contains(err.Error(), tc.bad) {
					t.Fatalf("error %v: want an ErrInvalid naming c.json and %s", err, tc.bad)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(c, tc.want) {
				t.Errorf("got %+v, want %+v", c, tc.want)
			}
		})
	}
}

// FuzzParseCluster feeds the cluster reader arbitrary bytes: a cluster or an ErrInvalid, never a
// panic, and what it reads passes a scenario's checks when put in one.
func FuzzParseCluster(f *testing.F) {
	f.Add([]byte(`{"local": false, "executors": 2, "cores_per_executor": 1, "host_cores": 2, "hosts": [{"cores": 2, "executors": 2, "driver": true}]}`))
	f.Add([]byte(`{"executors": 0}`))
	f.Add([]byte(`{"cluster": {}}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseCluster("fuzz.json", b)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v is not ErrInvalid", err)
			}
			return
		}
		s, err := Builtin("seed-tvs")
		if err != nil {
			t.Fatal(err)
		}
		s.Cluster = c
		out, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Parse("again.json", out); err != nil && strings.Contains(err.Error(), "cluster") {
			t.Fatalf("a cluster ParseCluster read fails in a scenario: %v", err)
		}
	})
}
