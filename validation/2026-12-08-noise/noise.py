#!/usr/bin/env python3
"""How often a recommendation can hold when it is judged against runs that vary: issue 21's judge
(validate_pipelines.judge: the recommended parallelism's runs within 5% of the real best) applied to
half of each case's runs at a time, for whatif's recommendation and for the runs' own best.

For every case of the re-predicted campaigns (DIR/<campaign>/table.json and results.json, as
validation/2026-12-07-rerun/allcampaigns.sh leaves them) with at least two runs at every
parallelism: the runs at each parallelism split into halves by their order (first, third, ... and
second, fourth, ...). Counted, over both halves of every case:

- whatif: its recommendation (whatif.Recommend's rule, rerun/rules.py) judged against one half;
- the runs' own best: the parallelism that was fastest in one half, judged against the other half
  (what a user who measured every parallelism once and kept the best would see the next time);

and, for reference, whatif judged against all the runs (the campaigns' own figure). A predictor
cannot hold against a half more often than the runs' best of the other half does, except by luck:
that count is the ceiling the runs' noise leaves.

Usage: validation/2026-12-08-noise/noise.py DIR ...
"""

import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "spark", "tools"))
sys.path.insert(0, os.path.join(ROOT, "validation", "2026-12-07-rerun"))
sys.path.insert(0, os.path.join(ROOT, "validation", "2026-12-07-warm"))

import validate_pipelines as vp  # noqa: E402  (the campaigns' judge: one home)
from agg import kind  # noqa: E402  (fresh, warm or standalone, as the campaigns' tables group them)
from rules import RULES, cases  # noqa: E402  (whatif's rule and the campaigns' cases: one home)

# Choices that need no prediction, beside the rules of rerun/rules.py: what a user might do without
# whatif (the predicted parallelisms are the case's: 1 up to the largest that ran).
NAIVE = {
    "always 1 (serial)": lambda pr, maps: 1,
    "always 2": lambda pr, maps: 2,
    "always the largest predicted, up to the param maps": lambda pr, maps: max(
        (p for p in pr if not maps or p <= maps), default=max(pr)
    ),
}


def halves(by):
    """The runs at each parallelism split by order into two halves; None unless each has two."""
    if any(len(rs) < 2 for rs in by.values()):
        return None
    return {p: rs[0::2] for p, rs in by.items()}, {p: rs[1::2] for p, rs in by.items()}


def main(dirs):
    n = {}
    skipped = 0
    count = {}  # (what, kind) -> held
    misses = []
    differs = []  # cases where whatif did not recommend the largest predicted parallelism

    def add(what, k, ok):
        for key in ((what, k), (what, "all")):
            count[key] = count.get(key, 0) + bool(ok)

    for top in dirs:
        for c in sorted(os.listdir(top)):
            d = os.path.join(top, c)
            if not os.path.exists(os.path.join(d, "table.json")):
                continue
            k = kind(c)
            for name, pr, by, maps in cases(d):
                split = halves(by)
                if split is None:
                    skipped += 1
                    continue
                n[k] = n.get(k, 0) + 1
                n["all"] = n.get("all", 0) + 1
                rec = RULES["largest tie (whatif)"](pr, maps)
                if rec != NAIVE["always the largest predicted, up to the param maps"](pr, maps):
                    differs.append((c, name))
                choices = list(RULES.items()) + list(NAIVE.items())
                for rule, choose in choices:
                    add((rule, "all runs"), k, vp.judge(by, choose(pr, maps), maps)[1])
                for judged, other in (split, split[::-1]):
                    for rule, choose in choices:
                        add((rule, "a half"), k, vp.judge(judged, choose(pr, maps), maps)[1])
                    best = vp.judge(other, None, maps)[0]
                    b = vp.judge(judged, best, maps)[1]
                    add(("the other half's fastest", "a half"), k, b)
                    w = vp.judge(judged, rec, maps)[1]
                    if not w or not b:
                        misses.append((c, name, rec, best, w, b))
    kinds = [k for k in ("fresh", "warm", "sa", "all") if k in n]
    print(
        "cases with two runs or more at every parallelism: %d (%d with fewer left out)" % (n["all"], skipped)
    )
    print("each choice judged against all of a case's runs, and against one half of them (each half in")
    print("turn: twice the cases); the other half's fastest is judged against a half only:")
    print()
    print("| choice | judged on | " + " | ".join("%s (%d cases)" % (k, n[k]) for k in kinds) + " |")
    print("|---|---|" + "---:|" * len(kinds))
    whats = [("the other half's fastest", "a half")]
    whats += [(r, j) for r in list(RULES) + list(NAIVE) for j in ("all runs", "a half")]
    for what in whats:
        per = [n[k] if what[1] == "all runs" else 2 * n[k] for k in kinds]
        cells = [
            "%d of %d (%.0f%%)" % (count.get((what, k), 0), m, 100.0 * count.get((what, k), 0) / m)
            for k, m in zip(kinds, per)
        ]
        print("| %s | %s | %s |" % (what[0], what[1], " | ".join(cells)))
    print()
    print(
        "whatif recommended other than the largest predicted parallelism (up to the param maps) "
        "in %d of %d: %s" % (len(differs), n["all"], "; ".join("%s %s" % d for d in differs) or "none")
    )
    print()
    print("Halves where whatif's recommendation or the other half's best missed:")
    print()
    print("| campaign | case | whatif | other half's best | whatif held | best held |")
    print("|---|---|---:|---:|---|---|")
    for c, name, rec, best, w, b in misses:
        print(
            "| %s | %s | %s | %s | %s | %s |"
            % (c, name, rec, best, "yes" if w else "no", "yes" if b else "no")
        )


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: noise.py DIR ...")
    main(sys.argv[1:])
