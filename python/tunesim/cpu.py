"""The CPU a tuning used, read from /proc around it: what `simulate whatif` uses over what it infers
from the event log (the JVM's JIT compilers, garbage collector, query planning and py4j do not show
in a log).

    with tunesim.measure(spark):
        model = cv.fit(df)

measures the driver's JVM (its pid from the JVM itself), this Python process, the host's busy time
and its cores over the block, and writes them as JSON to
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


class Snapshot:
    """The CPU counters at one moment."""

    def __init__(self, jvm: int | None, proc: str = PROC) -> None:
        self.wall = time.time()
        self.python = process_cpu_s(os.getpid(), proc)
        self.jvm = process_cpu_s(jvm, proc) if jvm is not None else 0.0
        self.busy, self.cores = host_busy_s(proc)


def figures(before: Snapshot, after: Snapshot, app_id: str) -> dict[str, Any]:
    """The measurement between two snapshots, as whatif reads it."""
    jvm, py = after.jvm - before.jvm, after.python - before.python
    return {
        "app_id": app_id,
        "app_cpu_s": round(jvm + py, 3),
        "driver_jvm_cpu_s": round(jvm, 3),
        "python_cpu_s": round(py, 3),
        "host_busy_s": round(after.busy - before.busy, 3),
        "cores": after.cores,
        "wall_s": round(after.wall - before.wall, 3),
    }


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
        self._before = Snapshot(self._pid, self.proc)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._before is None or kind is not None:
            return
        after = Snapshot(self._pid, self.proc)
        self.result = figures(self._before, after, self.sc.applicationId)
        conf = self.sc.getConf()
        directory = local_dir(conf.get("spark.eventLog.dir", None))
        self.path = path_for(directory, self.sc.applicationId)
        write_atomic(self.path, self.result)
