"""The CPU a tuning used, read from /proc around it: what `simulate whatif` uses over what it infers
from the event log (the JVM's JIT compilers, garbage collector, query planning and py4j do not show
in a log).

    with tunesim.measure(spark):
        model = cv.fit(df)

measures the driver's JVM (its pid from the JVM itself), this Python process, the host's busy time
and its cores over the block (and, on a cluster whose executors share this host, their JVMs), each
JVM's CPU by kind of thread (JIT compilers, GC, task threads, scheduler, the rest), and writes them as JSON to
<spark.eventLog.dir>/.tunesim/<application id>.cpu.json, where whatif finds them beside the log (a
hidden folder: Spark's history server does not read it as a log). On a machine without /proc
(macOS, Windows) it measures nothing and says so once.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
import warnings
from types import TracebackType
from typing import Any

from .eventlog import local_dir, sanitize

PROC = "/proc"


def _ticks() -> int:
    return os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def process_cpu_s(pid: int, proc: str = PROC) -> float:
    """User plus system CPU seconds of process pid (all its threads), from /proc/PID/stat."""
    with open(os.path.join(proc, str(pid), "stat")) as f:
        stat = f.read()
    # The command name, field 2, is in parentheses and may hold spaces: split after its end.
    fields = stat[stat.rindex(")") + 2 :].split()
    utime, stime = int(fields[11]), int(fields[12])  # fields 14 and 15 of stat(5)
    return (utime + stime) / _ticks()


def host_busy_s(proc: str = PROC) -> tuple[float, int]:
    """The seconds all the host's CPUs were busy since boot (not idle, not waiting on I/O), and its
    CPUs, from /proc/stat."""
    cores = 0
    busy = 0.0
    with open(os.path.join(proc, "stat")) as f:
        for line in f:
            parts = line.split()
            if parts and parts[0] == "cpu":
                vals = [int(v) for v in parts[1:]]
                idle = vals[3] + (vals[4] if len(vals) > 4 else 0)
                # guest time is counted in user already (fields 9 and 10 of /proc/stat's cpu line)
                busy = (sum(vals[:8]) - idle) / _ticks()
            elif parts and parts[0].startswith("cpu"):
                cores += 1
    return busy, cores


def jvm_pid(spark: Any) -> int | None:
    """The pid of the driver's JVM of a SparkSession or SparkContext, or None when it cannot tell."""
    sc = getattr(spark, "sparkContext", spark)
    try:
        return int(sc._jvm.java.lang.ProcessHandle.current().pid())
    except Exception:  # noqa: BLE001 - not a py4j-backed context (e.g. Spark Connect): no JVM here
        return None


# The kinds of a HotSpot JVM's threads, by the start of their names as /proc shows them (the first
# 15 bytes): what the CPU the event log does not show was spent on.
THREAD_KINDS = (
    ("jit", ("C1 CompilerThre", "C2 CompilerThre", "C1 CompilerThread", "C2 CompilerThread")),
    ("gc", ("GC Thread", "G1 ", "VM Thread", "VM Periodic")),
    ("tasks", ("Executor task l",)),
    ("scheduler", ("dag-scheduler", "task-result-get", "dispatcher-", "spark-listener", "shuffle-")),
)


def thread_kind(name: str) -> str:
    """The kind of a JVM thread by its name: jit, gc, tasks, scheduler or other (the driver's py4j
    threads, which plan and submit the jobs, among them)."""
    for kind, prefixes in THREAD_KINDS:
        if name.startswith(prefixes):
            return kind
    return "other"


def threads_cpu_s(pid: int, proc: str = PROC) -> dict[int, tuple[str, float]]:
    """Thread id -> (name, user plus system CPU seconds) of each live thread of process pid, from
    /proc/PID/task; threads that end between two reads lose their CPU to no kind (see figures)."""
    out: dict[int, tuple[str, float]] = {}
    base = os.path.join(proc, str(pid), "task")
    try:
        tids = os.listdir(base)
    except OSError:
        return out
    for tid in tids:
        try:
            with open(os.path.join(base, tid, "comm")) as f:
                name = f.read().strip()
            out[int(tid)] = (name, process_cpu_s(int(tid), base))
        except (OSError, ValueError):
            continue  # the thread ended while being read
    return out


EXECUTOR_MAIN = b"org.apache.spark.executor.CoarseGrainedExecutorBackend"


def executor_pids(app_id: str, proc: str = PROC) -> list[int]:
    """The executor JVMs of application app_id that run on this host (a standalone or other
    cluster's CoarseGrainedExecutorBackend whose command line names the application), from
    /proc/PID/cmdline; none in local mode, where the executors are threads of the driver's JVM."""
    if not app_id:
        return []
    try:
        pids = sorted(int(p) for p in os.listdir(proc) if p.isdigit())
    except OSError:
        return []
    out = []
    for pid in pids:
        try:
            with open(os.path.join(proc, str(pid), "cmdline"), "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            continue  # the process ended while being read
        if EXECUTOR_MAIN in argv and app_id.encode() in argv:
            out.append(pid)
    return out


class JVMSnapshot:
    """One JVM's CPU and its live threads' at one moment."""

    def __init__(self, pid: int, proc: str = PROC) -> None:
        self.cpu = process_cpu_s(pid, proc)
        self.threads = threads_cpu_s(pid, proc)


class Snapshot:
    """The CPU counters at one moment: the host's, this Python's, the driver's JVM's and (given
    the application's id) its executor JVMs' on this host."""

    def __init__(self, jvm: int | None, proc: str = PROC, app_id: str = "") -> None:
        self.wall = time.time()
        self.python = process_cpu_s(os.getpid(), proc)
        self.jvm = process_cpu_s(jvm, proc) if jvm is not None else 0.0
        self.threads = threads_cpu_s(jvm, proc) if jvm is not None else {}
        self.executors: dict[int, JVMSnapshot] = {}
        for pid in executor_pids(app_id, proc):
            try:
                self.executors[pid] = JVMSnapshot(pid, proc)
            except OSError:
                continue  # the executor ended while being read
        self.busy, self.cores = host_busy_s(proc)


def kinds_between(
    kinds: dict[str, float], jvm0: float, threads0: dict, jvm1: float, threads1: dict
) -> dict[str, float]:
    """Adds one JVM's CPU between two reads to kinds, by kind of thread (see thread_kind); "ended"
    is what threads that ended in between used (the JVM's total less its live threads')."""
    live = 0.0
    for tid, (name, cpu) in threads1.items():
        _, was = threads0.get(tid, (name, 0.0))
        k = thread_kind(name)
        kinds[k] = kinds.get(k, 0.0) + cpu - was
        live += cpu - was
    kinds["ended"] = kinds.get("ended", 0.0) + max(jvm1 - jvm0 - live, 0.0)
    return kinds


def by_kind(before: Snapshot, after: Snapshot) -> dict[str, float]:
    """The driver JVM's CPU between two snapshots by kind of thread (see kinds_between)."""
    kinds = kinds_between({}, before.jvm, before.threads, after.jvm, after.threads)
    return {k: round(v, 3) for k, v in sorted(kinds.items())}


def executors_by_kind(before: Snapshot, after: Snapshot) -> tuple[int, float, dict[str, float]]:
    """The executor JVMs on this host that ran through both snapshots: how many, their CPU between
    them, and that CPU by kind of thread (summed over the JVMs; see kinds_between)."""
    kinds: dict[str, float] = {}
    n, total = 0, 0.0
    for pid, a in after.executors.items():
        b = before.executors.get(pid)
        if b is None:
            continue  # started during the block (a lost executor's replacement): not measured whole
        n += 1
        total += a.cpu - b.cpu
        kinds_between(kinds, b.cpu, b.threads, a.cpu, a.threads)
    return n, round(total, 3), {k: round(v, 3) for k, v in sorted(kinds.items())}


def figures(before: Snapshot, after: Snapshot, app_id: str) -> dict[str, Any]:
    """The measurement between two snapshots, as whatif reads it."""
    jvm, py = after.jvm - before.jvm, after.python - before.python
    out: dict[str, Any] = {
        "app_id": app_id,
        "app_cpu_s": round(jvm + py, 3),
        "driver_jvm_cpu_s": round(jvm, 3),
        "python_cpu_s": round(py, 3),
        "host_busy_s": round(after.busy - before.busy, 3),
        "cores": after.cores,
        "wall_s": round(after.wall - before.wall, 3),
        "driver_jvm_threads_cpu_s": by_kind(before, after) if after.threads else {},
    }
    n, total, kinds = executors_by_kind(before, after)
    if n:
        # A cluster's executor JVMs on this host (none in local mode): their CPU, by kind of thread.
        out.update(executor_jvms=n, executor_jvms_cpu_s=total, executor_jvm_threads_cpu_s=kinds)
    return out


def path_for(directory: str, app_id: str) -> str:
    """Where the measurement of application app_id goes, its event logs being in directory."""
    return os.path.join(directory, ".tunesim", sanitize(app_id) + ".cpu.json")


def write_atomic(path: str, doc: dict[str, Any]) -> None:
    """Writes doc as JSON to path through a temporary file and a rename."""
    d = os.path.dirname(path)
    os.makedirs(d, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".cpu-", dir=d)
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(doc, f, indent=1)
            f.write("\n")
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


class measure:  # noqa: N801 - used as a function: `with tunesim.measure(spark):`
    """A block whose CPU is measured and left beside the session's event log (see the module)."""

    def __init__(self, spark: Any, proc: str = PROC) -> None:
        self.sc = getattr(spark, "sparkContext", spark)
        self.proc = proc
        self.result: dict[str, Any] | None = None
        self.path: str | None = None
        self._before: Snapshot | None = None

    def __enter__(self) -> measure:
        if not os.path.exists(os.path.join(self.proc, "stat")):
            warnings.warn(
                "tunesim.measure: no /proc on this machine; whatif will infer the CPU from the log",
                stacklevel=2,
            )
            return self
        self._pid = jvm_pid(self.sc)
        self._before = Snapshot(self._pid, self.proc, self.sc.applicationId)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._before is None or kind is not None:
            return
        after = Snapshot(self._pid, self.proc, self.sc.applicationId)
        self.result = figures(self._before, after, self.sc.applicationId)
        conf = self.sc.getConf()
        directory = local_dir(conf.get("spark.eventLog.dir", None))
        self.path = path_for(directory, self.sc.applicationId)
        write_atomic(self.path, self.result)
