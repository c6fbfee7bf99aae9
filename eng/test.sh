#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: prepares the test environment (engine, base image,
# registries, package index), packs the SDK into artifacts/packages, then runs every test project.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1

bash "$root/eng/test-env.sh"
# shellcheck source=/dev/null
source "$root/artifacts/test-env/env.sh"

for package in PyContainer.Sdk PyContainer.Templates; do dotnet pack "$root/sdk/$package/$package.csproj" -c Release -nodeReuse:false; done
results="$root/artifacts/test-results"
rm -rf "$results"
status=0
dotnet test "$root/PyContainer.sln" -c Release -nodeReuse:false \
  --logger "console;verbosity=normal" --logger trx --results-directory "$results" || status=$?

# One closing line over all test projects, counted from the result files.
python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for path in glob.glob(sys.argv[1] + "/*.trx"):
    run = ET.parse(path).getroot()
    counters = run.find("t:ResultSummary/t:Counters", ns)
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0))
    # A skipped test counts in "total" but not in "executed".
    skipped += int(counters.get("total", 0)) - int(counters.get("executed", 0))
    # Name each failure again at the very end, where a truncated log still shows it.
    for result in run.iterfind("t:Results/t:UnitTestResult", ns):
        if result.get("outcome") not in ("Passed", "NotExecuted"):
            message = result.findtext("t:Output/t:ErrorInfo/t:Message", "", ns).strip().splitlines()
            print(f"FAILED {result.get('testName')}: {' | '.join(message[:6])[:1500]}")
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit "$status"
