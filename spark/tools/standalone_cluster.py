#!/usr/bin/env python3
"""Starts, stops and reports a Spark standalone cluster on this machine: one master and N workers
started from pyspark's own jars (bin/spark-class of the pyspark package in spark/.venv), bound to
127.0.0.1, for `simulate spark` and `simulate validate --against spark` with --master spark://...

Usage:
  spark/tools/standalone_cluster.py up [--workers N] [--cores C] [--memory M] [--port P]
                                       [--webui-port W] [--timeout S]
  spark/tools/standalone_cluster.py status
  spark/tools/standalone_cluster.py down

`up` and `status` print the master's URL (spark://127.0.0.1:PORT) as their last line. `up` waits
until every worker has registered with the master (its JSON status page, http://127.0.0.1:W/json/,
lists them as ALIVE). `up` on a running cluster of the same shape only prints the URL; `down` on a
stopped one does nothing. `down` stops the master, the workers and the executors the workers
started (each daemon is its own process group) and checks that none is left.

State (cluster.json with pids and ports, logs/, the workers' work/ dirs) lives in one directory:
$TUNESIM_SPARK_CLUSTER_DIR, else spark/.cluster (in the spark/ folder above this script's tools/).
pyspark is found through $TUNESIM_PYTHON (a python with pyspark), else spark/.venv (made by
spark/setup). Java 17+ is $JAVA_HOME/bin/java, else java on PATH.

Exit status: 0 done; 1 a failure (the message says what and where its log is: a failed `up` names
the daemon that exited first, its exit status and its log's last lines); 2 bad usage.
"""

import argparse
import glob
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SPARK_DIR = os.path.dirname(HERE)  # spark/: its .venv (spark/setup) and the default state dir .cluster
HOST = "127.0.0.1"
MIN_JAVA = 17
DEFAULT_PORT, DEFAULT_WEBUI_PORT = 7077, 8080
DAEMON_CLASS = re.compile(r"org\.apache\.spark\.deploy\.(master\.Master|worker\.Worker)")


class Failure(Exception):
    """A failure reported as `spark/tools/standalone_cluster.py: MESSAGE` with exit status 1."""


def state_dir():
    return os.environ.get("TUNESIM_SPARK_CLUSTER_DIR") or os.path.join(SPARK_DIR, ".cluster")


def state_file():
    return os.path.join(state_dir(), "cluster.json")


def note(msg: str) -> None:
    print("spark/tools/standalone_cluster.py: " + msg, file=sys.stderr)


# --- finding pyspark and Java -------------------------------------------------------------------


def spark_home():
    """The pyspark package directory (its jars/ and bin/spark-class)."""
    py = os.environ.get("TUNESIM_PYTHON")
    if py:
        try:
            out = subprocess.run(
                [py, "-c", "import os, pyspark; print(os.path.dirname(pyspark.__file__))"],
                capture_output=True,
                text=True,
                check=True,
                timeout=60,
            ).stdout
        except (OSError, subprocess.SubprocessError) as e:
            raise Failure("TUNESIM_PYTHON=%s cannot import pyspark (%s)" % (py, e)) from e
        return out.strip()
    venv = os.path.join(SPARK_DIR, ".venv")
    found = sorted(
        glob.glob(os.path.join(venv, "lib", "python3*", "site-packages", "pyspark", "bin", "spark-class"))
    )
    if not found:
        raise Failure(
            "no pyspark in %s: run spark/setup first (or set TUNESIM_PYTHON to a python with pyspark)" % venv
        )
    return os.path.dirname(os.path.dirname(found[-1]))


def java():
    """The java executable, checked to be Java 17 or later."""
    home = os.environ.get("JAVA_HOME")
    exe = os.path.join(home, "bin", "java") if home else shutil.which("java")
    if not exe or not os.access(exe, os.X_OK):
        where = "JAVA_HOME=%s has no bin/java" % home if home else "no java on PATH"
        raise Failure(
            "Java is missing (%s): install Java %d or later (e.g. apt install openjdk-17-jre-headless) or "
            "set JAVA_HOME" % (where, MIN_JAVA)
        )
    try:
        out = subprocess.run([exe, "-version"], capture_output=True, text=True, timeout=60).stderr
    except (OSError, subprocess.SubprocessError) as e:
        raise Failure("%s -version fails (%s): install Java %d or later" % (exe, e, MIN_JAVA)) from e
    m = re.search(r'version "(\d+)(?:\.(\d+))?', out)
    if not m:
        raise Failure("%s -version: no version in %r" % (exe, out.strip()))
    major = int(m.group(1))
    if major == 1 and m.group(2):
        major = int(m.group(2))
    if major < MIN_JAVA:
        raise Failure(
            "%s is Java %d; Spark 4 needs Java %d or later (set JAVA_HOME to one)" % (exe, major, MIN_JAVA)
        )
    return exe


# --- ports, processes and the master's status page ----------------------------------------------


def port_free(port):
    """Whether port can be listened on at HOST (as the JVM binds: connections in TIME_WAIT do not count)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((HOST, port))
        except OSError:
            return False
    return True


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def choose_port(asked, default, what, flag, taken):
    """asked when free (an error naming it when not); else default when free; else any free port."""
    if asked is not None:
        if asked in taken or not port_free(asked):
            raise Failure(
                "%s port %d on %s is taken: give another %s, or omit it to pick a free one"
                % (what, asked, HOST, flag)
            )
        return asked
    if default not in taken and port_free(default):
        return default
    p = free_port()
    while p in taken:
        p = free_port()
    note("%s port %d on %s is taken; using %d" % (what, default, HOST, p))
    return p


# The processes this invocation started, by pid: stop reaps them (an exited child stays a zombie,
# and a zombie still answers killpg(pgid, 0), until its parent waits for it) and a failed start
# reports their exit status.
started: "dict[int, subprocess.Popen[bytes]]" = {}  # quoted: spark/.venv may be Python 3.8


def alive(pid):
    """Whether pid runs a Spark master or worker (a recycled pid running something else is not)."""
    p = started.get(pid)
    if p is not None:
        # Started here: a child's pid is not recycled before it is waited for, and its cmdline may
        # read empty while it execs.
        return p.poll() is None
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        try:
            os.kill(pid, 0)
        except OSError:
            return False
        return True  # no /proc: trust the signal check
    return bool(DAEMON_CLASS.search(cmd)) or "spark-class" in cmd


def reap():
    """Waits for every process this invocation started that has exited (never blocks)."""
    for p in started.values():
        p.poll()


def ended(pid):
    """How a process that no longer runs ended: "exited with status 1", "was killed by SIGKILL", or
    "exited" when another invocation started it (its status is its parent's)."""
    p = started.get(pid)
    code = p.poll() if p is not None else None
    if code is None:
        return "exited"
    if code < 0:
        try:
            return "was killed by %s" % signal.Signals(-code).name
        except ValueError:
            return "was killed by signal %d" % -code
    return "exited with status %d" % code


def group_states(pgid, proc="/proc"):
    """The states (R, S, Z, ...) of the processes of group pgid from proc's stat files, or None
    without a readable proc."""
    if not os.path.isdir(os.path.join(proc, "self")):
        return None
    out = []
    for path in glob.glob(os.path.join(proc, "[0-9]*", "stat")):
        try:
            with open(path, "rb") as f:
                stat = f.read().decode(errors="replace")
        except OSError:
            continue  # exited while listed
        # pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so split after the last ')'.
        fields = stat[stat.rfind(")") + 1 :].split()
        if len(fields) >= 3 and fields[2] == str(pgid):
            out.append(fields[0])
    return out


def group_alive(pgid, proc="/proc"):
    """Whether a process of group pgid still runs: zombies (exited, not yet waited for) do not
    count; the ones this invocation started are reaped first."""
    reap()
    states = group_states(pgid, proc)
    if states is not None:
        return any(st not in ("Z", "X") for st in states)
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def master_json(webui_port, timeout=2.0):
    """The master's JSON status page, or None when it does not answer."""
    try:
        with urllib.request.urlopen("http://%s:%d/json/" % (HOST, webui_port), timeout=timeout) as r:
            return json.load(r)
    except (OSError, ValueError, urllib.error.URLError):
        return None


def log_tail(path, n=5):
    """The last n non-blank lines of the log at path, as "its log PATH ends:" and the lines; an
    empty or unreadable log is named as such."""
    try:
        with open(path, errors="replace") as f:
            lines = [line.rstrip() for line in f if line.strip()]
    except OSError as e:
        return "its log %s cannot be read (%s)" % (path, e.strerror or e)
    if not lines:
        return "its log %s is empty" % path
    return "its log %s ends:\n  %s" % (path, "\n  ".join(lines[-n:]))


def start(cmd, env, log):
    """Starts cmd as the leader of a new process group (so that down can stop it and its children),
    and keeps it in started."""
    with open(log, "w") as out:
        p = subprocess.Popen(
            cmd,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            cwd=state_dir(),
        )
    started[p.pid] = p
    return p.pid


# --- state ----------------------------------------------------------------------------------------


def load_state():
    try:
        with open(state_file()) as f:
            return json.load(f)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as e:
        raise Failure("%s: %s (remove it, and stop any leftover daemons by hand)" % (state_file(), e)) from e


def save_state(st):
    tmp = state_file() + ".tmp"
    with open(tmp, "w") as f:
        json.dump(st, f, indent=2)
        f.write("\n")
    os.replace(tmp, state_file())


def pids(st):
    return [st["master"]["pid"]] + [w["pid"] for w in st["workers"]]


def daemons(st):
    """The daemons in st in the order they were started: (name, its state)."""
    return [("the master", st["master"])] + [("worker %d" % (i + 1), w) for i, w in enumerate(st["workers"])]


def first_exit(st, doing):
    """The first daemon of st (in the order started) that no longer runs, said with how it ended
    and its log's tail; None while all run."""
    for name, d in daemons(st):
        if d["pid"] > 0 and not alive(d["pid"]):
            return "%s (pid %d) %s while %s; %s" % (
                name,
                d["pid"],
                ended(d["pid"]),
                doing,
                log_tail(d["log"]),
            )
    return None


def health(st):
    """None when the cluster in st is up with all its workers registered, else what is wrong."""
    dead = [p for p in pids(st) if not alive(p)]
    if dead:
        return "process %s no longer runs" % ", ".join(map(str, dead))
    j = master_json(st["master"]["webui_port"])
    if j is None:
        return "the master's status page http://%s:%d/json/ does not answer" % (
            HOST,
            st["master"]["webui_port"],
        )
    n = int(j.get("aliveworkers", 0))
    if n != len(st["workers"]):
        return "%d of %d workers registered" % (n, len(st["workers"]))
    return None


def plural(n, what):
    return "%d %s%s" % (n, what, "" if n == 1 else "s")


def shape(st):
    return "%s x %s, %s each" % (
        plural(len(st["workers"]), "worker"),
        plural(st["cores"], "core"),
        st["memory"],
    )


# --- commands -------------------------------------------------------------------------------------


def up(a):
    if a.workers < 1:
        raise Usage("--workers %d: allowed are 1 or more" % a.workers)
    if a.cores is not None and a.cores < 1:
        raise Usage("--cores %d: allowed are 1 or more" % a.cores)
    if a.memory is not None and not re.fullmatch(r"[1-9][0-9]*[mMgG]", a.memory):
        raise Usage("--memory %r: allowed are sizes like 512m or 2g" % a.memory)
    cores = a.cores or 1
    memory = a.memory or "%dg" % cores  # room for one 1g executor per core
    st = load_state()
    if st is not None:
        wrong = health(st)
        if wrong is None:
            asked = (a.workers, cores, memory.lower())
            have = (len(st["workers"]), st["cores"], st["memory"].lower())
            given = (a.workers_given, a.cores is not None, a.memory is not None)
            if any(g and x != y for g, x, y in zip(given, asked, have)):
                raise Failure(
                    "a cluster of %s is already up at %s; run spark/tools/standalone_cluster.py down first "
                    "to start %s x %s, %s each"
                    % (shape(st), st["url"], plural(a.workers, "worker"), plural(cores, "core"), memory)
                )
            note("already up: %s" % shape(st))
            print(st["url"])
            return
        note(
            "the cluster in %s is broken (%s): stopping what is left of it and starting anew"
            % (state_dir(), wrong)
        )
        stop(st)
    home, exe = spark_home(), java()
    d = state_dir()
    os.makedirs(os.path.join(d, "logs"), exist_ok=True)
    shutil.rmtree(os.path.join(d, "work"), ignore_errors=True)
    for sub in ("work", "tmp", "conf"):
        os.makedirs(os.path.join(d, sub), exist_ok=True)
    taken: set[int] = set()
    port = choose_port(a.port, DEFAULT_PORT, "master", "--port", taken)
    taken.add(port)
    webui = choose_port(a.webui_port, DEFAULT_WEBUI_PORT, "master web UI", "--webui-port", taken)
    taken.add(webui)
    env = dict(os.environ)
    env.update(
        {
            "SPARK_HOME": home,
            "JAVA_HOME": os.path.dirname(os.path.dirname(os.path.realpath(exe))),
            "SPARK_CONF_DIR": os.path.join(d, "conf"),  # empty: no spark-env.sh or defaults from elsewhere
            "SPARK_LOCAL_IP": HOST,  # RPC and web UIs bind to loopback
            "SPARK_LOCAL_DIRS": os.path.join(d, "tmp"),
            "SPARK_WORKER_DIR": os.path.join(d, "work"),
            "SPARK_DAEMON_MEMORY": "512m",
            # One bind attempt: a taken port fails the daemon instead of moving it to the next port.
            "SPARK_DAEMON_JAVA_OPTS": "-Dspark.port.maxRetries=0",
        }
    )
    spark_class = os.path.join(home, "bin", "spark-class")
    url = "spark://%s:%d" % (HOST, port)
    st = {
        "url": url,
        "host": HOST,
        "cores": cores,
        "memory": memory,
        "spark_home": home,
        "master": {"pid": 0, "port": port, "webui_port": webui, "log": os.path.join(d, "logs", "master.log")},
        "workers": [],
    }
    st["master"]["pid"] = start(
        [
            spark_class,
            "org.apache.spark.deploy.master.Master",
            "--host",
            HOST,
            "--port",
            str(port),
            "--webui-port",
            str(webui),
        ],
        env,
        st["master"]["log"],
    )
    save_state(st)
    deadline = time.time() + a.timeout
    try:
        while True:
            j = master_json(webui)
            if j is not None and j.get("status") == "ALIVE":
                if j.get("url") and j["url"] != url:
                    raise Failure(
                        "the master reports %s, not %s (log %s)" % (j["url"], url, st["master"]["log"])
                    )
                break
            wrong = first_exit(st, "starting (port %d, web UI %d)" % (port, webui))
            if wrong:
                raise Failure(wrong)
            if time.time() > deadline:
                raise Failure(
                    "the master did not answer on http://%s:%d/json/ within %ds; %s"
                    % (HOST, webui, a.timeout, log_tail(st["master"]["log"]))
                )
            time.sleep(0.5)
        for i in range(a.workers):
            wport = free_port()
            while wport in taken:
                wport = free_port()
            taken.add(wport)
            log = os.path.join(d, "logs", "worker-%d.log" % (i + 1))
            pid = start(
                [
                    spark_class,
                    "org.apache.spark.deploy.worker.Worker",
                    "--host",
                    HOST,
                    "--cores",
                    str(cores),
                    "--memory",
                    memory,
                    "--webui-port",
                    str(wport),
                    "--work-dir",
                    os.path.join(d, "work"),
                    url,
                ],
                env,
                log,
            )
            st["workers"].append({"pid": pid, "webui_port": wport, "log": log})
            save_state(st)
        while True:
            j = master_json(webui)
            n = int(j.get("aliveworkers", 0)) if j else 0
            if n >= a.workers:
                break
            wrong = first_exit(st, "waiting for the workers to register")
            if wrong:
                raise Failure(wrong)
            if time.time() > deadline:
                raise Failure(
                    "%d of %d workers registered with the master within %ds (see %s); worker 1: %s"
                    % (n, a.workers, a.timeout, os.path.join(d, "logs"), log_tail(st["workers"][0]["log"]))
                )
            time.sleep(0.5)
    except BaseException as e:
        # What went wrong first is the message; a failure to stop what had started comes after it.
        try:
            stop(st)
        except Failure as stop_failed:
            if isinstance(e, Failure):
                raise Failure("%s\nthen, stopping what had started: %s" % (e, stop_failed)) from e
            note("stopping what had started: %s" % stop_failed)
        raise
    note("up: %s; master web UI http://%s:%d; state in %s" % (shape(st), HOST, webui, d))
    print(url)


def status(_a):
    st = load_state()
    if st is None:
        raise Failure(
            "no cluster is up (no %s); spark/tools/standalone_cluster.py up starts one" % state_file()
        )
    wrong = health(st)
    j = master_json(st["master"]["webui_port"])
    if j is not None:
        print(
            "master %s (%s), web UI http://%s:%d, %s cores, %s in use, %d running application(s)"
            % (
                j.get("url", st["url"]),
                j.get("status", "?"),
                HOST,
                st["master"]["webui_port"],
                j.get("cores", "?"),
                j.get("coresused", "?"),
                len(j.get("activeapps", [])),
            )
        )
        for w in j.get("workers", []):
            print(
                "worker %s %s: %s cores (%s used), %s MB (%s used)"
                % (
                    w.get("id", "?"),
                    w.get("state", "?"),
                    w.get("cores", "?"),
                    w.get("coresused", "?"),
                    w.get("memory", "?"),
                    w.get("memoryused", "?"),
                )
            )
    if wrong is not None:
        raise Failure(
            "the cluster in %s is not healthy: %s (spark/tools/standalone_cluster.py down, then up)"
            % (state_dir(), wrong)
        )
    print(st["url"])


def stop(st):
    """Stops every process group in st (TERM, then KILL after 10 s), waits for the processes this
    invocation started (an exited one it has not waited for is a zombie, not a survivor), and
    removes the state."""
    groups = [p for p in pids(st) if p > 0]
    for g in reversed(groups):  # workers first, then the master
        try:
            os.killpg(g, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.time() + 10
    while any(group_alive(g) for g in groups) and time.time() < deadline:
        time.sleep(0.2)
    for g in groups:
        if group_alive(g):
            try:
                os.killpg(g, signal.SIGKILL)
            except ProcessLookupError:
                pass
    deadline = time.time() + 5
    while any(group_alive(g) for g in groups) and time.time() < deadline:
        time.sleep(0.2)
    left = [g for g in groups if group_alive(g)]
    if left:
        raise Failure(
            "process group(s) %s survived SIGKILL (their processes: %s)"
            % (", ".join(map(str, left)), "; ".join("%d %s" % (g, group_states(g)) for g in left))
        )
    # Zombies left are another parent's to wait for (init's, once the up that started them has
    # exited): give it a moment, so that a caller checking right after sees the groups gone.
    deadline = time.time() + 3
    while any(group_states(g) or [] for g in groups) and time.time() < deadline:
        time.sleep(0.1)
    try:
        os.remove(state_file())
    except FileNotFoundError:
        pass
    shutil.rmtree(os.path.join(state_dir(), "work"), ignore_errors=True)


def down(_a):
    st = load_state()
    if st is None:
        note("no cluster is up (no %s)" % state_file())
    else:
        stop(st)
        note("down: stopped the master and %s of %s" % (plural(len(st["workers"]), "worker"), st["url"]))
    others = daemons_elsewhere()
    if others:
        note(
            "other Spark masters or workers run on this machine, not started from %s (left alone): pids %s"
            % (state_dir(), ", ".join(map(str, others)))
        )


def daemons_elsewhere():
    """Pids of Spark master or worker JVMs still running on this machine."""
    out = []
    for p in glob.glob("/proc/[0-9]*/cmdline"):
        try:
            with open(p, "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if DAEMON_CLASS.search(cmd) and "org.apache.spark.launcher.Main" not in cmd:
            out.append(int(p.split("/")[2]))
    return sorted(out)


class Usage(Exception):
    """Bad usage: exit status 2."""


def main():
    ap = argparse.ArgumentParser(
        prog="spark/tools/standalone_cluster.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = ap.add_subparsers(dest="cmd", required=True)
    u = sub.add_parser("up", help="start a master and N workers (or print the URL of the running one)")
    u.add_argument("--workers", type=int, default=None, help="number of workers (default 2)")
    u.add_argument("--cores", type=int, default=None, help="cores each worker offers (default 1)")
    u.add_argument("--memory", default=None, help="memory each worker offers, e.g. 2g (default: 1g per core)")
    u.add_argument(
        "--port", type=int, default=None, help="master port (default 7077, or a free one when taken)"
    )
    u.add_argument(
        "--webui-port",
        type=int,
        default=None,
        help="master web UI port (default 8080, or a free one when taken)",
    )
    u.add_argument(
        "--timeout",
        type=int,
        default=120,
        help="seconds to wait for the master and the workers (default 120)",
    )
    sub.add_parser("status", help="print the master, its workers and its URL")
    sub.add_parser("down", help="stop the master, the workers and their executors")
    a = ap.parse_args()
    try:
        if a.cmd == "up":
            a.workers_given = a.workers is not None
            a.workers = 2 if a.workers is None else a.workers
            up(a)
        elif a.cmd == "status":
            status(a)
        else:
            down(a)
    except Usage as e:
        ap.print_usage(sys.stderr)
        note(str(e))
        sys.exit(2)
    except Failure as e:
        note(str(e))
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
