#!/usr/bin/env python3
"""Build an offline PEP 503 package index from Debian's python3-* packages (stdlib only).

Why: these machines cannot reach PyPI, but Debian's mirror is reachable. Debian ships Python
distributions as installed egg-info/dist-info folders, not wheels, so this script downloads the
.debs (`apt-get download`), extracts them (`dpkg-deb -x`) and repackages every distribution under
usr/lib/python3/dist-packages as a wheel pip can install, adds the few upstream source archives that
builders must compile (SOURCE_DISTRIBUTIONS), then writes a "simple" index.

Debian quirks handled here:
* dh_python3 REMOVES every requirement it translated into a Debian dependency from requires.txt
  (dh-python, dhpython/pydist.py: parse_pydep), so egg-info metadata lacks e.g. Flask -> Werkzeug.
  We recover those requirements from the package's Depends field, mapped back to distribution
  names with dh-python's own table (dist/cpython3_fallback, taken from the dh-python .deb).
  A Depends entry whose distribution still appears in requires.txt (in an extra or a marker
  section) is a Debian maintainer's choice (Twisted -> cryptography), not upstream's: skipped.
* A Debian package may hold a distribution's modules without its metadata (python3-pkg-resources
  holds setuptools' pkg_resources): merged into the distribution whose top_level.txt claims them.
* Debian replaces bundled JS/fonts with symlinks into other packages (libjs-jquery, ...): those
  packages are fetched and the files copied into the wheel.
* Debian may ship a newer dependency than an upstream pin allows (fastapi 0.92 pins
  starlette<0.26, bookworm has 0.26.1): the pin is relaxed to Debian's own Depends constraint.
* Native wheels (compiled extension modules, linux_x86_64 from the host's amd64 .debs) also get a linux_aarch64
  twin built from the arm64 .debs of the same packages and versions (FOREIGN_ARCHES; needs
  `dpkg --add-architecture arm64` and `apt-get update`, which eng/test-env.sh does): the files are the same but for
  the extension modules and their x86_64-linux-gnu names. Both are listed on the project's index page.
* Debian's pex 1.5.3 (2018; Debian never updated it) cannot build a pex on Python 3.11 with bookworm's
  wheel 0.38: three small fixes (COMPAT_PATCHES) are applied and the version gets a local label,
  1.5.3+py311, so nobody mistakes it for upstream's. PyPI's pex 2 needs none of this.

Usage: make-wheelhouse.py --cache DIR --out DIR [--required PKG ...] [PKG ...]
Writes OUT/files/*.whl, OUT/simple/... and OUT/report.txt. Exit status 1 when a --required
package cannot be built or the dependency closure of the required packages is incomplete.
"""

import argparse
import base64
import copy
import hashlib
import html
import os
import re
import shutil
import subprocess
import sys
import urllib.request
import zipfile

DEFAULT_REQUIRED = ["python3-flask", "python3-gunicorn"]
DEFAULT_OPTIONAL = [
    "python3-waitress", "python3-twisted", "python3-uvicorn", "python3-fastapi",
    "python3-django", "python3-djangorestframework", "python3-tz",
    "python3-setuptools", "python3-wheel", "python3-pex",
    "flit",  # holds flit_core, the build backend of flit pyproject.toml projects (PythonProjectDirectory)
]

# The acceptance corpus (eng/corpus.py): real third-party web apps from Debian, built from their source trees.
# The apps themselves stay out of the index; the Python packages their Depends name go in, as optional roots,
# plus what their corpus project files add (whitenoise: graphite-web serves its static files with it).
CORPUS_APPS = ["python3-httpbin", "bepasty", "python3-klaus", "graphite-web"]
CORPUS_EXTRA_PACKAGES = ["python3-whitenoise"]

# Upstream source archives served as sdists, for what must be compiled in a builder stage as it is from PyPI:
# the Django + PostGIS sample's psycopg2 (PyPI has no Linux wheel of it; the builder needs gcc and libpq-dev).
# Debian's orig tarball is upstream's release archive. Bookworm's (2.9.5) is not on this mirror; trixie's is.
# (project, version, requires-python, path on the Debian mirror, sha256)
SOURCE_DISTRIBUTIONS = [
    ("psycopg2", "2.9.10", ">=3.8", "pool/main/p/psycopg2/psycopg2_2.9.10.orig.tar.gz",
     "bb1a37d679522089f6dc3751669e3dbe51bd56922f959ef3ce2706939b775217"),
]
DEBIAN_MIRROR = os.environ.get("PYCONTAINER_DEBIAN_MIRROR", "http://deb.debian.org/debian/")

DIST_PACKAGES = "usr/lib/python3/dist-packages"
# Debian architecture -> wheel platform machine and multiarch triplet (in extension module names).
MACHINES = {"amd64": ("x86_64", "x86_64-linux-gnu"), "arm64": ("aarch64", "aarch64-linux-gnu")}
HOST_ARCH = "amd64"
FOREIGN_ARCHES = ["arm64"]  # every native wheel also gets one built from these architectures' .debs
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed timestamps: rebuilt wheels keep the same sha256

# Marker environment of the interpreter the wheels are for (Debian bookworm's CPython 3.11).
MARKER_ENV = {
    "python_version": "3.11", "python_full_version": "3.11.2", "implementation_version": "3.11.2",
    "os_name": "posix", "sys_platform": "linux", "platform_system": "Linux",
    "platform_machine": "x86_64", "platform_python_implementation": "CPython",
    "implementation_name": "cpython", "platform_release": "", "platform_version": "",
}
VERSION_VARS = {"python_version", "python_full_version", "implementation_version"}

WARNINGS = []

# Fixes for Debian's pex 1.5.3 on Python 3.11 (distribution name -> (local version label, {file: [(old, new)]})).
_PEX_UNPACK_WHEEL = """      tmp = safe_mkdtemp()
      whltmp = os.path.join(tmp, dist_name)
      os.mkdir(whltmp)
      _unpack_wheel(path, self._get_installer_paths(whltmp))
"""
_PEX_UNPACK_WHEEL_FUNCTION = """

def _unpack_wheel(path, paths):
  # wheel.install is gone since wheel 0.32: unpack the archive, then move each <name>.data/<scheme> folder
  # where the installer paths say.
  import shutil
  import zipfile
  base = paths['purelib']
  with zipfile.ZipFile(path) as archive:
    archive.extractall(base)
  for data_dir in [d for d in os.listdir(base) if d.endswith('.data')]:
    for scheme in os.listdir(os.path.join(base, data_dir)):
      source = os.path.join(base, data_dir, scheme)
      for folder, _, files in os.walk(source):
        for name in files:
          target = os.path.join(paths.get(scheme, base), os.path.relpath(os.path.join(folder, name), source))
          safe_mkdir(os.path.dirname(target))
          shutil.move(os.path.join(folder, name), target)
    shutil.rmtree(os.path.join(base, data_dir))
"""
COMPAT_PATCHES = {
    "pex": ("py311", {
        # The 'python_version' marker as version_str[:3] is "3.1" on 3.10+: typing;python_version<"3.5" got required.
        "pex/interpreter.py": [("'python_version': self.version_str[:3],", "'python_version': self.python,")],
        # Mode 'rU' was removed in Python 3.11: every pex failed at start-up reading .pth files.
        "pex/util.py": [("open(filename, 'rU')", "open(filename, 'r')")],
        # wheel.install (used to lay out each wheel inside the pex) was removed in wheel 0.32.
        "pex/pex_builder.py": [
            ("      from wheel.install import WheelFile\n"
             "      tmp = safe_mkdtemp()\n"
             "      whltmp = os.path.join(tmp, dist_name)\n"
             "      os.mkdir(whltmp)\n"
             "      wf = WheelFile(path)\n"
             "      wf.install(overrides=self._get_installer_paths(whltmp), force=True)\n", _PEX_UNPACK_WHEEL),
            (None, _PEX_UNPACK_WHEEL_FUNCTION),  # appended
        ],
    }),
}


def apply_compat_patches(dist, rel, data):
    """The file's bytes with COMPAT_PATCHES applied; fails loudly when a patch no longer matches."""
    label, files = COMPAT_PATCHES.get(dist.name, (None, {}))
    if rel not in files:
        return data
    text = data.decode()
    for old, new in files[rel]:
        if old is None:
            text += new
        elif old in text:
            text = text.replace(old, new)
        else:
            raise SystemExit(f"make-wheelhouse: the {label} patch for {dist.name} {rel} no longer matches")
    return text.encode()


def label_patched_version(dist):
    """1.5.3 -> 1.5.3+py311 for a patched distribution, in its name and metadata alike."""
    if dist.name in COMPAT_PATCHES:
        dist.version += "+" + COMPAT_PATCHES[dist.name][0]
        dist.metadata = re.sub(r"(?m)^Version:.*$", "Version: " + dist.version, dist.metadata, count=1)



def log(msg):
    print(f"[make-wheelhouse] {msg}", file=sys.stderr, flush=True)


def warn(msg):
    WARNINGS.append(msg)
    log(f"WARNING: {msg}")


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def run(cmd, cwd=None):
    result = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return result.returncode, result.stdout


# --------------------------------------------------------------------------- versions & markers

def version_key(version):
    m = re.match(r"v?(\d+(?:\.\d+)*)(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d*))?"
                 r"(?:[-_.]?(post|rev|r)[-_.]?(\d*))?(?:[-_.]?dev[-_.]?(\d*))?", version.strip().lower())
    if not m:
        return ((0,), (1,), (-1,), (1,))
    release = [int(x) for x in m.group(1).split(".")]
    while len(release) > 1 and release[-1] == 0:
        release.pop()
    pre, post, dev = m.group(2), m.group(4), m.group(6)
    rank = {"a": 0, "alpha": 0, "b": 1, "beta": 1}.get(pre, 2)
    pre_key = (0, rank, int(m.group(3) or 0)) if pre else ((-1,) if dev is not None and not post else (1,))
    post_key = (int(m.group(5) or 0),) if post else (-1,)
    dev_key = (0, int(dev or 0)) if dev is not None else (1,)
    return (tuple(release), pre_key, post_key, dev_key)


def _release(version):
    return [int(x) for x in re.findall(r"\d+", version.split("+")[0])]


def spec_matches(version, spec):
    """True when `version` satisfies a specifier set such as '>=1.0,!=1.3.*,<2'."""
    for clause in filter(None, (c.strip() for c in spec.split(","))):
        m = re.match(r"(===|==|!=|<=|>=|~=|<|>)\s*(.+)", clause)
        if not m:
            continue
        op, want = m.group(1), m.group(2).strip()
        if op == "===":
            ok = version == want
        elif op in ("==", "!=") and want.endswith(".*"):
            prefix = _release(want[:-2])
            ok = (_release(version) + [0] * len(prefix))[:len(prefix)] == prefix
            ok = ok if op == "==" else not ok
        elif op == "~=":
            prefix = _release(want)[:-1]
            ok = version_key(version) >= version_key(want) and _release(version)[:len(prefix)] == prefix
        else:
            a, b = version_key(version), version_key(want)
            ok = {"==": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]
        if not ok:
            return False
    return True


_MARKER_TOKEN = re.compile(r"\s*(\(|\)|===|==|!=|<=|>=|~=|<|>|not\s+in\b|in\b|and\b|or\b|"
                           r"\"[^\"]*\"|'[^']*'|[A-Za-z_][A-Za-z0-9_.]*)")


def eval_marker(marker, extra=""):
    """Evaluate a PEP 508 environment marker for MARKER_ENV (with the given extra)."""
    tokens, pos, marker = [], 0, marker.strip()
    while pos < len(marker):
        m = _MARKER_TOKEN.match(marker, pos)
        if not m:
            raise ValueError(f"cannot parse marker {marker!r}")
        tokens.append(re.sub(r"\s+", " ", m.group(1)))
        pos = m.end()
    env = dict(MARKER_ENV, extra=extra)

    def value(tok):
        return (tok[1:-1], None) if tok[0] in "\"'" else (env.get(tok, ""), tok)

    def compare(left, op, right):
        (lv, lvar), (rv, rvar) = value(left), value(right)
        if op in ("in", "not in"):
            return (lv in rv) == (op == "in")
        if lvar == "extra" or rvar == "extra":
            lv, rv = canonical(lv), canonical(rv)
        if (lvar in VERSION_VARS or rvar in VERSION_VARS) and op != "===":
            return spec_matches(lv, op + rv)
        return {"==": lv == rv, "===": lv == rv, "!=": lv != rv, "<": lv < rv,
                "<=": lv <= rv, ">": lv > rv, ">=": lv >= rv}.get(op, False)

    def parse_or(i):
        result, i = parse_and(i)
        while i < len(tokens) and tokens[i] == "or":
            right, i = parse_and(i + 1)
            result = result or right
        return result, i

    def parse_and(i):
        result, i = parse_atom(i)
        while i < len(tokens) and tokens[i] == "and":
            right, i = parse_atom(i + 1)
            result = result and right
        return result, i

    def parse_atom(i):
        if tokens[i] == "(":
            result, i = parse_or(i + 1)
            return result, i + 1
        return compare(tokens[i], tokens[i + 1], tokens[i + 2]), i + 3

    return parse_or(0)[0]


class Requirement:
    """One PEP 508 requirement: name, extras, specifier, marker."""

    PATTERN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?\s*\(?\s*([^;)]*?)\s*\)?\s*(?:;\s*(.*))?$")

    def __init__(self, text, marker=None):
        m = self.PATTERN.match(text)
        if not m:
            raise ValueError(f"cannot parse requirement {text!r}")
        self.name = m.group(1)
        self.extras = [e.strip() for e in (m.group(2) or "").split(",") if e.strip()]
        self.spec = re.sub(r"\s+", "", m.group(3) or "")
        markers = [x for x in (m.group(4), marker) if x]
        self.marker = " and ".join(f"({x})" if len(markers) > 1 else x for x in markers)

    def applies(self, extra=""):
        return not self.marker or eval_marker(self.marker, extra)

    def __str__(self):
        extras = f"[{','.join(self.extras)}]" if self.extras else ""
        return f"{self.name}{extras}{self.spec}" + (f"; {self.marker}" if self.marker else "")


def parse_requires_txt(text):
    """requires.txt -> (requirements, extras); '[extra:marker]' sections become markers."""
    requirements, extras, marker = [], [], None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line[1:-1]
            extra, _, env = section.partition(":")
            parts = [f"({env})" if extra and env else env] if env else []
            if extra:
                extras.append(extra)
                parts.append(f'extra == "{extra}"')
            marker = " and ".join(parts) or None
            continue
        requirements.append(Requirement(line, marker))
    return requirements, list(dict.fromkeys(extras))


# --------------------------------------------------------------------------- Debian packages

def parse_control(text):
    fields, key = {}, None
    for line in text.splitlines():
        if line[:1] in (" ", "\t") and key:
            fields[key] += "\n" + line.strip()
        elif ":" in line:
            key, _, val = line.partition(":")
            fields[key] = val.strip()
    return fields


def parse_depends(text):
    """'a (>= 1) | b, c:any' -> [[('a', '>=', '1'), ('b', None, None)], [('c', None, None)]]"""
    groups = []
    for group in filter(None, (g.strip() for g in (text or "").split(","))):
        alts = []
        for alt in group.split("|"):
            m = re.match(r"\s*([a-z0-9][a-z0-9+.-]*)(?::\w+)?\s*(?:\(\s*([<>=]+)\s*([^)]+?)\s*\))?", alt)
            if m:
                alts.append((m.group(1), m.group(2), m.group(3)))
        groups.append(alts)
    return groups


def upstream_version(debian_version):
    """'3:3.2.25-0+deb12u7' -> '3.2.25' (drop epoch, revision, +dfsg/~ suffixes)."""
    v = re.sub(r"^\d+:", "", debian_version)
    v = re.sub(r"-[^-]*$", "", v) if "-" in v else v
    return re.match(r"[0-9][0-9A-Za-z.]*", v).group(0).rstrip(".")


def debian_constraint(op, version):
    if not op:
        return ""
    py_op = {">=": ">=", ">>": ">", "<<": "<", "<=": "<=", "=": "=="}.get(op, ">=")
    return f"{py_op}{upstream_version(version)}"


class Distribution:
    """A distribution (egg-info or dist-info folder) found in a Debian package."""

    def __init__(self, deb, meta_path):
        self.deb, self.meta_path = deb, meta_path
        self.kind = "dist-info" if meta_path.endswith(".dist-info") else "egg-info"
        if os.path.isfile(meta_path):  # single-file egg-info (old distutils)
            self.metadata = read_text(meta_path)
        else:
            self.metadata = read_text(os.path.join(meta_path, "METADATA" if self.kind == "dist-info" else "PKG-INFO"))
        headers = parse_control(self.metadata.split("\n\n", 1)[0])
        self.name, self.version = headers["Name"], headers["Version"]
        self.requires_python = headers.get("Requires-Python", "")
        self.top_level = self._meta_lines("top_level.txt")
        self.files = {}  # path in wheel -> source path on disk
        self.requirements, self.extras, self.retained_names = [], [], set()
        if self.kind == "dist-info":
            self.requirements = [Requirement(v) for k, v in header_items(self.metadata) if k == "Requires-Dist"]
        else:
            self.requirements, self.extras = parse_requires_txt(self._meta_text("requires.txt"))
            self.retained_names = {canonical(r.name) for r in self.requirements}

    def _meta_text(self, name):
        path = os.path.join(self.meta_path, name)
        return read_text(path) if os.path.isfile(path) else ""

    def _meta_lines(self, name):
        return [x.strip() for x in self._meta_text(name).splitlines() if x.strip()]

    @property
    def key(self):
        return canonical(self.name)


class Deb:
    """A downloaded and extracted Debian package."""

    def __init__(self, name, path, root):
        self.name, self.path, self.root = name, path, root
        code, out = run(["dpkg-deb", "-f", path])
        self.control = parse_control(out)
        self.version = self.control.get("Version", "")
        self.arch = self.control.get("Architecture", "all")
        self.depends = parse_depends(self.control.get("Depends"))
        self.recommends = parse_depends(self.control.get("Recommends"))
        site = os.path.join(root, DIST_PACKAGES)
        entries = sorted(os.listdir(site)) if os.path.isdir(site) else []
        self.dists = [Distribution(self, os.path.join(site, e)) for e in entries
                      if e.endswith((".egg-info", ".dist-info"))]
        meta = {os.path.basename(d.meta_path) for d in self.dists}
        self.top_names = {re.sub(r"(\.cpython-.*)?\.(py|so|pth)$", "", e) for e in entries
                          if e not in meta and e != "__pycache__"}


def read_text(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def header_items(metadata):
    for line in metadata.split("\n\n", 1)[0].splitlines():
        if line[:1] not in (" ", "\t") and ":" in line:
            key, _, val = line.partition(":")
            yield key, val.strip()


class Apt:
    """Downloads (apt-get download) and extracts (dpkg-deb -x) packages, cached on disk."""

    def __init__(self, cache):
        self.debs_dir = os.path.join(cache, "debs")
        self.extract_dir = os.path.join(cache, "extract")
        os.makedirs(self.debs_dir, exist_ok=True)
        os.makedirs(self.extract_dir, exist_ok=True)
        try:  # apt drops privileges to _apt for downloads; let it write there (avoids a warning)
            import pwd
            os.chown(self.debs_dir, pwd.getpwnam("_apt").pw_uid, -1)
        except (KeyError, PermissionError, ImportError):
            pass
        self.debs = {}  # package -> Deb, or None when unavailable
        self.foreign = {}  # (package, arch) -> Deb of another architecture, or None when unavailable

    def candidates(self, pkgs):
        """package -> expected .deb file name of its candidate version (one apt-cache call)."""
        code, out = run(["apt-cache", "show", "--no-all-versions"] + pkgs)
        found = {}
        for stanza in out.split("\n\n"):
            f = parse_control(stanza)
            if "Package" in f and "Version" in f and f["Package"] not in found:
                found[f["Package"]] = f"{f['Package']}_{f['Version'].replace(':', '%3a')}_{f['Architecture']}.deb"
        return found

    def fetch(self, pkgs):
        wanted = [p for p in dict.fromkeys(pkgs) if p not in self.debs]
        if not wanted:
            return
        files = self.candidates(wanted)
        missing = [p for p in wanted if p in files and not os.path.exists(os.path.join(self.debs_dir, files[p]))]
        if missing:
            log(f"downloading {len(missing)} package(s): {' '.join(missing)}")
            code, out = run(["apt-get", "download"] + missing, cwd=self.debs_dir)
            if code != 0:  # retry one by one so one bad package does not sink the others
                for p in missing:
                    run(["apt-get", "download", p], cwd=self.debs_dir)
        for p in wanted:
            path = os.path.join(self.debs_dir, files.get(p, "-"))
            if p not in files or not os.path.exists(path):
                warn(f"Debian package {p} is not available (virtual, unknown or download failed)")
                self.debs[p] = None
                continue
            root = os.path.join(self.extract_dir, os.path.basename(path)[:-4])
            if not os.path.isdir(root):
                tmp = root + ".tmp"
                shutil.rmtree(tmp, ignore_errors=True)
                code, out = run(["dpkg-deb", "-x", path, tmp])
                if code != 0:
                    warn(f"cannot extract {path}: {out.strip()}")
                    self.debs[p] = None
                    continue
                os.rename(tmp, root)
            self.debs[p] = Deb(p, path, root)


    def fetch_foreign(self, deb, arch):
        """The `arch` build of `deb` (same package and version), downloaded and extracted; None when unavailable."""
        key = (deb.name, arch)
        if key not in self.foreign:
            file_name = f"{deb.name}_{deb.version.replace(':', '%3a')}_{arch}.deb"
            path = os.path.join(self.debs_dir, file_name)
            if not os.path.exists(path):
                log(f"downloading {deb.name}:{arch}={deb.version}")
                code, out = run(["apt-get", "download", f"{deb.name}:{arch}={deb.version}"], cwd=self.debs_dir)
            if not os.path.exists(path):
                warn(f"Debian package {deb.name}:{arch} {deb.version} is not available "
                     f"(is {arch} a dpkg architecture, with its package lists?)")
                self.foreign[key] = None
                return None
            root = os.path.join(self.extract_dir, file_name[:-4])
            if not os.path.isdir(root):
                shutil.rmtree(root + ".tmp", ignore_errors=True)
                code, out = run(["dpkg-deb", "-x", path, root + ".tmp"])
                if code != 0:
                    warn(f"cannot extract {path}: {out.strip()}")
                    self.foreign[key] = None
                    return None
                os.rename(root + ".tmp", root)
            self.foreign[key] = Deb(deb.name, path, root)
        return self.foreign[key]


# --------------------------------------------------------------------------- dependency mapping

class DhPythonMap:
    """dh-python's table distribution name <-> Debian package, as used by dh_python3 itself."""

    def __init__(self, apt):
        apt.fetch(["dh-python"])
        deb = apt.debs.get("dh-python")
        self.to_pkg, self.to_dists = {}, {}
        path = os.path.join(deb.root, "usr/share/dh-python/dist/cpython3_fallback") if deb else ""
        if not os.path.isfile(path):
            warn("dh-python's cpython3_fallback table is unavailable; guessing python3-<name>")
            return
        for line in read_text(path).splitlines():
            parts = line.split()
            if len(parts) >= 2 and not line.startswith("#"):
                self.to_pkg.setdefault(canonical(parts[0]), parts[1])
                self.to_dists.setdefault(parts[1], set()).add(canonical(parts[0]))

    def package_for(self, dist_name):
        return self.to_pkg.get(canonical(dist_name), "python3-" + canonical(dist_name))

    def dists_for(self, pkg):
        return self.to_dists.get(pkg, set()) | {canonical(pkg[len("python3-"):])}


def is_interpreter(pkg):
    return pkg in ("python3", "python3-minimal", "python3.11") or pkg.startswith("libpython3")


def debian_requirements(deb, dist, dhmap):
    """Depends entries that stand for requirements dh_python3 removed from requires.txt.

    Yields (debian package, debian op, debian version). Groups with an interpreter alternative
    ('python3-importlib-metadata | python3 (>> 3.10)') are satisfied by Python 3.11 itself."""
    for group in deb.depends:
        if any(is_interpreter(p) for p, _, _ in group):
            continue
        pkg, op, ver = group[0]
        if not pkg.startswith("python3-"):
            continue
        if dist is not None and dhmap.dists_for(pkg) & dist.retained_names:
            continue  # still listed upstream as optional/conditional: a Debian-only hard dependency
        yield pkg, op, ver


def packages_to_follow(deb, dhmap):
    for dist in deb.dists or [None]:
        if dist is not None and dist.kind == "dist-info":
            for req in dist.requirements:
                if req.applies():
                    yield dhmap.package_for(req.name)
        else:
            for pkg, _, _ in debian_requirements(deb, dist, dhmap):
                yield pkg


def corpus_dependencies(apt, dhmap):
    """The Debian packages of the corpus apps' Python dependencies (their python3-* Depends)."""
    apps = Apt(os.path.dirname(apt.debs_dir))  # same download cache; the apps' own wheels stay out of the index
    apps.fetch(CORPUS_APPS)
    deps = [pkg for app in CORPUS_APPS if apps.debs.get(app) is not None
            for pkg, _, _ in debian_requirements(apps.debs[app], None, dhmap)]
    return deps + CORPUS_EXTRA_PACKAGES


def fetch_closure(apt, roots, dhmap):
    """Fetch the root packages and, transitively, the packages their runtime requirements need."""
    queue = list(roots)
    while queue:
        apt.fetch(queue)
        nxt = []
        for pkg in queue:
            deb = apt.debs.get(pkg)
            if deb is not None:
                nxt.extend(p for p in packages_to_follow(deb, dhmap) if p not in apt.debs)
        queue = list(dict.fromkeys(nxt))


# --------------------------------------------------------------------------- building wheels

def assign_files(apt):
    """Fill dist.files for every distribution; merge metadata-less packages (pkg_resources)."""
    all_dists = [d for deb in apt.debs.values() if deb for d in deb.dists]
    owner_of_pkg = {}
    for deb in filter(None, apt.debs.values()):
        site = os.path.join(deb.root, DIST_PACKAGES)
        if not os.path.isdir(site):
            continue
        meta_dirs = {d.meta_path for d in deb.dists}
        targets = deb.dists
        if not targets:  # e.g. python3-pkg-resources: claimed by setuptools' top_level.txt
            targets = [d for d in all_dists if deb.top_names & set(d.top_level)][:1]
            if not targets:
                log(f"{deb.name}: no Python distribution in it (skipped)")
                continue
            log(f"{deb.name}: merged into {targets[0].name}")
        owner_of_pkg[deb.name] = targets[0]
        for dirpath, dirnames, filenames in os.walk(site):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__"
                                 and os.path.join(dirpath, d) not in meta_dirs)
            for fn in sorted(filenames):
                src = os.path.join(dirpath, fn)
                if src in meta_dirs or fn.endswith(".pyc"):
                    continue
                rel = os.path.relpath(src, site)
                owner = pick_owner(targets, rel)
                owner.files[rel] = src
    return owner_of_pkg


def pick_owner(dists, rel):
    if len(dists) == 1:
        return dists[0]
    top = re.sub(r"(\.cpython-.*)?\.(py|so)$", "", rel.split("/")[0])
    for d in dists:
        if top in d.top_level or top == d.name.replace("-", "_"):
            return d
    # longest name first: flit_core/... belongs to flit_core, not to flit (one .deb holds both)
    for d in sorted(dists, key=lambda d: -len(d.name)):
        if rel.startswith(d.name):
            return d
    return dists[0]


def resolve_symlink(apt, deb, src, depth=0):
    """Content path for a symlinked file: inside the package, or in a package it depends on."""
    if not os.path.islink(src):
        return src if os.path.isfile(src) else None
    if depth > 10:
        return None
    target = os.readlink(src)
    rel = target.lstrip("/") if os.path.isabs(target) else os.path.normpath(
        os.path.join(os.path.dirname(os.path.relpath(src, deb.root)), target))
    if rel.startswith(".."):
        return None
    candidate = os.path.join(deb.root, rel)
    if os.path.lexists(candidate):
        return resolve_symlink(apt, deb, candidate, depth + 1)
    # Debian replaced a bundled asset with a link into another package (libjs-jquery, fonts-...)
    assets = [g[0][0] for g in deb.depends + deb.recommends if not g[0][0].startswith("python3")
              and not is_interpreter(g[0][0]) and not g[0][0].startswith("libc6")]
    apt.fetch(assets)
    for pkg in assets:
        other = apt.debs.get(pkg)
        if other and os.path.lexists(os.path.join(other.root, rel)):
            return resolve_symlink(apt, other, os.path.join(other.root, rel), depth + 1)
    return None


def wheel_tag(dist):
    """py3-none-any, or the CPython tag of compiled extension modules shipped in it."""
    machine = {"amd64": "x86_64", "arm64": "aarch64", "i386": "i686"}.get(dist.deb.arch, dist.deb.arch)
    machine = getattr(dist, "machine", None) or machine  # a foreign-architecture twin (foreign_twin)
    if machine == "all":  # an arch-all package whose compiled modules were merged in (python3-cffi-backend)
        machine = MARKER_ENV["platform_machine"]
    for rel in dist.files:
        m = re.search(r"\.cpython-(\d)(\d+)-[^.]*\.so$", rel)
        if m:
            py = f"cp{m.group(1)}{m.group(2)}"
            return f"{py}-{py}-linux_{machine}", False
        if rel.endswith(".abi3.so"):
            return f"cp311-abi3-linux_{machine}", False
    return "py3-none-any", True


def build_metadata(dist):
    head, sep, body = dist.metadata.partition("\n\n")
    lines = [line for line in head.splitlines() if not line.startswith("Requires-Dist:")]
    provided = {canonical(v) for k, v in header_items(dist.metadata) if k == "Provides-Extra"}
    for i, line in enumerate(lines):
        m = re.match(r"Metadata-Version:\s*(\S+)", line)
        if m and version_key(m.group(1)) < version_key("2.1"):
            lines[i] = "Metadata-Version: 2.1"  # Requires-Dist/Provides-Extra need >= 1.2/2.1
    lines += [f"Provides-Extra: {e}" for e in dist.extras if canonical(e) not in provided]
    lines += [f"Requires-Dist: {r}" for r in dist.requirements]
    return "\n".join(lines) + "\n" + (("\n" + body) if sep else "")


def record_hash(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def build_wheel(apt, dist, out_dir):
    tag, purelib = wheel_tag(dist)
    # As classic bdist_wheel: only '-' is escaped, so "zope.interface" keeps its dots in the file and dist-info
    # names, and pkg_resources (which keys dist-info folders by that name) still finds it.
    name = re.sub(r"[^A-Za-z0-9.]+", "_", dist.name).lower()
    info = f"{name}-{dist.version}.dist-info"
    entries = []  # (arcname, bytes, mode)
    for rel in sorted(dist.files):
        src = dist.files[rel]
        content = resolve_symlink(apt, getattr(dist, "file_debs", {}).get(rel, dist.deb), src)
        if content is None:
            warn(f"{dist.name}: dropped {rel} (symlink to {os.readlink(src)} not found)")
            continue
        with open(content, "rb") as f:
            entries.append((rel, apply_compat_patches(dist, rel, f.read()), os.stat(content).st_mode & 0o777))
    meta = {"METADATA": build_metadata(dist),
            "WHEEL": f"Wheel-Version: 1.0\nGenerator: pycontainer-make-wheelhouse (1.0)\n"
                     f"Root-Is-Purelib: {'true' if purelib else 'false'}\nTag: {tag}\n"}
    if os.path.isdir(dist.meta_path):
        eps = os.path.join(dist.meta_path, "entry_points.txt")
        if os.path.isfile(eps):
            meta["entry_points.txt"] = read_text(eps)
        for extra_file in ("LICENSE", "LICENSE.txt", "LICENSE.rst", "AUTHORS", "NOTICE"):
            path = os.path.join(dist.meta_path, extra_file)
            if os.path.isfile(path):
                meta[extra_file] = read_text(path)
    tops = dist.top_level or sorted({re.sub(r"(\.cpython-.*)?\.(py|so)$", "", r.split("/")[0])
                                     for r in dist.files if not r.endswith(".pth")})
    meta["top_level.txt"] = "".join(t + "\n" for t in tops)
    entries += [(f"{info}/{k}", v.encode(), 0o644) for k, v in sorted(meta.items())]
    record = "".join(f"{arc},{record_hash(data)},{len(data)}\n" for arc, data, _ in entries)
    entries.append((f"{info}/RECORD", (record + f"{info}/RECORD,,\n").encode(), 0o644))
    path = os.path.join(out_dir, f"{name}-{dist.version}-{tag}.whl")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for arc, data, mode in entries:
            zi = zipfile.ZipInfo(arc, ZIP_DATE)
            zi.external_attr = (0o100000 | mode) << 16
            zi.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(zi, data)
    return path


def site_files(deb):
    """Paths of a package's files under dist-packages, as assign_files walks them."""
    site, found = os.path.join(deb.root, DIST_PACKAGES), set()
    for dirpath, dirnames, filenames in os.walk(site):
        dirnames[:] = [d for d in dirnames if d != "__pycache__"]
        found.update(os.path.relpath(os.path.join(dirpath, f), site) for f in filenames if not f.endswith(".pyc"))
    return found


def foreign_twin(apt, dist, arch):
    """A copy of a native distribution whose arch-specific files come from the `arch` .debs of the same packages and
    versions (arch-all packages' files, metadata and requirements stay); None, with a warning, when that fails."""
    host_triplet, (machine, triplet) = MACHINES[HOST_ARCH][1], MACHINES[arch]
    debs = [d for d in apt.debs.values() if d]
    twin_files, file_debs = {}, {}
    for rel, src in sorted(dist.files.items()):
        deb = next(d for d in debs if src.startswith(d.root + os.sep))
        if deb.arch == "all":
            twin_files[rel], file_debs[rel] = src, deb
            continue
        other = apt.fetch_foreign(deb, arch)
        if other is None:
            return None
        if {f.replace(host_triplet, triplet) for f in site_files(deb)} != site_files(other):
            warn(f"{dist.name}: {deb.name}'s {arch} package holds other files than its {HOST_ARCH} one: no {machine} wheel")
            return None
        other_rel = rel.replace(host_triplet, triplet)
        twin_files[other_rel] = os.path.join(other.root, os.path.relpath(src, deb.root).replace(host_triplet, triplet))
        file_debs[other_rel] = other
    twin = copy.copy(dist)
    twin.files, twin.file_debs, twin.machine = twin_files, file_debs, machine
    return twin


# --------------------------------------------------------------------------- requirements & closure

def complete_requirements(apt, dhmap, owner_of_pkg, index):
    """Add Depends-derived requirements (egg-info) and relax pins Debian itself does not honour."""
    for deb in filter(None, apt.debs.values()):
        for dist in deb.dists:
            debian = {}
            for pkg, op, ver in debian_requirements(deb, dist if dist.kind == "egg-info" else None, dhmap):
                target = owner_of_pkg.get(pkg)
                if target is None:
                    if dist.kind == "egg-info" and apt.debs.get(pkg) is not None:
                        log(f"{dist.name}: Debian dependency {pkg} is not a Python distribution (ignored)")
                    continue
                if target is not dist:
                    spec = debian_constraint(op, ver)
                    debian[target.key] = (target.name, ",".join(filter(None, [debian.get(target.key, ("", ""))[1], spec])))
            if dist.kind == "egg-info":
                dist.requirements += [Requirement(n + s) for n, s in debian.values()]
            relax_pins(dist, debian, index)


def relax_pins(dist, debian, index):
    for req in dist.requirements:
        have = index.get(canonical(req.name))
        if not req.applies() or have is None or spec_matches(have.version, req.spec):
            continue
        if canonical(req.name) in debian:
            new = debian[canonical(req.name)][1]
            warn(f"{dist.name} {dist.version}: relaxed '{req.name}{req.spec}' to '{req.name}{new}' "
                 f"(Debian ships {have.name} {have.version} with it)")
            req.spec = new


def check_closure(index, roots):
    """Walk the requirements from `roots`; return the list of unsatisfiable ones."""
    problems, seen = [], set()
    queue = [(index[k], "") for k in roots if k in index]
    while queue:
        dist, extra = queue.pop()
        if (dist.key, extra) in seen:
            continue
        seen.add((dist.key, extra))
        for req in dist.requirements:
            # (dist, "") covers the base requirements; (dist, x) only those that extra x adds
            if not req.applies(extra) or (extra and req.applies("")):
                continue
            have = index.get(canonical(req.name))
            if have is None:
                problems.append(f"{dist.name} {dist.version} requires {req.name}{req.spec}: not in the index")
            elif not spec_matches(have.version, req.spec):
                problems.append(f"{dist.name} {dist.version} requires {req.name}{req.spec}: index has {have.version}")
            else:
                queue.append((have, ""))
                queue.extend((have, canonical(e)) for e in req.extras)
    return sorted(set(problems))


# --------------------------------------------------------------------------- index

class SourceDistribution:
    """An sdist in the index: what write_index needs of a distribution."""

    def __init__(self, name, version, requires_python):
        self.name, self.version, self.requires_python = name, version, requires_python


def fetch_source_distributions(cache, out_dir):
    """[(SourceDistribution, path)] of SOURCE_DISTRIBUTIONS, downloaded once into the cache and checked."""
    fetched = []
    for name, version, requires_python, mirror_path, sha256 in SOURCE_DISTRIBUTIONS:
        cached = os.path.join(cache, os.path.basename(mirror_path))
        if not os.path.isfile(cached):
            with urllib.request.urlopen(DEBIAN_MIRROR + mirror_path, timeout=60) as response, \
                    open(cached + ".part", "wb") as f:
                shutil.copyfileobj(response, f)
            os.rename(cached + ".part", cached)
        with open(cached, "rb") as f:
            if hashlib.sha256(f.read()).hexdigest() != sha256:
                os.remove(cached)
                raise SystemExit(f"make-wheelhouse: {mirror_path} does not have the expected sha256")
        path = os.path.join(out_dir, f"{name}-{version}.tar.gz")
        shutil.copyfile(cached, path)
        fetched.append((SourceDistribution(name, version, requires_python), path))
        log(f"added {os.path.basename(path)} (source)")
    return fetched


def write_index(out, wheels):
    simple = os.path.join(out, "simple")
    os.makedirs(simple, exist_ok=True)
    projects = {}
    for dist, path in wheels:
        projects.setdefault(canonical(dist.name), []).append((dist, path))
    page = "<!DOCTYPE html>\n<html><head><title>{0}</title></head><body>\n{1}</body></html>\n"
    links = "".join(f'<a href="{p}/">{p}</a><br/>\n' for p in sorted(projects))
    with open(os.path.join(simple, "index.html"), "w") as f:
        f.write(page.format("Simple index", links))
    for project, items in projects.items():
        os.makedirs(os.path.join(simple, project), exist_ok=True)
        rows = ""
        for dist, path in items:
            with open(path, "rb") as wf:
                digest = hashlib.sha256(wf.read()).hexdigest()
            fn = os.path.basename(path)
            rp = f' data-requires-python="{html.escape(dist.requires_python)}"' if dist.requires_python else ""
            rows += f'<a href="../../files/{fn}#sha256={digest}"{rp}>{fn}</a><br/>\n'
        with open(os.path.join(simple, project, "index.html"), "w") as f:
            f.write(page.format(f"Links for {project}", rows))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", required=True, help="download/extract cache directory")
    ap.add_argument("--out", required=True, help="index directory to (re)create")
    ap.add_argument("--required", nargs="*", default=DEFAULT_REQUIRED, help="Debian packages that must work")
    ap.add_argument("packages", nargs="*", default=DEFAULT_OPTIONAL, help="best-effort Debian packages")
    args = ap.parse_args()

    apt = Apt(args.cache)
    dhmap = DhPythonMap(apt)
    optional = args.packages + (corpus_dependencies(apt, dhmap) if args.packages == DEFAULT_OPTIONAL else [])
    roots = list(dict.fromkeys(args.required + optional))
    fetch_closure(apt, roots, dhmap)
    owner_of_pkg = assign_files(apt)

    index = {}
    for deb in filter(None, apt.debs.values()):
        for dist in deb.dists:
            if dist.key in index:
                warn(f"{dist.name} found in both {index[dist.key].deb.name} and {deb.name}; keeping the first")
            elif deb.name != "dh-python":
                index[dist.key] = dist
    complete_requirements(apt, dhmap, owner_of_pkg, index)
    for dist in index.values():
        label_patched_version(dist)

    tmp = args.out.rstrip("/") + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(os.path.join(tmp, "files"))
    wheels = []
    for key in sorted(index):
        dist = index[key]
        path = build_wheel(apt, dist, os.path.join(tmp, "files"))
        wheels.append((dist, path))
        log(f"built {os.path.basename(path)}")
        if not wheel_tag(dist)[1]:  # native: the same wheel for the other architectures
            for arch in FOREIGN_ARCHES:
                twin = foreign_twin(apt, dist, arch)
                if twin is not None:
                    path = build_wheel(apt, twin, os.path.join(tmp, "files"))
                    wheels.append((twin, path))
                    log(f"built {os.path.basename(path)}")
    write_index(tmp, wheels + fetch_source_distributions(args.cache, os.path.join(tmp, "files")))

    required_keys = [owner_of_pkg[p].key for p in args.required if p in owner_of_pkg]
    failed = [p for p in args.required if p not in owner_of_pkg]
    for p in failed:
        warn(f"required package {p} could not be turned into a wheel")
    problems = check_closure(index, list(index))
    for p in problems:
        warn(f"unsatisfied: {p}")
    fatal = failed + check_closure(index, required_keys)
    for p in optional:
        if p not in owner_of_pkg:
            warn(f"optional package {p} is not in the index")

    with open(os.path.join(tmp, "report.txt"), "w") as f:
        f.write("".join(f"{os.path.basename(p)}\t{d.deb.name}\t{d.deb.version}\n" for d, p in wheels))
        f.write("".join(f"WARNING\t{w}\n" for w in WARNINGS))
    old = args.out.rstrip("/") + ".old"
    shutil.rmtree(old, ignore_errors=True)
    if os.path.exists(args.out):
        os.rename(args.out, old)  # swap so a running server never sees a half-written index
    os.rename(tmp, args.out)
    shutil.rmtree(old, ignore_errors=True)
    log(f"{len(wheels)} wheels in {args.out} ({len(WARNINGS)} warning(s))")
    return 1 if fatal else 0


if __name__ == "__main__":
    sys.exit(main())
