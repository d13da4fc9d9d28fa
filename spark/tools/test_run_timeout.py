"""A fresh run that hangs is killed with what it started, a campaign goes on past a pipeline
that failed, and its rounds alternate: spark/pipelines.py's run_child and round_order and
validate_pipelines.py's run_campaign, without Spark.

Standard library only (python3 -S). Run by spark's TestToolsPython, or:
python3 -S -m unittest discover -s spark/tools
"""

import argparse
import io
import os
import shutil
import sys
import tempfile
import time
import unittest
from contextlib import redirect_stderr

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))

import pipelines  # noqa: E402
import validate_pipelines as vp  # noqa: E402


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A killed child not yet reaped by its parent (here: init) still answers kill(pid, 0).
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split(") ")[1][0] != "Z"
    except OSError:
        return False


class RunChildTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)

    def test_output_of_a_run_that_ends(self):
        out = pipelines.run_child([sys.executable, "-S", "-c", "print('{}')"], 30, "run at parallelism 1")
        self.assertEqual(out, "{}\n")

    def test_a_hung_run_is_killed_with_the_process_it_started(self):
        # The child starts a grandchild (as a PySpark run starts its JVM) and both sleep on.
        pidfile = os.path.join(self.dir, "pid")
        script = "sleep 60 & echo $! > %s; wait" % pidfile
        err = io.StringIO()
        start = time.monotonic()
        with redirect_stderr(err), self.assertRaises(SystemExit) as cm:
            pipelines.run_child(["sh", "-c", script], 0.5, "run at parallelism 4")
        self.assertEqual(cm.exception.code, 2)
        self.assertLess(time.monotonic() - start, 30)
        self.assertIn("run at parallelism 4 took longer than 0.5 s (--run-timeout)", err.getvalue())
        with open(pidfile) as f:
            grandchild = int(f.read())
        for _ in range(50):
            if not alive(grandchild):
                break
            time.sleep(0.1)
        self.assertFalse(alive(grandchild), "the run's own child (its JVM) outlived the timeout")

    def test_a_failed_run_is_named(self):
        err = io.StringIO()
        with redirect_stderr(err), self.assertRaises(SystemExit):
            pipelines.run_child(
                [sys.executable, "-S", "-c", "raise SystemExit(3)"], 30, "run at parallelism 2"
            )
        self.assertIn("run at parallelism 2 failed (exit 3)", err.getvalue())


class CampaignGoesOnTest(unittest.TestCase):
    def test_one_pipeline_failing_leaves_the_others_run(self):
        ran = []

        def fake(a, p, par, rows, results, log_dir, name):
            ran.append(p)
            return "pipelines.py failed (exit 2): took longer than 900 s" if p == "seed-tvs" else None

        saved = vp.run_pipeline
        vp.run_pipeline = fake
        self.addCleanup(setattr, vp, "run_pipeline", saved)
        a = argparse.Namespace(
            python=sys.executable,
            parallelisms=[1, 2],
            adaptive=False,
            pipelines=["seed-tvs", "kmeans", "lr-text"],
            rows_of={},
            out_dir=tempfile.gettempdir(),
        )
        with redirect_stderr(io.StringIO()):
            failed = vp.run_campaign(a, "results.json")
        self.assertEqual(ran, ["seed-tvs", "kmeans", "lr-text"])
        self.assertEqual(list(failed), ["seed-tvs"])
        self.assertIn("seed-tvs: pipelines.py failed", vp.failed_note(failed))


if __name__ == "__main__":
    unittest.main()


class RoundOrderTest(unittest.TestCase):
    """Every other round runs its parallelisms backwards, fresh or warm, so that a drift over the
    campaign (a JVM still warming) touches each parallelism alike: over two rounds every
    parallelism stands, on average, in the middle of its round."""

    def test_alternates(self):
        ps = [1, 2, 3, 4]
        self.assertEqual(pipelines.round_order(ps, 0), [1, 2, 3, 4])
        self.assertEqual(pipelines.round_order(ps, 1), [4, 3, 2, 1])
        self.assertEqual(pipelines.round_order(ps, 2), [1, 2, 3, 4])
        self.assertEqual(ps, [1, 2, 3, 4])  # the caller's list is left alone
        for p in ps:
            mean = sum(pipelines.round_order(ps, r).index(p) for r in (0, 1)) / 2
            self.assertEqual(mean, (len(ps) - 1) / 2)
