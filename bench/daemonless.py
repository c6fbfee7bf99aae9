#!/usr/bin/env python3
"""Summarises bench/daemonless.sh's raw figures: a markdown table per sample and the issue's targets, checked.

Usage: daemonless.py RAW_JSONL OUT_JSON
Targets (issue #15): warm source-only publish within 0.3 s of a plain `dotnet build` of the same project; cold
publish at most 0.5x the Dockerfile mode's; image no bigger than the Dockerfile mode's minus its bytecode.
"""

import json
import statistics
import sys


def load(path):
    figures = {}
    with open(path) as raw:
        for line in raw:
            row = json.loads(line)
            figures.setdefault(row["sample"], {}).setdefault(row["kind"], {})[row["metric"]] = row["value"]
    return figures


def first_answer(kind):
    values = [v for k, v in kind.items() if k.startswith("first_answer_")]
    return statistics.median(values) if values else None


def fmt(value, unit):
    return "—" if value is None else f"{value:.2f} {unit}" if unit == "s" else f"{value:.1f} {unit}"


def summarise(sample, kinds):
    dl, df, base = kinds.get("daemonless", {}), kinds.get("dockerfile", {}), kinds.get("baseline", {})
    rows = [
        ("Image size", "size_mb", "MB"),
        ("  of which .pyc (in /opt/venv, /app)", "pyc_mb", "MB"),
        ("Cold publish", "cold_publish_s", "s"),
        ("Warm publish after a source edit", "warm_source_publish_s", "s"),
        ("No-op publish", "noop_publish_s", "s"),
        ("Plain `dotnet build`", "plain_build_s", "s"),
    ]
    print(f"\n### {sample}\n")
    print("| Figure | Daemonless | Dockerfile mode | Hand-written baseline |")
    print("| --- | --- | --- | --- |")
    for label, metric, unit in rows:
        baseline = base.get("cold_build_s" if metric == "cold_publish_s" else metric)
        print(f"| {label} | {fmt(dl.get(metric), unit)} | {fmt(df.get(metric), unit)} | {fmt(baseline, unit)} |")
    print(f"| First answer after `docker run` (median of 3) | {fmt(first_answer(dl), 's')} | {fmt(first_answer(df), 's')} | — |")

    targets = {
        "warm_source_publish_minus_plain_build_s": dl["warm_source_publish_s"] - dl["plain_build_s"],
        "cold_publish_ratio": dl["cold_publish_s"] / df["cold_publish_s"],
        "size_minus_dockerfile_without_pyc_mb": dl["size_mb"] - (df["size_mb"] - df["pyc_mb"]),
        "startup_cost_without_bytecode_s": (first_answer(dl) or 0) - (first_answer(df) or 0),
    }
    checks = {
        "warm source-only publish within 0.3 s of a plain build": targets["warm_source_publish_minus_plain_build_s"] <= 0.3,
        "cold publish at most 0.5x the Dockerfile mode's": targets["cold_publish_ratio"] <= 0.5,
        "image no bigger than the Dockerfile mode's minus its bytecode": targets["size_minus_dockerfile_without_pyc_mb"] <= 0.05,
    }
    print()
    print(f"- warm source-only publish minus plain build: {targets['warm_source_publish_minus_plain_build_s']:+.2f} s")
    print(f"- cold publish, daemonless / Dockerfile mode: {targets['cold_publish_ratio']:.2f}x")
    print(f"- size minus (Dockerfile mode's size minus its .pyc): {targets['size_minus_dockerfile_without_pyc_mb']:+.1f} MB")
    print(f"- start-up cost without bytecode (first answer, daemonless minus Dockerfile mode): {targets['startup_cost_without_bytecode_s']:+.2f} s")
    for name, met in checks.items():
        print(f"- target {'met' if met else 'MISSED'}: {name}")
    return {"figures": kinds, "targets": targets, "checks": checks}


def main(argv):
    figures = load(argv[1])
    summary = {sample: summarise(sample, kinds) for sample, kinds in figures.items()}
    with open(argv[2], "w") as out:
        json.dump(summary, out, indent=2, sort_keys=True)
        out.write("\n")


if __name__ == "__main__":
    main(sys.argv)
