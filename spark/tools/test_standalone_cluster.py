"""standalone_cluster.py without Spark: a failed start reports the daemon that exited first, how it
ended and its log's tail, and stopping reaps what it started (a zombie is not a survivor).

Standard library only (python3 -S); the daemons are fake spark-class scripts. Run by spark's
TestToolsPython, or: python3 -S -m unittest discover -s spark/tools
"""

import argparse
import os
import shutil
import signal
import sys
import tempfile
import time
import unittest
from unittest import mock

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import standalone_cluster as sc  # noqa: E402

# A fake master serving the JSON status page on its --webui-port, ALIVE with no workers.
FAKE_MASTER = r"""
import http.server, json, sys
a = sys.argv[1:]
port, webui = int(a[a.index("--port") + 1]), int(a[a.index("--webui-port") + 1])
body = json.dumps({"status": "ALIVE", "url": "spark://127.0.0.1:%d" % port, "aliveworkers": 0}).encode()
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
print("fake master up", flush=True)
http.server.HTTPServer(("127.0.0.1", webui), H).serve_forever()
"""


def proc_state(pid):
    """pid's state letter from /proc (without waiting for it), or None when it is gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            stat = f.read()
    except OSError:
        return None
    return stat[stat.rfind(")") + 1 :].split()[0]


def wait_for(cond, what, limit=30.0):
    """Polls cond until it holds; fails the test naming what after limit seconds."""
    end = time.monotonic() + limit
    while not cond():
        if time.monotonic() > end:
            raise AssertionError("gave up waiting for " + what)
        time.sleep(0.05)


class ClusterTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir, True)
        env = mock.patch.dict(os.environ, {"TUNESIM_SPARK_CLUSTER_DIR": os.path.join(self.dir, "state")})
        env.start()
        self.addCleanup(env.stop)
        os.makedirs(sc.state_dir())
        self.addCleanup(self.kill_started)

    def kill_started(self):
        """Whatever a test left running of what it started, and only that."""
        for pid, p in list(sc.started.items()):
            if p.poll() is None:
                try:
                    os.killpg(pid, 9)
                except ProcessLookupError:
                    pass
                p.wait()
            del sc.started[pid]

    def fake_spark(self, master, worker):
        """A spark home whose bin/spark-class runs the shell lines master or worker."""
        home = os.path.join(self.dir, "home")
        os.makedirs(os.path.join(home, "bin"))
        script = os.path.join(home, "bin", "spark-class")
        with open(script, "w") as f:
            f.write(
                '#!/bin/sh\ncase "$1" in\n*Master) shift; %s ;;\n*Worker) shift; %s ;;\nesac\n'
                % (master, worker)
            )
        os.chmod(script, 0o755)
        return home

    def up(self, home, workers=1):
        a = argparse.Namespace(
            workers=workers,
            workers_given=True,
            cores=None,
            memory=None,
            port=sc.free_port(),
            webui_port=sc.free_port(),
            timeout=60,
        )
        with mock.patch.object(sc, "spark_home", return_value=home), mock.patch.object(
            sc, "java", return_value="/usr/bin/java"
        ):
            with self.assertRaises(sc.Failure) as ctx:
                sc.up(a)
        return str(ctx.exception)

    def assert_all_gone(self):
        for pid, p in sc.started.items():
            self.assertIsNotNone(p.returncode, "pid %d was not waited for" % pid)
            self.assertFalse(sc.group_alive(pid), "group %d still runs" % pid)
        self.assertFalse(os.path.exists(sc.state_file()), "the state file is left")

    def test_master_exit_is_reported_with_its_status_and_log(self):
        home = self.fake_spark(
            'echo "starting the master"; echo "java.net.BindException: Address already in use"; exit 1',
            "exit 0",
        )
        msg = self.up(home)
        log = os.path.join(sc.state_dir(), "logs", "master.log")
        for want in ("the master (pid", "exited with status 1 while starting", log, "Address already in use"):
            self.assertIn(want, msg)
        self.assertNotIn("survived", msg)
        self.assert_all_gone()

    def test_worker_exit_is_reported_and_the_master_stopped(self):
        home = self.fake_spark(
            'exec "%s" -S -c \'%s\' "$@"' % (sys.executable, FAKE_MASTER.replace("'", "'\"'\"'")),
            'echo "Failed to connect to master"; exit 7',
        )
        msg = self.up(home, workers=2)
        self.assertRegex(msg, r"worker [12] \(pid")
        self.assertIn("exited with status 7 while waiting for the workers to register", msg)
        self.assertIn("Failed to connect to master", msg)
        self.assert_all_gone()
        # The master is started first; it runs until stopped, so a signal ends it. The worker named
        # exited with 7; the other may exit on its own too or be stopped before it gets that far.
        master, *workers = sc.started.values()
        self.assertLess(master.returncode, 0, "the master, stopped by a signal: %s" % sc.started)
        self.assertEqual(len(workers), 2, "two workers started: %s" % sc.started)
        named = workers[int(msg.split("worker ", 1)[1][0]) - 1]
        self.assertEqual(named.returncode, 7, "the worker named exits with 7: %s" % sc.started)
        for w in workers:
            self.assertIn(w.returncode, (7, -signal.SIGTERM, -signal.SIGKILL), "a worker: %s" % sc.started)

    def test_empty_master_log_is_named(self):
        home = self.fake_spark("exit 3", "exit 0")
        msg = self.up(home)
        self.assertIn("exited with status 3", msg)
        self.assertIn("its log %s is empty" % os.path.join(sc.state_dir(), "logs", "master.log"), msg)

    def test_a_failure_to_stop_comes_after_the_first_failure(self):
        home = self.fake_spark("echo bind failed; exit 1", "exit 0")
        with mock.patch.object(sc, "stop", side_effect=sc.Failure("process group(s) 1 survived SIGKILL")):
            msg = self.up(home)
        self.assertTrue(msg.startswith("the master (pid"), msg)
        self.assertIn("bind failed", msg)
        self.assertIn("then, stopping what had started: process group(s) 1 survived SIGKILL", msg)

    @unittest.skipUnless(os.path.isdir("/proc/self"), "needs /proc to see a zombie")
    def test_stop_reaps_a_zombie(self):
        log = os.path.join(self.dir, "z.log")
        pid = sc.start(["/bin/sh", "-c", "exit 5"], dict(os.environ), log)
        wait_for(lambda: proc_state(pid) == "Z", "pid %d to become a zombie" % pid)
        os.killpg(pid, 0)  # a zombie answers: what the old check took for a survivor
        st = {"master": {"pid": pid, "log": log}, "workers": []}
        self.assertIn("exited with status 5", sc.first_exit(st, "starting") or "")
        sc.stop(st)
        self.assertEqual(sc.started[pid].returncode, 5)
        self.assertIsNone(proc_state(pid))


class ProcTest(unittest.TestCase):
    """group_states and group_alive against a fake /proc."""

    def test_zombies_do_not_count(self):
        proc = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, proc, True)
        os.makedirs(os.path.join(proc, "self"))
        for pid, comm, state, pgrp in (
            (7557, "java", "Z", 7557),
            (7600, "java (x) y", "Z", 7557),
            (8000, "bash", "S", 8000),
            (8001, "C2 CompilerThre)", "R", 8000),
        ):
            os.makedirs(os.path.join(proc, str(pid)))
            with open(os.path.join(proc, str(pid), "stat"), "w") as f:
                f.write("%d (%s) %s 1 %d %d 0 -1\n" % (pid, comm, state, pgrp, pgrp))
        self.assertEqual(sorted(sc.group_states(7557, proc) or []), ["Z", "Z"])
        self.assertFalse(sc.group_alive(7557, proc))
        self.assertTrue(sc.group_alive(8000, proc))
        self.assertFalse(sc.group_alive(9999, proc))
        self.assertIsNone(sc.group_states(7557, os.path.join(proc, "none")))


class LogTailTest(unittest.TestCase):
    def test_tail(self):
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d, True)
        path = os.path.join(d, "a.log")
        with open(path, "w") as f:
            f.write("".join("line %d\n\n" % i for i in range(1, 9)))
        self.assertEqual(sc.log_tail(path, 3), "its log %s ends:\n  line 6\n  line 7\n  line 8" % path)
        with open(path, "w") as f:
            f.write(" \n\n")
        self.assertEqual(sc.log_tail(path), "its log %s is empty" % path)
        missing = os.path.join(d, "none.log")
        self.assertTrue(sc.log_tail(missing).startswith("its log %s cannot be read" % missing))


if __name__ == "__main__":
    unittest.main()
