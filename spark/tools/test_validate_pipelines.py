"""validate_pipelines.py without Spark: the CPU measured over a run is put back beside its kept log
where whatif looks for it (whatif.MeasurementPath), from the run's record or tunesim.measure's file.

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


if __name__ == "__main__":
    unittest.main()
