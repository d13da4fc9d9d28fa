package sparklog

import "testing"

func TestMasters(t *testing.T) {
	tests := []struct {
		master string
		local  bool
		cores  int
	}{
		{"local", true, 1}, {"local[4]", true, 4}, {"local[*]", true, 0}, {"local[2,3]", true, 2},
		{"local-cluster[2,1,1024]", false, 0}, {"spark://h:7077", false, 0}, {"yarn", false, 0}, {"", false, 0},
	}
	for _, tt := range tests {
		if isLocal(tt.master) != tt.local || localCores(tt.master) != tt.cores {
			t.Errorf("%q: local %v cores %d", tt.master, isLocal(tt.master), localCores(tt.master))
		}
	}
}
