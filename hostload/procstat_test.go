package hostload

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseStat(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want CPUTimes
		cpus int
		err  string
	}{
		// Read by hand from the aggregate lines: busy = user+nice+system+irq+softirq,
		// idle = idle+iowait, then steal.
		{name: "file:stat-busy-before", want: CPUTimes{Busy: 73520 + 9934 + 162, Idle: 37820 + 362, Steal: 171}, cpus: 2},
		{name: "file:stat-hogs-after", want: CPUTimes{Busy: 74041 + 10040 + 162, Idle: 37829 + 362, Steal: 171}, cpus: 2},
		{name: "file:stat-2.6.10", want: CPUTimes{Busy: 4705 + 356 + 584 + 23, Idle: 3699 + 23}, cpus: 1},
		{name: "guest columns", in: "cpu 10 1 2 30 4 5 6 7 8 9\ncpu0 10 1 2 30 4 5 6 7 8 9\ncpu1 0 0 0 0 0 0 0 0 0 0\ncpux 1 1 1 1 1 1 1\n",
			want: CPUTimes{Busy: 10 + 1 + 2 + 5 + 6, Idle: 34, Steal: 7}, cpus: 2},
		{name: "no aggregate line", in: "cpu0 1 2 3 4 5 6 7\nintr 3\n", err: "no aggregate"},
		{name: "empty", in: "", err: "no aggregate"},
		{name: "too few counters", in: "cpu 1 2 3 4 5\n", err: "line 1: \"cpu\" has 5 counters"},
		{name: "not a number", in: "cpu 1 2 x 4 5 6 7 8\n", err: "line 1: counter 3 \"x\""},
		{name: "negative", in: "intr 1\ncpu 1 2 -3 4 5 6 7 8\n", err: "line 2: counter 3"},
		{name: "beyond 2^48", in: "cpu 1 2 3 4 5 6 7 300000000000000\n", err: "counter 8"},
		{name: "two aggregates", in: "cpu 1 2 3 4 5 6 7 8\ncpu 1 2 3 4 5 6 7 8\n", err: "line 2: a second"},
	}
	for _, tt := range tests {
		in := tt.in
		if name, ok := strings.CutPrefix(tt.name, "file:"); ok {
			b, err := os.ReadFile(filepath.Join("testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			in = string(b)
		}
		got, cpus, err := ParseStat(strings.NewReader(in))
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: error %v, want one mentioning %q", tt.name, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want || cpus != tt.cpus {
			t.Errorf("%s: %+v, %d CPUs, %v; want %+v, %d CPUs", tt.name, got, cpus, err, tt.want, tt.cpus)
		}
	}
}

func TestParseLoadavg(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		err  bool
	}{
		{"4.73 4.44 2.20 8/124 24420\n", 4.73, false},
		{"0.00 0.01 0.05 1/80 1", 0, false},
		{"", 0, true},
		{"-1 0 0 1/1 1", 0, true},
		{"NaN 0 0", 0, true},
		{"load 1 2", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseLoadavg(strings.NewReader(tt.in))
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("ParseLoadavg(%q) = %v, %v; want %v (error %v)", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func FuzzParseStat(f *testing.F) {
	for _, name := range []string{"stat-busy-before", "stat-hogs-after", "stat-2.6.10"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add("cpu 1 2 3 4 5 6 7 8 9 10\n")
	f.Fuzz(func(t *testing.T, in string) {
		c, cpus, err := ParseStat(strings.NewReader(in))
		if err != nil {
			return
		}
		if cpus < 0 || cpus > strings.Count(in, "cpu") {
			t.Errorf("%d CPUs from %d \"cpu\" lines", cpus, strings.Count(in, "cpu"))
		}
		if c.Busy > 5*maxTicks || c.Idle > 2*maxTicks || c.Steal > maxTicks {
			t.Errorf("counters %+v beyond their bounds", c)
		}
		if d := ticks(c.Busy + c.Idle + c.Steal); d < 0 {
			t.Errorf("total %v overflows", d)
		}
	})
}

func FuzzParseLoadavg(f *testing.F) {
	for _, name := range []string{"loadavg-busy", "loadavg-hogs"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Fuzz(func(t *testing.T, in string) {
		v, err := ParseLoadavg(strings.NewReader(in))
		if err == nil && !(v >= 0 && v <= 1e9) {
			t.Errorf("load %v from %q", v, in)
		}
	})
}
