#!/usr/bin/env python3
"""Summarises bench/platforms.sh's raw figures: one markdown table, and the two-platform cost against one.

Usage: platforms.py RAW_JSONL OUT_JSON
"""

import json
import sys


def main(raw_path, out_path):
    figures = {}
    with open(raw_path) as raw:
        for line in raw:
            row = json.loads(line)
            figures.setdefault(row["mode"], {}).setdefault(row["platforms"], {})[row["metric"]] = row["value"]

    one, two = "linux-x64", "linux-x64;linux-arm64"
    print("| Figure | Dockerfile, x64 | Dockerfile, x64+arm64 | Daemonless, x64 | Daemonless, x64+arm64 |")
    print("| --- | --- | --- | --- | --- |")
    metrics = sorted({m for modes in figures.values() for platforms in modes.values() for m in platforms})
    for metric in metrics:
        cells = [figures.get(mode, {}).get(p, {}).get(metric) for mode in ("dockerfile", "daemonless") for p in (one, two)]
        print(f"| {metric} | " + " | ".join("—" if c is None else str(c) for c in cells) + " |")

    ratios = {mode: round(platforms[two]["cold_publish_s"] / platforms[one]["cold_publish_s"], 2)
              for mode, platforms in figures.items() if one in platforms and two in platforms}
    print("\nTwo platforms cost, in cold publish time, " + ", ".join(f"{r}x one platform ({m})" for m, r in ratios.items()) + ".")
    with open(out_path, "w") as out:
        json.dump({"figures": figures, "two_vs_one_cold_publish": ratios}, out, indent=2, sort_keys=True)
        out.write("\n")


if __name__ == "__main__":
    main(*sys.argv[1:])
