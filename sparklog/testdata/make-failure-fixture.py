"""Makes sparklog/testdata/failures/app-*: a real Spark event log with failures.

    spark/.venv/bin/python sparklog/testdata/make-failure-fixture.py OUTDIR

runs a local-cluster[2,1,1024] application (two executor JVMs of one core each; a standalone
Master and Worker in the driver's JVM) with three jobs: a task that fails on its first attempt
and succeeds on its retry; a slow task with speculation on (local-cluster's executors share one
host, and Spark never runs a speculative copy on the host of the original, so no copy runs); and
a map stage and a reduce stage each of whose tasks kills its own executor's JVM once (SIGKILL):
ExecutorLostFailure, SparkListenerExecutorRemoved, the lost map output Resubmitted, replacement
executors added by the Worker, FetchFailed in the reduce stage and both stages retried. It writes
OUTDIR/fixtures/<app id>, Spark's log with the EnvironmentUpdate's property maps cut to three
entries each and its Spark Properties to the master, the application and the settings the
run turned (task retries, speculation, executors, event log).
"""

import json
import os
import signal
import sys
import time

from pyspark import SparkConf, SparkContext, TaskContext

out = sys.argv[1]
KEPT = (
    "spark.master",
    "spark.app.",
    "spark.task.",
    "spark.speculation",
    "spark.executor.",
    "spark.eventLog.",
)
os.makedirs(out, exist_ok=True)
conf = (
    SparkConf()
    .setMaster("local-cluster[2,1,1024]")
    .setAppName("tunesim failures")
    .set("spark.eventLog.enabled", "true")
    .set("spark.eventLog.dir", "file://" + out)
    .set("spark.eventLog.compress", "false")
    .set("spark.ui.enabled", "false")
    .set("spark.eventLog.rolling.enabled", "false")
    .set("spark.speculation.efficiency.enabled", "false")
    .set("spark.task.maxFailures", "4")
    .set("spark.speculation", "true")
    .set("spark.speculation.interval", "100ms")
    .set("spark.speculation.multiplier", "1.5")
    .set("spark.speculation.quantile", "0.5")
    .set("spark.speculation.minTaskRuntime", "200ms")
    .set("spark.executor.memory", "512m")
    .set("spark.python.worker.reuse", "true")
)
marks = os.path.join(out, "marks")
os.makedirs(marks, exist_ok=True)
sc = SparkContext(conf=conf)
sc.setLogLevel("ERROR")


def fail_first(x):
    tc = TaskContext.get()
    if tc.partitionId() == 1 and tc.attemptNumber() == 0:
        raise RuntimeError("boom on the first attempt")
    return x


def slow_original(x):
    tc = TaskContext.get()
    if tc.partitionId() == 3 and tc.attemptNumber() == 0:
        time.sleep(20)
    else:
        time.sleep(0.3)
    return x


def once(name):
    """True the first time any task asks for name (a marker file claimed atomically)."""
    try:
        os.close(os.open(os.path.join(marks, name), os.O_CREAT | os.O_EXCL))
        return True
    except FileExistsError:
        return False


def executor_pid():
    pid = os.getpid()
    for _ in range(6):
        with open("/proc/%d/stat" % pid) as f:
            pid = int(f.read().rsplit(")", 1)[1].split()[1])
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            if b"CoarseGrainedExecutorBackend" in f.read():
                return pid
    return None


def kill_mid_map(x):
    tc = TaskContext.get()
    p = tc.partitionId()
    if p == 2:
        time.sleep(3)
    elif p == 3 and once("map"):
        time.sleep(0.5)
        os.kill(executor_pid(), signal.SIGKILL)
    else:
        time.sleep(0.2)
    return (x % 2, x)


def kill_mid_reduce(kv):
    tc = TaskContext.get()
    if tc.partitionId() == 0 and once("reduce"):
        time.sleep(0.5)
        os.kill(executor_pid(), signal.SIGKILL)
    time.sleep(0.5)
    return kv


sc.setJobGroup("retry", "a failed attempt, then its retry")
print(sc.parallelize(range(4), 4).map(fail_first).sum())
sc.setJobGroup("speculation", "a slow task and its speculative copy")
print(sc.parallelize(range(4), 4).map(slow_original).sum())
sc.setJobGroup("lost", "executors lost in a map and a reduce stage")
print(
    sorted(
        sc.parallelize(range(8), 4)
        .map(kill_mid_map)
        .reduceByKey(lambda a, b: a + b, 2)
        .map(kill_mid_reduce)
        .collect()
    )
)
appid = sc.applicationId
sc.stop()
fix = os.path.join(out, "fixtures")
os.makedirs(fix, exist_ok=True)
with open(os.path.join(out, appid)) as src, open(os.path.join(fix, appid), "w") as dst:
    for line in src:
        ev = json.loads(line)
        if ev["Event"] == "SparkListenerEnvironmentUpdate":
            for k in (
                "JVM Information",
                "Hadoop Properties",
                "System Properties",
                "Metrics Properties",
                "Classpath Entries",
            ):
                if k in ev:
                    ev[k] = dict(list(ev[k].items())[:3])
            ev["Spark Properties"] = {k: v for k, v in ev["Spark Properties"].items() if k.startswith(KEPT)}
            line = json.dumps(ev, separators=(",", ":"), ensure_ascii=False) + "\n"
        dst.write(line)
print(appid)
