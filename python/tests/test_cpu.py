"""tunesim.measure against a fake /proc: the figures it writes are the counters' differences."""

import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from tunesim import cpu as m  # noqa: E402


def write_proc(root, jvm_pid, jvm_ticks, py_ticks, cpu_line, cores=2):
    for pid, (ut, st) in ((jvm_pid, jvm_ticks), (os.getpid(), py_ticks)):
        os.makedirs(os.path.join(root, str(pid)), exist_ok=True)
        # A command name with a space and a parenthesis, as a JVM's thread may have.
        fields = ["S"] + ["0"] * 10 + [str(ut), str(st)] + ["0"] * 30
        with open(os.path.join(root, str(pid), "stat"), "w") as f:
            f.write("%d (java (x) y) %s\n" % (pid, " ".join(fields)))
    with open(os.path.join(root, "stat"), "w") as f:
        f.write("cpu  " + " ".join(str(v) for v in cpu_line) + "\n")
        for c in range(cores):
            f.write("cpu%d 1 2 3 4 5 6 7 8 0 0\n" % c)
        f.write("intr 1 2 3\n")


class FakeJVM:
    def __init__(self, pid):
        self.java = type("J", (), {})()
        self.java.lang = type("L", (), {})()
        handle = type("H", (), {"pid": lambda _self: pid})()
        self.java.lang.ProcessHandle = type("P", (), {"current": staticmethod(lambda: handle)})


class FakeContext:
    def __init__(self, pid, logdir):
        self._jvm = FakeJVM(pid)
        self.applicationId = "local-42"
        self._conf = {"spark.eventLog.dir": "file://" + logdir}

    def getConf(self):
        return self

    def get(self, k, default=None):
        return self._conf.get(k, default)


class MeasureTest(unittest.TestCase):
    def test_counters(self):
        with tempfile.TemporaryDirectory() as root:
            tck = m._ticks()
            write_proc(root, 777, (100, 20), (5, 5), [10, 0, 10, 500, 20, 0, 0, 0, 0, 0])
            self.assertAlmostEqual(m.process_cpu_s(777, root), 120 / tck)
            busy, cores = m.host_busy_s(root)
            self.assertEqual(cores, 2)
            self.assertAlmostEqual(busy, 20 / tck)

    def test_block_writes_beside_the_log(self):
        with tempfile.TemporaryDirectory() as root, tempfile.TemporaryDirectory() as logs:
            tck = m._ticks()
            write_proc(root, 777, (100, 20), (5, 5), [10, 0, 10, 500, 20, 0, 0, 0])
            sc = FakeContext(777, logs)
            with m.measure(sc, proc=root) as block:
                # the tuning: the JVM uses 3 s, Python 1 s, the host is busy 3.5 s more
                write_proc(
                    root,
                    777,
                    (100 + 2 * tck, 20 + tck),
                    (5 + tck, 5),
                    [10 + 3 * tck, 0, 10 + tck // 2, 900, 20, 0, 0, 0],
                )
            self.assertEqual(block.path, os.path.join(logs, ".tunesim", "local-42.cpu.json"))
            with open(block.path) as f:
                doc = json.load(f)
            self.assertAlmostEqual(doc["driver_jvm_cpu_s"], 3, places=2)
            self.assertAlmostEqual(doc["python_cpu_s"], 1, places=2)
            self.assertAlmostEqual(doc["app_cpu_s"], 4, places=2)
            self.assertAlmostEqual(doc["host_busy_s"], 3 + (tck // 2) / tck, places=2)
            self.assertEqual(doc["cores"], 2)
            self.assertEqual(doc["app_id"], "local-42")
            self.assertGreaterEqual(doc["wall_s"], 0)

    def test_failed_block_writes_nothing(self):
        with tempfile.TemporaryDirectory() as root, tempfile.TemporaryDirectory() as logs:
            write_proc(root, 777, (1, 1), (1, 1), [1, 0, 1, 1, 1, 0, 0, 0])
            with self.assertRaises(ValueError):
                with m.measure(FakeContext(777, logs), proc=root):
                    raise ValueError("the fit failed")
            self.assertFalse(os.path.exists(os.path.join(logs, ".tunesim")))


def write_threads(root, pid, threads):
    """threads: tid -> (name, utime ticks, stime ticks) under root/PID/task."""
    for tid, (name, ut, st) in threads.items():
        d = os.path.join(root, str(pid), "task", str(tid))
        os.makedirs(d, exist_ok=True)
        fields = ["S"] + ["0"] * 10 + [str(ut), str(st)] + ["0"] * 30
        with open(os.path.join(d, "stat"), "w") as f:
            f.write("%d (%s) %s\n" % (tid, name, " ".join(fields)))
        with open(os.path.join(d, "comm"), "w") as f:
            f.write(name + "\n")


class ThreadKindsTest(unittest.TestCase):
    def test_kinds(self):
        for name, kind in (
            ("C2 CompilerThre", "jit"),
            ("C1 CompilerThre", "jit"),
            ("GC Thread#1", "gc"),
            ("G1 Conc#0", "gc"),
            ("VM Thread", "gc"),
            ("Executor task l", "tasks"),
            ("dag-scheduler-e", "scheduler"),
            ("Thread-3", "other"),
        ):
            self.assertEqual(m.thread_kind(name), kind, name)

    def test_by_kind_between_snapshots(self):
        tck = m._ticks()
        with tempfile.TemporaryDirectory() as root:
            # Before: a compiler thread, a task thread and a thread that will end.
            write_proc(root, 777, (100, 0), (0, 0), [0] * 10)
            write_threads(
                root,
                777,
                {1: ("C2 CompilerThre", 40, 0), 2: ("Executor task l", 10, 0), 3: ("C1 CompilerThre", 5, 0)},
            )
            before = m.Snapshot(777, root)
            # After: the JVM used 100 ticks more; the compiler 30, the task 20, a new GC thread 10;
            # thread 3 ended, so 40 ticks went to threads no longer there.
            write_proc(root, 777, (200, 0), (0, 0), [0] * 10)
            os.remove(os.path.join(root, "777", "task", "3", "stat"))
            os.remove(os.path.join(root, "777", "task", "3", "comm"))
            os.rmdir(os.path.join(root, "777", "task", "3"))
            write_threads(
                root,
                777,
                {1: ("C2 CompilerThre", 70, 0), 2: ("Executor task l", 30, 0), 4: ("GC Thread#0", 5, 5)},
            )
            after = m.Snapshot(777, root)
            got = m.by_kind(before, after)
            want = {"jit": 30 / tck, "tasks": 20 / tck, "gc": 10 / tck, "ended": 40 / tck}
            self.assertEqual(set(got), set(want))
            for k, v in want.items():
                self.assertAlmostEqual(got[k], round(v, 3), places=3, msg=k)


def write_executor(root, pid, app_id, ticks, threads):
    """An executor JVM of app_id under root: its command line, its CPU and its threads."""
    os.makedirs(os.path.join(root, str(pid)), exist_ok=True)
    argv = ["/usr/bin/java", "-cp", "x", m.EXECUTOR_MAIN.decode(), "--app-id", app_id, "--cores", "1"]
    with open(os.path.join(root, str(pid), "cmdline"), "wb") as f:
        f.write("\0".join(argv).encode() + b"\0")
    fields = ["S"] + ["0"] * 10 + [str(ticks), "0"] + ["0"] * 30
    with open(os.path.join(root, str(pid), "stat"), "w") as f:
        f.write("%d (java) %s\n" % (pid, " ".join(fields)))
    write_threads(root, pid, threads)


class ExecutorJVMsTest(unittest.TestCase):
    def test_executors_of_the_application_only(self):
        with tempfile.TemporaryDirectory() as root:
            write_executor(root, 901, "app-1", 10, {})
            write_executor(root, 902, "app-2", 10, {})
            write_executor(root, 903, "app-1", 10, {})
            os.makedirs(os.path.join(root, "904"))  # a process without a command line (a zombie)
            self.assertEqual(m.executor_pids("app-1", root), [901, 903])
            self.assertEqual(m.executor_pids("", root), [])

    def test_figures_add_the_executors_by_kind(self):
        tck = m._ticks()
        with tempfile.TemporaryDirectory() as root:
            write_proc(root, 777, (100, 0), (0, 0), [0] * 10)
            write_executor(
                root, 901, "app-1", 50, {1: ("C2 CompilerThre", 20, 0), 2: ("Executor task l", 10, 0)}
            )
            write_executor(root, 902, "app-1", 40, {5: ("GC Thread#0", 4, 0), 6: ("Executor task l", 6, 0)})
            before = m.Snapshot(777, root, "app-1")
            # Executor 901: its compiler 30 ticks more, its task thread 50, 10 in threads that ended;
            # 902: GC 10, tasks 20; 903 started in between, so it is not measured whole.
            write_executor(
                root, 901, "app-1", 140, {1: ("C2 CompilerThre", 50, 0), 2: ("Executor task l", 60, 0)}
            )
            write_executor(root, 902, "app-1", 70, {5: ("GC Thread#0", 14, 0), 6: ("Executor task l", 26, 0)})
            write_executor(root, 903, "app-1", 500, {7: ("Executor task l", 500, 0)})
            after = m.Snapshot(777, root, "app-1")
            doc = m.figures(before, after, "app-1")
            self.assertEqual(doc["executor_jvms"], 2)
            self.assertAlmostEqual(doc["executor_jvms_cpu_s"], 120 / tck, places=3)
            want = {"jit": 30 / tck, "tasks": 70 / tck, "gc": 10 / tck, "ended": 10 / tck}
            got = doc["executor_jvm_threads_cpu_s"]
            self.assertEqual(set(got), set(want))
            for k, v in want.items():
                self.assertAlmostEqual(got[k], round(v, 3), places=3, msg=k)

    def test_local_mode_adds_nothing(self):
        with tempfile.TemporaryDirectory() as root:
            write_proc(root, 777, (100, 0), (0, 0), [0] * 10)
            s = m.Snapshot(777, root, "local-1")
            self.assertNotIn("executor_jvms", m.figures(s, s, "local-1"))


if __name__ == "__main__":
    unittest.main()
