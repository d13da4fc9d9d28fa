#!/usr/bin/env python3
"""Writes pairs.json for spark/tools/local_to_cluster.py from this record's campaign (campaign.sh):
each pipeline's two local[2] serial logs (clusters/local/) against its runs on standalone 2 x 2
(clusters/sa22/) and 2 x 1 (clusters/sa21/), the cluster files the earlier records use.

Usage: validation/2026-12-08-heldout/mkpairs.py   (from anywhere)
"""

import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
CLUSTERS = {
    "sa22": "../2026-12-06-compilers/shared-2x2.json",
    "sa21": "../2026-12-06-compilers/shared-2x1.json",
}


def main():
    with open(os.path.join(HERE, "clusters", "local", "results.json")) as f:
        local = [r for r in json.load(f)["runs"] if r["parallelism"] == 1 and r.get("event_log")]
    pairs = []
    for r in local:
        for sa, cluster in CLUSTERS.items():
            runs = os.path.join("clusters", sa, "results.json")
            if not os.path.exists(os.path.join(HERE, runs)):
                continue
            pairs.append(
                {
                    "pipeline": r["pipeline"],
                    "cluster": cluster,
                    "local_log": os.path.join("clusters", "local", r["event_log"]),
                    "runs": runs,
                    "label": "%s (%s) %s" % (r["pipeline"], r["app_id"][-5:], sa),
                }
            )
    with open(os.path.join(HERE, "pairs.json"), "w") as f:
        json.dump({"pairs": pairs}, f, indent=1)
        f.write("\n")
    print("%d pairs" % len(pairs))


if __name__ == "__main__":
    main()
