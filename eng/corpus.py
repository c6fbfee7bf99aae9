#!/usr/bin/env python3
"""Lay out the acceptance corpus: real third-party web apps from Debian, as the source trees their users have.

Why: PyContainer's own samples have no templates, static files, writable state or startup steps; real apps
have all four. Debian's mirror is reachable from these machines and ships such apps as packages, so each one is
fetched at test time (`apt-get download`, `dpkg-deb -x`), never committed, and laid out as the folder a user
would point PyContainer at:

    OUT/<app>/<package folder>   from usr/lib/python3/dist-packages/<pkg> (plus the files listed in LAYOUTS)
    OUT/<app>/requirements.txt   the app's Debian Depends on python3-* packages, as PyPI distribution names
                                 (the name in each dependency's own metadata, so it is the index's name too),
                                 with Debian's version constraints

The committed project files (tests/PyContainer.EndToEndTests/Corpus/<app>/) are copied on top by the tests.

Debian's packaging quirks, handled as a user of such a tree would have to:
* Files Debian replaced by symlinks into other packages (libjs-*, fonts-*: one shared copy of jQuery for the
  whole system) are materialized: the linked package (from the app's Depends) is fetched and the real file
  copied in, as upstream's tree has it. A link that resolves nowhere fails the layout.
* Code Debian patched to read absolute system paths stays as Debian ships it, and the project file installs
  the system packages it reads (bepasty's bepasty_xstatic.py serves /usr/share/javascript/jquery/ etc.
  instead of upstream's XStatic-* PyPI packages: `ContainerRuntimePackage` libjs-jquery, ...).
* Parts Debian moves out of the package folder are put back where upstream keeps them (LAYOUTS): graphite-web's
  static files (/usr/share/graphite-web/static, upstream's webapp/content/) and manage.py (/usr/bin/graphite-manage).
* Configuration Debian keeps under /etc (graphite-web's /etc/graphite/local_settings.py) is NOT copied: it is
  the user's own file, committed beside the project file.

Usage: corpus.py --cache DIR --out DIR     (DIR: the download cache eng/make-wheelhouse.py uses)
Idempotent: an app whose layout is complete for the same .deb is left alone.
"""

import argparse
import importlib.util
import os
import shutil
import sys

_spec = importlib.util.spec_from_file_location(
    "make_wheelhouse", os.path.join(os.path.dirname(os.path.abspath(__file__)), "make-wheelhouse.py"))
wh = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(wh)

# app folder name -> (Debian package, [(path in the package, path in the source tree)]).
LAYOUTS = {
    "httpbin": ("python3-httpbin", [(wh.DIST_PACKAGES + "/httpbin", "httpbin")]),
    "bepasty": ("bepasty", [(wh.DIST_PACKAGES + "/bepasty", "bepasty")]),
    "klaus": ("python3-klaus", [(wh.DIST_PACKAGES + "/klaus", "klaus")]),
    "graphite-web": ("graphite-web", [
        (wh.DIST_PACKAGES + "/graphite", "graphite"),
        ("usr/share/graphite-web/static", "content"),  # upstream: webapp/content (settings.STATICFILES_DIRS)
        ("usr/bin/graphite-manage", "manage.py"),      # upstream: webapp/manage.py
    ]),
}
assert sorted(p for p, _ in LAYOUTS.values()) == sorted(wh.CORPUS_APPS), "keep CORPUS_APPS in step"



def log(msg):
    print(f"[corpus] {msg}", file=sys.stderr, flush=True)


def requirements(apt, dhmap, deb):
    """requirements.txt lines from the app's python3-* Depends."""
    lines = []
    for pkg, op, ver in wh.debian_requirements(deb, None, dhmap):
        apt.fetch([pkg])
        dep = apt.debs.get(pkg)
        names = [d.name for d in dep.dists] if dep else []
        if not names:
            raise SystemExit(f"corpus: {deb.name} depends on {pkg}, which holds no Python distribution")
        lines.append(names[0] + wh.debian_constraint(op, ver))
    return lines


def copy_tree(apt, deb, source, target):
    """Copy a file or folder out of the extracted package, materializing symlinks; skip bytecode."""
    if os.path.isdir(source) and not os.path.islink(source):
        os.makedirs(target, exist_ok=True)
        for entry in sorted(os.listdir(source)):
            if entry != "__pycache__" and not entry.endswith(".pyc"):
                copy_tree(apt, deb, os.path.join(source, entry), os.path.join(target, entry))
        return
    if os.path.islink(source) and os.path.isdir(source):
        raise SystemExit(f"corpus: {source} links to a folder; materialize it explicitly in LAYOUTS")
    content = wh.resolve_symlink(apt, deb, source)
    if content is None:
        raise SystemExit(f"corpus: {source} -> {os.readlink(source)} resolves in none of {deb.name}'s dependencies")
    if content != source:
        log(f"{deb.name}: materialized {os.path.relpath(source, deb.root)} from {content.split('/extract/')[-1]}")
    shutil.copyfile(content, target)
    shutil.copymode(content, target)


def lay_out(apt, dhmap, app, package, parts, out):
    apt.fetch([package])
    deb = apt.debs.get(package)
    if deb is None:
        raise SystemExit(f"corpus: Debian package {package} is not available")
    target = os.path.join(out, app)
    stamp, stamp_file = os.path.basename(deb.path), target + ".source"  # beside the tree, not in it
    if os.path.isdir(target) and os.path.isfile(stamp_file) and open(stamp_file).read().strip() == stamp:
        log(f"{app}: up to date ({stamp})")
        return
    tmp = target + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    for source, dest in parts:
        copy_tree(apt, deb, os.path.join(deb.root, source), os.path.join(tmp, dest))
    lines = requirements(apt, dhmap, deb)
    with open(os.path.join(tmp, "requirements.txt"), "w") as f:
        f.write(f"# {package} {deb.version}: its Debian Depends on Python packages (eng/corpus.py)\n")
        f.write("".join(line + "\n" for line in lines))
    shutil.rmtree(target, ignore_errors=True)
    os.rename(tmp, target)
    with open(stamp_file, "w") as f:
        f.write(stamp + "\n")
    log(f"{app}: laid out from {stamp} (requirements: {', '.join(lines)})")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", required=True, help="download/extract cache directory")
    ap.add_argument("--out", required=True, help="corpus directory (one folder per app)")
    args = ap.parse_args()
    apt = wh.Apt(args.cache)
    dhmap = wh.DhPythonMap(apt)
    os.makedirs(args.out, exist_ok=True)
    for app, (package, parts) in LAYOUTS.items():
        lay_out(apt, dhmap, app, package, parts, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
