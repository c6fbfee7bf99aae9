#!/usr/bin/env bash
# Figures for the acceptance corpus (Debian's httpbin, bepasty, klaus and graphite-web, laid out by eng/corpus.py):
# per app, the image size over the base image, a cold ContainerPublish (the engine's BuildKit cache emptied first:
# nothing cached but the base image), a warm one after editing one .py file, and the time from `docker run` to the
# first answer. The figures come from the corpus end-to-end tests themselves (CorpusTests/CorpusApp.cs), which print
# them and write artifacts/corpus-figures/<app>.txt; this script empties the cache, runs them, and prints the files.
#
# Usage: bench/corpus.sh [CLASS ...]   (test classes: HttpbinCorpusTests, BepastyCorpusTests, KlausCorpusTests,
# GraphiteWebCorpusTests; default: all). Empties the engine's BuildKit cache
# (`docker builder prune -af`): other builds on the same engine lose their cache too.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1

bash "$root/eng/test-env.sh"
# shellcheck source=/dev/null
source "$root/artifacts/test-env/env.sh"
dotnet pack "$root/sdk/PyContainer.Sdk/PyContainer.Sdk.csproj" -c Release -nodeReuse:false >/dev/null

filter=""
for class in "${@:-CorpusTests}"; do
  filter+="${filter:+|}FullyQualifiedName~$class"
done

figures="$root/artifacts/corpus-figures"
rm -rf "$figures"
docker builder prune -af >/dev/null
dotnet test "$root/tests/PyContainer.EndToEndTests" -c Release -nodeReuse:false --filter "$filter" >"$root/artifacts/corpus-bench.log" \
  || { tail -n 40 "$root/artifacts/corpus-bench.log" >&2; exit 1; }

echo "Machine: $(nproc) cores, $(docker version --format '{{.Server.Version}}' 2>/dev/null) engine, $(date -u '+%Y-%m-%d %H:%M UTC')"
cat "$figures"/*.txt
