"""harness_whatif.py without Spark: a serial run is cut out of an application's log of several runs
with its own jobs, their stages and tasks, and the application's events before its first job.

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

import harness_whatif as hw  # noqa: E402


def app_of_runs(runs):
    """An event log's lines: the application's start and an executor, then for each run (a list
    of (job id, submission ms, stage ids)) its jobs, each with one task per stage, then its end."""
    ev = [{"Event": "SparkListenerApplicationStart", "App ID": "local-1", "Timestamp": 0}]
    ev.append({"Event": "SparkListenerExecutorAdded", "Executor ID": "driver", "Timestamp": 1})
    for run in runs:
        for job, at, stages in run:
            ev.append(
                {"Event": "SparkListenerJobStart", "Job ID": job, "Submission Time": at, "Stage IDs": stages}
            )
            for s in stages:
                ev.append({"Event": "SparkListenerStageSubmitted", "Stage Info": {"Stage ID": s}})
                ev.append({"Event": "SparkListenerTaskEnd", "Stage ID": s, "Task Info": {"Task ID": 10 * s}})
                ev.append({"Event": "SparkListenerStageCompleted", "Stage Info": {"Stage ID": s}})
            ev.append({"Event": "SparkListenerJobEnd", "Job ID": job, "Completion Time": at + 5})
        ev.append({"Event": "SparkListenerUnpersistRDD", "RDD ID": 7})
    ev.append({"Event": "SparkListenerApplicationEnd", "Timestamp": 10**6})
    return [json.dumps(e) for e in ev]


class CutRunTest(unittest.TestCase):
    RUNS = [
        [(0, 100, [0]), (1, 110, [1, 2])],  # a warm-up (untagged in a real log)
        [(2, 200, [3]), (3, 210, [4])],  # the serial run
        [(4, 300, [5, 6])],  # the next run
    ]

    def events(self, lines):
        return [json.loads(line) for line in lines]

    def test_keeps_the_runs_jobs_stages_and_tasks(self):
        cut = self.events(hw.cut_run(app_of_runs(self.RUNS), 200, 250))
        jobs = [e["Job ID"] for e in cut if e["Event"] == "SparkListenerJobStart"]
        stages = {e["Stage Info"]["Stage ID"] for e in cut if e["Event"] == "SparkListenerStageSubmitted"}
        tasks = {e["Stage ID"] for e in cut if e["Event"] == "SparkListenerTaskEnd"}
        self.assertEqual(jobs, [2, 3])
        self.assertEqual(stages, {3, 4})
        self.assertEqual(tasks, {3, 4})
        self.assertEqual(len([e for e in cut if e["Event"] == "SparkListenerJobEnd"]), 2)

    def test_keeps_the_applications_start_and_end(self):
        cut = self.events(hw.cut_run(app_of_runs(self.RUNS), 200, 250))
        names = [e["Event"] for e in cut]
        self.assertEqual(names[:2], ["SparkListenerApplicationStart", "SparkListenerExecutorAdded"])
        self.assertEqual(names[-1], "SparkListenerApplicationEnd")
        # the other runs' unpersists, written between the runs, are theirs
        self.assertNotIn("SparkListenerUnpersistRDD", names)

    def test_no_jobs_in_the_window(self):
        self.assertIsNone(hw.cut_run(app_of_runs(self.RUNS), 400, 500))


class SerialLogsTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)
        os.makedirs(os.path.join(self.dir, "logs"))
        log = os.path.join(self.dir, "logs", "local-1")
        with open(log, "w") as f:
            f.write("\n".join(app_of_runs(CutRunTest.RUNS)) + "\n")
        summary = [
            {"parallelism": 1, "run": 1, "start_unix_ms": 200, "end_unix_ms": 250, "wall_s": 0.05},
            {"parallelism": 2, "run": 2, "start_unix_ms": 300, "end_unix_ms": 350, "wall_s": 0.04},
        ]
        with open(log + ".tunesim.json", "w") as f:
            json.dump(summary, f)

    def test_cuts_each_serial_run_once(self):
        got = hw.serial_logs(self.dir)
        self.assertEqual([(r, w) for r, w, _ in got], [(1, 0.05)])
        with open(got[0][2]) as f:
            jobs = [json.loads(x)["Job ID"] for x in f if '"SparkListenerJobStart"' in x]
        self.assertEqual(jobs, [2, 3])


if __name__ == "__main__":
    unittest.main()
