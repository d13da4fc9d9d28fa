#!/usr/bin/env python3
"""Writes pairs.json for spark/tools/local_to_cluster.py from a record's local-and-clusters campaign
(this record's campaign.sh, or another record's given as RECORD_DIR): each pipeline's two local[2]
serial logs (clusters/local/) against its runs on standalone 2 x 2 (clusters/sa22/) and 2 x 1
(clusters/sa21/), the cluster files the earlier records use.

Usage: validation/2026-12-08-heldout/mkpairs.py [RECORD_DIR]   (from anywhere; default: this record)
"""

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CLUSTERS = {
    "sa22": "../2026-12-06-compilers/shared-2x2.json",
    "sa21": "../2026-12-06-compilers/shared-2x1.json",
}


def main(here):
    with open(os.path.join(here, "clusters", "local", "results.json")) as f:
        local = [r for r in json.load(f)["runs"] if r["parallelism"] == 1 and r.get("event_log")]
    pairs = []
    for r in local:
        for sa, cluster in CLUSTERS.items():
            runs = os.path.join("clusters", sa, "results.json")
            if not os.path.exists(os.path.join(here, runs)):
                continue
            pairs.append(
                {
                    "pipeline": r["pipeline"],
                    "cluster": os.path.relpath(os.path.join(HERE, cluster), here),
                    "local_log": os.path.join("clusters", "local", r["event_log"]),
                    "runs": runs,
                    "label": "%s (%s) %s" % (r["pipeline"], r["app_id"][-5:], sa),
                }
            )
    with open(os.path.join(here, "pairs.json"), "w") as f:
        json.dump({"pairs": pairs}, f, indent=1)
        f.write("\n")
    print("%d pairs" % len(pairs))


if __name__ == "__main__":
    main(os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else HERE)
