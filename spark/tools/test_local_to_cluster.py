"""Tests for local_to_cluster.py's table: the medians it measures against, the errors' signs, and
the summary, on hand-made runs whose answers are worked out by hand."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import local_to_cluster as lc  # noqa: E402


def run(pipeline, p, fit, adaptive=False):
    return {"pipeline": pipeline, "parallelism": p, "fit_s": fit, "adaptive": adaptive}


class MeasuredMedians(unittest.TestCase):
    def test_median_per_parallelism_of_the_pipeline_alone(self):
        runs = [
            run("a", 1, 10.0),
            run("a", 1, 12.0),
            run("a", 2, 8.0),
            run("a", 2, 9.0),
            run("a", 2, 30.0),
            run("a", 2, 1.0, adaptive=True),  # the adaptive tuner's run: not a fixed parallelism's
            run("b", 1, 99.0),
        ]
        self.assertEqual(lc.measured_medians(runs, "a"), {1: 11.0, 2: 9.0})
        self.assertEqual(lc.measured_medians(runs, "c"), {})


class Recommendation(unittest.TestCase):
    def test_held_within_five_percent_of_the_fastest(self):
        runs = [run("a", 1, 20.0), run("a", 2, 16.0), run("a", 4, 15.5), run("a", 4, 15.0)]
        # 4 param maps: the runs at 4 are the fastest (15.25); 2 is 4.9% behind, 1 far behind.
        self.assertTrue(lc.recommendation(runs, "a", 4, 4))
        self.assertTrue(lc.recommendation(runs, "a", 2, 4))
        self.assertFalse(lc.recommendation(runs, "a", 1, 4))

    def test_beyond_the_param_maps_is_judged_on_the_pooled_runs(self):
        runs = [run("a", 1, 20.0), run("a", 4, 15.0), run("a", 10, 15.4)]
        # A tuner of 4 param maps runs at 6 as at 4 and 10: those runs are one way of running.
        self.assertTrue(lc.recommendation(runs, "a", 6, 4))
        # With 8 param maps, 6 ran nowhere: not judged.
        self.assertIsNone(lc.recommendation(runs, "a", 6, 8))

    def test_serial_runs_alone_are_not_judged(self):
        # Runs at one parallelism leave whatif nothing to choose: its choice of 1 is no evidence.
        runs = [run("a", 1, 20.0), run("a", 1, 21.0)]
        self.assertIsNone(lc.recommendation(runs, "a", 1, 4))


class Rows(unittest.TestCase):
    def test_signed_errors(self):
        # Predicted 20 s serial and 10 s at 2 (2x); measured 25 s and 20 s (1.25x): the makespans
        # are 20% and 50% short, the speedup promised 60% too much.
        rows = lc.rows_of("a", "2x1", {1: 20.0, 2: 10.0, 4: 9.0}, {1: 25.0, 2: 20.0})
        self.assertEqual([r["parallelism"] for r in rows], [1, 2])
        self.assertAlmostEqual(rows[0]["makespan_error_pct"], -20.0)
        self.assertAlmostEqual(rows[0]["speedup_error_pct"], 0.0)
        self.assertAlmostEqual(rows[1]["makespan_error_pct"], -50.0)
        self.assertAlmostEqual(rows[1]["predicted_speedup"], 2.0)
        self.assertAlmostEqual(rows[1]["measured_speedup"], 1.25)
        self.assertAlmostEqual(rows[1]["speedup_error_pct"], 60.0)

    def test_no_serial_run_is_refused(self):
        with self.assertRaises(ValueError):
            lc.rows_of("a", "2x1", {2: 10.0}, {2: 20.0})

    def test_summary(self):
        rows = lc.rows_of("a", "2x1", {1: 20.0, 2: 10.0}, {1: 25.0, 2: 20.0})
        rows += lc.rows_of("b", "2x2", {1: 30.0, 2: 30.0}, {1: 30.0, 2: 25.0})
        s = lc.summary(rows, [True, False, None])
        self.assertEqual((s["recommendation_holds"], s["recommendations"]), (1, 2))
        # makespans: -20, -50, 0, +20; speedups: +60, -1/6 (1.0 against 1.2).
        self.assertEqual(s["makespan"]["n"], 4)
        self.assertAlmostEqual(s["makespan"]["median_abs_pct"], 20.0)
        self.assertAlmostEqual(s["makespan"]["max_abs_pct"], 50.0)
        self.assertAlmostEqual(s["makespan"]["mean_signed_pct"], -12.5)
        self.assertEqual(s["speedup"]["n"], 2)
        self.assertAlmostEqual(s["speedup"]["max_abs_pct"], 60.0)
        self.assertAlmostEqual(s["speedup"]["mean_signed_pct"], (60.0 - 100.0 / 6) / 2)
        md = lc.markdown(rows, s)
        self.assertIn("| a | 2x1 | 2 | 10.0 | 20.0 | -50.0% | 2.00 | 1.25 | +60.0% |", md)
        self.assertIn("makespans (4): median |error| 20.0%, largest 50.0%, mean signed -12.5%", md)
        self.assertIn("recommendation within 5% of the real best: 1 of 2", md)


if __name__ == "__main__":
    unittest.main()
