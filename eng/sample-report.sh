#!/usr/bin/env bash
# Measures each sample's PyContainer image against its hand-written baseline (samples/<name>/baseline/Dockerfile)
# and writes the table into samples/<name>/README.md between the sample-report markers.
#
# Both images are built against the same engine, from the same base image and package index:
#   PyContainer: dotnet build -t:ContainerBuild (BuildKit through the Engine API)
#   baseline:    docker build --network host -f baseline/Dockerfile (the legacy builder when the docker CLI has
#                no buildx, as here: the write-ups' Dockerfiles need nothing BuildKit-only)
# What an image holds is read from its layers (`docker save`), not from its Dockerfile.
#
# Usage: eng/sample-report.sh [SAMPLE ...]     (default: every sample that has a baseline/Dockerfile)
# Exit status 1 when an image fails to build or a PyContainer image is larger than its baseline (to 0.1 MB).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1

bash "$root/eng/test-env.sh"
# shellcheck source=/dev/null
source "$root/artifacts/test-env/env.sh"
# shellcheck source=eng/lib/sample-images.sh
source "$root/eng/lib/sample-images.sh"

work="$root/artifacts/sample-report"
mkdir -p "$work"
use_freshly_packed_sdk "$root" "$work"

if (($#)); then
  samples=("$@")
else
  mapfile -t samples < <(sample_names_with_baseline "$root")
fi

docker_buildkit=$(docker_cli_buildkit)
status=0
log() { echo "[sample-report] $*" >&2; }

# build_pycontainer SAMPLE IMAGE LOG
build_pycontainer() {
  local project args
  project=$(echo "$root/samples/$1"/*.msbuildproj)
  pycontainer_build_args args "$project" ContainerBuild "${2%:*}" "${2##*:}" -v:n
  timeout 1800 dotnet "${args[@]}" >"$3" 2>&1
}

# build_baseline SAMPLE IMAGE LOG: the context is the sample folder without build outputs.
build_baseline() {
  local context="$work/context-$1"
  local args
  copy_baseline_context "$root/samples/$1" "$context"
  baseline_build_args args "$context" "$2"
  DOCKER_BUILDKIT=$docker_buildkit timeout 1800 docker "${args[@]}" "$context" >"$3" 2>&1
}

# measure IMAGE: one JSON line (size, layers, what the layers added on top of the base image hold).
measure() {
  local archive="$work/save.tar"
  docker image save -o "$archive" "$1"
  python3 - "$archive" "$(docker image inspect -f '{{.Size}}' "$1")" \
    "$(docker image inspect -f '{{json .RootFS.Layers}}' "$PYCONTAINER_BASE_IMAGE")" <<'PY'
import json, posixpath, sys, tarfile
archive, size, base_layers = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
COMPILERS = {"gcc", "cc", "cc1", "cc1plus", "g++", "c++"}

def is_compiler(path):
    name = posixpath.basename(path)
    return name in {"cc1", "cc1plus"} or (path.startswith("/usr/bin/") and (name in COMPILERS or name.endswith("-gcc") or "-gcc-" in name))

with tarfile.open(archive) as outer:
    manifest = json.load(outer.extractfile("manifest.json"))[0]
    config = json.load(outer.extractfile(manifest["Config"]))
    diff_ids = config["rootfs"]["diff_ids"]
    # The base image's layers are the first ones; only what comes after is the image's own.
    own = len(base_layers) if diff_ids[:len(base_layers)] == base_layers else 0
    found = {"compilers": [], "wheels": [], "pip_cache": []}
    hidden = {k: [] for k in found}
    live = set()
    for index, layer in enumerate(manifest["Layers"]):
        with tarfile.open(fileobj=outer.extractfile(layer)) as inner:
            for member in inner:
                # Only a leading "./" goes: lstrip("./") would also eat the dot of a root-level whiteout (.wh.wheels).
                rel = member.name[2:] if member.name.startswith("./") else member.name
                path = "/" + rel.lstrip("/")
                base, name = posixpath.split(path)
                if name.startswith(".wh."):  # whiteout: the file stays in the older layer, only hidden
                    target = posixpath.join(base, name[4:])
                    live = {p for p in live if p != target and not p.startswith(target + "/")}
                    continue
                if member.isdir():
                    continue
                live.add(path)
                if index < own:
                    continue
                if is_compiler(path):
                    found["compilers"].append(path)
                if path.endswith(".whl"):
                    found["wheels"].append(path)
                if "/.cache/pip/" in path:
                    found["pip_cache"].append(path)
    for key, paths in found.items():
        hidden[key] = [p for p in paths if p not in live]
print(json.dumps({"size": size, "layers": len(diff_ids), "own_layers": len(diff_ids) - own,
                  **{k: len(v) for k, v in found.items()}, **{k + "_hidden": len(v) for k, v in hidden.items()},
                  "examples": {k: v[:3] for k, v in found.items()}}))
PY
  rm -f "$archive"
}

# presence JSON KEY: "no", "yes (N files)", or "yes (N files, deleted by a later layer but still shipped)".
presence() {
  python3 -c '
import json, sys
m, k = json.loads(sys.argv[1]), sys.argv[2]
n, h = m[k], m[k + "_hidden"]
print("no" if n == 0 else f"yes ({n} files" + (", deleted by a later layer but still shipped" if h == n else f", {h} of them deleted later but still shipped" if h else "") + ")")' "$1" "$2"
}

mb() { python3 -c 'import sys; print(f"{int(sys.argv[1]) / 1e6:.1f} MB")' "$1"; }

write_readme() {
  local readme=$1 table=$2
  [[ -f $readme ]] || printf '# %s\n\n<!-- sample-report:begin -->\n<!-- sample-report:end -->\n' "$(basename "$(dirname "$readme")")" >"$readme"
  python3 - "$readme" "$table" <<'PY'
import re, sys
path, table = sys.argv[1], sys.argv[2]
text = open(path).read()
begin, end = "<!-- sample-report:begin -->", "<!-- sample-report:end -->"
if begin not in text:
    text = text.rstrip("\n") + "\n\n## Image report\n\n" + begin + "\n" + end + "\n"
text = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda _: begin + "\n" + table + end, text, flags=re.S)
open(path, "w").write(text)
PY
}

base_size=$(docker image inspect -f '{{.Size}}' "$PYCONTAINER_BASE_IMAGE")
base_layers=$(docker image inspect -f '{{len .RootFS.Layers}}' "$PYCONTAINER_BASE_IMAGE")
for sample in "${samples[@]}"; do
  [[ -f $root/samples/$sample/baseline/Dockerfile ]] || { log "$sample: no baseline/Dockerfile (skipped)"; continue; }
  declare -A metrics=()
  declare -A failure=()
  for kind in pycontainer baseline; do
    image="pycontainer-sample-report/$sample:$kind"
    buildlog="$work/$sample-$kind.log"
    log "$sample: building the $kind image (log: $buildlog)"
    docker image rm -f "$image" >/dev/null 2>&1 || true
    if "build_$kind" "$sample" "$image" "$buildlog"; then
      metrics[$kind]=$(measure "$image")
    else
      status=1
      # The first error line the build printed, for the table; the whole log stays in artifacts/.
      failure[$kind]=$(grep -m1 -E 'error PYC|returned a non-zero code|ERROR' "$buildlog" | sed -E 's/\x1b\[[0-9;]*m//g; s/^.*(error PYC[0-9]+: )/\1/; s/ \[\/.*$//; s/\|/\\|/g' | cut -c1-200 || true)
      log "$sample: the $kind image did not build: ${failure[$kind]:-see $buildlog}"
    fi
  done

  table="| Image | Size | Layers (own) | Compilers (gcc, cc1) | Wheel files (*.whl) | pip cache (.cache/pip) |
| --- | --- | --- | --- | --- | --- |
"
  for kind in pycontainer baseline; do
    label=$([[ $kind == pycontainer ]] && echo "PyContainer (\`dotnet build -t:ContainerBuild\`)" || echo "Hand-written baseline (\`baseline/Dockerfile\`)")
    if [[ -n ${metrics[$kind]:-} ]]; then
      m=${metrics[$kind]}
      size=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["size"])' "$m")
      layers=$(python3 -c 'import json, sys; m = json.loads(sys.argv[1]); print("%d (%d)" % (m["layers"], m["own_layers"]))' "$m")
      table+="| $label | $(mb "$size") | $layers | $(presence "$m" compilers) | $(presence "$m" wheels) | $(presence "$m" pip_cache) |
"
    else
      table+="| $label | build failed: ${failure[$kind]:-see the build log} | | | | |
"
    fi
  done
  table+="
Measured by \`eng/sample-report.sh\` on $(date -u +%Y-%m-%d) against Docker Engine $(docker version -f '{{.Server.Version}}'), base image
\`$PYCONTAINER_BASE_IMAGE\` ($(mb "$base_size"), $base_layers layers) for both images and both stages, packages from
${PYCONTAINER_PIP_INDEX_URL:-PyPI}. Sizes are the engine's uncompressed image size, base image included; \"own\" layers
are those on top of the base image. Compilers, wheels and pip caches are looked for in the own layers' files
(\`docker save\`): Debian's base image itself ships \`/usr/share/python-wheels/*.whl\` for \`python3 -m venv\`.
"
  write_readme "$root/samples/$sample/README.md" "$table"
  log "$sample: table written to samples/$sample/README.md"

  if [[ -n ${metrics[pycontainer]:-} && -n ${metrics[baseline]:-} ]]; then
    ours=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["size"])' "${metrics[pycontainer]}")
    theirs=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["size"])' "${metrics[baseline]}")
    # Compared as printed (0.1 MB): two copies of one pex built by the same pex 1.5.3 from the same wheels differ
    # by some hundred bytes from build to build, as its bytecode holds the build time.
    if ((ours > theirs)) && [[ $(mb "$ours") == "$(mb "$theirs")" ]]; then
      log "$sample: PyContainer $(mb "$ours") = baseline $(mb "$theirs") to 0.1 MB ($((ours - theirs)) bytes larger)"
    elif ((ours > theirs)); then
      log "$sample: PyContainer's image ($(mb "$ours")) is LARGER than the baseline's ($(mb "$theirs"))"
      status=1
    else
      log "$sample: PyContainer $(mb "$ours") <= baseline $(mb "$theirs")"
    fi
  fi
  unset metrics failure
done
exit "$status"
