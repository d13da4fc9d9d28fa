#!/usr/bin/env python3
"""Samples, once a second, the CPU of every thread of the JVMs of a Spark application on this host
(the driver: SparkSubmit; executors: CoarseGrainedExecutorBackend) by kind of thread, from
/proc/PID/task/TID/stat (utime + stime) and the thread's name (comm), until --seconds pass or, once
a JVM was seen, no JVM is left. Writes JSON lines {"t": s, "ms": epoch ms, "jvm": "driver"|"executor
PID", "cpu": {kind: CPU s so far}} to --out, one per JVM per sample.

Kinds: "c2" (C2 CompilerThread), "c1" (C1 CompilerThread), "gc" (GC, G1, VM Periodic), "tasks"
(Executor task launch worker), "netty" (rpc, shuffle, dispatcher), "other".

With --summarize RESULTS.json (spark/pipelines.py's record of one run) it reads --out instead and
prints each JVM's CPU by kind over the run's tuner.fit, and its C2 compilers' cores by quarter of it.

Usage:
  validation/2026-12-07-executors/threads.py --out FILE [--seconds 600]
  validation/2026-12-07-executors/threads.py --out FILE --summarize RESULTS.json
"""

import argparse
import collections
import json
import os
import time

TICK = os.sysconf("SC_CLK_TCK")


def jvms():
    """{pid: "driver" | "executor PID"} of the Spark JVMs running here."""
    out = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                cmd = f.read().decode(errors="replace")
        except OSError:
            continue
        if "CoarseGrainedExecutorBackend" in cmd:
            out[int(pid)] = "executor %s" % pid
        elif "org.apache.spark.deploy.SparkSubmit" in cmd:
            out[int(pid)] = "driver"
    return out


def kind(name):
    n = name.lower()
    if n.startswith("c2 compilerthre"):
        return "c2"
    if n.startswith("c1 compilerthre"):
        return "c1"
    if n.startswith(("gc ", "g1 ", "vm periodic")):
        return "gc"
    if n.startswith("executor task"):  # "Executor task launch worker ...", cut to 15 characters
        return "tasks"
    if any(s in n for s in ("rpc", "netty", "shuffle", "dispatcher", "dag-scheduler")):
        return "netty"
    return "other"


def sample(pid):
    """{kind: CPU s} of pid's live threads."""
    cpu: dict[str, float] = {}
    try:
        tids = os.listdir("/proc/%d/task" % pid)
    except OSError:
        return None
    for tid in tids:
        try:
            with open("/proc/%d/task/%s/stat" % (pid, tid)) as f:
                stat = f.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        k = kind(name)
        cpu[k] = cpu.get(k, 0.0) + (int(fields[11]) + int(fields[12])) / TICK
    return cpu


def summarize(samples, results):
    with open(results) as f:
        r = json.load(f)["runs"][0]
    t0, t1 = r["fit_start_ms"], r["fit_end_ms"]
    by = collections.defaultdict(list)
    with open(samples) as f:
        for line in f:
            x = json.loads(line)
            by[x["jvm"]].append(x)
    print(
        "%s: tuner.fit %.1f s, application CPU %.1f s, host busy %.1f s"
        % (r["pipeline"], r["fit_s"], r["app_cpu_s"], r["host_busy_s"])
    )

    def at(xs, ms):
        return min(xs, key=lambda x: abs(x["ms"] - ms))

    for jvm, xs in sorted(by.items()):
        a, b = at(xs, t0), at(xs, t1)
        d = {k: b["cpu"].get(k, 0) - a["cpu"].get(k, 0) for k in set(a["cpu"]) | set(b["cpu"])}
        quarters = []
        for i in range(4):
            pa, pb = at(xs, t0 + (t1 - t0) * i / 4), at(xs, t0 + (t1 - t0) * (i + 1) / 4)
            dt = max((pb["ms"] - pa["ms"]) / 1000, 1e-9)
            quarters.append("%.2f" % ((pb["cpu"].get("c2", 0) - pa["cpu"].get("c2", 0)) / dt))
        kinds = " ".join("%s %.1f" % kv for kv in sorted(d.items(), key=lambda kv: -kv[1]))
        print(
            "  %s over %.1f s: %s; C2 cores by quarter %s"
            % (jvm, (b["ms"] - a["ms"]) / 1000, kinds, " ".join(quarters))
        )
    print("  (a thread that ended within the window drops out of its kind's total: negative figures)")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seconds", type=float, default=600)
    ap.add_argument("--summarize", metavar="RESULTS", help="summarize --out over this run's tuner.fit")
    a = ap.parse_args()
    if a.summarize:
        summarize(a.out, a.summarize)
        return
    t0, seen = time.time(), False
    with open(a.out, "w") as out:
        while time.time() - t0 < a.seconds:
            found = jvms()
            if found:
                seen = True
            elif seen:
                break
            for pid, label in sorted(found.items()):
                cpu = sample(pid)
                if cpu is not None:
                    out.write(
                        json.dumps(
                            {
                                "t": round(time.time() - t0, 2),
                                "ms": int(time.time() * 1000),
                                "jvm": label,
                                "cpu": cpu,
                            }
                        )
                        + "\n"
                    )
            out.flush()
            time.sleep(1)


if __name__ == "__main__":
    main()
