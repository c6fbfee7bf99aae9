# shellcheck shell=bash
# The bench's own Docker engine: a second dockerd (same Debian docker.io 20.10 as the test environment's) with
# its own data root, socket and containerd, so the bench can empty its BuildKit cache before every cold build
# without touching the caches of other builds and tests on this machine. Source it after
# artifacts/test-env/env.sh; start_private_engine points DOCKER_HOST at it.

BENCH_ENGINE_SOCKET=/var/run/pycontainer-bench.sock
BENCH_ENGINE_ROOT=/var/lib/pycontainer-bench
BENCH_ENGINE_PIDFILE=/var/run/pycontainer-bench.pid
# The docker CLI that ships with that engine (Debian's docker.io): it builds with BuildKit through the engine
# (DOCKER_BUILDKIT=1) with no buildx. A newer CLI earlier in PATH (28.x here) needs buildx for that.
BENCH_DOCKER=/usr/bin/docker

bench_engine_answers() { DOCKER_HOST=unix://$BENCH_ENGINE_SOCKET "$BENCH_DOCKER" version >/dev/null 2>&1; }

# start_private_engine ROOT: starts the engine unless it answers, loads the test environment's base image into
# it unless it has the same image, and exports DOCKER_HOST (and MAIN_DOCKER_HOST, the test environment's).
start_private_engine() {
  local deadline base_id
  [[ -x $BENCH_DOCKER ]] || { echo "bench: $BENCH_DOCKER (Debian's docker.io CLI) is missing" >&2; return 1; }
  if ! bench_engine_answers; then
    mkdir -p "$BENCH_ENGINE_ROOT"
    BENCH_ENGINE_STARTED=1
    (cd / && exec setsid nohup dockerd --host "unix://$BENCH_ENGINE_SOCKET" --data-root "$BENCH_ENGINE_ROOT/docker" \
      --exec-root /var/run/pycontainer-bench --pidfile "$BENCH_ENGINE_PIDFILE" \
      --bridge=none --iptables=false --ip-forward=false --ip-masq=false \
      >>"$BENCH_ENGINE_ROOT/dockerd.log" 2>&1 </dev/null) &
    deadline=$((SECONDS + 60))
    until bench_engine_answers; do
      ((SECONDS < deadline)) || { echo "bench: the private engine does not answer; see $BENCH_ENGINE_ROOT/dockerd.log" >&2; return 1; }
      sleep 0.5
    done
  fi
  export MAIN_DOCKER_HOST=${MAIN_DOCKER_HOST:-$DOCKER_HOST}
  export DOCKER_HOST=unix://$BENCH_ENGINE_SOCKET
  base_id=$(DOCKER_HOST=$MAIN_DOCKER_HOST "$BENCH_DOCKER" image inspect -f '{{.Id}}' "$PYCONTAINER_BASE_IMAGE")
  if [[ $("$BENCH_DOCKER" image inspect -f '{{.Id}}' "$PYCONTAINER_BASE_IMAGE" 2>/dev/null) != "$base_id" ]]; then
    DOCKER_HOST=$MAIN_DOCKER_HOST "$BENCH_DOCKER" save "$PYCONTAINER_BASE_IMAGE" | "$BENCH_DOCKER" load >/dev/null
  fi
}

# stop_private_engine: stops the engine if start_private_engine started it (by its pidfile); its data root,
# and so the loaded base image, stays for the next run.
stop_private_engine() {
  local pid deadline
  [[ ${BENCH_ENGINE_STARTED:-0} == 1 && -f $BENCH_ENGINE_PIDFILE ]] || return 0
  pid=$(cat "$BENCH_ENGINE_PIDFILE")
  grep -qaF "pycontainer-bench" "/proc/$pid/cmdline" 2>/dev/null || return 0
  kill "$pid"
  deadline=$((SECONDS + 30))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.5; done
}
