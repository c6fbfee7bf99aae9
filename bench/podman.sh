#!/usr/bin/env bash
# flask-hello through Podman (the rootful service eng/test-env.sh starts: Buildah, the legacy Dockerfile) beside
# the Docker engine (BuildKit) on the same machine: a cold ContainerBuild, a warm one after a source edit (a line
# appended to app.py), and the image's size as each engine reports it (and over the base image). Prints a table and
# writes bench/results/podman.json, with the load average before and after (other builds may share the machine).
#
# Usage: bench/podman.sh
#
# Cold means: NuGet restore done beforehand; Docker after `docker builder prune -af`, Podman after its build cache
# (Buildah's intermediate images) is pruned; base images kept in both.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1

bash "$root/eng/test-env.sh" >/dev/null
# shellcheck source=/dev/null
source "$root/artifacts/test-env/env.sh"
# shellcheck source=eng/lib/sample-images.sh
source "$root/eng/lib/sample-images.sh"

start_bench "$root" podman

log() { echo "[bench] $*" >&2; }

load_average() { cut -d' ' -f1-3 /proc/loadavg; }

# build ENGINE DIR LOG: ContainerBuild of the copy in DIR through ENGINE (docker or podman), timed.
build() {
  local args endpoint=$DOCKER_HOST
  [[ $1 == podman ]] && endpoint=$PYCONTAINER_PODMAN_ENDPOINT
  pycontainer_build_args args "$2/flask-hello.msbuildproj" ContainerBuild "bench-podman/flask-hello-$1" bench \
    "-p:ContainerEngineEndpoint=$endpoint" -v:n
  timed "$3" dotnet "${args[@]}"
}

# size ENGINE IMAGE: the image's size in bytes as the engine's CLI reports it.
size() { "$1" image inspect -f '{{.Size}}' "$2"; }

load_before=$(load_average)
results=()
for engine in docker podman; do
  image=bench-podman/flask-hello-$engine:bench
  "$engine" image rm -f "$image" >/dev/null 2>&1 || true
  if [[ $engine == docker ]]; then
    docker builder prune -af >/dev/null 2>&1
  else
    podman image prune -f >/dev/null
  fi
  work=$bench/$engine
  mkdir -p "$work" && cp -r "$root/samples/flask-hello/." "$work/" && rm -rf "$work/bin" "$work/obj"
  workspace_settings "$root" "$work"
  (cd "$work" && dotnet restore flask-hello.msbuildproj -v:q >/dev/null)
  log "$engine: cold ContainerBuild"
  build "$engine" "$work" "$bench/logs/$engine-cold.log"
  cold=$took
  echo "# edited by bench/podman.sh" >>"$work/app.py"
  log "$engine: warm ContainerBuild after editing app.py"
  build "$engine" "$work" "$bench/logs/$engine-warm.log"
  warm=$took
  bytes=$(size "$engine" "$image")
  base=$(size "$engine" "$PYCONTAINER_BASE_IMAGE")
  results+=("$(printf '{"engine":"%s","cold_s":%s,"warm_s":%s,"image_bytes":%s,"over_base_bytes":%s}' "$engine" "$cold" "$warm" "$bytes" "$((bytes - base))")")
  "$engine" image rm -f "$image" >/dev/null 2>&1 || true
done

python3 - "$root/bench/results/podman.json" "$load_before" "$(load_average)" "${results[@]}" <<'PY'
import json, os, platform, subprocess, sys
out, before, after, *rows = sys.argv[1:]
rows = [json.loads(r) for r in rows]
podman = subprocess.run(["podman", "version", "-f", "{{.Client.Version}}"], capture_output=True, text=True).stdout.strip()
docker = subprocess.run(["docker", "version", "-f", "{{.Server.Version}}"], capture_output=True, text=True).stdout.strip()
doc = {"sample": "flask-hello", "target": "ContainerBuild", "cpus": os.cpu_count(), "kernel": platform.release(),
       "docker": docker + " (BuildKit)", "podman": podman + " (Buildah, legacy Dockerfile, rootful)",
       "load_average_before": before, "load_average_after": after, "results": rows}
with open(out, "w") as f:
    json.dump(doc, f, indent=2)
    f.write("\n")
print(f"| engine | cold (s) | warm after source edit (s) | image (MB) | over base (MB) |   load {before} -> {after}, {os.cpu_count()} cpus")
print("|---|---|---|---|---|")
for r in rows:
    print(f"| {r['engine']} | {r['cold_s']:.1f} | {r['warm_s']:.1f} | {r['image_bytes'] / 1e6:.1f} | {r['over_base_bytes'] / 1e6:.1f} |")
PY
