// Package cpushare is how a host's OS shares its cores among the threads running on it, by
// process pool: the one rule the simulator runs forward (package sim's host, which advances each
// thread's work at its rate) and calibration undoes (package costmodel's shareOut, which
// integrates the rates over a measured span to recover the work it did on one idle core).
package cpushare

// Rates sets rate[p] to the speed, as a fraction of one core, of each of the threads[p] threads
// running in pool p on a host of cores cores (len(rate) >= len(threads)).
//
// With one pool (a host whose threads share alike: processor sharing), each of its n threads gets
// min(1, cores/n). With several (a host that shares its cores among processes first, one pool per
// process), the cores are divided equally among the pools that have threads, none getting more
// than a core per thread, what one cannot use going to the others (water-filling: the pools with
// the fewest threads take their fair part first), and each pool's part among its threads alike.
// A pool without threads gets rate 1 (it has no thread to run at it).
//
// order is scratch space for the pools with threads, by thread count; Rates returns it for reuse.
func Rates(cores int, threads []int, rate []float64, order []int) []int {
	if len(threads) == 1 {
		rate[0] = 1
		if n := threads[0]; n > cores {
			rate[0] = float64(cores) / float64(n)
		}
		return order
	}
	// The pools with threads by thread count, ties in pool order (a stable insertion sort:
	// hosts have a few pools).
	order = order[:0]
	for p, n := range threads {
		rate[p] = 1
		if n == 0 {
			continue
		}
		j := len(order)
		order = append(order, p)
		for ; j > 0 && threads[order[j-1]] > n; j-- {
			order[j] = order[j-1]
		}
		order[j] = p
	}
	left := float64(cores)
	for k, p := range order {
		n := float64(threads[p])
		alloc := min(n, left/float64(len(order)-k))
		left -= alloc
		rate[p] = alloc / n
	}
	return order
}
