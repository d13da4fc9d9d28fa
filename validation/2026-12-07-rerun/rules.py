#!/usr/bin/env python3
"""How often each way of choosing among whatif's predictions holds, over re-predicted campaigns.

For every DIR/<campaign>/ that validate_pipelines.py analysed (table.json with each case's predicted
makespans, results.json with its runs): each rule's choice from the predicted makespans, judged as
validate_pipelines.py judges whatif's own recommendation (judge: the runs' medians, the runs from the
param maps on pooled; held when within 5% of the real best). "largest tie" is whatif's rule
(whatif.Recommend: the largest parallelism, up to the param maps, predicted within 3% of the fastest).

Usage: validation/2026-12-07-rerun/rules.py DIR ...
"""

import json
import os
import re
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "spark", "tools"))

import validate_pipelines as vp  # noqa: E402  (the judge of the campaigns: one home)


def ties(pred, slack, maps):
    """Parallelisms predicted within slack of the fastest, up to maps when any is (whatif.Ties)."""
    best = min(pred.values())
    t = sorted(p for p, v in pred.items() if v <= best * (1 + slack))
    up = [p for p in t if not maps or p <= maps]
    return up or t


RULES = {
    "largest tie (whatif)": lambda pr, maps: ties(pr, 0.03, maps)[-1],
    "fastest prediction": lambda pr, maps: min(pr, key=pr.get),
    "largest tie at 1%": lambda pr, maps: ties(pr, 0.01, maps)[-1],
    "largest tie at 5%": lambda pr, maps: ties(pr, 0.05, maps)[-1],
    "middle tie, lower": lambda pr, maps: ties(pr, 0.03, maps)[(len(ties(pr, 0.03, maps)) - 1) // 2],
    "middle tie, upper": lambda pr, maps: ties(pr, 0.03, maps)[len(ties(pr, 0.03, maps)) // 2],
    "1 when a tie, else largest": lambda pr, maps: (
        1 if 1 in ties(pr, 0.03, maps) else ties(pr, 0.03, maps)[-1]
    ),
}


def cases(d):
    """(name, predicted makespan by parallelism, runs by parallelism, param maps) of campaign dir d."""
    with open(os.path.join(d, "table.json")) as f:
        t = json.load(f)
    with open(os.path.join(d, "results.json")) as f:
        runs = json.load(f)["runs"]
    pred = {}
    for r in t["rows"]:
        pred.setdefault(r["pipeline"], {})[r["parallelism"]] = r["predicted_makespan_s"]
    for name, pr in pred.items():
        found = t["found"].get(name, "")
        m = re.search(r"(\d+) param maps", found)
        maps = int(m.group(1)) if m else None
        # the table names a case "<pipeline> <partitions>p <kind>" (or the pipeline alone)
        pipeline = name.split(" ")[0]
        by = {}
        for r in runs:
            if r["pipeline"] == pipeline and not r.get("adaptive") and r["parallelism"] in pr:
                by.setdefault(r["parallelism"], []).append(r)
        if by:
            yield name, pr, by, maps


def main(dirs):
    held = {k: 0 for k in RULES}
    n = 0
    for top in dirs:
        for c in sorted(os.listdir(top)):
            d = os.path.join(top, c)
            if not os.path.exists(os.path.join(d, "table.json")):
                continue
            for _, pr, by, maps in cases(d):
                n += 1
                for k, rule in RULES.items():
                    _, ok = vp.judge(by, rule(pr, maps), maps)
                    held[k] += bool(ok)
    for k, h in held.items():
        print("%-28s %d of %d" % (k, h, n))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
