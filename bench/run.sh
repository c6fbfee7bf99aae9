#!/usr/bin/env bash
# Benchmarks PyContainer against each sample's hand-written baseline (samples/<name>/baseline/Dockerfile), side by
# side on one engine, one base image and one package index: cold and warm builds, image size and layers, build
# context bytes, push after a source-only change, the no-op ContainerPublish and MSBuild's overhead.
# Prints a markdown table (PyContainer / baseline ratios first) and writes bench/results/latest.json and the raw
# figures, bench/results/latest-raw.jsonl.
#
# Usage: bench/run.sh [--repeat N] [SAMPLE ...]   (default: 3 repetitions, every sample with a baseline)
#
# Builds run on copies of the samples under artifacts/bench/work (the edits never touch samples/), on the
# bench's own engine (bench/engine.sh: a second dockerd with its own data root), so emptying its BuildKit cache
# before each cold build (`docker builder prune -af`) touches no other build on the machine. Both sides build
# with BuildKit through that engine's API: PyContainer posts its context tar to /build?version=2, the baseline
# is `DOCKER_BUILDKIT=1 docker build` by Debian's docker 20.10 CLI (its files go over a BuildKit session). The
# side that builds first alternates per repetition (odd: PyContainer first). Context bytes are measured on the
# wire (bench/wire.py): the tar PyContainer posts, the files the CLI sends over its session, and the tar the
# CLI's tar mode (DOCKER_BUILDKIT=0) would post, taken by a stub engine that builds nothing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1

repeat=3
samples=()
while (($#)); do
  case $1 in
    --repeat) repeat=${2:?--repeat needs a number}; shift 2 ;;
    -h | --help) sed -n '2,17p' "$0"; exit 0 ;;
    *) samples+=("$1"); shift ;;
  esac
done
[[ $repeat =~ ^[1-9][0-9]*$ ]] || { echo "--repeat wants a positive number, not '$repeat'" >&2; exit 2; }

bash "$root/eng/test-env.sh"
# shellcheck source=/dev/null
source "$root/artifacts/test-env/env.sh"
# shellcheck source=eng/lib/sample-images.sh
source "$root/eng/lib/sample-images.sh"
# shellcheck source=bench/engine.sh
source "$root/bench/engine.sh"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
uptime_before=$(uptime)
started=$(date -u '+%Y-%m-%d %H:%M UTC')
commit=$(git -C "$root" rev-parse HEAD)
start_private_engine "$root"

bench="$root/artifacts/bench"
results="$root/bench/results"
logs="$bench/logs"
rm -rf "$bench/work" "$logs"
mkdir -p "$bench/work" "$logs" "$results"
use_freshly_packed_sdk "$root" "$bench"
# Every `docker` below (and in bench.py) is the engine's own CLI, which builds with BuildKit without buildx.
mkdir -p "$bench/bin"
ln -sf "$BENCH_DOCKER" "$bench/bin/docker"
export PATH=$bench/bin:$PATH
((${#samples[@]})) || mapfile -t samples < <(sample_names_with_baseline "$root")

registry=${PYCONTAINER_REGISTRY:-localhost:5000}
docker_root=$(docker info -f '{{.DockerRootDir}}')
raw="$bench/raw.jsonl"
: >"$raw"
run_started=$SECONDS

log() { echo "[bench] $*" >&2; }

# The wire: a proxy in front of the engine and a stub engine, each logging what clients send (bench/wire.py).
proxy_socket=$bench/engine-proxy.sock stub_socket=$bench/engine-stub.sock wire_log=$bench/wire.jsonl
: >"$wire_log"
python3 "$root/bench/wire.py" proxy "$proxy_socket" "${DOCKER_HOST#unix://}" "$wire_log" &
proxy_pid=$!
python3 "$root/bench/wire.py" stub "$stub_socket" "$wire_log" &
stub_pid=$!
trap 'kill "$proxy_pid" "$stub_pid" 2>/dev/null; stop_private_engine' EXIT

# record SAMPLE KIND METRIC JSON_VALUE: one raw measurement (kind: pycontainer or baseline) for bench.py.
record() {
  printf '{"sample":"%s","kind":"%s","metric":"%s","rep":%d,"value":%s}\n' "$1" "$2" "$3" "$rep" "$4" >>"$raw"
}

# A copy of the sample beside the samples' own Directory.Build.* (they stop the repository's build settings)
# and a NuGet.config with the packed SDK.
prepare_workspace() {
  local sample=$1
  workspace_settings "$root" "$bench/work"
  copy_baseline_context "$root/samples/$sample" "$bench/work/$sample"
}

# Puts the sample's own files back over the copy (undoing earlier edits) and keeps its obj/.
reset_sources() { tar -C "$root/samples/$1" --exclude=./obj --exclude=./bin -c . | tar -C "$bench/work/$1" -x; }

source_file_of() {
  local work=$bench/work/$1
  case $1 in
    flask-hello) echo "$work/app.py" ;;
    wheels-app) echo "$work/src/wheelsapp/server.py" ;;
    *) find "$work" -name '*.py' -not -path '*/obj/*' | sort | head -n 1 ;;
  esac
}

# A one-line source change that no earlier build has seen.
edit_source() { echo "# bench edit $rep.$2 $EPOCHREALTIME" >>"$(source_file_of "$1")"; }

# A requirement change no earlier build has seen: a real requirement line (itsdangerous is in every index used
# here) whose version bound differs per call, in requirements.txt or else added to pyproject.toml's dependencies.
edit_requirement() {
  local work=$bench/work/$1 requirement="itsdangerous>=1.0.$rep$2"
  if [[ -f $work/requirements.txt ]]; then
    echo "$requirement" >>"$work/requirements.txt"
  else
    python3 - "$work/pyproject.toml" "$requirement" <<'PY'
import re, sys
path, requirement = sys.argv[1], sys.argv[2]
text = open(path).read()
# The sample's own dependencies stay: its app imports them.
text, count = re.subn(r"(?m)^dependencies = \[(.*)\]$",
                      lambda m: f'dependencies = [{m.group(1) + ", " if m.group(1).strip() else ""}"{requirement}"]', text)
assert count == 1, "no one-line dependencies = [...] in " + path
open(path, "w").write(text)
PY
  fi
}

# pycontainer TARGET LOG [MSBUILD_ARG ...]: `dotnet build -t:TARGET` of the sample copy, timed.
pycontainer() {
  local args
  pycontainer_build_args args "$project" "$1" "$pyc_repository" bench "-p:ContainerRegistry=$registry" -v:n -clp:PerformanceSummary "${@:3}"
  timed "$2" dotnet "${args[@]}"
}

# record_pycontainer PHASE LOG: wall time, the engine's build time the task printed and our tasks' own time.
record_pycontainer() {
  local parsed
  parsed=$(python3 "$root/bench/bench.py" build-log "$2")
  record "$sample" pycontainer "$1_s" "$took"
  record "$sample" pycontainer "$1_engine_s" "$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["engine_s"])' "$parsed")"
  record "$sample" pycontainer "$1_tasks_s" "$(python3 -c 'import json, sys; print(sum(json.loads(sys.argv[1])["task_ms"].values()) / 1000)' "$parsed")"
}

# baseline LOG [DOCKER_BUILD_OPTION ...]: `DOCKER_BUILDKIT=1 docker build` of baseline/Dockerfile, timed without
# the context copy.
baseline() {
  local args context=$bench/context-$sample
  copy_baseline_context "$bench/work/$sample" "$context"
  baseline_build_args args "$context" "$base_image"
  DOCKER_BUILDKIT=1 timed "$1" docker "${args[@]}" --progress=plain "${@:2}" "$context"
}

# build_side SIDE PHASE: one timed build of SIDE (pycontainer or baseline) for PHASE, recorded as PHASE_s.
build_side() {
  local log_file=$prefix-$rep-${2//_/-}-$1.log
  if [[ $1 == pycontainer ]]; then
    pycontainer ContainerBuild "$log_file"
    record_pycontainer "$2" "$log_file"
  else
    baseline "$log_file"
    record "$sample" baseline "$2_s" "$took"
  fi
}

# wire_bytes FROM KIND: what the wire log says after its line FROM (bench.py wire-bytes).
wire_bytes() { python3 "$root/bench/bench.py" wire-bytes "$wire_log" "$1" "$2"; }

# measure_context: untimed builds through the proxy (and the stub) after a source edit, recording the bytes each
# client sent: PyContainer's context tars, the CLI's session, the CLI's tar mode's context tar.
measure_context() {
  local from args context=$bench/context-$sample
  edit_source "$sample" 0
  from=$(wc -l <"$wire_log")
  DOCKER_HOST=unix://$proxy_socket pycontainer ContainerBuild "$prefix-$rep-context-pycontainer.log"
  record "$sample" pycontainer context_bytes "$(wire_bytes "$from" build-largest)"
  record "$sample" pycontainer context_bytes_all_uploads "$(wire_bytes "$from" build-bodies)"
  record "$sample" pycontainer context_uploads "$(wire_bytes "$from" build-count)"
  from=$(wc -l <"$wire_log")
  DOCKER_HOST=unix://$proxy_socket baseline "$prefix-$rep-context-baseline.log"
  record "$sample" baseline session_bytes "$(wire_bytes "$from" session)"
  from=$(wc -l <"$wire_log")
  baseline_build_args args "$context" "$base_image"
  DOCKER_BUILDKIT=0 DOCKER_HOST=unix://$stub_socket docker "${args[@]}" "$context" >"$prefix-$rep-context-cli-tar.log" 2>&1 || true
  record "$sample" baseline context_bytes "$(wire_bytes "$from" build-bodies)"
}

layers_of() { python3 "$root/bench/bench.py" layers "$1" "$docker_root"; }

image_id() { docker image inspect -f '{{.Id}}' "$1"; }

# engine_events SINCE UNTIL (fractional Unix times, so a push a moment before is not counted): image events (tag, push, delete, ...) for this sample's images in that window.
engine_events() {
  docker events --since "$1" --until "$2" --filter type=image --format '{{.Action}} {{.Actor.ID}} {{.Actor.Attributes.name}}' \
    | grep -c -e "bench/$sample-" || true
}

bench_sample() {
  sample=$1
  log "$sample: preparing a copy in $bench/work/$sample"
  prepare_workspace "$sample"
  project=$(echo "$bench/work/$sample"/*.msbuildproj)
  pyc_repository="bench/$sample-pycontainer"
  pyc_image="$registry/$pyc_repository:bench"
  base_image="$registry/bench/$sample-baseline:bench"
  local before_pyc before_base after check events_from noop_image_id plain_first=0 side order
  prefix="$logs/$sample"
  # Restores the SDK package once, so no measured build pays for it.
  rep=0
  pycontainer Build "$prefix-restore.log"

  for ((rep = 1; rep <= repeat; rep++)); do
    # Alternating which side builds first spreads warm-up and load drift over both.
    if ((rep % 2)); then order=(pycontainer baseline); else order=(baseline pycontainer); fi
    log "$sample: repetition $rep of $repeat (${order[0]} first)"
    record "$sample" "${order[0]}" first_in_repetition true
    reset_sources "$sample"

    log "$sample: cold builds (each after emptying the private engine's BuildKit cache and removing the images; base image kept)"
    docker image rm -f "$pyc_image" "$base_image" >/dev/null 2>&1 || true
    for side in "${order[@]}"; do
      docker builder prune -af >/dev/null
      build_side "$side" cold
    done
    for kind in pycontainer baseline; do
      local image=$pyc_image
      [[ $kind == pycontainer ]] || image=$base_image
      record "$sample" "$kind" size_bytes "$(docker image inspect -f '{{.Size}}' "$image")"
      record "$sample" "$kind" layers "$(docker image inspect -f '{{len .RootFS.Layers}}' "$image")"
    done
    log "$sample: context bytes on the wire (untimed builds after a source edit)"
    measure_context

    log "$sample: warm rebuilds after a one-line source change"
    before_pyc=$(layers_of "$pyc_image")
    before_base=$(layers_of "$base_image")
    edit_source "$sample" 1
    for side in "${order[@]}"; do build_side "$side" warm_source; done
    for kind in pycontainer baseline; do
      if [[ $kind == pycontainer ]]; then after=$(layers_of "$pyc_image"); check=$before_pyc; else after=$(layers_of "$base_image"); check=$before_base; fi
      check=$(python3 "$root/bench/bench.py" same-dependency-layers "$check" "$after")
      record "$sample" "$kind" check_dependency_layers_after_source_change "$check"
      log "$sample: $kind dependency layers after the source change: $check"
    done

    log "$sample: warm rebuilds after a requirement change"
    edit_requirement "$sample" 1
    for side in "${order[@]}"; do build_side "$side" warm_requirement; done

    log "$sample: push after a source-only change (the registry already holds the previous image)"
    pycontainer ContainerPublish "$prefix-$rep-seed-push-pycontainer.log"
    timed "$prefix-$rep-seed-push-baseline.log" docker push "$base_image"
    edit_source "$sample" 2
    pycontainer ContainerBuild "$prefix-$rep-rebuild-pycontainer.log"
    baseline "$prefix-$rep-rebuild-baseline.log"
    for side in "${order[@]}"; do
      if [[ $side == pycontainer ]]; then
        pycontainer ContainerPublish "$prefix-$rep-push-pycontainer.log"
        record_pycontainer push "$prefix-$rep-push-pycontainer.log"
        record "$sample" pycontainer push_task_s "$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["task_ms"].get("PushContainerImage", 0) / 1000)' "$(python3 "$root/bench/bench.py" build-log "$prefix-$rep-push-pycontainer.log")")"
      else
        timed "$prefix-$rep-push-baseline.log" docker push "$base_image"
        record "$sample" baseline push_s "$took"
        record "$sample" baseline push_task_s "$took"
      fi
    done

    log "$sample: no-op ContainerPublish vs plain dotnet build (nothing changed)"
    plain_first=$((rep % 2 == 0))
    if ((plain_first)); then
      pycontainer Build "$prefix-$rep-plain-build.log"
      record "$sample" pycontainer plain_build_s "$took"
    fi
    noop_image_id=$(image_id "$pyc_image")
    events_from=$EPOCHREALTIME
    pycontainer ContainerPublish "$prefix-$rep-noop-publish.log"
    record_pycontainer noop_publish "$prefix-$rep-noop-publish.log"
    events=$(engine_events "$events_from" "$EPOCHREALTIME")
    record "$sample" pycontainer check_noop_publish "$(python3 -c '
import json, sys
log = json.loads(sys.argv[1])
print(json.dumps({"up_to_date_message": log["up_to_date"], "engine_build": log["built"], "push_skipped": log["push_skipped"],
                  "image_id_unchanged": sys.argv[2] == sys.argv[3], "engine_image_events": int(sys.argv[4])}))' \
      "$(python3 "$root/bench/bench.py" build-log "$prefix-$rep-noop-publish.log")" "$noop_image_id" "$(image_id "$pyc_image")" "$events")"
    if ((!plain_first)); then
      pycontainer Build "$prefix-$rep-plain-build.log"
      record "$sample" pycontainer plain_build_s "$took"
    fi
  done
  docker image rm -f "$pyc_image" "$base_image" >/dev/null 2>&1 || true
}

status=0
for sample in "${samples[@]}"; do
  [[ -f $root/samples/$sample/baseline/Dockerfile ]] || { log "$sample: no baseline/Dockerfile (skipped)"; continue; }
  # A sample that cannot build here (flask-twisted-pex needs pex from PyPI) must not cost the others' figures.
  # Run in the background and waited for: in an `if` or `||` condition, set -e would not stop it at a failure.
  sample_status=0
  (bench_sample "$sample") &
  wait "$!" || sample_status=$?
  if ((sample_status)); then
    log "$sample: benchmark stopped by the failure above; its figures are left out"
    rep=0
    record "$sample" pycontainer failed true
    docker image rm -f "$registry/bench/$sample-pycontainer:bench" "$registry/bench/$sample-baseline:bench" >/dev/null 2>&1 || true
    status=1
  fi
done

python3 - "$bench/machine.json" "$load_before" "$(cut -d' ' -f1-3 /proc/loadavg)" "$((SECONDS - run_started))" "$repeat" \
  "$(docker version -f '{{.Server.Version}}')" "$(dotnet --version)" "$PYCONTAINER_BASE_IMAGE" "$(docker version -f '{{.Client.Version}}')" \
  "$uptime_before" "$(uptime)" "$started" "$commit" <<'PY'
import json, os, platform, sys
out, load_before, load_after, seconds, repeat, engine, dotnet, base, cli, uptime_before, uptime_after, started, commit = sys.argv[1:]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
memory_kb = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal"))
os_name = next((l.split("=", 1)[1].strip().strip('"') for l in open("/etc/os-release") if l.startswith("PRETTY_NAME")), platform.system())
json.dump({"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(memory_kb / 2**20, 1), "os": f"{os_name} ({platform.release()})",
           "docker_engine": engine, "dotnet_sdk": dotnet, "base_image": base,
           "engine": "the bench's private dockerd (bench/engine.sh), its own data root and BuildKit cache",
           "pycontainer_builder": "BuildKit: Engine API POST /build?version=2 with the context tar",
           "baseline_builder": f"BuildKit: DOCKER_BUILDKIT=1 docker build, docker CLI {cli} (POST /build?version=2, files over the session)",
           "first_side": "alternates per repetition: odd repetitions PyContainer first, even ones the baseline",
           "started": started, "commit": commit,
           "load_average_before": load_before, "load_average_after": load_after,
           "uptime_before": uptime_before.strip(), "uptime_after": uptime_after.strip(),
           "run_seconds": int(seconds), "repeat": int(repeat)},
          open(out, "w"), indent=2)
PY
python3 "$root/bench/bench.py" report "$raw" "$bench/machine.json" "$results/latest.json"
cp "$raw" "$results/latest-raw.jsonl"
exit "$status"
