#!/usr/bin/env bash
# The README's test command: builds everything (fetching the native llama.cpp libraries on first use),
# runs every xunit project and, where pwsh exists, the Pester suite; ends with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
results="artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

# The code graders run answers in bubblewrap, with python3, node and Chromium.
bash build/install-sandbox.sh

dotnet test ReasonTools.sln -c Release --logger trx --results-directory "$results" "$@"
dotnet_rc=$?

passed=0 failed=0 skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${t:-0} - ${e:-0}))
done

# PowerShell 7 comes as a .NET tool where it is not installed, so the Pester suite runs on a fresh machine too.
pwsh_cmd=$(command -v pwsh || true)
tools="$HOME/.dotnet/tools"
if [ -z "$pwsh_cmd" ] && [ -x "$tools/pwsh" ]; then pwsh_cmd="$tools/pwsh"; fi
if [ -z "$pwsh_cmd" ]; then
  if dotnet tool install --tool-path "$tools" PowerShell --version 7.6.9 >/dev/null 2>&1 && [ -x "$tools/pwsh" ]; then
    pwsh_cmd="$tools/pwsh"
  else
    pwsh_reason="pwsh is not installed and 'dotnet tool install PowerShell' failed"
  fi
fi

if [ -n "$pwsh_cmd" ]; then
  pester_out="$results/pester.txt"
  "$pwsh_cmd" -NoProfile -NonInteractive -File tests/pester/Invoke-PesterSuite.ps1 | tee "$pester_out"
  pp=$(sed -n 's/^PESTER \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$pester_out")
  pf=$(sed -n 's/^PESTER \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$pester_out")
  if [ -z "$pp" ]; then echo "Pester: the suite did not report a result"; failed=$((failed + 1)); else passed=$((passed + pp)); failed=$((failed + pf)); fi
else
  echo "Pester: SKIPPED - $pwsh_reason; the PowerShell suite in tests/pester was not run."
fi

if [ "$dotnet_rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "dotnet test exited with $dotnet_rc without a failed test (build error?)"
  failed=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
