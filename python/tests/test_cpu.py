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


if __name__ == "__main__":
    unittest.main()
