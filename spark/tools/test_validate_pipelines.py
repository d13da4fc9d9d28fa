"""validate_pipelines.py without Spark: the CPU measured over a run is put back beside its kept log
where whatif looks for it (whatif.MeasurementPath), from the run's record or tunesim.measure's file;
a recommendation is judged on the measured run that ran as it would.

Standard library only (python3 -S). Run by spark's TestToolsPython, or:
python3 -S -m unittest discover -s spark/tools
"""

import json
import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import validate_pipelines as vp  # noqa: E402

RECORD = {
    "app_id": "app-20261206042739-0017",
    "app_cpu_s": 27.29,
    "driver_jvm_cpu_s": 26.94,
    "python_cpu_s": 0.35,
    "host_busy_s": 58.83,
    "cores": 2,
    "wall_s": 33.527,
    "driver_jvm_threads_cpu_s": {"jit": 12.76, "gc": 0.84},
}


class MeasurementTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)
        self.log = os.path.join(self.dir, "gbt-cv", "app-20261206042739-0017.zstd")

    def test_path_is_whatifs(self):
        # whatif.MeasurementPath: the log's folder, .tunesim, the id as Spark names its log.
        self.assertEqual(
            vp.measurement_path(self.log, "App 1:x/y.z"),
            os.path.join(self.dir, "gbt-cv", ".tunesim", "app-1-x-y_z.cpu.json"),
        )

    def test_restored_from_the_record(self):
        self.assertTrue(vp.restore_measurement(RECORD, self.log))
        with open(vp.measurement_path(self.log, RECORD["app_id"])) as f:
            self.assertEqual(json.load(f), RECORD)

    def test_a_file_there_is_kept(self):
        path = vp.measurement_path(self.log, RECORD["app_id"])
        os.makedirs(os.path.dirname(path))
        with open(path, "w") as f:
            f.write('{"app_cpu_s": 1, "wall_s": 2, "folds": []}')
        self.assertTrue(vp.restore_measurement(RECORD, self.log))
        with open(path) as f:
            self.assertEqual(json.load(f), {"app_cpu_s": 1, "wall_s": 2, "folds": []})

    def test_a_record_without_cpu(self):
        r = {k: v for k, v in RECORD.items() if k != "host_busy_s"}
        self.assertFalse(vp.restore_measurement(r, self.log))
        self.assertFalse(os.path.exists(os.path.dirname(vp.measurement_path(self.log, r["app_id"]))))


class SameRunTest(unittest.TestCase):
    def test_runs_alike_pools_from_the_param_maps_on(self):
        runs = lambda *ts: [{"fit_s": t} for t in ts]  # noqa: E731
        by = {1: runs(10.0, 11.0), 2: runs(8.0), 3: runs(7.0, 7.4), 4: runs(6.0, 6.2)}
        self.assertEqual(vp.runs_alike(by, 3), {1: 10.5, 2: 8.0, 3: 6.6})
        self.assertEqual(vp.runs_alike(by, None), {1: 10.5, 2: 8.0, 3: 7.2, 4: 6.1})
        self.assertEqual(vp.runs_alike(by, 8), {1: 10.5, 2: 8.0, 3: 7.2, 4: 6.1})

    def test_same_run(self):
        alike = {1: 10.0, 2: 7.0, 4: 6.0, 10: 5.9}
        for rec, maps, want in [
            (2, 6, 2),  # measured itself
            (6, 6, 10),  # 6 and 10 both run all 6 param maps at once
            (8, 6, 10),
            (5, 4, 4),  # from 4 param maps on, 4 is the first measured
            (3, 6, None),  # below the param maps, not measured: not judged
            (6, None, None),  # param maps unknown
            (None, 6, None),
            (12, 16, None),  # nothing measured from 16 on
        ]:
            self.assertEqual(vp.same_run(rec, alike, maps), want, (rec, maps))


class WhatifFlagsTest(unittest.TestCase):
    """The campaign's --whatif-cluster and --whatif-host-cores reach whatif as its own flags."""

    def test_flags(self):
        base = ["--out-dir", "OUT", "--analyze-only"]
        for argv, want in [
            ([], ()),
            (["--whatif-host-cores", "2"], ("--host-cores", "2")),
            (["--whatif-cluster", "c.json"], ("--cluster", os.path.abspath("c.json"))),
            (
                ["--whatif-cluster", "c.json", "--whatif-host-cores", "8"],
                ("--cluster", os.path.abspath("c.json"), "--host-cores", "8"),
            ),
        ]:
            self.assertEqual(vp.whatif_extra(vp.parse_args(base + argv)), want, argv)


if __name__ == "__main__":
    unittest.main()
