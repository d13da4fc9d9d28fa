"""tunesim.adaptive without Spark: which fits the sample holds, the rest predicted from the sample's
round, and every way the choice can fail falling back to the tuner's own parallelism."""

import os
import stat
import sys
import tempfile
import unittest
import warnings

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from tunesim import tuner as ad  # noqa: E402
from tunesim.errors import TunesimError  # noqa: E402
from tunesim.predict import WhatIf  # noqa: E402


class Param:
    """A stand-in for pyspark.ml.param.Param: hashable, with a name."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return "Param(%s)" % self.name


REG, DEPTH, TREES, SOLVER, FIT_INT = (
    Param(n) for n in ("regParam", "maxDepth", "numTrees", "solver", "fitIntercept")
)


def grid(**axes):
    """A ParamGridBuilder-like grid: the product of the axes, the first varying slowest."""
    maps = [{}]
    for p, values in axes.items():
        maps = [dict(m, **{p: v}) for m in maps for v in values]
    params = {"reg": REG, "depth": DEPTH, "trees": TREES, "solver": SOLVER, "fit_intercept": FIT_INT}
    return [{params[k]: v for k, v in m.items()} for m in maps]


class ShapeTest(unittest.TestCase):
    def test_shape_params_and_non_numbers_count_other_numbers_do_not(self):
        cases = [
            ({REG: 0.1}, ()),
            ({REG: 0.1, DEPTH: 5}, (("maxDepth", "5"),)),
            ({SOLVER: "l-bfgs"}, (("solver", "'l-bfgs'"),)),
            ({FIT_INT: True}, (("fitIntercept", "True"),)),
            ({TREES: 10, DEPTH: 3}, (("maxDepth", "3"), ("numTrees", "10"))),
        ]
        for pm, want in cases:
            with self.subTest(pm=pm):
                self.assertEqual(ad.shape_of(pm), want)

    def test_maps_differing_in_a_regularization_only_share_a_shape(self):
        maps = grid(reg=[0.001, 0.01, 0.1])
        self.assertEqual(len({ad.shape_of(m) for m in maps}), 1)


class SampleTest(unittest.TestCase):
    def test_cross_validator(self):
        # (folds, maps) -> serial fits, round, rest; the rest is every fit but the refit, less the sample.
        cases = [(3, 4), (2, 4), (5, 8), (2, 3)]
        for folds, n in cases:
            with self.subTest(folds=folds, maps=n):
                s = ad.plan_sample(folds, grid(reg=list(range(n))))
                self.assertTrue(s.adapt, s.why)
                self.assertEqual(s.serial, n + 1, "fold 1 and fold 2's first fit")
                self.assertEqual(s.round_fits, n)
                self.assertEqual(s.serial + s.rest_fits, folds * n)

    def test_train_validation_split_covers_every_shape(self):
        cases = [
            # one shape: two fits make the round, a third stands in for the refit
            (grid(reg=[0.1, 0.2, 0.3, 0.4, 0.5, 0.6]), 2),
            # maxDepth fastest: its three shapes are the first three maps
            (grid(reg=[0.1, 0.2, 0.3], depth=[3, 5, 7]), 3),
            # depth slowest: its second value first appears at index 3
            (grid(depth=[3, 5], reg=[0.1, 0.2, 0.3, 0.4]), 5),
        ]
        for maps, round_fits in cases:
            with self.subTest(maps=len(maps), round_fits=round_fits):
                s = ad.plan_sample(1, maps)
                self.assertTrue(s.adapt, s.why)
                first = {}
                for i, m in enumerate(maps):
                    first.setdefault(ad.shape_of(m), i)
                self.assertTrue(all(i < s.round_fits for i in first.values()), "every shape sampled")
                self.assertEqual(s.round_fits, round_fits)
                self.assertEqual(s.serial, round_fits + 1)
                self.assertEqual(s.serial + s.rest_fits, len(maps))

    def test_too_small_to_sample(self):
        cases = [
            (3, grid(reg=[0.1])),  # one param map
            (2, grid(reg=[0.1, 0.2])),  # 4 fits, a sample of 3 leaves 1
            (1, grid(reg=[0.1, 0.2, 0.3, 0.4])),  # TVS: 3 sampled, 1 left
            (1, grid(depth=[1, 2, 3, 4, 5, 6])),  # TVS: every map its own shape
        ]
        for folds, maps in cases:
            with self.subTest(folds=folds, maps=len(maps)):
                s = ad.plan_sample(folds, maps)
                self.assertFalse(s.adapt)
                self.assertTrue(s.why)


class PredictRestTest(unittest.TestCase):
    def test_rest_from_the_round(self):
        # The sample's round of 4 fits took 8 s serially (2 s a fit), 4 s at parallelism 2; the
        # stand-in refit 2 s. 7 fits are left: 14 s serially, 7 s at 2, plus the refit's 2 s.
        s = ad.Sample(True, "", serial=5, round_fits=4, rest_fits=7)
        rest = ad.predict_rest(s, {1: 10.0, 2: 6.0}, 2.0)
        self.assertAlmostEqual(rest[1], 7 * 2.0 + 2.0)
        self.assertAlmostEqual(rest[2], 7 * 1.0 + 2.0)


class WarmFactorTest(unittest.TestCase):
    def test_power_law_extrapolated(self):
        # Fits after the first at c k^-a exactly (c 2, a 0.5); the first pays a one-off start. The
        # round is the 4 fits before the stand-in (k 0..3), the 3 left run at k 5, 6, 7.
        a, c = 0.5, 2.0
        d = [9.0] + [c * k**-a for k in range(1, 5)]
        rest = sum(c * k**-a for k in (5, 6, 7))
        want = rest / (sum(d[:4]) * 3 / 4)
        self.assertAlmostEqual(ad.warm_factor(d, 3), want)
        self.assertLess(want, 1.0)

    def test_no_warming_no_factor_above_one(self):
        # Flat fits (a = 0) cost the same; fits that slow down are not priced slower than the round.
        self.assertAlmostEqual(ad.warm_factor([2.0, 2.0, 2.0, 2.0, 2.0], 6), 1.0)
        self.assertAlmostEqual(ad.warm_factor([1.0, 1.0, 2.0, 3.0, 4.0], 6), 1.0)

    def test_too_few_fits(self):
        for d in ([], [3.0], [3.0, 1.0, 1.0], [3.0, 0.0, 1.0, 1.0]):
            with self.subTest(d=d):
                self.assertEqual(ad.warm_factor(d, 5), 1.0)

    def test_warm_scales_the_rest_not_the_refit(self):
        s = ad.Sample(True, "", serial=5, round_fits=4, rest_fits=7)
        rest = ad.predict_rest(s, {1: 10.0, 2: 6.0}, 2.0, warm=0.5)
        self.assertAlmostEqual(rest[1], 7 * 2.0 * 0.5 + 2.0)
        self.assertAlmostEqual(rest[2], 7 * 1.0 * 0.5 + 2.0)


def report_for(recommended=2, makespans=((1, 10.0), (2, 6.0), (3, 6.2)), refit=2.0):
    return {
        "found": {"fits": [{"fold": 0, "duration_s": 2.0}, {"fold": -1, "refit": True, "duration_s": refit}]},
        "recommended_parallelism": recommended,
        "rule": "recommended: the smallest parallelism within 5% of the best",
        "results": [{"parallelism": p, "makespan_s": m} for p, m in makespans],
    }


class ChooseTest(unittest.TestCase):
    def sample(self):
        return ad.Sample(True, "fold 1", serial=5, round_fits=4, rest_fits=7)

    def test_uses_the_recommendation_and_passes_what_it_knows(self):
        calls = []

        def fake(**kw):
            calls.append(kw)
            return WhatIf(report_for(), log=kw["log"])

        r = ad.Report("CrossValidator", self.sample(), 1)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            ad.choose(
                "/logs/app", self.sample(), r, 4, app_cpu_s=3.25, host_cores=2, from_job=17, run_whatif=fake
            )
        self.assertIsNone(r.fallback)
        self.assertEqual((r.recommended, r.parallelism), (2, 2))
        self.assertEqual(set(r.predicted_rest_s), {1, 2, 3})
        kw = calls[0]
        self.assertEqual(kw["log"], "/logs/app")
        self.assertEqual(kw["parallelism"], "1:4")
        self.assertEqual(kw["folds"], 1, "the sample is read as one round and a refit")
        self.assertEqual(float(kw["app_cpu"]), 3.25)
        self.assertEqual(kw["host_cores"], 2)
        self.assertEqual(kw["from_job"], 17, "the sample's first job: earlier work is not the tuning")
        self.assertIs(kw["plot"], False)

    def test_failures_fall_back_with_a_warning(self):
        def raises(**kw):
            raise TunesimError("simulate whatif: no tuning in the log")

        cases = [
            ("the CLI refuses the log", raises),
            ("a recommendation it did not predict", lambda **kw: WhatIf(report_for(recommended=9))),
            ("no recommendation", lambda **kw: WhatIf(report_for(recommended=None))),
            ("no refit in the report", lambda **kw: WhatIf(dict(report_for(), found={}))),
            ("a Python error", lambda **kw: {}["x"]),
        ]
        for name, fake in cases:
            with self.subTest(name):
                r = ad.Report("CrossValidator", self.sample(), 3)
                with warnings.catch_warnings(record=True) as got:
                    warnings.simplefilter("always")
                    ad.choose("/logs/app", self.sample(), r, 4, run_whatif=fake)
                self.assertEqual(r.parallelism, 3, "the tuner's own parallelism")
                self.assertTrue(r.fallback)
                self.assertEqual(len(got), 1)
                self.assertIn("tuner's parallelism 3", str(got[0].message))
                self.assertIn("ran at the tuner's parallelism 3", r.line())


class ChooseWithACLITest(unittest.TestCase):
    """choose running a (fake) CLI binary: the real whatif and Binary paths."""

    def script(self, body):
        d = tempfile.mkdtemp(prefix="tunesim-fake-cli-")
        self.addCleanup(lambda: (os.remove(os.path.join(d, "simulate")), os.rmdir(d)))
        path = os.path.join(d, "simulate")
        with open(path, "w") as f:
            f.write("#!/bin/sh\n" + body + "\n")
        os.chmod(path, stat.S_IRWXU)
        return path

    def run_choose(self, binary, timeout=5.0):
        s = ad.Sample(True, "fold 1", serial=5, round_fits=4, rest_fits=7)
        r = ad.Report("CrossValidator", s, 2)
        log = tempfile.NamedTemporaryFile(prefix="tunesim-log-", delete=False)
        log.close()
        self.addCleanup(os.remove, log.name)
        with warnings.catch_warnings(record=True) as got:
            warnings.simplefilter("always")
            ad.choose(log.name, s, r, 4, binary=binary, timeout=timeout)
        return r, got

    def test_a_cli_that_answers(self):
        import json

        doc = json.dumps(report_for(recommended=3))
        r, got = self.run_choose(self.script("cat <<'EOF'\n%s\nEOF" % doc))
        self.assertEqual(got, [])
        self.assertEqual(r.parallelism, 3)

    def test_fallbacks(self):
        cases = [
            ("no binary", "/nonexistent/simulate", "no such executable"),
            ("exit 2", self.script("echo 'cannot read the log' >&2; exit 2"), "cannot read the log"),
            ("not JSON", self.script("echo hello"), "no JSON"),
            ("a timeout", self.script("exec sleep 5"), "no answer"),
        ]
        for name, binary, says in cases:
            with self.subTest(name):
                r, got = self.run_choose(binary, timeout=0.5)
                self.assertEqual(r.parallelism, 2)
                self.assertIn(says, r.fallback)
                self.assertEqual(len(got), 1)


class Obj:
    """An object whose attributes are the keyword arguments (methods: lambdas)."""

    def __init__(self, **kw):
        self.__dict__.update(kw)


class NextJobTest(unittest.TestCase):
    def test_the_schedulers_counter_else_the_status_tracker_else_none(self):
        def failing():
            raise RuntimeError("py4j: no such method")

        counter = Obj(sc=lambda: Obj(dagScheduler=lambda: Obj(nextJobId=lambda: Obj(get=lambda: 42))))
        no_counter = Obj(sc=lambda: Obj(dagScheduler=failing))
        tracker = Obj(getJobIdsForGroup=lambda g: [3, 9, 4], getActiveJobsIds=lambda: [10])
        cases = [
            ("the counter", Obj(_jsc=counter, statusTracker=failing), 42),
            ("the tracker", Obj(_jsc=no_counter, statusTracker=lambda: tracker), 11),
            (
                "no job yet",
                Obj(
                    _jsc=no_counter,
                    statusTracker=lambda: Obj(getJobIdsForGroup=lambda g: [], getActiveJobsIds=lambda: []),
                ),
                None,
            ),
            ("neither", Obj(_jsc=no_counter, statusTracker=failing), None),
        ]
        for name, sc, want in cases:
            with self.subTest(name):
                self.assertEqual(ad.next_job_id(sc), want)


class ReportTest(unittest.TestCase):
    def test_line_and_dict(self):
        s = ad.Sample(True, "fold 1 (4 fits) and fold 2's first fit, one at a time", 5, 4, 7)
        r = ad.Report("CrossValidator", s, 1)
        r.recommended = r.parallelism = 2
        r.sample_s, r.predicted_rest_s, r.measured_total_s = 5.0, {1: 16.0, 2: 9.0}, 13.5
        r.predicted_total_s, r.predicted_serial_total_s, r.saved_s = 14.0, 21.0, 7.5
        line = r.line()
        self.assertNotIn("\n", line)
        for part in (
            "parallelism 2",
            "fold 1",
            "9.0 s for the rest",
            "took 13.5 s",
            "predicted 14.0 s",
            "7.5 s saved",
        ):
            self.assertIn(part, line)
        d = r.as_dict()
        self.assertEqual(d["parallelism"], 2)
        self.assertNotIn("whatif", d)


if __name__ == "__main__":
    unittest.main()
