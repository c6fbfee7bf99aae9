#!/usr/bin/env bash
# The daemonless builder against the Dockerfile mode and the hand-written baseline, in one run on one machine:
# image size (and the bytecode the Dockerfile mode's image carries), cold publish, warm publish after a one-line
# source edit, no-op publish, a plain `dotnet build` of the same project, and the time from `docker run` to the
# first answer (the start-up cost of an image without .pyc files). Prints a markdown table and writes
# bench/results/daemonless.json.
#
# Usage: bench/daemonless.sh [SAMPLE ...]   (default: flask-hello; httpbin = the corpus app, with its lock)
#
# Cold means: NuGet restore done beforehand (the same for both modes); Dockerfile mode after
# `docker builder prune -af` (base image kept); daemonless with a fresh download cache (PYCONTAINER_CACHE) and
# DOCKER_HOST at a socket that does not exist (base image and wheels come from the registry and index), with no
# obj/container of a previous build. Both publish to the same registry. The baseline is built with BuildKit by
# `DOCKER_BUILDKIT=1 docker build` (Debian's docker 20.10 CLI) after emptying the cache. Other builds on the
# same engine lose their BuildKit cache (unlike bench/run.sh, this script does not use a private engine yet).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1

samples=("$@")
((${#samples[@]})) || samples=(flask-hello)

bash "$root/eng/test-env.sh" >/dev/null
# shellcheck source=/dev/null
source "$root/artifacts/test-env/env.sh"
# shellcheck source=eng/lib/sample-images.sh
source "$root/eng/lib/sample-images.sh"

start_bench "$root" daemonless

log() { echo "[bench] $*" >&2; }

record() { printf '{"sample":"%s","kind":"%s","metric":"%s","value":%s}\n' "$1" "$2" "$3" "$4" >>"$raw"; }

# workspace SAMPLE KIND: a fresh copy of the sample (or the corpus app) with a NuGet.config for the packed SDK.
workspace() {
  local dir=$bench/work/$2/$1
  rm -rf "$dir"
  mkdir -p "$dir"
  workspace_settings "$root" "$bench/work/$2"
  if [[ $1 == httpbin ]]; then
    cp -r "$PYCONTAINER_CORPUS_DIR/httpbin/." "$dir"
    cp -r "$root/tests/PyContainer.EndToEndTests/Corpus/httpbin/." "$dir"
  else
    copy_baseline_context "$root/samples/$1" "$dir"
  fi
  echo "$dir"
}

source_file() { if [[ $1 == httpbin ]]; then echo "$2/httpbin/helpers.py"; else echo "$2/app.py"; fi; }

# publish KIND DIR LOG: ContainerPublish of the copy in DIR, timed; KIND daemonless has no engine.
publish() {
  local args
  pycontainer_build_args args "$(echo "$2"/*.msbuildproj)" ContainerPublish "bench-daemonless/$sample-$1" bench "-p:ContainerRegistry=$registry" -v:n
  if [[ $1 == daemonless ]]; then
    DOCKER_HOST=$no_engine PYCONTAINER_CACHE=$bench/cache timed "$3" dotnet "${args[@]}" -p:ContainerBuildMode=Daemonless "-p:ContainerBaseImage=$PYCONTAINER_REGISTRY_BASE_IMAGE"
  else
    timed "$3" dotnet "${args[@]}"
  fi
}

# first_answer IMAGE: seconds from `docker run` to the first 200 answer on /.
first_answer() {
  local id start=$EPOCHREALTIME port=18$((RANDOM % 900 + 100))
  id=$(docker run -d --network host -e "PORT=$port" "$1")
  until curl -sf -o /dev/null "http://127.0.0.1:$port/"; do sleep 0.05; done
  seconds_since "$start"
  docker rm -f "$id" >/dev/null
}

pyc_bytes() {
  docker run --rm --network none --entrypoint sh "$1" -c "find /opt/venv /app -name '*.pyc' -exec cat {} + 2>/dev/null | wc -c"
}

for sample in "${samples[@]}"; do
  for kind in dockerfile daemonless; do
    dir=$(workspace "$sample" "$kind")
    # NuGet's restore of the SDK is the same for both modes and not what is compared: done before the clock starts.
    dotnet restore "$(echo "$dir"/*.msbuildproj)" -nodeReuse:false >"$bench/logs/$sample-$kind-restore.log" 2>&1
    image="$registry/bench-daemonless/$sample-$kind:bench"
    log "$sample, $kind: cold publish"
    rm -rf "$bench/cache"
    docker image rm -f "$image" >/dev/null 2>&1 || true
    [[ $kind == daemonless ]] || docker builder prune -af >/dev/null
    publish "$kind" "$dir" "$bench/logs/$sample-$kind-cold.log"
    record "$sample" "$kind" cold_publish_s "$took"
    echo "# edit $EPOCHREALTIME" >>"$(source_file "$sample" "$dir")"
    log "$sample, $kind: warm publish after a source edit"
    publish "$kind" "$dir" "$bench/logs/$sample-$kind-warm.log"
    record "$sample" "$kind" warm_source_publish_s "$took"
    log "$sample, $kind: no-op publish"
    publish "$kind" "$dir" "$bench/logs/$sample-$kind-noop.log"
    record "$sample" "$kind" noop_publish_s "$took"
    grep -q "is up to date in the registry" "$bench/logs/$sample-$kind-noop.log" || { log "the no-op publish pushed"; exit 1; }
    log "$sample, $kind: plain dotnet build"
    if [[ $kind == daemonless ]]; then
      DOCKER_HOST=$no_engine timed "$bench/logs/$sample-$kind-plain.log" dotnet build "$(echo "$dir"/*.msbuildproj)" -nodeReuse:false -p:ContainerBuildMode=Daemonless
    else
      timed "$bench/logs/$sample-$kind-plain.log" dotnet build "$(echo "$dir"/*.msbuildproj)" -nodeReuse:false
    fi
    record "$sample" "$kind" plain_build_s "$took"
    docker pull -q "$image" >/dev/null
    record "$sample" "$kind" size_mb "$(docker image inspect -f '{{.Size}}' "$image" | awk '{ printf "%.1f", $1 / 1e6 }')"
    record "$sample" "$kind" pyc_mb "$(pyc_bytes "$image" | awk '{ printf "%.1f", $1 / 1e6 }')"
    for try in 1 2 3; do record "$sample" "$kind" "first_answer_${try}_s" "$(first_answer "$image")"; done
  done
  if [[ -f $root/samples/$sample/baseline/Dockerfile ]]; then
    log "$sample: hand-written baseline, cold"
    baseline_build_args args "$bench/work/dockerfile/$sample" "$registry/bench-daemonless/$sample-baseline:bench"
    # BuildKit through the engine, as PyContainer builds: Debian's docker 20.10 CLI needs no buildx for it.
    docker builder prune -af >/dev/null
    DOCKER_BUILDKIT=1 timed "$bench/logs/$sample-baseline-cold.log" /usr/bin/docker "${args[@]}" "$bench/work/dockerfile/$sample"
    record "$sample" baseline cold_build_s "$took"
    record "$sample" baseline size_mb "$(docker image inspect -f '{{.Size}}' "$registry/bench-daemonless/$sample-baseline:bench" | awk '{ printf "%.1f", $1 / 1e6 }')"
  fi
done

python3 "$root/bench/daemonless.py" "$raw" "$root/bench/results/daemonless.json"
