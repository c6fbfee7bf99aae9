#!/usr/bin/env bash
# Two platforms against one, in both build modes, on one machine: cold publish of flask-hello for linux-x64
# alone and for linux-x64;linux-arm64 (the arm64 half runs its RUN steps under QEMU in the Dockerfile mode; the
# daemonless mode runs nothing), then a no-op publish of the two-platform image, and what the registry holds:
# bytes uploaded per platform and the layers both platforms share. Prints a markdown table and writes
# bench/results/platforms.json.
#
# Usage: bench/platforms.sh
#
# Cold means: NuGet restore done beforehand; Dockerfile mode after `docker builder prune -af` (base images kept);
# daemonless with a fresh download cache and DOCKER_HOST at a socket that does not exist. Both modes build on the
# test registry's two-platform base image and push to the same registry.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1

bash "$root/eng/test-env.sh" >/dev/null
# shellcheck source=/dev/null
source "$root/artifacts/test-env/env.sh"
# shellcheck source=eng/lib/sample-images.sh
source "$root/eng/lib/sample-images.sh"

start_bench "$root" platforms

log() { echo "[bench] $*" >&2; }

record() { printf '{"mode":"%s","platforms":"%s","metric":"%s","value":%s}\n' "$1" "$2" "$3" "$4" >>"$raw"; }

# publish MODE RIDS DIR LOG: ContainerPublish of the copy in DIR for the runtime identifiers RIDS, timed.
publish() {
  local args
  pycontainer_build_args args "$(echo "$3"/*.msbuildproj)" ContainerPublish "bench-platforms/flask-hello-$1" "$(tag_of "$2")" \
    "-p:ContainerRegistry=$registry" "-p:ContainerRuntimeIdentifiers=${2//;/%3B}" "-p:ContainerBaseImage=$PYCONTAINER_REGISTRY_BASE_IMAGE" -v:n
  if [[ $1 == daemonless ]]; then
    DOCKER_HOST=$no_engine PYCONTAINER_CACHE=$bench/cache timed "$4" dotnet "${args[@]}" -p:ContainerBuildMode=Daemonless
  else
    timed "$4" dotnet "${args[@]}" "-p:ContainerBuilderImage=$PYCONTAINER_REGISTRY_BASE_IMAGE"
  fi
}

tag_of() { echo "${1//;/-}"; }

# registry_figures MODE RIDS: per platform, the compressed size of the layers above the base image's (the test
# registry's base, that platform's manifest), and how many of those layers the platforms share, read from the registry.
registry_figures() {
  python3 - "$registry" "bench-platforms/flask-hello-$1" "$(tag_of "$2")" "$1" "$2" "${PYCONTAINER_REGISTRY_BASE_IMAGE#*/}" <<'PY' >>"$raw"
import json, sys, urllib.request
registry, repository, tag, mode, platforms, base = sys.argv[1:]
accept = "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json"
def manifest(repo, reference):
    request = urllib.request.Request(f"http://{registry}/v2/{repo}/manifests/{reference}", headers={"Accept": accept})
    return json.load(urllib.request.urlopen(request))
def children(repo, reference):
    top = manifest(repo, reference)
    return {m["platform"]["architecture"]: manifest(repo, m["digest"]) for m in top["manifests"]} if "manifests" in top else {"amd64": top}
base_repo, base_tag = base.rsplit(":", 1)
base_layers = {arch: {l["digest"] for l in m["layers"]} for arch, m in children(base_repo, base_tag).items()}
own = {arch: {l["digest"]: l["size"] for l in m["layers"] if l["digest"] not in base_layers[arch]} for arch, m in children(repository, tag).items()}
shared = set.intersection(*(set(layers) for layers in own.values())) if len(own) > 1 else set()
for arch, layers in own.items():
    print(json.dumps({"mode": mode, "platforms": platforms, "metric": f"own_layers_mb_{arch}", "value": round(sum(layers.values()) / 1e6, 2)}))
print(json.dumps({"mode": mode, "platforms": platforms, "metric": "shared_layers", "value": len(shared)}))
PY
}

for mode in dockerfile daemonless; do
  for rids in "linux-x64" "linux-x64;linux-arm64"; do
    dir=$bench/work/$mode/$(tag_of "$rids")/flask-hello
    copy_baseline_context "$root/samples/flask-hello" "$dir"
    workspace_settings "$root" "$(dirname "$dir")"
    dotnet restore "$(echo "$dir"/*.msbuildproj)" -nodeReuse:false >"$bench/logs/$mode-$(tag_of "$rids")-restore.log" 2>&1
    log "$mode, $rids: cold publish"
    rm -rf "$bench/cache"
    [[ $mode == daemonless ]] || docker builder prune -af >/dev/null
    publish "$mode" "$rids" "$dir" "$bench/logs/$mode-$(tag_of "$rids")-cold.log"
    record "$mode" "$rids" cold_publish_s "$took"
    log "$mode, $rids: no-op publish"
    publish "$mode" "$rids" "$dir" "$bench/logs/$mode-$(tag_of "$rids")-noop.log"
    record "$mode" "$rids" noop_publish_s "$took"
    registry_figures "$mode" "$rids"
  done
done

python3 "$root/bench/platforms.py" "$raw" "$root/bench/results/platforms.json"
