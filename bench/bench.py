#!/usr/bin/env python3
"""Helpers for bench/run.sh: build-context bytes on the wire, image layers, task timings, and the final report.

  bench.py wire-bytes WIRE_LOG FROM_LINE KIND      bytes clients sent, from bench/wire.py's log (see wire_bytes)
  bench.py layers IMAGE DOCKER_ROOT                JSON: the image's layers with the instruction that made each
  bench.py same-dependency-layers BEFORE AFTER     compares the dependency layers of two `layers` outputs
  bench.py build-log LOG                           JSON: engine build seconds and our tasks' milliseconds
  bench.py report RAW_JSONL MACHINE_JSON OUT_JSON  prints the markdown report, writes OUT_JSON
"""
import json
import os
import re
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time

def wire_bytes(log_path, from_line, kind):
    """Sums what bench/wire.py logged after line FROM_LINE: the bodies of POST .../build requests (build-bodies),
    the largest one (build-largest), their number (build-count), or what clients sent over upgraded /session connections (session; waits up to
    10 s for the session's entry, written when the CLI closes it)."""
    deadline = time.time() + 10
    while True:
        with open(log_path) as f:
            entries = [json.loads(line) for line in f.read().splitlines()[int(from_line):] if line.strip()]
        builds = [e for e in entries if e["method"] == "POST" and e["path"].split("?")[0].endswith("/build")]
        sessions = [e for e in entries if e["path"].split("?")[0].endswith("/session")]
        if kind == "build-bodies":
            return sum(e["body_bytes"] for e in builds)
        if kind == "build-largest":
            return max((e["body_bytes"] for e in builds), default=0)
        if kind == "build-count":
            return len(builds)
        if sessions or time.time() > deadline:
            return sum(e.get("upgraded_bytes_sent", 0) for e in sessions)
        time.sleep(0.2)


def image_config(image, docker_root):
    """The image's config (history with empty_layer flags); read from the engine's image store when it is
    readable here, else from `docker save`."""
    image_id = subprocess.run(["docker", "image", "inspect", "-f", "{{.Id}}", image], check=True,
                              capture_output=True, text=True).stdout.strip()
    stored = os.path.join(docker_root, "image", "overlay2", "imagedb", "content", "sha256", image_id.split(":")[-1])
    if os.access(stored, os.R_OK):
        with open(stored) as f:
            return image_id, json.load(f)
    with tempfile.TemporaryDirectory() as scratch:
        archive = os.path.join(scratch, "image.tar")
        subprocess.run(["docker", "image", "save", "-o", archive, image], check=True)
        with tarfile.open(archive) as outer:
            manifest = json.load(outer.extractfile("manifest.json"))[0]
            return image_id, json.load(outer.extractfile(manifest["Config"]))


# What installs Python packages: a venv or wheels copied in, or a pip install.
DEPENDENCY_STEP = re.compile(r"/opt/venv|/wheels|pip[0-9.]* install|-m pip")
# ...except PyContainer's install of the app's own project alone (its /project-wheel, or the venv strategy's
# /opt/project copied into the venv): it holds the app's sources, so a source change re-runs it as it re-runs COPY app/.
PROJECT_STEP = re.compile(r"/project-wheel|/opt/project")


def layers(image, docker_root):
    image_id, config = image_config(image, docker_root)
    made_by = [h.get("created_by", "") for h in config.get("history", []) if not h.get("empty_layer")]
    diff_ids = config["rootfs"]["diff_ids"]
    if len(made_by) != len(diff_ids):
        made_by = [""] * len(diff_ids)
    return {"image_id": image_id, "layers": [
        {"diff_id": d, "created_by": c[:160], "dependency": bool(DEPENDENCY_STEP.search(c)) and not PROJECT_STEP.search(c)}
        for d, c in zip(diff_ids, made_by)]}


def same_dependency_layers(before, after):
    deps_before = [l["diff_id"] for l in before["layers"] if l["dependency"]]
    deps_after = [l["diff_id"] for l in after["layers"] if l["dependency"]]
    reused = sum(1 for d in deps_after if d in deps_before)
    changed = [l["created_by"] for l in after["layers"] if l["diff_id"] not in {x["diff_id"] for x in before["layers"]}]
    return {"dependency_layers": len(deps_after), "reused": reused,
            "identical": bool(deps_after) and deps_before == deps_after,
            "digests": [d[:19] for d in deps_after], "changed_layers": changed}


def build_log(path):
    text = open(path, errors="replace").read()
    engine = [float(s) for s in re.findall(r"Built sha256:[0-9a-f]+\b[^\n]*? in ([0-9.]+)s", text)]
    # The entry-point check builds its stage first, a build of its own.
    engine += [float(s) for s in re.findall(r"Checked the entry point: the \S+ stage took ([0-9.]+)s", text)]
    tasks = {name: int(ms) for ms, name in re.findall(
        r"^\s+(\d+) ms\s+(GenerateContainerContext|BuildContainerImage|PushContainerImage)\s", text, re.M)}
    return {"engine_s": sum(engine) if engine else 0.0, "built": " Built sha256:" in text,
            "up_to_date": " is up to date: no input changed" in text,
            "push_skipped": " is up to date in the registry" in text,
            "pushed": bool(re.search(r"^\s+Pushed ", text, re.M)), "task_ms": tasks}


# ------------------------------------------------------------------------------------------------- report

METRICS = [
    # key, label, unit, lower is better
    ("size_bytes", "Final image size", "MB", True),
    ("layers", "Layers", "", True),
    ("context_bytes", "Build context tar posted to /build (PyContainer) vs the docker CLI's tar mode", "KB", True),
    ("cold_s", "Cold build (empty cache)", "s", True),
    ("warm_source_s", "Warm rebuild, one-line source change", "s", True),
    ("warm_requirement_s", "Warm rebuild, requirement change", "s", True),
    ("push_s", "Push after a source-only change: `-t:ContainerPublish` wall vs `docker push`", "s", True),
    ("push_task_s", "Push after a source-only change: PushContainerImage task vs `docker push`", "s", True),
]


def fmt(value, unit):
    if unit == "MB":
        return f"{value / 1e6:.1f}"
    if unit == "KB":
        return f"{value / 1e3:.1f}"
    if unit == "s":
        return f"{value:.2f}" if value < 10 else f"{value:.1f}"
    return f"{value:g}"


def cell(values, unit):
    if not values:
        return "n/a"
    median = statistics.median(values)
    text = fmt(median, unit)
    if len(values) > 1 and min(values) != max(values):
        text += f" ({fmt(min(values), unit)}–{fmt(max(values), unit)})"
    return text


def report(raw_path, machine_path, out_path):
    rows = [json.loads(line) for line in open(raw_path) if line.strip()]
    machine = json.load(open(machine_path))
    failed = [r["sample"] for r in rows if r["metric"] == "failed"]
    samples = [s for s in dict.fromkeys(r["sample"] for r in rows) if s not in failed]
    summary = {"machine": machine, "samples": {}}

    def values(sample, kind, metric):
        return [r["value"] for r in rows if r["sample"] == sample and r["kind"] == kind and r["metric"] == metric]

    out = []
    for sample in samples:
        s = summary["samples"][sample] = {"metrics": {}, "checks": {}}
        out.append(f"### {sample}\n")
        out.append("| Measure | PyContainer | Baseline | PyContainer / baseline |")
        out.append("| --- | --- | --- | --- |")
        for key, label, unit, _ in METRICS:
            ours, theirs = values(sample, "pycontainer", key), values(sample, "baseline", key)
            ratio = statistics.median(ours) / statistics.median(theirs) if ours and theirs and statistics.median(theirs) else None
            s["metrics"][key] = {"pycontainer": stats(ours), "baseline": stats(theirs), "ratio": ratio}
            unit_label = f" ({unit})" if unit else ""
            out.append(f"| {label}{unit_label} | {cell(ours, unit)} | {cell(theirs, unit)} | "
                       f"{'**%.2fx**' % ratio if ratio is not None else 'n/a'} |")
        ours, theirs = values(sample, "pycontainer", "context_bytes"), values(sample, "baseline", "session_bytes")
        ratio = statistics.median(ours) / statistics.median(theirs) if ours and theirs else None
        s["metrics"]["context_vs_session_bytes"] = {"pycontainer": stats(ours), "baseline": stats(theirs), "ratio": ratio}
        out.append(f"| Context sent on a rebuild after a source edit: PyContainer's tar vs the CLI's BuildKit session (KB) | "
                   f"{cell(ours, 'KB')} | {cell(theirs, 'KB')} | {'%.2fx' % ratio if ratio is not None else 'n/a'} |")
        for phase, label in (("cold", "Cold build"), ("warm_source", "Warm rebuild, source change"),
                             ("warm_requirement", "Warm rebuild, requirement change")):
            ours, theirs = values(sample, "pycontainer", phase + "_engine_s"), values(sample, "baseline", phase + "_s")
            ratio = statistics.median(ours) / statistics.median(theirs) if ours and theirs else None
            s["metrics"][phase + "_engine_only"] = {"pycontainer": stats(ours), "baseline": stats(theirs), "ratio": ratio}
            out.append(f"| {label}, engine builds only (the task's \"Checked the entry point ... took\" + \"Built ... in\") vs `docker build` (s) | {cell(ours, 's')} | "
                       f"{cell(theirs, 's')} | {'%.2fx' % ratio if ratio is not None else 'n/a'} |")
        noop, plain = values(sample, "pycontainer", "noop_publish_s"), values(sample, "pycontainer", "plain_build_s")
        noop_ratio = statistics.median(noop) / statistics.median(plain) if noop and plain else None
        s["metrics"]["noop_publish_s"] = {"pycontainer": stats(noop), "plain_build": stats(plain), "ratio": noop_ratio}
        out.append(f"| No-op `-t:ContainerPublish` vs plain `dotnet build` (s) | {cell(noop, 's')} | {cell(plain, 's')} (plain build) | "
                   f"{'**%.2fx**' % noop_ratio if noop_ratio is not None else 'n/a'} |")
        out.append("")
        out.append("MSBuild overhead (PyContainer only; seconds, median and range):\n")
        out.append("| Build | `dotnet build` wall | engine builds (check stage + image) | wall − engine | our tasks − engine |")
        out.append("| --- | --- | --- | --- | --- |")
        for phase, label in (("cold", "Cold"), ("warm_source", "Warm, source change"),
                             ("warm_requirement", "Warm, requirement change"), ("push", "ContainerPublish (push only)"),
                             ("noop_publish", "No-op ContainerPublish")):
            wall = values(sample, "pycontainer", phase + "_s")
            engine = values(sample, "pycontainer", phase + "_engine_s")
            tasks = values(sample, "pycontainer", phase + "_tasks_s")
            overhead = [w - e for w, e in zip(wall, engine)]
            task_overhead = [t - e for t, e in zip(tasks, engine)]
            s["metrics"][phase + "_overhead_s"] = {"wall_minus_engine": stats(overhead), "tasks_minus_engine": stats(task_overhead)}
            out.append(f"| {label} | {cell(wall, 's')} | {cell(engine, 's')} | {cell(overhead, 's')} | "
                       f"{cell(task_overhead, 's') if tasks else 'n/a'} |")
        out.append("")
        checks = [r for r in rows if r["sample"] == sample and r["metric"].startswith("check_")]
        for name in dict.fromkeys(r["metric"] for r in checks):
            for kind in ("pycontainer", "baseline"):
                seen = [r for r in checks if r["metric"] == name and r["kind"] == kind]
                if seen:
                    s["checks"].setdefault(name, {})[kind] = [r["value"] for r in seen]
                    out.append(f"- {name[6:].replace('_', ' ')} ({kind}): " + "; ".join(describe(r["value"]) for r in seen))
        out.append("")
    if failed:
        out.append("Not measured (the build failed on this machine; see artifacts/bench/logs): " + ", ".join(failed) + "\n")
    out.append("#### Targets\n")
    for sample in samples:
        m, c = summary["samples"][sample]["metrics"], summary["samples"][sample]["checks"]
        out.extend(f"- {sample}: {line}" for line in targets(m, c))
    out.append("")
    out.append("Machine: " + ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in machine.items()))
    summary["markdown"] = "\n".join(out)
    with open(out_path, "w") as f:
        json.dump(summary, f, indent=2)
    print("\n".join(out))


def targets(metrics, checks):
    """The issue's targets, each with MET or MISSED and by how much."""
    def verdict(ok):
        return "MET" if ok else "MISSED"
    lines = []
    size = metrics["size_bytes"]
    if size["ratio"] is not None:
        ours, theirs = size["pycontainer"]["median"], size["baseline"]["median"]
        # As eng/sample-report.sh: sizes equal to the 0.1 MB printed are equal (two builds of one pex by pex
        # 1.5.3 differ by some hundred bytes, its bytecode holding the build time).
        same = f"{ours / 1e6:.1f}" == f"{theirs / 1e6:.1f}"
        detail = f"same size to 0.1 MB, {int(ours - theirs):+d} bytes" if same and ours > theirs else f"{size['ratio']:.2f}x"
        lines.append(f"final image size <= baseline: {verdict(ours <= theirs or same)} ({detail})")
    warm = metrics["warm_source_s"]["ratio"]
    reuse = checks.get("check_dependency_layers_after_source_change", {}).get("pycontainer", [])
    if reuse and all(r["dependency_layers"] == 0 for r in reuse):
        reused = "n/a (the image has no dependency layer: its runner copies one file)"
    else:
        reused_all = bool(reuse) and all(r["identical"] for r in reuse)
        reused = f"{verdict(reused_all)} ({'; '.join(describe(r) for r in reuse) or 'not measured'})"
    if warm is not None:
        lines.append(f"warm source-only rebuild <= 1.1x baseline: {verdict(warm <= 1.1)} ({warm:.2f}x); "
                     f"every dependency layer reused: {reused}")
    noop = metrics["noop_publish_s"]["ratio"]
    runs = checks.get("check_noop_publish", {}).get("pycontainer", [])
    no_build = bool(runs) and all(r["up_to_date_message"] and not r["engine_build"] and r["image_id_unchanged"]
                                  and r["engine_image_events"] == 0 for r in runs)
    if noop is not None:
        lines.append(f"no-op ContainerPublish runs no engine build: {verdict(no_build)} ({len(runs)} runs: 'is up to date' "
                     f"message, no 'Built', same image id, no engine image events); costs <= 1.5x a plain dotnet build: "
                     f"{verdict(noop <= 1.5)} ({noop:.2f}x)")
    return lines


def stats(values):
    if not values:
        return None
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values), "values": values}


def describe(value):
    if isinstance(value, dict) and "dependency_layers" in value:
        verdict = "identical" if value["identical"] else "CHANGED"
        return f"{value['reused']}/{value['dependency_layers']} dependency layers reused ({verdict} {', '.join(value['digests'])})"
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    return str(value)


def main(argv):
    command = argv[1]
    if command == "wire-bytes":
        print(wire_bytes(argv[2], argv[3], argv[4]))
    elif command == "layers":
        print(json.dumps(layers(argv[2], argv[3])))
    elif command == "same-dependency-layers":
        print(json.dumps(same_dependency_layers(json.loads(argv[2]), json.loads(argv[3]))))
    elif command == "build-log":
        print(json.dumps(build_log(argv[2])))
    elif command == "report":
        report(argv[2], argv[3], argv[4])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
