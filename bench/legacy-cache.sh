#!/usr/bin/env bash
# Why django-postgis's baseline, built by the legacy builder, rebuilt its dependencies after a one-line source
# edit in the earlier bench (31.6 s, 0 of 2 dependency layers reused): the legacy builder's cache after a
# `--no-cache` build. Builds samples/django-postgis/baseline/Dockerfile with the legacy builder twice over:
#   A: cold with --no-cache (as bench/run.sh used to), then one .py edit, then a second edit;
#   B: cold without --no-cache (images removed first), then one .py edit.
# and prints, per build, its time and which Dockerfile steps said "Using cache". Logs and the summary go to
# bench/results/legacy-cache/. Runs on the bench's private engine (bench/engine.sh), whose caches it empties.
#
# Usage: bench/legacy-cache.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/eng/test-env.sh" >/dev/null
# shellcheck source=/dev/null
source "$root/artifacts/test-env/env.sh"
# shellcheck source=bench/engine.sh
source "$root/bench/engine.sh"
start_private_engine "$root"

out="$root/bench/results/legacy-cache"
context="$root/artifacts/bench-legacy-cache/django-postgis"
rm -rf "$out" "$context"
mkdir -p "$out" "$context"
tar -C "$root/samples/django-postgis" --exclude=./obj --exclude=./bin -c . | tar -C "$context" -x
image=bench/django-postgis-legacy:bench

forget_everything() {
  "$BENCH_DOCKER" image rm -f "$image" >/dev/null 2>&1 || true
  "$BENCH_DOCKER" image prune -f >/dev/null
  "$BENCH_DOCKER" builder prune -af >/dev/null
}

# build NAME [OPTION ...]: one legacy build, its log in $out/NAME.log, a summary line in $out/summary.txt.
build() {
  local name=$1 start=$EPOCHREALTIME
  shift
  DOCKER_BUILDKIT=0 "$BENCH_DOCKER" build --network host -f "$context/baseline/Dockerfile" -t "$image" \
    --build-arg "BASE_IMAGE=$PYCONTAINER_BASE_IMAGE" --build-arg "PIP_INDEX_URL=$PYCONTAINER_PIP_INDEX_URL" \
    "$@" "$context" >"$out/$name.log" 2>&1
  python3 - "$out/$name.log" "$name" "$(awk -v s="$start" -v n="$EPOCHREALTIME" 'BEGIN { printf "%.1f", n - s }')" <<'PY' | tee -a "$out/summary.txt"
import re, sys
log, name, seconds = sys.argv[1:]
steps = re.split(r"(?m)^(?=Step \d+/\d+ : )", open(log).read())[1:]
cached = [s.split(" : ", 1)[0].split()[1].split("/")[0] for s in steps if "---> Using cache" in s]
ran = [s.split(" : ", 1)[0].split()[1].split("/")[0] for s in steps if "---> Running in" in s or "---> Using cache" not in s]
print(f"{name}: {seconds} s; steps from cache: {' '.join(cached) or 'none'}; steps run: {' '.join(ran)}")
PY
}

edit() { echo "# bench edit $1" >>"$context/cities/__init__.py"; }

: >"$out/summary.txt"
forget_everything
build A1-cold-no-cache --no-cache
edit 1
build A2-warm-after-edit
edit 2
build A3-warm-after-second-edit
forget_everything
build B1-cold
edit 3
build B2-warm-after-edit
"$BENCH_DOCKER" image rm -f "$image" >/dev/null
sed -n '/^Step/p' "$out/A1-cold-no-cache.log" >"$out/steps.txt"
stop_private_engine
