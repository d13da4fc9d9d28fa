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
            {
                "parallelism": 1,
                "run": 1,
                "app_id": "local-1",
                "start_unix_ms": 200,
                "end_unix_ms": 250,
                "wall_s": 0.05,
                "cpu_s": 0.08,
            },
            {
                "parallelism": 2,
                "run": 2,
                "app_id": "local-1",
                "start_unix_ms": 300,
                "end_unix_ms": 350,
                "wall_s": 0.04,
            },
        ]
        with open(log + ".tunesim.json", "w") as f:
            json.dump(summary, f)

    def test_cuts_each_serial_run_once_with_its_cpu(self):
        host = {"cores": 2, "wall_s": 0.06, "own_cpu_pct": 60.0, "others_cpu_pct": 5.0, "makespan_s": 0.05}
        got = hw.serial_logs(self.dir, hw.serial_summaries(self.dir), {1: host})
        self.assertEqual([(r, w) for r, w, _ in got], [(1, 0.05)])
        path = got[0][2]
        self.assertEqual(path, os.path.join(self.dir, "serial-1", "local-1"))
        with open(path) as f:
            jobs = [json.loads(x)["Job ID"] for x in f if '"SparkListenerJobStart"' in x]
        self.assertEqual(jobs, [2, 3])
        with open(os.path.join(self.dir, "serial-1", ".tunesim", "local-1.cpu.json")) as f:
            m = json.load(f)
        self.assertEqual(m["app_cpu_s"], 0.08)
        self.assertAlmostEqual(m["host_busy_s"], 0.65 * 2 * 0.06)
        self.assertEqual((m["cores"], m["wall_s"], m["app_id"]), (2, 0.05, "local-1"))

    def test_no_cpu_no_measurement(self):
        got = hw.serial_logs(self.dir, hw.serial_summaries(self.dir), {})
        self.assertFalse(os.path.exists(os.path.join(os.path.dirname(got[0][2]), ".tunesim")))


class HostOfTest(unittest.TestCase):
    def test_nearest_in_time_each_once(self):
        summaries = [{"run": 1, "wall_s": 7.39}, {"run": 8, "wall_s": 6.75}]
        measured = [{"run": 1, "makespan_s": 7.281}, {"run": 2, "makespan_s": 6.632}]
        got = hw.host_of(summaries, measured)
        self.assertEqual({r: m["run"] for r, m in got.items()}, {1: 1, 8: 2})
        self.assertEqual(hw.host_of(summaries, measured[:1]), {1: measured[0]})


if __name__ == "__main__":
    unittest.main()
