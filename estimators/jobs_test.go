package estimators

import (
	"reflect"
	"testing"
)

// TestTreeLevels checks treeAggregate's reduce levels against RDD.treeAggregate's rule worked by
// hand: scale = max(ceil(sqrt(n)), 2), a level while n > scale + ceil(n/scale).
func TestTreeLevels(t *testing.T) {
	tests := []struct {
		n    int
		want []int
	}{{1, nil}, {2, nil}, {5, nil}, {6, []int{2}}, {40, []int{5}}, {800, []int{27}}}
	for _, tt := range tests {
		if got := TreeLevels(tt.n); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("TreeLevels(%d) = %v, want %v", tt.n, got, tt.want)
		}
	}
}

// TestForestGroups checks selectNodesToSplit's groups against counts worked out by hand: every
// level's nodes in one group while their histograms fit, split into more groups when they do not,
// and no more nodes per tree at a level than pairs of rows.
func TestForestGroups(t *testing.T) {
	const mib = 1 << 20
	tests := []struct {
		name   string
		f      forest
		groups int
		nodes  []int64
	}{
		// 2 trees of depth 3, 10 features x 32 bins x 2 classes x 8 B = 5 KiB a node: one group a level.
		{"fits", forest{trees: 2, maxDepth: 3, perNode: 10, bins: 32, stats: 2, rows: 1000, subsampling: 1, maxMemory: 256 * mib}, 3, []int64{2, 4, 8}},
		// 1 MiB holds 204 such nodes: levels 0-6 (up to 128 nodes) take a group each, level 7's
		// 256 nodes two, level 8's 512 three.
		{"memory binds", forest{trees: 2, maxDepth: 9, perNode: 10, bins: 32, stats: 2, rows: 1 << 20, subsampling: 1, maxMemory: mib}, 7 + 2 + 3, []int64{2, 4, 8, 16, 32, 64, 128, 204, 52, 204, 204, 104}},
		// 10 rows: a tree splits at most 5 nodes at a level.
		{"few rows", forest{trees: 1, maxDepth: 5, perNode: 1, bins: 2, stats: 3, rows: 10, subsampling: 1, maxMemory: mib}, 5, []int64{1, 2, 4, 5, 5}},
		// maxDepth 0: the root is still aggregated once (its prediction).
		{"depth 0", forest{trees: 3, maxDepth: 0, perNode: 1, bins: 2, stats: 2, rows: 10, subsampling: 1, maxMemory: mib}, 1, []int64{3}},
	}
	for _, tt := range tests {
		g := tt.f.groups()
		if len(g) != tt.groups {
			t.Errorf("%s: %d groups, want %d", tt.name, len(g), tt.groups)
			continue
		}
		for i, n := range tt.nodes {
			if g[i].nodes != n {
				t.Errorf("%s: group %d has %d nodes, want %d", tt.name, i, g[i].nodes, n)
			}
		}
	}
	huge := forest{trees: 1000, maxDepth: 30, perNode: 100, bins: 32, stats: 2, rows: 1e9, subsampling: 1, maxMemory: 0}
	if p, _, _ := huge.check(1); p != "maxMemoryInMB" {
		t.Errorf("a forest of millions of groups is not refused (param %q)", p)
	}
}
