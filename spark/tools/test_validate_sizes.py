"""validate_sizes.py without Spark: its table from recorded runs and a fake simulate whose answers give
the growth and speedup errors by hand, and its refusals of bad flags.

Standard library only (python3 -S). Run by spark's TestToolsPython, or:
python3 -S -m unittest discover -s spark/tools
"""

import contextlib
import io
import json
import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import validate_sizes as vs  # noqa: E402

# A fake `simulate whatif`: records its arguments, answers 4.0 s serially at the logged size and, with
# --scale-rows 4, 6.6 s serially and 3.0 s at parallelism 3.
FAKE = """
import json, sys
args = sys.argv[1:]
with open(%(calls)r, "a") as f:
    f.write(json.dumps(args) + "\\n")
ps = [int(x) for x in args[args.index("--parallelism") + 1].split(",")]
scaled = "--scale-rows" in args
ms = {1: 6.6 if scaled else 4.0, 3: 3.0}
print(json.dumps({"results": [{"parallelism": p, "makespan_s": ms[p], "speedup": ms[1] / ms[p]} for p in ps],
                  "found": {"extrapolation": {"beyond_validated": False}}}))
"""


class TestValidateSizes(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="validate-sizes-")
        self.addCleanup(shutil.rmtree, self.dir)
        self.calls = os.path.join(self.dir, "calls")
        self.sim = os.path.join(self.dir, "simulate")
        with open(self.sim, "w") as f:
            f.write("#!%s -S\n" % sys.executable + FAKE % {"calls": self.calls})
        os.chmod(self.sim, 0o755)

    def record(self, runs):
        with open(os.path.join(self.dir, "results.json"), "w") as f:
            json.dump({"runs": runs}, f)

    def run_main(self, *extra):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            vs.main(
                ["--out-dir", self.dir, "--pipelines", "lr-text", "--base", "lr-text=10", "--factors", "4"]
                + ["--parallelism", "1,3", "--simulate", self.sim, "--analyze-only", *extra]
            )
        return out.getvalue()

    def test_errors_by_hand(self):
        def r(rows, p, fit_s, log=None):
            return {"pipeline": "lr-text", "rows": rows, "parallelism": p, "fit_s": fit_s, "event_log": log}

        self.record(
            [
                r(10, 1, 2.0, "n-fast.log"),
                r(10, 1, 2.2, "n-slow.log"),
                r(40, 1, 4.0, "n4-fast.log"),
                r(40, 1, 4.4, "n4-slow.log"),
                r(160, 1, 6.0, "big.log"),
                r(160, 1, 6.0, "big2.log"),
                r(160, 3, 3.0),
                r(160, 3, 3.0),
            ]
        )
        md = self.run_main()
        with open(os.path.join(self.dir, "table.json")) as f:
            t = json.load(f)
        serial = [x for x in t["rows"] if x["parallelism"] == 1][0]
        p3 = [x for x in t["rows"] if x["parallelism"] == 3][0]
        # Growth: predicted 6.6/4.0, measured 6.0 over the median at 40 rows (4.2).
        self.assertAlmostEqual(serial["predicted_growth"], 1.65)
        self.assertAlmostEqual(serial["measured_growth"], 6.0 / 4.2)
        self.assertAlmostEqual(serial["growth_error_pct"], 100 * (1.65 / (6.0 / 4.2) - 1))
        # Speedup at 3: predicted 6.6/3.0, measured 6.0/3.0.
        self.assertAlmostEqual(p3["speedup_error_pct"], 100 * (2.2 / 2.0 - 1))
        self.assertEqual(t["summary"]["growth_pairs"], 1)
        self.assertEqual(t["summary"]["speedup_pairs"], 1)
        self.assertIn("| lr-text | 4x (160) | 3 | 3.00 | 3.00 (2) | - | 2.20 / 2.00 (+10.0) |", md)
        # whatif read the median serial log of each logged size (the lower middle of two), smaller
        # first, inferring the hidden CPU; the second call scaled by 4.
        with open(self.calls) as f:
            calls = [json.loads(line) for line in f]
        self.assertEqual(len(calls), 2)
        for c in calls:
            self.assertEqual(
                c[:3], ["whatif", os.path.join(self.dir, "n-fast.log"), os.path.join(self.dir, "n4-fast.log")]
            )
            self.assertIn("infer", c)
        self.assertNotIn("--scale-rows", calls[0])
        self.assertEqual(calls[1][calls[1].index("--scale-rows") + 1], "4")

    def test_missing_size_is_a_note(self):
        self.record(
            [{"pipeline": "lr-text", "rows": 10, "parallelism": 1, "fit_s": 2.0, "event_log": "a.log"}]
        )
        md = self.run_main()
        self.assertIn("no serial runs at 10 and 40 rows", md)

    def test_bad_flags(self):
        for args in (["--factors", "1"], ["--parallelism", "2,3"], ["--base", "lr-text=x"], ["--runs", "0"]):
            with self.subTest(args=args), contextlib.redirect_stderr(io.StringIO()), self.assertRaises(
                SystemExit
            ) as e:
                vs.parse_args(["--pipelines", "lr-text", *args])
            self.assertEqual(e.exception.code, 2)


if __name__ == "__main__":
    unittest.main()
