#!/usr/bin/env bash
# The main job on a fresh machine: containerize samples/flask-hello with
# `dotnet build -t:ContainerPublish`, push it to the local registry, run it and print its HTTP answer.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1

bash "$root/eng/test-env.sh"
# shellcheck source=/dev/null
source "$root/artifacts/test-env/env.sh"

dotnet pack "$root/sdk/PyContainer.Sdk/PyContainer.Sdk.csproj" -c Release -nodeReuse:false -v:q
# A package folder of its own, so the SDK just packed is the one used.
export NUGET_PACKAGES="$root/artifacts/demo-nuget-packages"
rm -rf "$NUGET_PACKAGES/pycontainer.sdk"

index_arg=()
[ -n "${PYCONTAINER_PIP_INDEX_URL:-}" ] && index_arg=("-p:PythonPackageIndexUrl=$PYCONTAINER_PIP_INDEX_URL")
dotnet build "$root/samples/flask-hello/flask-hello.msbuildproj" -t:ContainerPublish -nodeReuse:false \
  -p:ContainerRegistry="$PYCONTAINER_REGISTRY" -p:ContainerBaseImage="$PYCONTAINER_BASE_IMAGE" "${index_arg[@]}"

image="$PYCONTAINER_REGISTRY/samples/flask-hello:latest"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
container=$(docker run -d --network host -e PORT="$port" "$image")
trap 'docker rm -f "$container" >/dev/null' EXIT
for _ in $(seq 1 60); do
  if answer=$(curl -sf "http://127.0.0.1:$port/"); then
    echo "GET http://127.0.0.1:$port/ from $image answered:"
    echo "$answer"
    exit 0
  fi
  sleep 0.5
done
echo "The container did not answer; its log:" >&2
docker logs "$container" >&2
exit 1
