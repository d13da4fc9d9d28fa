"""Speedup errors by round of a warm campaign: each round's serial run against its own parallel runs.

A warm campaign (spark/pipelines.py without --fresh) runs its parallelisms round after round in one
JVM; a JVM still warming makes each run faster than the one before, so where the serial run stands
in its round moves the speedup the round measures. This sets whatif's predicted speedups (a
validate_pipelines.py table.json) against each round's own, and says where the serial run stood.

Usage: python3 rounds.py RESULTS TABLE [RESULTS TABLE ...]
"""

import json
import statistics as st
import sys


def load(res: str, table: str) -> dict[int, list]:
    with open(res) as f:
        runs = json.load(f)["runs"]
    with open(table) as f:
        rows = json.load(f)["rows"]
    pred = {(r["pipeline"].split()[0], r["parallelism"]): r["predicted_speedup"] for r in rows}
    by: dict[str, list] = {}
    for r in runs:
        if not r.get("adaptive"):
            by.setdefault(r["pipeline"], []).append(r)
    out: dict[int, list] = {}
    for p, rs in by.items():
        ps = sorted({r["parallelism"] for r in rs})
        for k in range(0, len(rs), len(ps)):
            rd = rs[k : k + len(ps)]
            t = {r["parallelism"]: r["fit_s"] for r in rd}
            order = [r["parallelism"] for r in rd]
            for n in ps:
                if n == 1 or 1 not in t or n not in t or (p, n) not in pred:
                    continue
                err = 100 * (pred[(p, n)] / (t[1] / t[n]) - 1)
                out.setdefault(k // len(ps), []).append((p, n, order.index(1), err))
    return out


def main(args: list[str]) -> None:
    rounds: dict[int, list] = {}
    for res, table in zip(args[0::2], args[1::2]):
        for k, rows in load(res, table).items():
            rounds.setdefault(k, []).extend(rows)
    for k, rows in sorted(rounds.items()):
        e = [r[3] for r in rows]
        print(
            "round %d (serial run at position %s): n=%d median |err| %.1f mean %+.1f max %.1f"
            % (
                k + 1,
                sorted({r[2] for r in rows}),
                len(e),
                st.median(map(abs, e)),
                st.mean(e),
                max(map(abs, e)),
            )
        )


if __name__ == "__main__":
    main(sys.argv[1:])
