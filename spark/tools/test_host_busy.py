"""Tests for host_busy.py's figures: /proc's cores busy and JIT per second of the fit (medians of the
runs), the replay's from a trace, the change and the summary, on hand-made records worked out by
hand."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import host_busy as hb  # noqa: E402


def run(fit, busy, jit=None, p=1, adaptive=False):
    r = {"pipeline": "a", "parallelism": p, "fit_s": fit, "host_busy_s": busy, "adaptive": adaptive}
    if jit is not None:
        r["driver_jvm_threads_cpu_s"] = {"jit": jit, "gc": 0.1}
    return r


class Measured(unittest.TestCase):
    def test_medians_of_cores_busy_and_jit_per_second(self):
        runs = [run(10.0, 18.0, 8.0), run(5.0, 8.0, 3.0), run(4.0, 7.6, 4.0)]
        # busy 1.8, 1.6, 1.9 -> 1.8; JIT 0.8, 0.6, 1.0 -> 0.8
        busy, jit = hb.measured(runs)
        self.assertAlmostEqual(busy, 1.8)
        self.assertAlmostEqual(jit, 0.8)

    def test_without_the_jit_figure(self):
        busy, jit = hb.measured([run(2.0, 3.0)])
        self.assertAlmostEqual(busy, 1.5)
        self.assertIsNone(jit)


class Replayed(unittest.TestCase):
    def test_cpu_and_steady_cpu_over_the_makespan(self):
        busy, steady = hb.replayed({"cpu_ns": 9_000_000_000, "steady_cpu_ns": 3_000_000_000}, 4.5)
        self.assertAlmostEqual(busy, 2.0)
        self.assertAlmostEqual(steady, 2 / 3)

    def test_a_trace_without_steady_threads(self):
        self.assertEqual(hb.replayed({"cpu_ns": 1_000_000_000}, 1.0), (1.0, 0.0))


class Summary(unittest.TestCase):
    def test_change_and_medians(self):
        self.assertAlmostEqual(hb.change(0.8, 0.6), -25.0)
        self.assertIsNone(hb.change(0.0, 0.5))
        self.assertIsNone(hb.change(None, 0.5))
        rows = [
            {
                "replay_busy": (2.0, 2.0),
                "proc_busy": (1.8, 1.9),
                "replay_steady": (0.8, 0.4),
                "proc_jit": (0.8, 0.6),
            },
            {
                "replay_busy": (1.9, 2.0),
                "proc_busy": (1.6, 1.8),
                "replay_steady": (0.0, 0.0),
                "proc_jit": (None, None),
            },
            {
                "replay_busy": (2.1, 2.0),
                "proc_busy": (1.7, 1.9),
                "replay_steady": (0.5, 0.4),
                "proc_jit": (0.5, 0.45),
            },
        ]
        s = hb.summary(rows)
        self.assertEqual(s["replay_busy_1"], (2.0, 3))
        self.assertEqual(s["proc_busy_1"], (1.7, 3))
        # -50% and -20% (none for no steady thread); -25% and -10%
        for key, want in (("replay_steady_change", -35.0), ("proc_jit_change", -17.5)):
            self.assertAlmostEqual(s[key][0], want)
            self.assertEqual(s[key][1], 2)

    def test_cases_leave_the_adaptive_runs_out(self):
        by = hb.cases([run(1.0, 1.0), run(1.0, 1.0, p=2), run(1.0, 1.0, p=2, adaptive=True)])
        self.assertEqual({p: len(rs) for p, rs in by["a"].items()}, {1: 1, 2: 1})


if __name__ == "__main__":
    unittest.main()
