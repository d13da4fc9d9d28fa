"""adaptive_table.py: the adaptive tuner's runs against the fixed parallelisms' medians, on runs
whose figures give the answer by hand.

Standard library only (python3 -S). Run by spark's TestToolsPython, or:
python3 -S -m unittest discover -s spark/tools
"""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import adaptive_table as at  # noqa: E402


def run(p, fit_s, adaptive=False, report=None, case="svc-cv"):
    r = {"pipeline": case, "parallelism": p, "fit_s": fit_s, "adaptive": adaptive}
    if adaptive:
        r["tunesim"] = report
    return r


def by_case(runs):
    out: dict[str, dict[int, list[dict]]] = {}
    for r in runs:
        out.setdefault(r["pipeline"], {}).setdefault(r["parallelism"], []).append(r)
    return out


def case_of(r):
    return r["pipeline"]


class TestAdaptiveTable(unittest.TestCase):
    def test_split(self):
        runs = [run(1, 10), run(1, 8, adaptive=True, report={}), run(2, 7)]
        fixed, adaptive = at.split(runs)
        self.assertEqual([r["fit_s"] for r in fixed], [10, 7])
        self.assertEqual([r["fit_s"] for r in adaptive], [8])

    def test_figures_by_hand(self):
        fixed = [run(1, 10), run(1, 12), run(2, 8), run(2, 8), run(4, 9), run(4, 9)]
        adaptive = [
            run(1, 8.4, True, {"parallelism": 2, "whatif_s": 0.4, "predicted_total_s": 8.0}),
            run(1, 8.6, True, {"parallelism": 2, "whatif_s": 0.6, "predicted_total_s": 8.2}),
        ]
        t = at.analyze(by_case(fixed), adaptive, case_of)
        self.assertEqual(len(t["rows"]), 1)
        r = t["rows"][0]
        self.assertEqual(r["serial_s"], 11)  # the median of 10 and 12
        self.assertEqual((r["best_fixed"], r["best_fixed_s"]), (2, 8))
        self.assertEqual((r["largest_fixed"], r["largest_fixed_s"]), (4, 9))
        self.assertAlmostEqual(r["adaptive_s"], 8.5)
        self.assertEqual(r["chosen"], [2])
        self.assertAlmostEqual(r["whatif_s"], 0.5)
        self.assertAlmostEqual(r["predicted_total_s"], 8.1)
        self.assertAlmostEqual(r["vs_best_pct"], 100 * (8.5 / 8 - 1))
        self.assertAlmostEqual(r["vs_serial_pct"], 100 * (8.5 / 11 - 1))
        self.assertAlmostEqual(r["vs_largest_pct"], 100 * (8.5 / 9 - 1))
        s = t["summary"]
        self.assertEqual((s["cases"], s["within_10pct_of_best"], s["not_5pct_slower_than_serial"]), (1, 1, 1))

    def test_slow_adaptive_and_fallbacks(self):
        fixed = [run(1, 10), run(3, 5)]
        adaptive = [
            run(1, 11, True, {"parallelism": 1, "fallback": "no CLI"}),
            run(1, 11, True, None),  # a run without a report still counts its time
        ]
        t = at.analyze(by_case(fixed), adaptive, case_of)
        r = t["rows"][0]
        self.assertEqual(r["chosen"], [1])
        self.assertEqual(r["fallbacks"], ["no CLI"])
        self.assertIsNone(r["whatif_s"])
        self.assertAlmostEqual(r["vs_best_pct"], 120.0)
        self.assertAlmostEqual(r["vs_serial_pct"], 10.0)
        s = t["summary"]
        self.assertEqual((s["within_10pct_of_best"], s["not_5pct_slower_than_serial"]), (0, 0))
        md = "\n".join(at.markdown(t))
        self.assertIn(
            "| svc-cv | 10.00 | 3 (5.00) | 3 (5.00) | 11.00 (2, 11.00-11.00) | 1 (fell back 1 times) |", md
        )
        self.assertIn("Within 10% of the best fixed parallelism in 0 of 1 cases", md)

    def test_case_without_serial_runs_left_out(self):
        fixed = [run(2, 5, case="a"), run(1, 9, case="b")]
        adaptive = [
            run(1, 6, True, {"parallelism": 2}, case="a"),
            run(1, 7, True, {"parallelism": 2}, case="b"),
        ]
        t = at.analyze(by_case(fixed), adaptive, case_of)
        self.assertEqual([r["case"] for r in t["rows"]], ["b"])


if __name__ == "__main__":
    unittest.main()
