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
