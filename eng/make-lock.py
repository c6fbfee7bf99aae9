#!/usr/bin/env python3
"""Writes a lock of a requirement set's closure from the offline index's files, for the daemonless mode's tests.

The closure is read from the wheels' own metadata (Requires-Dist, markers evaluated for the test images' targets:
CPython 3.11 on Linux x86_64 and aarch64, no extras; both must give the same closure); each package lists every
wheel the index holds of its version (a native one has a linux_x86_64 and a linux_aarch64 wheel, as PEP 751 and
pip-compile --generate-hashes list all files), hashed from the real files.

  eng/make-lock.py --format pylock  --out samples/flask-hello/pylock.toml flask gunicorn
  eng/make-lock.py --format requirements --out .../requirements.lock.txt decorator Flask ... Brotli gunicorn
  eng/make-lock.py --check FILE ...    exit 1 when FILE differs from what would be written (test-env.sh)

Only the standard library: the offline index exists where PyPI (and so `packaging`) may not.
"""
import argparse
import hashlib
import os
import re
import sys
import zipfile

TARGET = {
    "python_version": "3.11", "python_full_version": "3.11.2", "implementation_name": "cpython",
    "platform_python_implementation": "CPython", "sys_platform": "linux", "platform_system": "Linux",
    "os_name": "posix", "platform_machine": "x86_64", "extra": "",
}
MACHINES = ["x86_64", "aarch64"]
DEFAULT_FILES = "/var/lib/pycontainer-testenv/pypi/files"
DEFAULT_INDEX = "http://127.0.0.1:5080/simple/"


def normalize(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def version_key(text):
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"[.]", text))


def compare(left, op, right):
    if op in ("<", "<=", ">", ">=") or (op in ("==", "!=") and re.fullmatch(r"[\d.]+", left + right)):
        a, b = version_key(left), version_key(right)
    else:
        a, b = left, right
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b, "==": a == b, "!=": a != b,
            "in": left in right, "not in": left not in right}[op]


ATOM = re.compile(r"""\s*(?P<l>[a-z_]+|'[^']*'|"[^"]*")\s*(?P<op>==|!=|<=|>=|<|>|not in|in)\s*(?P<r>[a-z_]+|'[^']*'|"[^"]*")""")


def marker_true(marker, target):
    """PEP 508 markers of the form VAR OP "value" joined by and/or and parentheses, for `target`."""
    def value(token):
        return token[1:-1] if token[0] in "'\"" else target[token]
    expression, rest = "", marker
    while rest.strip():
        stripped = rest.lstrip()
        if stripped.startswith(("(", ")")):
            expression += " " + stripped[0] + " "
            rest = stripped[1:]
            continue
        word = re.match(r"(and|or)\b", stripped)
        if word:
            expression += " " + word.group(1) + " "
            rest = stripped[word.end():]
            continue
        atom = ATOM.match(rest)
        if not atom:
            raise SystemExit(f"make-lock: cannot read the marker {marker!r}")
        expression += str(compare(value(atom["l"]), atom["op"], value(atom["r"])))
        rest = rest[atom.end():]
    return eval(expression, {"__builtins__": {}}, {})  # only True/False/and/or/parentheses remain


def wheels_by_name(files):
    found = {}
    for name in sorted(os.listdir(files)):
        if name.endswith(".whl"):
            found.setdefault(normalize(name.split("-")[0]), []).append(os.path.join(files, name))
    return found


def metadata(wheel):
    with zipfile.ZipFile(wheel) as archive:
        path = next(n for n in archive.namelist() if re.fullmatch(r"[^/]+\.dist-info/METADATA", n))
        text = archive.read(path).decode("utf-8")
    headers = text.split("\n\n", 1)[0].splitlines()
    field = lambda key: [h.split(":", 1)[1].strip() for h in headers if h.lower().startswith(key.lower() + ":")]
    return field("Name")[0], field("Version")[0], field("Requires-Dist")


def closure(requirements, available, target):
    chosen, pending, via = {}, [(r, None) for r in requirements], {}
    while pending:
        requirement, parent = pending.pop(0)
        spec, _, marker = requirement.partition(";")
        if marker.strip() and not marker_true(marker.strip(), target):
            continue
        name = normalize(re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", spec).group(1))
        via.setdefault(name, set()).add(parent or "-r")
        if name in chosen:
            continue
        candidates = available.get(name)
        if not candidates:
            raise SystemExit(f"make-lock: the index has no wheel of {name} (wanted by {parent or 'the command line'})")
        display, version, requires = metadata(candidates[0])
        wheels = [w for w in candidates if os.path.basename(w).split("-")[1] == os.path.basename(candidates[0]).split("-")[1]]
        if len(wheels) != len(candidates):
            raise SystemExit(f"make-lock: the index holds several versions of {name}: {candidates}")
        chosen[name] = (display, version, wheels)
        pending.extend((r, name) for r in requires)
    return chosen, via


def machine_order(wheel):
    """The host's (x86_64) wheel first, then the others by name."""
    return (not os.path.basename(wheel).endswith("_x86_64.whl"), os.path.basename(wheel))


def closure_for_all(requirements, available):
    results = [closure(requirements, available, dict(TARGET, platform_machine=m)) for m in MACHINES]
    for machine, (chosen, _) in zip(MACHINES[1:], results[1:]):
        if chosen.keys() != results[0][0].keys():
            raise SystemExit(f"make-lock: the closure differs between {MACHINES[0]} and {machine}: "
                             f"{sorted(chosen.keys() ^ results[0][0].keys())} (this script writes no per-package markers)")
    chosen, via = results[0]
    return {k: (d, v, sorted(w, key=machine_order)) for k, (d, v, w) in chosen.items()}, via


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def pylock(chosen, index, requirements):
    lines = [
        "# Generated by eng/make-lock.py from the offline test index's files: " + " ".join(requirements),
        'lock-version = "1.0"',
        "environments = [" + ", ".join(f"\"sys_platform == 'linux' and platform_machine == '{m}' and python_version == '3.11'\""
                                       for m in MACHINES) + "]",
        'requires-python = "==3.11.*"',
        'created-by = "eng/make-lock.py"',
    ]
    files = index.rstrip("/").rsplit("/", 1)[0] + "/files/"
    for name in sorted(chosen):
        display, version, wheels = chosen[name]
        lines += ["", "[[packages]]", f'name = "{name}"', f'version = "{version}"', f'index = "{index}"']
        for wheel in wheels:
            file_name = os.path.basename(wheel)
            lines += ["", "[[packages.wheels]]", f'name = "{file_name}"', f'url = "{files}{file_name}"',
                      f"size = {os.path.getsize(wheel)}", f'hashes = {{ sha256 = "{sha256(wheel)}" }}']
    return "\n".join(lines) + "\n"


def hashed_requirements(chosen, via, requirements):
    lines = ["# Generated by eng/make-lock.py from the offline test index's files (pip-compile --generate-hashes style):",
             "#   " + " ".join(requirements)]
    for name in sorted(chosen):
        display, version, wheels = chosen[name]
        lines.append(f"{name}=={version} \\")
        lines += [f"    --hash=sha256:{sha256(wheel)}" + (" \\" if i < len(wheels) - 1 else "") for i, wheel in enumerate(wheels)]
        parents = sorted(p for p in via[name] if p != "-r")
        if parents:
            lines.append("    # via " + ", ".join(parents))
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--format", choices=["pylock", "requirements"], required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--files", default=DEFAULT_FILES)
    parser.add_argument("--index-url", default=DEFAULT_INDEX)
    parser.add_argument("--check", action="store_true", help="compare with --out instead of writing it")
    parser.add_argument("requirements", nargs="+")
    args = parser.parse_args()
    chosen, via = closure_for_all(args.requirements, wheels_by_name(args.files))
    text = pylock(chosen, args.index_url, args.requirements) if args.format == "pylock" else hashed_requirements(chosen, via, args.requirements)
    if args.check:
        current = open(args.out, encoding="utf-8").read() if os.path.exists(args.out) else ""
        if current != text:
            print(f"make-lock: {args.out} differs from the index's files: rerun without --check", file=sys.stderr)
            return 1
        return 0
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
