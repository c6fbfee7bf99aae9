#!/usr/bin/env bash
# Provision what PyContainer's tests and samples need on a Debian 12 machine, run as root:
#   1. a Docker engine (Debian's docker.io, started by hand: these machines have no systemd), on the
#      default unix socket and also on tcp://127.0.0.1:2376 with --tlsverify (certificates made here),
#   2. a Python 3.11 base image (python:3.11-slim if pullable, else built from Debian packages),
#   2a. linux/arm64 under QEMU user emulation (qemu-user-static, binfmt_misc with flag F) and an arm64 twin of
#      the local base image (debootstrap --arch=arm64; about 11 minutes the first time, under QEMU),
#   3. two local registries: plain on 127.0.0.1:5000, htpasswd + TLS on 127.0.0.1:5001, the base image
#      copied into the plain one for the daemonless builder (skopeo; umoci too, for the OCI tests); the local
#      base image's name there is a manifest list of linux/amd64 and linux/arm64,
#   3a. Podman's API service (rootful) on a unix socket of its own, holding the test base image too,
#   4. an offline pip index on 127.0.0.1:5080 made from Debian's python3-* packages (only when
#      PyPI is unreachable); native wheels come as linux_x86_64 and linux_aarch64,
#   5. the acceptance corpus: real web apps from Debian's mirror laid out as source trees (eng/corpus.py),
#   5a. Debian's docker-compose and a PostGIS image made from Debian's packages (eng/postgis-image),
#   6. Debian's mono, a .NET Framework-compatible runtime that runs the net472 task assembly in a test,
#   7. an sshd of its own on 127.0.0.1:2223 (root by key only) for the ssh:// engine tests,
# then writes artifacts/test-env/env.sh with the settings the tests read.
#
# Idempotent: a second run only checks that everything answers (a few seconds).
# Nothing here uses the default docker bridge or any non-loopback address: traffic to private
# address ranges is flagged on these machines. Containers run with --network host.
#
# Usage: eng/test-env.sh [--print-env]    (--print-env: print env.sh to stdout, logs to stderr)
set -euo pipefail

SCRIPT_DIR=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
REPO_ROOT=$(dirname "$SCRIPT_DIR")
ENV_FILE=$REPO_ROOT/artifacts/test-env/env.sh
STATE=/var/lib/pycontainer-testenv
SETUP_LOG=$STATE/setup.log

DEFAULT_DOCKER_HOST=unix:///var/run/docker.sock
ENGINE_TLS_PORT=2376
ENGINE_TLS_DIR=$STATE/engine-tls
SSHD_PORT=2223
SSHD_DIR=$STATE/sshd
OFFICIAL_BASE_IMAGE=python:3.11-slim
OFFICIAL_BUILDER_IMAGE=python:3.11
LOCAL_IMAGE=pycontainer-test/python:3.11-bookworm
ROOTFS_TAR=$STATE/rootfs/python-3.11-bookworm.tar
# linux/arm64, run under QEMU user emulation (binfmt_misc, flag F): the same base image made for arm64.
ARM64_IMAGE=pycontainer-test/python:3.11-bookworm-arm64
ARM64_ROOTFS_TAR=$STATE/rootfs/python-3.11-bookworm-arm64.tar
BINFMT_DIR=/proc/sys/fs/binfmt_misc
ARM64_PROBE_DIR=$STATE/arm64-probe
DEBIAN_MIRROR=http://deb.debian.org/debian

PLAIN_REGISTRY_PORT=5000
AUTH_REGISTRY_PORT=5001
AUTH_REGISTRY_USER=pycontainer
AUTH_PASSWORD_FILE=$STATE/registry-auth.password
TLS_DIR=$STATE/tls
INDEX_PORT=5080
INDEX_DIR=$STATE/pypi

PRINT_ENV=false
case "${1:-}" in
  --print-env) PRINT_ENV=true ;;
  "") ;;
  *) echo "usage: $0 [--print-env]" >&2; exit 2 ;;
esac

# ----------------------------------------------------------------------------- helpers

log() { echo "[test-env] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Runs a noisy command with its output in $SETUP_LOG; shows the tail only when it fails
# (and then returns 1, which ends the script under set -e unless the caller checks it).
run_logged() {
  local desc=$1; shift
  log "$desc"
  echo "=== $(date -Is) $desc: $*" >>"$SETUP_LOG"
  if ! "$@" >>"$SETUP_LOG" 2>&1 </dev/null; then
    tail -n 25 "$SETUP_LOG" | sed 's/^/    /' >&2
    log "FAILED: $desc (full log: $SETUP_LOG)"
    return 1
  fi
}

# wait_for SECONDS COMMAND...: polls COMMAND until it succeeds.
wait_for() {
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# daemon_alive PIDFILE PROGRAM: the pid is alive and still runs PROGRAM (pids get reused).
daemon_alive() { [[ -f $1 ]] && grep -qaF "$2" "/proc/$(cat "$1")/cmdline" 2>/dev/null; }

# start_daemon NAME COMMAND...: background process that outlives this script, with
# $STATE/NAME.pid and $STATE/NAME.log. setsid+nohup detach it from our session; it must not
# inherit the lock (fd 9) nor our stdout, or callers waiting for our output would hang.
start_daemon() {
  local name=$1; shift
  log "starting $name (log: $STATE/$name.log)"
  (cd / && exec setsid nohup "$@" >>"$STATE/$name.log" 2>&1 </dev/null 9>&-) &
  echo $! >"$STATE/$name.pid"
}

# apt_install PACKAGE...: installs what is missing; 'apt-get update' only when apt cannot see them.
apt_install() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
  done
  ((${#missing[@]})) || return 0
  if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null || ! apt-cache show "${missing[@]}" >/dev/null 2>&1; then
    run_logged "apt-get update" apt-get update
  fi
  # Keep maintainer scripts from starting services: docker.io's would start dockerd with the
  # default bridge network (a private address range), docker-registry's one on 0.0.0.0:5000.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  # --no-install-recommends: docker.io recommends needrestart/apparmor/cgroupfs-mount, which
  # only get in the way on these machines.
  DEBIAN_FRONTEND=noninteractive run_logged "apt-get install ${missing[*]}" \
    apt-get install -y --no-install-recommends "${missing[@]}"
  if [[ $(trap -p EXIT) ]]; then rm -f /usr/sbin/policy-rc.d; trap - EXIT; fi
}

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

# try_pull IMAGE: registries on the internet are unreachable here, so give up quickly.
try_pull() {
  log "trying docker pull $1"
  timeout 20 docker pull -q "$1" >>"$SETUP_LOG" 2>&1 </dev/null
}

# ----------------------------------------------------------------------------- 1. Docker engine

docker_answers() { timeout 10 docker version >/dev/null 2>&1; }

ensure_docker() {
  if [[ -n ${DOCKER_HOST:-} && $DOCKER_HOST != "$DEFAULT_DOCKER_HOST" ]] && docker_answers; then
    log "Docker engine answers at $DOCKER_HOST (not ours: no tcp+TLS listener is added)"
    ENGINE_TLS_HOST=
    return
  fi
  export DOCKER_HOST=$DEFAULT_DOCKER_HOST
  ensure_engine_tls_certificates
  if docker_answers && ! port_open "$ENGINE_TLS_PORT"; then
    restart_dockerd_for_tls
  fi
  if ! docker_answers; then
    apt_install docker.io ca-certificates
    # A dockerd that is still starting holds its pidfile: wait for it rather than start another.
    if ! daemon_alive /var/run/docker.pid dockerd; then
      start_daemon dockerd dockerd --host "$DEFAULT_DOCKER_HOST" \
        --host "tcp://127.0.0.1:$ENGINE_TLS_PORT" --tlsverify --tlscacert "$ENGINE_TLS_DIR/ca.pem" \
        --tlscert "$ENGINE_TLS_DIR/server-cert.pem" --tlskey "$ENGINE_TLS_DIR/server-key.pem" \
        --bridge=none --iptables=false --ip-forward=false --ip-masq=false
    fi
    wait_for 30 docker_answers || die "dockerd does not answer; see $STATE/dockerd.log"
  fi
  ENGINE_TLS_HOST=
  if wait_for 15 engine_tls_answers; then
    ENGINE_TLS_HOST=tcp://127.0.0.1:$ENGINE_TLS_PORT
  else
    log "WARNING: no engine answers with TLS on 127.0.0.1:$ENGINE_TLS_PORT; the tcp+TLS tests will fail"
  fi
  log "Docker engine $(docker version -f '{{.Server.Version}}') answers at $DOCKER_HOST${ENGINE_TLS_HOST:+ and $ENGINE_TLS_HOST (TLS)}"
}

engine_tls_answers() {
  DOCKER_HOST=tcp://127.0.0.1:$ENGINE_TLS_PORT DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH=$ENGINE_TLS_DIR/client docker_answers
}

# A dockerd started by an earlier version of this script listens on the unix socket only. Restart it with
# the TLS listener, but only when it is ours (started with --bridge=none): a dockerd someone else runs is
# left alone. Images and volumes stay in its data root; running containers are stopped by the restart.
restart_dockerd_for_tls() {
  local pid flags
  pid=$(pgrep -o -x dockerd) || return 0
  flags=$(tr '\0' ' ' <"/proc/$pid/cmdline")
  if [[ $flags != *--bridge=none* || $flags == *tcp://* ]]; then
    log "WARNING: dockerd ($flags) was not started by this script; not restarting it for the TLS listener"
    return 0
  fi
  log "restarting dockerd (pid $pid) to add the TLS listener on 127.0.0.1:$ENGINE_TLS_PORT; data is kept"
  kill -TERM "$pid"
  local deadline=$((SECONDS + 60))
  while kill -0 "$pid" 2>/dev/null; do
    ((SECONDS < deadline)) || die "dockerd (pid $pid) did not stop within 60 s"
    sleep 0.5
  done
}

# Server and client certificates for the engine's TLS listener, from the test CA (ensure_tls_certificates).
# DOCKER_CERT_PATH=$ENGINE_TLS_DIR/client holds ca.pem, cert.pem and key.pem, as the docker CLI expects.
ensure_engine_tls_certificates() {
  apt_install openssl
  ensure_tls_certificates
  mkdir -p "$ENGINE_TLS_DIR/client"
  cmp -s "$TLS_DIR/ca.crt" "$ENGINE_TLS_DIR/ca.pem" || cp "$TLS_DIR/ca.crt" "$ENGINE_TLS_DIR/ca.pem"
  cmp -s "$TLS_DIR/ca.crt" "$ENGINE_TLS_DIR/client/ca.pem" || cp "$TLS_DIR/ca.crt" "$ENGINE_TLS_DIR/client/ca.pem"
  issue_certificate "$ENGINE_TLS_DIR/server-cert.pem" "$ENGINE_TLS_DIR/server-key.pem" localhost \
    "subjectAltName=DNS:localhost,IP:127.0.0.1" "extendedKeyUsage=serverAuth"
  issue_certificate "$ENGINE_TLS_DIR/client/cert.pem" "$ENGINE_TLS_DIR/client/key.pem" pycontainer-test-client \
    "extendedKeyUsage=clientAuth"
  chmod 600 "$ENGINE_TLS_DIR"/*.pem "$ENGINE_TLS_DIR"/client/*.pem
}

# issue_certificate CERT KEY CN EXTENSION...: signed by the test CA; re-issued when missing, not from this
# CA, or about to expire (a week).
issue_certificate() {
  local cert=$1 key=$2 cn=$3; shift 3
  if [[ -s $cert && -s $key ]] && openssl verify -CAfile "$TLS_DIR/ca.crt" "$cert" >/dev/null 2>&1 \
      && openssl x509 -checkend 604800 -noout -in "$cert" >/dev/null; then
    return 0
  fi
  printf '%s\n' "$@" "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" >"$cert.ext"
  run_logged "creating the key for $cn" openssl req -newkey rsa:2048 -nodes -subj "/CN=$cn" -keyout "$key" -out "$cert.csr"
  run_logged "signing the certificate for $cn" openssl x509 -req -in "$cert.csr" -CA "$TLS_DIR/ca.crt" \
    -CAkey "$TLS_DIR/ca.key" -CAcreateserial -days 825 -extfile "$cert.ext" -out "$cert"
  rm -f "$cert.csr" "$cert.ext"
}

# ----------------------------------------------------------------------------- 2. base image

ensure_base_image() {
  if image_exists "$OFFICIAL_BASE_IMAGE"; then
    BASE_IMAGE=$OFFICIAL_BASE_IMAGE
  elif image_exists "$LOCAL_IMAGE"; then
    BASE_IMAGE=$LOCAL_IMAGE
  elif try_pull "$OFFICIAL_BASE_IMAGE"; then
    BASE_IMAGE=$OFFICIAL_BASE_IMAGE
  else
    log "no registry reachable: building $LOCAL_IMAGE from Debian packages"
    import_local_image
    BASE_IMAGE=$LOCAL_IMAGE
  fi
  # The builder image only differs where the official images are available.
  BUILDER_IMAGE=$BASE_IMAGE
  if [[ $BASE_IMAGE == "$OFFICIAL_BASE_IMAGE" ]] && { image_exists "$OFFICIAL_BUILDER_IMAGE" || try_pull "$OFFICIAL_BUILDER_IMAGE"; }; then
    BUILDER_IMAGE=$OFFICIAL_BUILDER_IMAGE
  fi
  log "base image: $BASE_IMAGE, builder image: $BUILDER_IMAGE"
  [[ $BASE_IMAGE != "$LOCAL_IMAGE" ]] || verify_apt_in_image
}

# The debootstrap tarball is kept, so re-importing after 'docker image rm' takes seconds.
import_local_image() {
  [[ -s $ROOTFS_TAR ]] || make_rootfs_tar
  run_logged "docker import $LOCAL_IMAGE" docker import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c 'CMD ["python3"]' "$ROOTFS_TAR" "$LOCAL_IMAGE"
}

# make_rootfs_tar [ARCH TAR]: the host's architecture into $ROOTFS_TAR by default. A foreign ARCH (arm64) needs
# its qemu registered with binfmt_misc (ensure_emulation): debootstrap's second stage then runs under emulation.
make_rootfs_tar() {
  local arch=${1:-} tar=${2:-$ROOTFS_TAR}
  apt_install debootstrap debian-archive-keyring
  local dir=$STATE/rootfs/build${arch:+-$arch}
  mkdir -p "$STATE/rootfs"
  remove_rootfs_dir "$dir"
  run_logged "debootstrap ${arch:+--arch=$arch }bookworm (${arch:+several minutes under QEMU, else }about a minute)" \
    debootstrap --variant=minbase ${arch:+--arch="$arch"} \
    --include=python3,python3-venv,python3-pip,ca-certificates bookworm "$dir" "$DEBIAN_MIRROR"
  rm -f "$dir"/var/cache/apt/archives/*.deb
  rm -rf "$dir"/var/lib/apt/lists/*
  # Generated Dockerfiles install build-time OS packages (gcc, libpq-dev) with apt inside
  # --network host builds, so the image needs the full set of bookworm sources; debootstrap
  # only writes the main suite. Checked by verify_apt_in_image.
  cat >"$dir/etc/apt/sources.list" <<EOF
deb $DEBIAN_MIRROR bookworm main
deb $DEBIAN_MIRROR bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
EOF
  # The host's identity does not belong in an image.
  rm -f "$dir/etc/hostname" "$dir/etc/resolv.conf"
  run_logged "packing the root file system" tar -C "$dir" -cf "$tar.tmp" .
  mv "$tar.tmp" "$tar"
  remove_rootfs_dir "$dir"
}

# A failed debootstrap can leave /proc or /sys mounted inside the tree: unmount before deleting.
remove_rootfs_dir() {
  local mnt
  while read -r mnt; do umount -l "$mnt" || true; done < <(findmnt -rno TARGET | grep -F "$1/" | sort -r)
  rm -rf "$1"
}

# Checked by hand (Nov 2026): with the sources.list above, 'apt-get update && apt-get install -y
# gcc libc6-dev libpq-dev python3-dev' works inside a --network host container of the local
# image, and gcc links against libpq. Re-checked here once per image with a smaller real install.
verify_apt_in_image() {
  local id stamp
  id=$(docker image inspect -f '{{.Id}}' "$BASE_IMAGE")
  stamp=$STATE/apt-in-image.ok
  [[ -f $stamp && $(cat "$stamp") == "$id" ]] && return 0
  run_logged "checking apt-get inside a --network host container of $BASE_IMAGE" \
    docker run --rm --network host "$BASE_IMAGE" sh -ec \
    'apt-get update -q && apt-get install -y -q --no-install-recommends libpq-dev && test -f /usr/include/postgresql/libpq-fe.h'
  echo "$id" >"$stamp"
}

# ----------------------------------------------------------------------------- 2a. linux/arm64 under QEMU

# QEMU user emulation for linux/arm64: Debian's qemu-user-static registers qemu-aarch64 with binfmt_misc (flags
# "F": the interpreter is opened at registration, so it also works inside containers and chroots, which do not
# hold /usr/libexec/qemu-binfmt) once binfmt_misc is mounted; these machines do not mount it at boot. Also adds
# arm64 as a dpkg foreign architecture: make-wheelhouse.py downloads the arm64 .debs of the native wheels.
ensure_emulation() {
  apt_install qemu-user-static binfmt-support
  if ! mountpoint -q "$BINFMT_DIR"; then
    run_logged "mounting binfmt_misc at $BINFMT_DIR" mount -t binfmt_misc binfmt_misc "$BINFMT_DIR"
  fi
  if ! qemu_aarch64_registered; then
    # binfmt-support's own import needs the format file from qemu-user-static; --enable reads it too.
    run_logged "registering qemu-aarch64 with binfmt_misc" update-binfmts --enable qemu-aarch64 || true
    if ! qemu_aarch64_registered; then
      run_logged "importing qemu-aarch64 into binfmt-support" update-binfmts --import qemu-aarch64 || true
      run_logged "registering qemu-aarch64 with binfmt_misc" update-binfmts --enable qemu-aarch64 || true
    fi
    qemu_aarch64_registered || die "qemu-aarch64 is not registered with flag F in $BINFMT_DIR/qemu-aarch64: $(tr '\n' ' ' <"$BINFMT_DIR/qemu-aarch64" 2>/dev/null)"
  fi
  ensure_arm64_apt
  verify_arm64_binary
}

# enabled, and flags with F (fix binary): "flags: PF" on Debian 12.
qemu_aarch64_registered() {
  [[ -r $BINFMT_DIR/qemu-aarch64 ]] && grep -qx enabled "$BINFMT_DIR/qemu-aarch64" \
    && grep -Eq '^flags: [A-Z]*F' "$BINFMT_DIR/qemu-aarch64"
}

ensure_arm64_apt() {
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    run_logged "dpkg --add-architecture arm64" dpkg --add-architecture arm64
  fi
  if ! compgen -G '/var/lib/apt/lists/*binary-arm64_Packages*' >/dev/null; then
    run_logged "apt-get update (arm64 package lists)" apt-get update
  fi
}

# A real arm64 program: Debian's busybox-static for arm64, kept in $ARM64_PROBE_DIR.
verify_arm64_binary() {
  local busybox=$ARM64_PROBE_DIR/bin/busybox out
  if [[ ! -x $busybox ]]; then
    rm -rf "$ARM64_PROBE_DIR" && mkdir -p "$ARM64_PROBE_DIR/deb"
    chown _apt "$ARM64_PROBE_DIR/deb" 2>/dev/null || true
    (cd "$ARM64_PROBE_DIR/deb" && run_logged "apt-get download busybox-static:arm64" apt-get download busybox-static:arm64) \
      || die "cannot download busybox-static:arm64"
    run_logged "extracting busybox-static:arm64" dpkg-deb -x "$(ls "$ARM64_PROBE_DIR"/deb/busybox-static_*_arm64.deb)" "$ARM64_PROBE_DIR/x"
    mv "$ARM64_PROBE_DIR/x/bin" "$ARM64_PROBE_DIR/bin"
    rm -rf "$ARM64_PROBE_DIR/x" "$ARM64_PROBE_DIR/deb"
  fi
  out=$("$busybox" uname -m 2>&1) || true
  [[ $out == aarch64 ]] || die "an arm64 binary does not run under QEMU ($busybox uname -m said: $out)"
  log "QEMU runs arm64 binaries (qemu-aarch64: $(grep '^flags' "$BINFMT_DIR/qemu-aarch64"))"
}

# The arm64 twin of $LOCAL_IMAGE, always built from Debian packages (debootstrap --arch=arm64, the same include
# list and cleanup), loaded as a linux/arm64 image (load_rootfs_image); its tarball is kept like the amd64 one.
ensure_arm64_image() {
  if ! image_exists "$ARM64_IMAGE" || [[ $(docker image inspect -f '{{.Os}}/{{.Architecture}}' "$ARM64_IMAGE") != linux/arm64 ]]; then
    [[ -s $ARM64_ROOTFS_TAR ]] || make_rootfs_tar arm64 "$ARM64_ROOTFS_TAR"
    run_logged "docker load $ARM64_IMAGE (linux/arm64)" load_rootfs_image "$ARM64_ROOTFS_TAR" "$ARM64_IMAGE" arm64 v8
    local platform
    platform=$(docker image inspect -f '{{.Os}}/{{.Architecture}}' "$ARM64_IMAGE")
    [[ $platform == linux/arm64 ]] || die "$ARM64_IMAGE was imported as $platform, not linux/arm64"
  fi
  verify_arm64_image
}

# load_rootfs_image TAR NAME ARCH VARIANT: as 'docker import' does, but with the config's architecture set. This
# 20.10 engine ignores 'docker import --platform linux/arm64' (it needs an experimental daemon) and records the
# host's amd64; so the rootfs tar goes in as the single layer of a 'docker save' archive streamed to 'docker load'.
# The config's created time is the tar's mtime: a re-load of the same tar gives the same image ID.
load_rootfs_image() {
  python3 - "$@" <<'EOF' | docker load
import datetime, hashlib, io, json, os, sys, tarfile
rootfs, name, arch, variant = sys.argv[1:5]
digest = hashlib.sha256()
with open(rootfs, "rb") as f:
    for chunk in iter(lambda: f.read(1 << 20), b""):
        digest.update(chunk)
created = datetime.datetime.fromtimestamp(int(os.stat(rootfs).st_mtime), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
config = json.dumps({
    "architecture": arch, "variant": variant, "os": "linux", "created": created,
    "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], "Cmd": ["python3"]},
    "rootfs": {"type": "layers", "diff_ids": ["sha256:" + digest.hexdigest()]},
    "history": [{"created": created, "created_by": "debootstrap --arch=" + arch + " (eng/test-env.sh)"}],
}, separators=(",", ":"), sort_keys=True).encode()
config_name = hashlib.sha256(config).hexdigest() + ".json"
manifest = json.dumps([{"Config": config_name, "RepoTags": [name], "Layers": ["layer.tar"]}]).encode()
with tarfile.open(fileobj=sys.stdout.buffer, mode="w|") as out:
    for member, data in ((config_name, config), ("manifest.json", manifest)):
        info = tarfile.TarInfo(member)
        info.size = len(data)
        out.addfile(info, io.BytesIO(data))
    with open(rootfs, "rb") as f:
        info = tarfile.TarInfo("layer.tar")
        info.size = os.fstat(f.fileno()).st_size
        out.addfile(info, f)
EOF
}

# Its python3 runs under QEMU and sees an aarch64 machine. Remembered per image.
verify_arm64_image() {
  local id stamp=$STATE/arm64-image.ok out
  id=$(docker image inspect -f '{{.Id}}' "$ARM64_IMAGE")
  if [[ ! -f $stamp || $(cat "$stamp") != "$id" ]]; then
    out=$(docker run --rm --network none --platform linux/arm64 "$ARM64_IMAGE" \
      python3 -c 'import platform; print(platform.machine())' 2>>"$SETUP_LOG") || true
    [[ $out == aarch64 ]] || die "$ARM64_IMAGE does not run python3 as aarch64 (it said: $out; see $SETUP_LOG)"
    echo "$id" >"$stamp"
  fi
  log "arm64 base image: $ARM64_IMAGE (python3 runs as aarch64 under QEMU)"
}

# ----------------------------------------------------------------------------- 3. registries

ensure_registries() {
  # skopeo and umoci: independent checkers of what the daemonless builder pushes and writes (OCI layouts, archives).
  apt_install docker-registry apache2-utils openssl curl skopeo umoci
  ensure_tls_certificates
  ensure_htpasswd

  mkdir -p "$STATE/registry-plain"
  write_registry_config plain "$PLAIN_REGISTRY_PORT" ""
  ensure_registry plain "$PLAIN_REGISTRY_PORT" plain_registry_answers

  mkdir -p "$STATE/registry-auth"
  write_registry_config auth "$AUTH_REGISTRY_PORT" "$(cat <<EOF
  tls:
    certificate: $TLS_DIR/server.crt
    key: $TLS_DIR/server.key
auth:
  htpasswd:
    realm: pycontainer-test
    path: $STATE/registry-auth.htpasswd
EOF
)"
  ensure_registry auth "$AUTH_REGISTRY_PORT" auth_registry_answers
}

plain_registry_answers() { curl -sf "http://127.0.0.1:$PLAIN_REGISTRY_PORT/v2/"; }

# Credentials go through a curl config on stdin, never on a command line (visible in ps).
auth_registry_answers() {
  curl -sf --cacert "$TLS_DIR/ca.crt" -K - "https://localhost:$AUTH_REGISTRY_PORT/v2/" \
    <<<"user = \"$AUTH_REGISTRY_USER:$(cat "$AUTH_PASSWORD_FILE")\""
}

# write_registry_config NAME PORT EXTRA_YAML (EXTRA_YAML continues the 'http:' section).
write_registry_config() {
  cat >"$STATE/registry-$1.yml" <<EOF
# Generated by eng/test-env.sh
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: $STATE/registry-$1
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$2
  secret: pycontainer-test-$1
$3
EOF
}

# ensure_registry NAME PORT CHECK...: starts the registry unless something answers on PORT.
ensure_registry() {
  local name=$1 port=$2; shift 2
  if ! port_open "$port" && ! daemon_alive "$STATE/registry-$name.pid" docker-registry; then
    start_daemon "registry-$name" docker-registry serve "$STATE/registry-$name.yml"
  fi
  wait_for 30 "$@" || die "registry on 127.0.0.1:$port does not answer as expected; see $STATE/registry-$name.log"
  log "registry $name answers on 127.0.0.1:$port"
}

# Self-signed CA + server certificate (SAN localhost and 127.0.0.1), trusted by the engine.
ensure_tls_certificates() {
  mkdir -p "$TLS_DIR"
  if [[ ! -s $TLS_DIR/ca.crt || ! -s $TLS_DIR/ca.key ]]; then
    run_logged "creating the test CA" openssl req -x509 -newkey rsa:2048 -nodes -days 3650 \
      -subj "/CN=PyContainer test CA" -keyout "$TLS_DIR/ca.key" -out "$TLS_DIR/ca.crt" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
    rm -f "$TLS_DIR/server.crt"
  fi
  # Re-issue when missing, not from this CA, or about to expire (a week).
  if ! { [[ -s $TLS_DIR/server.crt ]] && openssl verify -CAfile "$TLS_DIR/ca.crt" "$TLS_DIR/server.crt" >/dev/null 2>&1 \
         && openssl x509 -checkend 604800 -noout -in "$TLS_DIR/server.crt" >/dev/null; }; then
    printf '%s\n' "subjectAltName=DNS:localhost,IP:127.0.0.1" "extendedKeyUsage=serverAuth" \
      "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyEncipherment" >"$TLS_DIR/server.ext"
    run_logged "creating the registry server key" openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
      -keyout "$TLS_DIR/server.key" -out "$TLS_DIR/server.csr"
    run_logged "signing the registry server certificate" openssl x509 -req -in "$TLS_DIR/server.csr" \
      -CA "$TLS_DIR/ca.crt" -CAkey "$TLS_DIR/ca.key" -CAcreateserial -days 825 \
      -extfile "$TLS_DIR/server.ext" -out "$TLS_DIR/server.crt"
  fi
  chmod 600 "$TLS_DIR"/*.key
  # The engine trusts a registry's CA from certs.d/<host:port>/ca.crt (read per connection).
  local host
  for host in "localhost:$AUTH_REGISTRY_PORT" "127.0.0.1:$AUTH_REGISTRY_PORT"; do
    mkdir -p "/etc/docker/certs.d/$host"
    cmp -s "$TLS_DIR/ca.crt" "/etc/docker/certs.d/$host/ca.crt" || cp "$TLS_DIR/ca.crt" "/etc/docker/certs.d/$host/ca.crt"
  done
}

# The password is generated once; htpasswd (bcrypt) is rewritten only when it does not match.
ensure_htpasswd() {
  if [[ ! -s $AUTH_PASSWORD_FILE ]]; then
    (umask 077 && openssl rand -hex 16 >"$AUTH_PASSWORD_FILE")
  fi
  chmod 600 "$AUTH_PASSWORD_FILE"
  local htpasswd_file=$STATE/registry-auth.htpasswd
  if ! htpasswd -v -i "$htpasswd_file" "$AUTH_REGISTRY_USER" <"$AUTH_PASSWORD_FILE" >/dev/null 2>&1; then
    htpasswd -c -B -i "$htpasswd_file" "$AUTH_REGISTRY_USER" <"$AUTH_PASSWORD_FILE" 2>>"$SETUP_LOG"
    # A registry that is already running read the old file at startup.
    ! port_open "$AUTH_REGISTRY_PORT" || log "WARNING: htpasswd changed; restart the registry on port $AUTH_REGISTRY_PORT"
  fi
}

# The daemonless builder reads its base image from a registry, never from the engine: the test base image in the
# plain registry, as localhost:5000/<its name>. For the local image that name is a two-platform manifest list:
# linux/amd64 ($LOCAL_IMAGE, tag <name>-amd64) and linux/arm64/v8 ($ARM64_IMAGE, tag <name>-arm64); clients pick
# their platform from it. (An official python:3.11-slim stays single-platform here.)
ensure_registry_base_image() {
  local name=${BASE_IMAGE#docker.io/}
  name=${name#library/}
  REGISTRY_BASE_IMAGE=localhost:$PLAIN_REGISTRY_PORT/$name
  if [[ $BASE_IMAGE != "$LOCAL_IMAGE" ]]; then
    copy_to_registry "$BASE_IMAGE" "$REGISTRY_BASE_IMAGE"
    log "base image in the plain registry: $REGISTRY_BASE_IMAGE"
    return
  fi
  copy_to_registry "$BASE_IMAGE" "$REGISTRY_BASE_IMAGE-amd64"
  copy_to_registry "$ARM64_IMAGE" "$REGISTRY_BASE_IMAGE-arm64"
  local repo=${REGISTRY_BASE_IMAGE#*/} digest
  digest=$(put_manifest_list "127.0.0.1:$PLAIN_REGISTRY_PORT" "${repo%:*}" "${repo##*:}" "${repo##*:}-amd64" "${repo##*:}-arm64" 2>>"$SETUP_LOG") \
    || die "could not write the manifest list $REGISTRY_BASE_IMAGE; see $SETUP_LOG"
  log "base image in the plain registry: $REGISTRY_BASE_IMAGE ($digest: linux/amd64 + linux/arm64/v8)"
  verify_arm64_build "$digest"
}

# The engine's BuildKit builds FROM the manifest list for linux/arm64 through the Engine API's platform parameter,
# as PyContainer does. Checked by hand (Dec 2026, 20.10.24): with platform=linux/arm64 BuildKit passes over a local
# amd64 image of the same name (its platform does not match) and resolves the list in the registry, taking its
# arm64 entry; with platform=linux/amd64 it uses the local image by that name, if any, without asking the registry.
# Remembered per list digest.
verify_arm64_build() {
  local stamp=$STATE/arm64-build.ok probe=pycontainer-test/probe-arm64 socket=${DOCKER_HOST#unix://} out
  [[ -f $stamp && $(cat "$stamp") == "$1" ]] && return 0
  [[ $DOCKER_HOST == unix://* ]] || { log "WARNING: arm64 build check skipped (DOCKER_HOST is not a unix socket)"; return 0; }
  local ctx=$STATE/arm64-probe/context.tar
  mkdir -p "$STATE/arm64-probe/context"
  printf 'FROM %s\nRUN python3 -c "import platform; print(platform.machine())" > /m\n' "$REGISTRY_BASE_IMAGE" \
    >"$STATE/arm64-probe/context/Dockerfile"
  tar -C "$STATE/arm64-probe/context" -cf "$ctx" Dockerfile
  log "checking a BuildKit build FROM $REGISTRY_BASE_IMAGE with platform=linux/arm64"
  out=$(curl -sS --unix-socket "$socket" -X POST -H 'Content-Type: application/x-tar' --data-binary "@$ctx" \
    "http://localhost/v1.41/build?version=2&platform=linux/arm64&networkmode=host&t=$probe&rm=1&forcerm=1" 2>&1) || true
  echo "$out" >>"$SETUP_LOG"
  if [[ $out == *'"errorDetail"'* || $out != *'Successfully tagged'* ]]; then
    die "BuildKit cannot build FROM $REGISTRY_BASE_IMAGE for linux/arm64 (see $SETUP_LOG)"
  fi
  out=$(docker run --rm --network none --platform linux/arm64 "$probe" cat /m 2>>"$SETUP_LOG") || true
  docker image rm "$probe" >/dev/null 2>&1 || true
  [[ $out == aarch64 ]] || die "a linux/arm64 build FROM $REGISTRY_BASE_IMAGE runs as '$out', not aarch64"
  echo "$1" >"$stamp"
}

# copy_to_registry IMAGE REF: copied only when the registry's config digest differs from the image's ID (a docker
# image's ID is its config's digest, which skopeo copies unchanged).
copy_to_registry() {
  local id pushed
  id=$(docker image inspect -f '{{.Id}}' "$1")
  pushed=$(skopeo inspect --tls-verify=false --raw "docker://$2" 2>/dev/null \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["config"]["digest"])' 2>/dev/null || true)
  if [[ $pushed != "$id" ]]; then
    run_logged "skopeo copy $1 to $2" skopeo copy --dest-tls-verify=false "docker-daemon:$1" "docker://$2"
  fi
}

# put_manifest_list REGISTRY REPO TAG CHILD_TAG...: makes REPO:TAG the list (a Docker manifest list, or an OCI
# index when the children are OCI manifests) of the children's manifests as they are now, each with the platform of
# its config; prints its digest. Nothing is written when the registry already serves exactly those bytes.
put_manifest_list() {
  python3 - "$@" <<'EOF'
import hashlib, json, sys, urllib.error, urllib.request
registry, repo, tag, children = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
MANIFESTS = {"application/vnd.docker.distribution.manifest.v2+json": "application/vnd.docker.distribution.manifest.list.v2+json",
             "application/vnd.oci.image.manifest.v1+json": "application/vnd.oci.image.index.v1+json"}

def request(path, accept=None, data=None, content_type=None):
    headers = {k: v for k, v in (("Accept", accept), ("Content-Type", content_type)) if v}
    req = urllib.request.Request(f"http://{registry}/v2/{repo}/{path}", data=data, headers=headers, method="PUT" if data else "GET")
    with urllib.request.urlopen(req, timeout=30) as response:
        return response.read(), response.headers

entries = []
for child in children:
    body, headers = request(f"manifests/{child}", accept=", ".join(MANIFESTS))
    manifest = json.loads(body)
    media_type = manifest.get("mediaType") or headers.get("Content-Type")
    if media_type not in MANIFESTS:
        sys.exit(f"{repo}:{child} is a {media_type}, not an image manifest")
    config = json.loads(request(f"blobs/{manifest['config']['digest']}")[0])
    platform = {"architecture": config["architecture"], "os": config["os"]}
    if config.get("variant"):
        platform["variant"] = config["variant"]
    entries.append({"mediaType": media_type, "size": len(body), "digest": "sha256:" + hashlib.sha256(body).hexdigest(), "platform": platform})
list_types = {MANIFESTS[e["mediaType"]] for e in entries}
list_type = list_types.pop() if len(list_types) == 1 else "application/vnd.oci.image.index.v1+json"
index = json.dumps({"schemaVersion": 2, "mediaType": list_type, "manifests": entries}, indent=3).encode()
digest = "sha256:" + hashlib.sha256(index).hexdigest()
try:
    current = request(f"manifests/{tag}", accept=list_type)[0]
except urllib.error.HTTPError:
    current = None
if current != index:
    _, headers = request(f"manifests/{tag}", data=index, content_type=list_type)
    if headers.get("Docker-Content-Digest") != digest:
        sys.exit(f"the registry stored {repo}:{tag} as {headers.get('Docker-Content-Digest')}, not {digest}")
    print(f"wrote {repo}:{tag} = {digest}: {json.dumps(entries)}", file=sys.stderr)
print(digest)
EOF
}

# The daemonless tests' locks are the offline index's real files: a rebuilt index with other wheels makes them stale.
verify_locks() {
  [[ -n $PIP_INDEX_URL ]] || return 0
  python3 "$SCRIPT_DIR/make-lock.py" --check --format pylock --out "$REPO_ROOT/samples/flask-hello/pylock.toml" flask gunicorn \
    && python3 "$SCRIPT_DIR/make-lock.py" --check --format requirements \
      --out "$REPO_ROOT/tests/PyContainer.EndToEndTests/Corpus/httpbin/requirements.lock.txt" \
      decorator Flask itsdangerous MarkupSafe six Werkzeug Brotli gunicorn \
    || log "WARNING: a committed lock no longer matches the offline index; regenerate it with eng/make-lock.py (see its header)"
}

# ----------------------------------------------------------------------------- 3a. Podman

# Podman's API service (Docker Engine API compatible, Buildah behind /build), rootful, on a socket of its own, for
# the Podman tests. No systemd here, so it is started like dockerd. Off any bridge: containers.conf puts containers
# and build steps on the host's network (builds reach the offline index on loopback; PyContainer asks for the host
# network anyway). Its image store is not docker's: the test base image is pulled from the plain registry (http,
# so marked insecure) and named as docker names it, so one ContainerBaseImage builds on both engines.
PODMAN_SOCKET=/run/pycontainer-podman/podman.sock

podman_answers() { curl -sf --unix-socket "$PODMAN_SOCKET" http://podman/_ping >/dev/null; }

ensure_podman() {
  apt_install podman
  mkdir -p /etc/containers/containers.conf.d /etc/containers/registries.conf.d "$(dirname "$PODMAN_SOCKET")"
  printf '# Generated by eng/test-env.sh\n[containers]\nnetns = "host"\n[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n' \
    >/etc/containers/containers.conf.d/50-pycontainer-test.conf
  printf '# Generated by eng/test-env.sh\n[[registry]]\nlocation = "localhost:%s"\ninsecure = true\n' "$PLAIN_REGISTRY_PORT" \
    >/etc/containers/registries.conf.d/50-pycontainer-test.conf
  if ! podman_answers && ! daemon_alive "$STATE/podman.pid" "$PODMAN_SOCKET"; then
    rm -f "$PODMAN_SOCKET"
    start_daemon podman podman system service --time=0 "unix://$PODMAN_SOCKET"
  fi
  wait_for 30 podman_answers || die "podman system service does not answer at $PODMAN_SOCKET; see $STATE/podman.log"
  podman_base_image
  log "Podman $(podman version -f '{{.Client.Version}}') answers at unix://$PODMAN_SOCKET (base image $(docker_io_name "$BASE_IMAGE"))"
  ensure_rootless_podman
}

# podman_base_image [COMMAND...]: the test base image in the store of the podman that COMMAND runs (root's by default).
podman_base_image() {
  local name id
  name=$(docker_io_name "$BASE_IMAGE")
  id=$(docker image inspect -f '{{.Id}}' "$BASE_IMAGE")
  if [[ $("$@" podman image inspect -f '{{.Id}}' "$name" 2>/dev/null) != "${id#sha256:}" ]]; then
    run_logged "podman pull $REGISTRY_BASE_IMAGE (tagged $name)${1:+ as $PODMAN_USER}" "$@" podman pull -q "$REGISTRY_BASE_IMAGE"
    run_logged "podman tag $name" "$@" podman tag "$REGISTRY_BASE_IMAGE" "$name"
  fi
}

# Rootless Podman: the service run by an unprivileged user (subordinate ids from useradd, newuidmap from uidmap),
# its runtime folder outside /run (the discovery test hides /run) and native overlay storage (kernel 5.13+).
# Build steps and containers use the host's network, as root's do: slirp4netns is there for what asks otherwise.
PODMAN_USER=pycontainer-podman
PODMAN_ROOTLESS_RUNTIME=$STATE/podman-rootless-run
as_podman_user() { runuser -u "$PODMAN_USER" -- env XDG_RUNTIME_DIR="$PODMAN_ROOTLESS_RUNTIME" HOME="/home/$PODMAN_USER" "$@"; }
rootless_podman_answers() { curl -sf --unix-socket "$PODMAN_ROOTLESS_RUNTIME/podman/podman.sock" http://podman/_ping >/dev/null; }

ensure_rootless_podman() {
  apt_install uidmap slirp4netns fuse-overlayfs
  id "$PODMAN_USER" >/dev/null 2>&1 || run_logged "useradd $PODMAN_USER" useradd -m -s /usr/sbin/nologin "$PODMAN_USER"
  grep -q "^$PODMAN_USER:" /etc/subuid || die "$PODMAN_USER has no subordinate uids in /etc/subuid"
  install -d -o "$PODMAN_USER" -g "$PODMAN_USER" -m 700 "$PODMAN_ROOTLESS_RUNTIME" "$PODMAN_ROOTLESS_RUNTIME/podman"
  install -d -o "$PODMAN_USER" -g "$PODMAN_USER" "/home/$PODMAN_USER/.config" "/home/$PODMAN_USER/.config/containers"
  printf '[storage]\ndriver = "overlay"\n' >"/home/$PODMAN_USER/.config/containers/storage.conf"
  if ! rootless_podman_answers && ! daemon_alive "$STATE/podman-rootless.pid" "$PODMAN_ROOTLESS_RUNTIME"; then
    start_daemon podman-rootless runuser -u "$PODMAN_USER" -- env XDG_RUNTIME_DIR="$PODMAN_ROOTLESS_RUNTIME" \
      HOME="/home/$PODMAN_USER" podman system service --time=0 "unix://$PODMAN_ROOTLESS_RUNTIME/podman/podman.sock"
  fi
  wait_for 30 rootless_podman_answers || die "rootless podman does not answer; see $STATE/podman-rootless.log"
  podman_base_image as_podman_user
  log "rootless Podman answers at unix://$PODMAN_ROOTLESS_RUNTIME/podman/podman.sock (user $PODMAN_USER)"
}

# docker_io_name NAME: the fully qualified name docker means by NAME (python:3.11 is docker.io/library/python:3.11).
docker_io_name() {
  local name=${1#docker.io/}
  [[ $name == */* ]] || name=library/$name
  if [[ ${name%%/*} == *[.:]* || ${name%%/*} == localhost ]]; then echo "$1"; else echo "docker.io/$name"; fi
}

# ----------------------------------------------------------------------------- 4. pip index

ensure_pip_index() {
  PIP_INDEX_URL=
  if curl -sfm 5 -o /dev/null https://pypi.org/simple/flask/; then
    log "PyPI is reachable: no offline index needed"
    return
  fi
  PIP_INDEX_URL=http://127.0.0.1:$INDEX_PORT/simple/
  apt_install python3
  # Rebuilt only when make-wheelhouse.py changes (the .deb downloads stay cached anyway).
  local stamp
  stamp=$(sha256sum "$SCRIPT_DIR/make-wheelhouse.py" | cut -d' ' -f1)
  if [[ ! -f $INDEX_DIR/simple/index.html || $(cat "$STATE/pypi.stamp" 2>/dev/null) != "$stamp" ]]; then
    run_logged "PyPI is unreachable: building the offline index from Debian packages" \
      /usr/bin/python3 "$SCRIPT_DIR/make-wheelhouse.py" --cache "$STATE/wheelhouse-cache" --out "$INDEX_DIR"
    grep '^WARNING' "$INDEX_DIR/report.txt" | cut -f2- | sed 's/^/[test-env]   /' >&2 || true
    echo "$stamp" >"$STATE/pypi.stamp"
  fi
  if ! port_open "$INDEX_PORT" && ! daemon_alive "$STATE/pypi-server.pid" http.server; then
    start_daemon pypi-server /usr/bin/python3 -m http.server --bind 127.0.0.1 "$INDEX_PORT" --directory "$INDEX_DIR"
  fi
  wait_for 15 curl -sf "${PIP_INDEX_URL}flask/" || die "no pip index on port $INDEX_PORT; see $STATE/pypi-server.log"
  local wheels=("$INDEX_DIR"/files/*.whl)
  log "pip index answers at $PIP_INDEX_URL (${#wheels[@]} wheels)"
  verify_pip_index "$stamp"
  verify_arm64_wheels "$stamp"
}

# The aarch64 twins of the native wheels install and import in the arm64 base image (under QEMU, so only two).
# Remembered per index and image.
verify_arm64_wheels() {
  local key stamp=$STATE/pypi-arm64-verified.stamp
  key="$1 $(docker image inspect -f '{{.Id}}' "$ARM64_IMAGE")"
  [[ -f $stamp && $(cat "$stamp") == "$key" ]] && return 0
  run_logged "verifying pip install markupsafe brotli (linux_aarch64 wheels) in $ARM64_IMAGE under QEMU" \
    docker run --rm --network host --platform linux/arm64 -e PIP_INDEX_URL="$PIP_INDEX_URL" \
      -e PIP_DISABLE_PIP_VERSION_CHECK=1 "$ARM64_IMAGE" sh -ec '
        python3 -m venv /tmp/v && /tmp/v/bin/pip install -q --only-binary :all: markupsafe brotli
        /tmp/v/bin/python -c "import brotli, markupsafe._speedups, platform; assert platform.machine() == \"aarch64\"; assert brotli.decompress(brotli.compress(b\"x\")) == b\"x\""
        /tmp/v/bin/pip download -q --no-deps --only-binary :all: -d /tmp/d markupsafe && ls /tmp/d/*linux_aarch64.whl' \
    || { log "WARNING: the offline index's linux_aarch64 wheels do not install in $ARM64_IMAGE (see $SETUP_LOG)"; return 0; }
  echo "$key" >"$stamp"
}

# Installs each framework group into a fresh venv inside the base image, as tests will.
# Flask + gunicorn must work; the other groups are best effort. Remembered per index and image.
verify_pip_index() {
  local key stamp=$STATE/pypi-verified.stamp
  key="$1 $(docker image inspect -f '{{.Id}}' "$BASE_IMAGE")"
  [[ -f $stamp && $(cat "$stamp") == "$key" ]] && return 0
  verify_group "flask gunicorn" 'python -c "import flask, gunicorn" && gunicorn --version
    pip wheel -q -w /tmp/w flask gunicorn && ls /tmp/w/flask-*.whl /tmp/w/gunicorn-*.whl
    printf "from flask import Flask\napp = Flask(__name__)\n@app.get(\"/\")\ndef hello():\n    return \"hello\"\n" >/tmp/app.py
    (cd /tmp && exec gunicorn --bind unix:/tmp/app.sock app:app) &
    python - <<EOF
import socket, time
for _ in range(100):
    try:
        s = socket.socket(socket.AF_UNIX); s.connect("/tmp/app.sock"); break
    except OSError:
        time.sleep(0.1)
s.sendall(b"GET / HTTP/1.0\r\nHost: test\r\n\r\n")
reply = b"".join(iter(lambda: s.recv(4096), b""))
assert b" 200 " in reply.split(b"\r\n")[0] and reply.endswith(b"hello"), reply
EOF
    kill $!' || die "Flask + gunicorn do not install from the offline index (see $SETUP_LOG)"
  verify_group "twisted" 'python -c "import twisted.web.server" && twistd --version' || true
  verify_group "uvicorn fastapi" 'python -c "import fastapi, uvicorn" && uvicorn --version' || true
  verify_group "django djangorestframework" 'python -c "import django, rest_framework" && django-admin --version' || true
  verify_group "waitress" 'python -c "import waitress" && waitress-serve --help >/dev/null' || true
  verify_group "flit-core" 'python -c "import flit_core.buildapi"' || true  # flit projects' build backend
  verify_group "pex" 'pip wheel -q -w /tmp/w six && pex --no-index --find-links /tmp/w /tmp/w/six-*.whl -o /tmp/six.pex
    python3 /tmp/six.pex -c "import six"' || true
  echo "$key" >"$stamp"
}

# verify_group "PACKAGES" CHECK: skipped when a package is not in the index.
verify_group() {
  local pkg
  for pkg in $1; do
    [[ -f $INDEX_DIR/simple/$pkg/index.html ]] || { log "WARNING: $pkg is not in the offline index"; return 1; }
  done
  run_logged "verifying pip install $1 from the offline index" docker run --rm --network host \
      -e PIP_INDEX_URL="$PIP_INDEX_URL" -e PIP_DISABLE_PIP_VERSION_CHECK=1 "$BASE_IMAGE" sh -ec "
        python3 -m venv /tmp/v && . /tmp/v/bin/activate && pip install -q $1
        $2" || { log "WARNING: $1 cannot be used from the offline index"; return 1; }
}

# ----------------------------------------------------------------------------- 4a. acceptance corpus

# Real third-party web apps from Debian's mirror, laid out as their users' source trees in $CORPUS_DIR by
# eng/corpus.py (the Debian quirks it handles are described there). Re-laid out when the scripts change; the
# .debs share make-wheelhouse.py's download cache. Needs apt (Debian's mirror), also where PyPI
# is reachable.
CORPUS_DIR=$STATE/corpus

ensure_corpus() {
  if ! command -v apt-get >/dev/null || ! command -v dpkg-deb >/dev/null; then
    log "WARNING: no apt-get/dpkg-deb: the acceptance corpus (CorpusTests) cannot be fetched"
    CORPUS_DIR=
    return
  fi
  # Laid out again only when the scripts change, like the index (the .debs stay cached anyway).
  local stamp
  stamp=$(cat "$SCRIPT_DIR/corpus.py" "$SCRIPT_DIR/make-wheelhouse.py" | sha256sum | cut -d' ' -f1)
  local app complete=true
  for app in httpbin bepasty klaus graphite-web; do [[ -d $CORPUS_DIR/$app ]] || complete=false; done
  if ! $complete || [[ $(cat "$STATE/corpus.stamp" 2>/dev/null) != "$stamp" ]]; then
    apt_install python3
    compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null || run_logged "apt-get update" apt-get update
    run_logged "laying out the acceptance corpus in $CORPUS_DIR" \
      /usr/bin/python3 "$SCRIPT_DIR/corpus.py" --cache "$STATE/wheelhouse-cache" --out "$CORPUS_DIR"
    echo "$stamp" >"$STATE/corpus.stamp"
  fi
  [[ -z $PIP_INDEX_URL ]] || verify_corpus_requirements
}

# Each corpus app's requirements.txt installs from the offline index in a fresh venv of the base image, and
# the app's package imports. Remembered per index, corpus and image.
verify_corpus_requirements() {
  local key stamp=$STATE/corpus-verified.stamp app failed=()
  key="$(cat "$STATE/pypi.stamp") $(cat "$CORPUS_DIR"/*.source | sha256sum | cut -c1-16) $(docker image inspect -f '{{.Id}}' "$BASE_IMAGE")"
  [[ -f $stamp && $(cat "$stamp") == "$key" ]] && return 0
  for app in httpbin:httpbin bepasty:bepasty.app klaus:klaus graphite-web:graphite.settings; do
    run_logged "verifying ${app%%:*}'s requirements.txt from the offline index" docker run --rm --network host \
      -v "$CORPUS_DIR/${app%%:*}:/src:ro" -w /src -e PIP_INDEX_URL="$PIP_INDEX_URL" -e PIP_DISABLE_PIP_VERSION_CHECK=1 \
      "$BASE_IMAGE" sh -ec "python3 -m venv /tmp/v && /tmp/v/bin/pip install -q -r requirements.txt
        /tmp/v/bin/pip check && PYTHONDONTWRITEBYTECODE=1 /tmp/v/bin/python -c 'import ${app#*:}'" \
      || failed+=("${app%%:*}")
  done
  ((${#failed[@]} == 0)) || { log "WARNING: corpus requirements do not install: ${failed[*]} (see $SETUP_LOG)"; return 0; }
  echo "$key" >"$stamp"
}

# ----------------------------------------------------------------------------- 4b. PostgreSQL + PostGIS

# For the django-postgis sample's test: PostgreSQL 15 + PostGIS 3 from Debian's packages, a cluster of our
# own in $POSTGRES_DIR (not Debian's "main" cluster) listening on 127.0.0.1:5433 only, started with pg_ctl
# (no systemd). The test role may create databases; it clones $POSTGRES_TEMPLATE (PostGIS only, no
# connections allowed, so nothing can pollute it) into a fresh database per run, because the postgis
# extension is not trusted: only a superuser can create it.
POSTGRES_BIN=/usr/lib/postgresql/15/bin
POSTGRES_DIR=$STATE/postgres
POSTGRES_SOCKET_DIR=$STATE/postgres-run
POSTGRES_PORT=5433
POSTGRES_USER=pycontainer
POSTGRES_DB=pycontainer
POSTGRES_TEMPLATE=pycontainer_postgis_template
POSTGRES_PASSWORD_FILE=$STATE/postgres.password

# The password reaches psql through its environment only, never its command line (visible in ps).
postgres_ready() {
  PGPASSWORD=$(cat "$POSTGRES_PASSWORD_FILE") PGCONNECT_TIMEOUT=5 "$POSTGRES_BIN/psql" -X -qtA \
    -h 127.0.0.1 -p "$POSTGRES_PORT" -U "$POSTGRES_USER" -d "$POSTGRES_DB" -c \
    "SELECT (SELECT count(*) FROM pg_extension WHERE extname = 'postgis')
          + (SELECT count(*) FROM pg_database WHERE datname = '$POSTGRES_TEMPLATE' AND datistemplate)" \
    2>/dev/null | grep -qx 2
}

as_postgres() { (cd / && runuser -u postgres -- "$@"); }

# psql as the postgres superuser over our cluster's private unix socket (peer authentication).
postgres_admin() {
  as_postgres "$POSTGRES_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$POSTGRES_SOCKET_DIR" -p "$POSTGRES_PORT" "$@" \
    >>"$SETUP_LOG" 2>&1
}

ensure_postgres() {
  if [[ -s $POSTGRES_PASSWORD_FILE ]] && postgres_ready; then
    log "PostgreSQL + PostGIS answer on 127.0.0.1:$POSTGRES_PORT (database $POSTGRES_DB)"
    return
  fi
  apt_install postgresql-15 postgresql-15-postgis-3 postgresql-client-15 openssl
  if [[ ! -s $POSTGRES_PASSWORD_FILE ]]; then
    (umask 077 && openssl rand -hex 16 >"$POSTGRES_PASSWORD_FILE")
  fi
  chmod 600 "$POSTGRES_PASSWORD_FILE"
  install -d -o postgres -g postgres -m 700 "$POSTGRES_SOCKET_DIR"
  if [[ ! -f $POSTGRES_DIR/PG_VERSION ]]; then
    # initdb into a temporary folder first: a half-made cluster is never mistaken for a ready one.
    rm -rf "$POSTGRES_DIR.tmp"
    install -d -o postgres -g postgres -m 700 "$POSTGRES_DIR.tmp"
    run_logged "initdb $POSTGRES_DIR" as_postgres "$POSTGRES_BIN/initdb" -D "$POSTGRES_DIR.tmp" \
      --encoding=UTF8 --locale=C.UTF-8 --auth-local=peer --auth-host=scram-sha-256 --username=postgres
    cat >>"$POSTGRES_DIR.tmp/postgresql.conf" <<EOF
# eng/test-env.sh: loopback only; the unix socket in a folder of our own, away from Debian's clusters.
listen_addresses = '127.0.0.1'
port = $POSTGRES_PORT
unix_socket_directories = '$POSTGRES_SOCKET_DIR'
EOF
    mv "$POSTGRES_DIR.tmp" "$POSTGRES_DIR"
  fi
  if ! as_postgres "$POSTGRES_BIN/pg_ctl" -D "$POSTGRES_DIR" status >/dev/null 2>&1; then
    ! port_open "$POSTGRES_PORT" || die "port $POSTGRES_PORT is taken by another server (ss -ltnp)"
    touch "$STATE/postgres.log"
    chown postgres:postgres "$STATE/postgres.log"
    # pg_ctl detaches the server (setsid); the server must not inherit our lock (fd 9).
    run_logged "starting PostgreSQL on 127.0.0.1:$POSTGRES_PORT (log: $STATE/postgres.log)" \
      as_postgres "$POSTGRES_BIN/pg_ctl" -D "$POSTGRES_DIR" -l "$STATE/postgres.log" -w -t 60 start 9>&-
  fi
  # Role, database and template; every statement is a no-op when its work is done. The password goes
  # on stdin.
  { printf "\\\\set password '%s'\n" "$(cat "$POSTGRES_PASSWORD_FILE")"
    cat <<'SQL'
SELECT format('CREATE ROLE %I LOGIN CREATEDB', :'user') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user') \gexec
ALTER ROLE :"user" LOGIN CREATEDB PASSWORD :'password';
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'user') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SELECT format('CREATE DATABASE %I', :'tpl') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'tpl') \gexec
ALTER DATABASE :"tpl" WITH ALLOW_CONNECTIONS true;
SQL
  } | postgres_admin -d postgres -v user="$POSTGRES_USER" -v db="$POSTGRES_DB" -v tpl="$POSTGRES_TEMPLATE" \
    || die "creating the PostgreSQL role and databases failed; see $SETUP_LOG"
  local db
  for db in "$POSTGRES_DB" "$POSTGRES_TEMPLATE"; do
    postgres_admin -d "$db" -c "CREATE EXTENSION IF NOT EXISTS postgis" || die "CREATE EXTENSION postgis failed in $db; see $SETUP_LOG"
  done
  postgres_admin -d postgres -c "ALTER DATABASE $POSTGRES_TEMPLATE WITH IS_TEMPLATE true ALLOW_CONNECTIONS false" \
    || die "could not make $POSTGRES_TEMPLATE a template; see $SETUP_LOG"
  wait_for 15 postgres_ready || die "PostgreSQL does not answer as $POSTGRES_USER on 127.0.0.1:$POSTGRES_PORT; see $STATE/postgres.log"
  log "PostgreSQL + PostGIS answer on 127.0.0.1:$POSTGRES_PORT (database $POSTGRES_DB, template $POSTGRES_TEMPLATE)"
}

# ----------------------------------------------------------------------------- 4c. docker-compose + a PostGIS image

# For the test that runs samples/django-postgis/docker-compose.yml for real: Debian's docker-compose (1.29, the
# Python one) and a stand-in for its db service's postgis/postgis image (Docker Hub is unreachable), made from
# Debian's packages in eng/postgis-image with the same POSTGRES_* settings.
POSTGIS_IMAGE=pycontainer-test/postgis:15-3

ensure_compose() {
  apt_install docker-compose
  if ! image_exists "$POSTGIS_IMAGE"; then
    run_logged "building $POSTGIS_IMAGE from Debian's postgresql-15-postgis-3 (a minute or two)" \
      docker build --network host --build-arg BASE_IMAGE="$BASE_IMAGE" -t "$POSTGIS_IMAGE" "$SCRIPT_DIR/postgis-image"
  fi
  log "docker-compose answers: $(docker-compose version --short); PostGIS image $POSTGIS_IMAGE"
}

# ----------------------------------------------------------------------------- 5. output

# ----------------------------------------------------------------------------- 6. mono (.NET Framework)

# mono-complete: the runtime plus the 4.x profile's facades (netstandard.dll, System.Runtime.dll) that
# net472 assemblies built by the .NET SDK bind to; Debian has no msbuild package, so the test brings its own host.
# A second sshd of our own on 127.0.0.1:$SSHD_PORT for the ssh:// engine tests (the system's sshd, if any, is
# left alone): its own config and host key under $STATE/sshd, root login by key only, keys from
# $SSHD_DIR/authorized_keys, which the tests write (each adds its own key and removes it after).
ensure_sshd() {
  apt_install openssh-server openssh-client
  mkdir -p "$SSHD_DIR" /run/sshd
  chmod 700 "$SSHD_DIR"
  [[ -f $SSHD_DIR/ssh_host_ed25519_key ]] || run_logged "ssh-keygen (sshd host key)" \
    ssh-keygen -q -t ed25519 -N '' -C pycontainer-testenv -f "$SSHD_DIR/ssh_host_ed25519_key"
  touch "$SSHD_DIR/authorized_keys"
  chmod 600 "$SSHD_DIR/authorized_keys"
  cat >"$SSHD_DIR/sshd_config.new" <<EOF2
# Written by eng/test-env.sh: the ssh:// engine tests' sshd.
ListenAddress 127.0.0.1
Port $SSHD_PORT
HostKey $SSHD_DIR/ssh_host_ed25519_key
PidFile none
AuthorizedKeysFile $SSHD_DIR/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
X11Forwarding no
AllowTcpForwarding no
EOF2
  if ! cmp -s "$SSHD_DIR/sshd_config.new" "$SSHD_DIR/sshd_config"; then
    mv "$SSHD_DIR/sshd_config.new" "$SSHD_DIR/sshd_config"
    if daemon_alive "$STATE/sshd.pid" "$SSHD_DIR/sshd_config"; then kill "$(cat "$STATE/sshd.pid")"; sleep 1; fi
  else
    rm -f "$SSHD_DIR/sshd_config.new"
  fi
  /usr/sbin/sshd -t -f "$SSHD_DIR/sshd_config" || die "sshd rejects $SSHD_DIR/sshd_config"
  if ! daemon_alive "$STATE/sshd.pid" "$SSHD_DIR/sshd_config"; then
    start_daemon sshd /usr/sbin/sshd -D -e -f "$SSHD_DIR/sshd_config"
  fi
  wait_for 15 port_open "$SSHD_PORT" || die "sshd does not listen on 127.0.0.1:$SSHD_PORT; see $STATE/sshd.log"
  log "sshd for the ssh:// tests answers on 127.0.0.1:$SSHD_PORT"
}

ensure_mono() {
  if ! command -v mono >/dev/null || ! dpkg-query -W -f='${Status}' mono-complete 2>/dev/null | grep -q 'ok installed'; then
    apt_install mono-complete
  fi
  MONO_PATH_BIN=$(command -v mono) || die "mono is not on PATH after installing mono-complete"
  log "mono answers: $("$MONO_PATH_BIN" --version | head -n 1)"
}

write_env_file() {
  mkdir -p "$(dirname "$ENV_FILE")"
  local tmp=$ENV_FILE.tmp
  (umask 077 && cat >"$tmp" <<EOF
# Generated by eng/test-env.sh; source it before running the tests.
export DOCKER_HOST=$(printf %q "$DOCKER_HOST")
export PYCONTAINER_BASE_IMAGE=$(printf %q "$BASE_IMAGE")
export PYCONTAINER_BUILDER_IMAGE=$(printf %q "$BUILDER_IMAGE")
export PYCONTAINER_REGISTRY=localhost:$PLAIN_REGISTRY_PORT
export PYCONTAINER_REGISTRY_BASE_IMAGE=$(printf %q "$REGISTRY_BASE_IMAGE")
export PYCONTAINER_ARM64_BASE_IMAGE=$(printf %q "$ARM64_IMAGE")
export PYCONTAINER_POSTGRES_HOST=127.0.0.1
export PYCONTAINER_POSTGRES_PORT=$POSTGRES_PORT
export PYCONTAINER_POSTGRES_DB=$POSTGRES_DB
export PYCONTAINER_POSTGRES_TEMPLATE=$POSTGRES_TEMPLATE
export PYCONTAINER_POSTGRES_USER=$POSTGRES_USER
export PYCONTAINER_POSTGRES_PASSWORD=$(printf %q "$(cat "$POSTGRES_PASSWORD_FILE")")
export PYCONTAINER_POSTGIS_IMAGE=$POSTGIS_IMAGE
export PYCONTAINER_AUTH_REGISTRY=localhost:$AUTH_REGISTRY_PORT
export PYCONTAINER_AUTH_REGISTRY_USER=$AUTH_REGISTRY_USER
export PYCONTAINER_AUTH_REGISTRY_PASSWORD=$(printf %q "$(cat "$AUTH_PASSWORD_FILE")")
export PYCONTAINER_AUTH_REGISTRY_CA=$TLS_DIR/ca.crt
export PYCONTAINER_PIP_INDEX_URL=$PIP_INDEX_URL
export PYCONTAINER_CORPUS_DIR=$CORPUS_DIR
export PYCONTAINER_ENGINE_TLS_HOST=$ENGINE_TLS_HOST
export PYCONTAINER_ENGINE_TLS_CERT_PATH=${ENGINE_TLS_HOST:+$ENGINE_TLS_DIR/client}
export PYCONTAINER_MONO=$MONO_PATH_BIN
export PYCONTAINER_SSH_PORT=$SSHD_PORT
export PYCONTAINER_SSH_AUTHORIZED_KEYS=$SSHD_DIR/authorized_keys
export PYCONTAINER_PODMAN_ENDPOINT=unix://$PODMAN_SOCKET
export PYCONTAINER_PODMAN_ROOTLESS_RUNTIME_DIR=$PODMAN_ROOTLESS_RUNTIME
EOF
  )
  mv "$tmp" "$ENV_FILE"
}

print_summary() {
  cat <<EOF
[test-env] ready in ${SECONDS}s; source $ENV_FILE
  engine:        $DOCKER_HOST ($(docker version -f '{{.Server.Version}}'))${ENGINE_TLS_HOST:+, $ENGINE_TLS_HOST (TLS, DOCKER_CERT_PATH=$ENGINE_TLS_DIR/client)}
  base image:    $BASE_IMAGE (builder: $BUILDER_IMAGE)
  registries:    localhost:$PLAIN_REGISTRY_PORT (plain), localhost:$AUTH_REGISTRY_PORT (TLS, user $AUTH_REGISTRY_USER, CA $TLS_DIR/ca.crt)
  registry base: $REGISTRY_BASE_IMAGE$([[ $BASE_IMAGE == "$LOCAL_IMAGE" ]] && echo " (linux/amd64 + linux/arm64/v8)")
  arm64:         $ARM64_IMAGE (QEMU $(grep -o 'flags: .*' "$BINFMT_DIR/qemu-aarch64"))
  pip index:     ${PIP_INDEX_URL:-PyPI}
  corpus:        ${CORPUS_DIR:-none}
  mono:          $MONO_PATH_BIN
  sshd:          127.0.0.1:$SSHD_PORT (root by key; keys in $SSHD_DIR/authorized_keys)
  podman:        unix://$PODMAN_SOCKET (rootful), unix://$PODMAN_ROOTLESS_RUNTIME/podman/podman.sock (rootless, $PODMAN_USER)
  logs:          $STATE/*.log
EOF
}

main() {
  [[ $EUID -eq 0 ]] || die "run as root (installs packages, starts dockerd)"
  mkdir -p "$STATE"
  # One run at a time; daemons are started with this descriptor closed.
  exec 9>"$STATE/.lock"
  flock -w 900 9 || die "another test-env.sh run holds $STATE/.lock"

  ensure_docker
  ensure_base_image
  ensure_emulation
  ensure_arm64_image
  ensure_registries
  ensure_registry_base_image
  ensure_podman
  ensure_pip_index
  verify_locks
  ensure_corpus
  ensure_postgres
  ensure_compose
  ensure_mono
  ensure_sshd
  write_env_file
  if $PRINT_ENV; then cat "$ENV_FILE"; else print_summary; fi
}

main
