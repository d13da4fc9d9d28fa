"""Speedup errors and recommendation counts of the campaigns evalall.sh re-predicted into DIR.

Usage: python3 agg.py DIR (each DIR/<campaign>/table.json as validate_pipelines.py writes it).
A campaign is warm when its name says so, standalone when it names sa12, sa21 or sa22.
"""

import json
import os
import statistics as st
import sys


def kind(name: str) -> str:
    if "warm" in name:
        return "warm"
    if any(s in name for s in ("sa12", "sa21", "sa22")):
        return "sa"
    return "fresh"


def main(out: str) -> None:
    groups: dict[str, list] = {}
    for n in sorted(os.listdir(out)):
        p = os.path.join(out, n, "table.json")
        if not os.path.exists(p):
            continue
        with open(p) as f:
            d = json.load(f)
        errs = [
            r["speedup_error_signed_pct"]
            for r in d["rows"]
            if r["parallelism"] > 1 and r.get("speedup_error_signed_pct") is not None
        ]
        s = d["summary"]
        for g in (kind(n), "all"):
            e = groups.setdefault(g, [[], 0, 0])
            e[0].extend(errs)
            e[1] += s["recommendation_holds"]
            e[2] += s["recommendations"]
        print(
            "%-34s n=%2d med %5.1f mean %+5.1f max %5.1f rec %d/%d"
            % (
                n,
                len(errs),
                st.median(map(abs, errs)),
                st.mean(errs),
                max(map(abs, errs)),
                s["recommendation_holds"],
                s["recommendations"],
            )
        )
    for k, (e, h, r) in groups.items():
        print(
            "== %-6s n=%3d med %5.2f mean %+5.2f max %5.1f rec %d/%d"
            % (k, len(e), st.median(map(abs, e)), st.mean(e), max(map(abs, e)), h, r)
        )


if __name__ == "__main__":
    main(sys.argv[1])
