# shellcheck shell=bash
# Shared by eng/sample-report.sh and the bench scripts (bench/run.sh, daemonless.sh, platforms.sh), which build
# samples' PyContainer images (and their hand-written baselines, samples/<name>/baseline/Dockerfile) against the
# same engine, base image and package index. Source it after artifacts/test-env/env.sh.

# sample_names_with_baseline ROOT: one name per line, every sample that has a baseline/Dockerfile.
sample_names_with_baseline() {
  local dockerfile
  for dockerfile in "$1"/samples/*/baseline/Dockerfile; do
    [[ -f $dockerfile ]] && basename "$(dirname "$(dirname "$dockerfile")")"
  done
  return 0
}

# use_freshly_packed_sdk ROOT WORK: packs the SDK and gives NuGet a package folder of WORK's own without
# pycontainer.sdk in it, so the SDK just packed is the one restored (its version never changes).
# A few attempts: other builds on this machine pack into the same artifacts/packages file.
use_freshly_packed_sdk() {
  local attempt
  for attempt in 1 2 3; do
    dotnet pack "$1/sdk/PyContainer.Sdk/PyContainer.Sdk.csproj" -c Release -nodeReuse:false -v:q && break
    ((attempt < 3)) || return 1
    sleep 5
  done
  export NUGET_PACKAGES="$2/nuget-packages"
  rm -rf "$NUGET_PACKAGES/pycontainer.sdk"
}

# start_bench ROOT NAME: a clean artifacts/bench-NAME with logs/ and the SDK freshly packed for it, and what the
# bench scripts share: $bench (that folder), $registry, $no_engine (a socket no engine listens on), $raw (figures).
start_bench() {
  bench="$1/artifacts/bench-$2"
  rm -rf "$bench"
  mkdir -p "$bench/logs" "$1/bench/results"
  use_freshly_packed_sdk "$1" "$bench"
  registry=${PYCONTAINER_REGISTRY:-localhost:5000}
  no_engine=unix:///tmp/pycontainer-no-engine.sock
  raw="$bench/raw.jsonl"
  : >"$raw"
}

# seconds_since START: seconds (3 decimals) from START (an $EPOCHREALTIME) to now.
seconds_since() { awk -v start="$1" -v now="$EPOCHREALTIME" 'BEGIN { printf "%.3f", now - start }'; }

# timed LOG COMMAND...: runs COMMAND with its output in LOG; its wall time in seconds lands in $took. On failure
# it shows the log's tail through the caller's `log` function and returns 1.
took=0
timed() {
  local output=$1 start=$EPOCHREALTIME
  shift
  if ! timeout 1800 "$@" >"$output" 2>&1; then
    tail -n 30 "$output" | sed 's/^/    /' >&2
    log "FAILED: $* (log: $output)"
    return 1
  fi
  took=$(seconds_since "$start")
}

# workspace_settings ROOT FOLDER: what a copied sample needs beside it to build as in samples/: the samples'
# Directory.Build.* (they stop the repository's build settings) and a NuGet.config with the packed SDK and nuget.org.
workspace_settings() {
  cp "$1"/samples/Directory.Build.props "$1"/samples/Directory.Build.targets "$2/"
  cat >"$2/NuGet.config" <<EOF
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="pycontainer-local" value="$1/artifacts/packages" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
</configuration>
EOF
}

# pycontainer_build_args ARRAY PROJECT TARGET REPOSITORY TAG [MSBUILD_ARG ...]: the `dotnet` arguments that
# build PROJECT's image as REPOSITORY:TAG from the test environment's base image and package index.
pycontainer_build_args() {
  local -n pycontainer_args=$1
  pycontainer_args=(build "$2" "-t:$3" -nodeReuse:false
    "-p:ContainerBaseImage=$PYCONTAINER_BASE_IMAGE" "-p:ContainerRepository=$4" "-p:ContainerImageTag=$5")
  [[ -z ${PYCONTAINER_PIP_INDEX_URL:-} ]] || pycontainer_args+=("-p:PythonPackageIndexUrl=$PYCONTAINER_PIP_INDEX_URL")
  pycontainer_args+=("${@:6}")
}

# copy_baseline_context SAMPLE_DIR CONTEXT: what `docker build SAMPLE_DIR` should see, i.e. the sample folder
# without build outputs (obj/, bin/), as a .dockerignore would leave it.
copy_baseline_context() {
  rm -rf "$2"
  mkdir -p "$2"
  tar -C "$1" --exclude=./obj --exclude=./bin -c . | tar -C "$2" -x
}

# baseline_build_args ARRAY CONTEXT IMAGE: the `docker` arguments that build CONTEXT/baseline/Dockerfile as
# IMAGE from the same base image and package index; the caller appends options and then CONTEXT.
baseline_build_args() {
  local -n baseline_args=$1
  baseline_args=(build --network host -f "$2/baseline/Dockerfile" -t "$3" --build-arg "BASE_IMAGE=$PYCONTAINER_BASE_IMAGE")
  [[ -z ${PYCONTAINER_PIP_INDEX_URL:-} ]] || baseline_args+=(--build-arg "PIP_INDEX_URL=$PYCONTAINER_PIP_INDEX_URL")
}

# docker_cli_buildkit: 1 when the docker CLI can build with BuildKit (it has buildx), else 0 for the legacy
# builder; the baselines need nothing BuildKit-only.
docker_cli_buildkit() {
  if docker buildx version >/dev/null 2>&1; then echo 1; else echo 0; fi
}
