"""Tests of the tunesim package that need no Spark: finding a log from a session's settings,
finding and running the CLI (a fake one that records its arguments), reading its report.

Every test in python/tests runs on the standard library alone: `go test ./...` runs them with
`python3 -S` (python/python_test.go). Tests that need pyspark or a live session go to
python/spark_tests."""

import json
import os
import stat
import sys
import tempfile
import types
import unittest
from unittest import mock

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import tunesim  # noqa: E402
from tunesim import binary, eventlog, predict, tagging  # noqa: E402


class FakeConf:
    def __init__(self, d):
        self.d = d

    def get(self, k, default=None):
        return self.d.get(k, default)


class FakeContext:
    """What tunesim asks a SparkContext: its conf and application id (no JVM: no attempt id, no
    listener bus)."""

    def __init__(self, conf, app_id):
        self.conf, self.applicationId = FakeConf(conf), app_id

    def getConf(self):  # noqa: N802 - pyspark's name
        return self.conf


def touch(path, data=b"x" * 10):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


class TestLocalDir(unittest.TestCase):
    def test_uris(self):
        cases = [
            ("file:///tmp/ev", "/tmp/ev"),
            ("file:/tmp/ev", "/tmp/ev"),
            ("file://localhost/tmp/ev", "/tmp/ev"),
            ("file:///tmp/a%20b", "/tmp/a b"),
            ("/var/log/spark", "/var/log/spark"),
            (None, "/tmp/spark-events"),
            ("", "/tmp/spark-events"),
            ("rel/dir", os.path.join(os.getcwd(), "rel", "dir")),
        ]
        for uri, want in cases:
            with self.subTest(uri=uri):
                self.assertEqual(eventlog.local_dir(uri), want)

    def test_remote_refused(self):
        for uri in (
            "hdfs://nn:8020/spark-logs",
            "s3a://bucket/logs",
            "abfss://c@a.dfs.core.windows.net/l",
            "dbfs:/logs",
        ):
            with self.subTest(uri=uri):
                with self.assertRaises(tunesim.TunesimError) as cm:
                    eventlog.local_dir(uri)
                self.assertIn("not supported yet", str(cm.exception))
                self.assertIn(uri, str(cm.exception))

    def test_remote_host_refused(self):
        with self.assertRaises(tunesim.TunesimError):
            eventlog.local_dir("file://otherhost/tmp/ev")


class TestFindLog(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(lambda: __import__("shutil").rmtree(self.dir))

    def find(self, app="local-1700000000000", attempt=None):
        return os.path.basename(eventlog.find_in_dir(self.dir, app, attempt))

    def test_forms(self):
        # Each case: the files Spark left, the one that is the application's log.
        app = "local-1700000000000"
        cases = [
            (["local-1700000000000.inprogress"], "local-1700000000000.inprogress"),
            (["local-1700000000000.zstd.inprogress"], "local-1700000000000.zstd.inprogress"),
            (["local-1700000000000"], "local-1700000000000"),
            (["local-1700000000000.lz4"], "local-1700000000000.lz4"),
            (
                [
                    "eventlog_v2_local-1700000000000/events_1_local-1700000000000.zstd",
                    "eventlog_v2_local-1700000000000/appstatus_local-1700000000000.inprogress",
                ],
                "eventlog_v2_local-1700000000000",
            ),
            # Another application's logs are not this one's.
            (
                ["local-1700000000001.inprogress", "local-17000000000000", "local-1700000000000.inprogress"],
                "local-1700000000000.inprogress",
            ),
        ]
        for files, want in cases:
            with self.subTest(files=files):
                d = tempfile.mkdtemp(dir=self.dir)
                for f in files:
                    touch(os.path.join(d, f))
                self.assertEqual(os.path.basename(eventlog.find_in_dir(d, app)), want)

    def test_yarn_attempt_and_sanitized_names(self):
        # Spark lower-cases the id and replaces [ :/] by - and [.${}'"] by _ (Utils.sanitizeDirName).
        touch(os.path.join(self.dir, "application_1_0001_1.snappy.inprogress"))
        self.assertEqual(self.find("application_1_0001", "1"), "application_1_0001_1.snappy.inprogress")
        touch(os.path.join(self.dir, "my-app_x"))
        self.assertEqual(self.find("My App.x"), "my-app_x")

    def test_rolling_dir_without_events_is_not_a_log(self):
        os.makedirs(os.path.join(self.dir, "eventlog_v2_local-1"))
        with self.assertRaises(tunesim.TunesimError) as cm:
            self.find("local-1")
        self.assertIn("eventlog_v2_local-1/", str(cm.exception))

    def test_none(self):
        touch(os.path.join(self.dir, "local-2.inprogress"))
        with self.assertRaises(tunesim.TunesimError) as cm:
            self.find("local-1")
        msg = str(cm.exception)
        self.assertIn("no event log of application local-1", msg)
        self.assertIn(self.dir, msg)

    def test_from_context(self):
        touch(os.path.join(self.dir, "eventlog_v2_local-5", "events_1_local-5.zstd"))
        sc = FakeContext(
            {"spark.eventLog.enabled": "true", "spark.eventLog.dir": "file://" + self.dir}, "local-5"
        )
        self.assertEqual(tunesim.event_log(sc), os.path.join(self.dir, "eventlog_v2_local-5"))

    def test_not_enabled(self):
        for conf in ({}, {"spark.eventLog.enabled": "false", "spark.eventLog.dir": self.dir}):
            with self.subTest(conf=conf):
                with self.assertRaises(tunesim.TunesimError) as cm:
                    tunesim.event_log(FakeContext(conf, "local-5"))
                self.assertIn('config("spark.eventLog.enabled", "true")', str(cm.exception))


FAKE_CLI = r"""#!%(python)s
import json, os, sys
args = sys.argv[1:]
with open(os.environ["FAKE_CLI_ARGS"], "w") as f:
    json.dump(args, f)
mode = os.environ.get("FAKE_CLI_MODE", "ok")
if mode == "refuse":
    print("whatif: LOG: found no CrossValidator/TrainValidationSplit fits (looked for ...)", file=sys.stderr)
    sys.exit(2)
if mode == "crash":
    print("panic: boom", file=sys.stderr)
    sys.exit(3)
if mode == "gorun-refuse":
    print("whatif: bad log", file=sys.stderr)
    print("exit status 2", file=sys.stderr)
    sys.exit(1)
if mode == "garbage":
    print("not json")
    sys.exit(0)
if "--plot" in args:
    with open(args[args.index("--plot") + 1], "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\nfake")
print(json.dumps(json.loads(os.environ["FAKE_CLI_REPORT"])))
"""

REPORT = {
    "found": {"tuner": "CrossValidator", "folds": 2, "param_maps": 2, "fits": [{"jobs": 3}]},
    "results": [
        {
            "parallelism": 1,
            "makespan_s": 4.0,
            "speedup": 1,
            "utilization": 0.25,
            "idle_core_s": 6.0,
            "mean_concurrent_fits": 1,
            "jobs": 20,
        },
        # A figure as a distribution is read at its median.
        {
            "parallelism": 2,
            "makespan": {"p10": 2.0, "p50": 2.5, "p90": 3.0},
            "speedup_p50": 1.6,
            "utilization": 0.4,
            "idle_core_s": 3.0,
            "mean_fits": 1.9,
        },
    ],
    "recommended_parallelism": 2,
    "rule": "the smallest parallelism within 5% of the best",
    "ties": [2, 3],
    "notes": ["cli note"],
}


class TestWhatIfWithFakeCLI(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(lambda: __import__("shutil").rmtree(self.dir))
        self.cli = os.path.join(self.dir, "simulate")
        with open(self.cli, "w") as f:
            f.write(FAKE_CLI % {"python": sys.executable})
        os.chmod(self.cli, os.stat(self.cli).st_mode | stat.S_IXUSR)
        self.args_file = os.path.join(self.dir, "args.json")
        self.log = os.path.join(self.dir, "local-1.inprogress")
        touch(self.log)
        env = {"FAKE_CLI_ARGS": self.args_file, "FAKE_CLI_REPORT": json.dumps(REPORT), "FAKE_CLI_MODE": "ok"}
        p = mock.patch.dict(os.environ, env)
        p.start()
        self.addCleanup(p.stop)

    def args(self):
        with open(self.args_file) as f:
            return json.load(f)

    def test_report(self):
        with mock.patch.dict(sys.modules, {"pandas": None}):  # no pandas: rows are dicts
            r = tunesim.whatif(
                log=self.log,
                parallelism=range(1, 3),
                executors=2,
                cores_per_executor=4,
                plot=False,
                binary=self.cli,
                host_cores=8,
                folds=2,
                verbose=True,
                param_maps=None,
            )
        self.assertEqual(
            self.args(),
            [
                "whatif",
                self.log,
                "--format",
                "json",
                "--parallelism",
                "1:2",
                "--executors",
                "2",
                "--cores-per-executor",
                "4",
                "--host-cores",
                "8",
                "--folds",
                "2",
                "--verbose",
            ],
        )
        self.assertEqual(
            r.rows,
            [
                {
                    "parallelism": 1,
                    "makespan_s": 4.0,
                    "speedup": 1,
                    "utilization": 0.25,
                    "idle_core_s": 6.0,
                    "mean_fits": 1,
                },
                {
                    "parallelism": 2,
                    "makespan_s": 2.5,
                    "speedup": 1.6,
                    "utilization": 0.4,
                    "idle_core_s": 3.0,
                    "mean_fits": 1.9,
                },
            ],
        )
        self.assertEqual(r.recommended_parallelism, 2)
        self.assertEqual(r.found["folds"], 2)
        self.assertEqual(r.raw, REPORT)
        self.assertEqual(r.notes, ["cli note"])
        self.assertIsNone(r.plot_png)
        text = repr(r)
        self.assertEqual(r.ties, [2, 3])
        for want in (
            "tuner: CrossValidator",
            "makespan_s",
            "recommended parallelism: 2",
            "ties (within that slack of the fastest): 2, 3",
            "note: cli note",
        ):
            self.assertIn(want, text)
        self.assertIn("<table>", r._repr_html_())
        self.assertIn("ties: 2, 3", r._repr_html_())

    def test_pandas_frame(self):
        made = []

        class DataFrame:
            def __init__(self, records, columns):
                made.append((records, columns))

        with mock.patch.dict(sys.modules, {"pandas": types.SimpleNamespace(DataFrame=DataFrame)}):
            r = tunesim.whatif(log=self.log, plot=False, binary=self.cli)
        self.assertIsInstance(r.rows, DataFrame)
        self.assertEqual(
            made[0][1], ["parallelism", "makespan_s", "speedup", "utilization", "idle_core_s", "mean_fits"]
        )
        self.assertEqual(len(made[0][0]), 2)

    def test_plot_inline_in_a_notebook(self):
        shown = []
        ipython = types.ModuleType("IPython")
        ipython.get_ipython = lambda: types.SimpleNamespace(kernel=object(), config={})
        display = types.ModuleType("IPython.display")
        display.Image = lambda data: ("image", data)
        display.display = shown.append
        ipython.display = display
        with mock.patch.dict(sys.modules, {"IPython": ipython, "IPython.display": display}):
            r = tunesim.whatif(log=self.log, binary=self.cli)
        plot = self.args()[self.args().index("--plot") + 1]
        self.assertFalse(os.path.exists(plot), "the temporary plot is removed")
        self.assertEqual(shown, [("image", b"\x89PNG\r\n\x1a\nfake")])
        self.assertEqual(r.plot_png, b"\x89PNG\r\n\x1a\nfake")

    def test_no_plot_outside_a_notebook(self):
        with mock.patch.dict(sys.modules, {"IPython": None}):
            tunesim.whatif(log=self.log, binary=self.cli)
        self.assertNotIn("--plot", self.args())

    def test_plot_to_a_file(self):
        out = os.path.join(self.dir, "sweep.png")
        r = tunesim.whatif(log=self.log, binary=self.cli, plot=out)
        self.assertIn("--plot", self.args())
        with open(out, "rb") as f:
            self.assertEqual(f.read(), r.plot_png)

    def test_errors(self):
        # Each case: the fake CLI's behaviour, the exit status the exception carries, text in its message.
        cases = [
            ("refuse", 2, "found no CrossValidator/TrainValidationSplit fits"),
            ("crash", 3, "exit status 3: panic: boom"),
            ("garbage", 0, "printed no JSON report"),
        ]
        for mode, rc, text in cases:
            with self.subTest(mode=mode):
                with mock.patch.dict(os.environ, {"FAKE_CLI_MODE": mode}):
                    with self.assertRaises(tunesim.TunesimError) as cm:
                        tunesim.whatif(log=self.log, plot=False, binary=self.cli)
                self.assertEqual(cm.exception.returncode, rc)
                self.assertIn(text, str(cm.exception))
        with mock.patch.dict(os.environ, {"FAKE_CLI_MODE": "refuse"}):
            with self.assertRaises(tunesim.TunesimError) as cm:
                tunesim.whatif(log=self.log, plot=False, binary=self.cli)
        self.assertEqual(
            str(cm.exception),
            "whatif: LOG: found no CrossValidator/TrainValidationSplit fits (looked for ...)",
        )

    def test_go_run_exit_status(self):
        # `go run` exits 1 and prints the program's "exit status N" last.
        with mock.patch.dict(os.environ, {"FAKE_CLI_MODE": "gorun-refuse"}):
            rc, _, err = binary.Binary([self.cli], go_run=True).run(["whatif", self.log])
        self.assertEqual((rc, err), (2, "whatif: bad log\n"))

    def test_missing_log(self):
        with self.assertRaises(tunesim.TunesimError) as cm:
            tunesim.whatif(log=os.path.join(self.dir, "nope"), binary=self.cli)
        self.assertIn("no such file", str(cm.exception))


class TestFindBinary(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(lambda: __import__("shutil").rmtree(self.dir))
        self.exe = os.path.join(self.dir, "simulate")
        touch(self.exe, b"#!/bin/sh\n")
        os.chmod(self.exe, 0o755)

    def test_order(self):
        empty = tempfile.mkdtemp(dir=self.dir)
        with mock.patch.dict(os.environ, {"TUNESIM_BIN": self.exe, "PATH": empty}):
            self.assertEqual(binary.find().argv, [self.exe])
            self.assertEqual(binary.find(self.exe).argv, [self.exe])
        with mock.patch.dict(os.environ, {"PATH": self.dir}):
            os.environ.pop("TUNESIM_BIN", None)
            self.assertEqual(binary.find().argv, [self.exe])  # simulate on PATH

    def test_checkout_go_run(self):
        goexe = os.path.join(self.dir, "go")
        touch(goexe, b"#!/bin/sh\n")
        os.chmod(goexe, 0o755)
        os.remove(self.exe)
        with mock.patch.dict(os.environ, {"PATH": self.dir}):
            os.environ.pop("TUNESIM_BIN", None)
            b = binary.find()
        self.assertEqual(b.argv, [goexe, "run", "./cmd/simulate"])
        self.assertEqual(b.cwd, binary.checkout_root())
        self.assertTrue(os.path.isfile(os.path.join(b.cwd, "cmd", "simulate", "main.go")))

    def test_not_found(self):
        empty = tempfile.mkdtemp(dir=self.dir)
        with mock.patch.dict(os.environ, {"PATH": empty}):
            os.environ.pop("TUNESIM_BIN", None)
            with self.assertRaises(tunesim.TunesimError) as cm:
                binary.find()
        self.assertIn("go build -o ~/bin/simulate ./cmd/simulate", str(cm.exception))
        with self.assertRaises(tunesim.TunesimError) as cm:
            binary.find(os.path.join(self.dir, "missing"))
        self.assertIn("binary=", str(cm.exception))


class TestArgs(unittest.TestCase):
    def test_parallelism(self):
        cases = [
            ("1:16", "1:16"),
            (4, "4"),
            (range(1, 9), "1:8"),
            (range(2, 9, 2), "2,4,6,8"),
            ([1, 2, 4], "1,2,4"),
        ]
        for p, want in cases:
            with self.subTest(p=p):
                self.assertEqual(predict.parallelism_arg(p), want)
        with self.assertRaises(tunesim.TunesimError):
            predict.parallelism_arg(1.5)


if __name__ == "__main__":
    unittest.main()


class FakeProps(dict):
    def clone(self) -> "FakeProps":
        return FakeProps(self)


class FakeJContext:
    def __init__(self) -> None:
        self.props = FakeProps()

    def getLocalProperties(self) -> FakeProps:  # noqa: N802 - Spark's name
        return self.props

    def setLocalProperties(self, p: FakeProps) -> None:  # noqa: N802 - Spark's name
        self.props = p


class FakeTaggedContext:
    """The part of a SparkContext tagging sets a thread's local properties through."""

    def __init__(self) -> None:
        self.jsc = FakeJContext()
        self._jsc = types.SimpleNamespace(sc=lambda: self.jsc)

    def setLocalProperty(self, k: str, v: str) -> None:  # noqa: N802 - pyspark's name
        self.jsc.props[k] = v


class TestTagging(unittest.TestCase):
    def test_tag_with_label_and_extra(self) -> None:
        # What spark/tune.py sets: its own labels and extra properties beside the fit tags, on a
        # private copy of the thread's properties.
        sc = FakeTaggedContext()
        shared = sc.jsc.props
        run = tagging._Run(
            sc, [{}, {}], label=lambda m: "lr.regParam=%d" % m, extra=lambda: {tagging.PHASE: "tune"}
        )
        run.tag(3, 1, 1)
        self.assertEqual(
            sc.jsc.props,
            {
                "tunesim.fit": "3",
                "tunesim.fold": "1",
                "tunesim.param_map": "1",
                "tunesim.param_label": "lr.regParam=1",
                "tunesim.phase": "tune",
            },
        )
        self.assertEqual(shared, {}, "tagging changed the properties object the thread shared")
        run.tag(4, -1, 5)
        self.assertEqual(sc.jsc.props["tunesim.param_label"], "", "a param map out of range has no label")

    def test_names(self) -> None:
        self.assertEqual(
            tagging.PROPERTIES,
            ("tunesim.fit", "tunesim.param_map", "tunesim.fold", "tunesim.param_label", "tunesim.phase"),
        )
