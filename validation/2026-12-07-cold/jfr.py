#!/usr/bin/env python3
"""Where a JVM's Java CPU went, from a Java Flight Recorder recording (JDK 17's `jfr` tool).

For each recording: its execution samples (threads running Java code, every 10 ms with JFR's
`profile` settings) by thread kind (tasks: Spark's "Executor task launch worker" threads), the task
threads' samples by what is on their stack (Spark's task code, code generation, broadcasts, class
loading, ...), how the sampled top frames ran (interpreted, JIT compiled, inlined), and the JVM's
compiler statistics at the end (methods compiled, time spent compiling).

Usage: validation/2026-12-07-cold/jfr.py RECORDING.jfr [...]
A recording: --conf spark.driver.extraJavaOptions=-XX:StartFlightRecording=filename=DIR/,settings=profile,
dumponexit=true (and spark.executor.extraJavaOptions the same) on spark/pipelines.py.
"""

import collections
import json
import re
import subprocess
import sys

# What a task thread's stack shows, by the first of these found in a frame's class and method.
MARKS = [
    ("code generation (Janino)", ("CodeGenerator", "janino")),
    ("broadcast fetch", ("TorrentBroadcast.readBroadcastBlock",)),
    ("class loading", ("ClassLoader.loadClass",)),
    ("Java deserialization", ("ObjectInputStream.readObject",)),
    ("generated code running", ("GeneratedClass",)),
    ("cached blocks (MemoryStore)", ("MemoryStore",)),
    ("MLlib", ("org/apache/spark/ml", "org.apache.spark.ml")),
]


def samples(path):
    """(thread name, [class.method of each frame, top first], top frame's type) of each sample."""
    out = subprocess.run(
        ["jfr", "print", "--json", "--stack-depth", "80", "--events", "jdk.ExecutionSample", path],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for e in json.loads(out)["recording"]["events"]:
        v = e["values"]
        thread = (v.get("sampledThread") or {}).get("javaName") or "?"
        frames = (v.get("stackTrace") or {}).get("frames", [])
        names = [f["method"]["type"]["name"] + "." + f["method"]["name"] for f in frames]
        yield thread, names, frames[0]["type"] if frames else "none"


def kind(thread):
    """A thread's kind: its name without numbers, the tasks' threads as "tasks"."""
    if thread.startswith("Executor task launch"):
        return "tasks"
    return re.sub(r"[-\d ]+$", "", thread)[:40]


def compiler_statistics(path):
    """The last jdk.CompilerStatistics event's compileCount and totalTimeSpent, as printed."""
    out = subprocess.run(
        ["jfr", "print", "--events", "jdk.CompilerStatistics", path],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    last = {}
    for line in out.splitlines():
        m = re.match(r"\s*(compileCount|totalTimeSpent)\s*=\s*(.+)", line)
        if m:
            last[m.group(1)] = m.group(2).strip()
    return last


def summarize(path):
    threads, marks, types = (
        collections.Counter(),
        collections.Counter(),
        collections.defaultdict(collections.Counter),
    )
    tasks = 0
    for thread, names, top in samples(path):
        k = kind(thread)
        threads[k] += 1
        types["tasks" if k == "tasks" else "other threads"][top] += 1
        if k != "tasks":
            continue
        tasks += 1
        for label, keys in MARKS:
            if any(key in n for n in names for key in keys):
                marks[label] += 1
    print("== %s" % path)
    print("  samples by thread kind: %s" % ", ".join("%s %d" % kv for kv in threads.most_common(10)))
    for who, c in sorted(types.items()):
        n = sum(c.values())
        print(
            "  %s' top frames (%d): %s"
            % (who, n, ", ".join("%s %.0f%%" % (t, 100 * x / n) for t, x in c.most_common()))
        )
    if tasks:
        print("  task samples with, on the stack: %s" % ", ".join("%s %d" % kv for kv in marks.most_common()))
    st = compiler_statistics(path)
    print(
        "  compiled: %s methods, %s compiling" % (st.get("compileCount", "?"), st.get("totalTimeSpent", "?"))
    )


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for path in sys.argv[1:]:
        summarize(path)


if __name__ == "__main__":
    main()
