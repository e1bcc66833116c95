#!/usr/bin/env bash
# The README's test command (the bash entry CI calls; ./build.ps1 -Task Test does the same on any OS): builds
# everything (fetching the native llama.cpp libraries on first use), runs every xunit project and the Pester suite,
# packs (build.ps1 -Task Pack) and installs the packages in a clean HOME, executes every notebook headless
# (build/notebooks.sh); ends with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
results="artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

# The code graders run answers in bubblewrap, with python3, node and Chromium.
bash build/install-sandbox.sh

# PowerShell 7 comes as a .NET tool where it is not installed: the build fetches llama.cpp with it (build/fetch-llama.ps1),
# and the Pester suite and the install checks run on a fresh machine too.
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

if [ -n "$pwsh_cmd" ]; then
  pester_out="$results/pester.txt"
  "$pwsh_cmd" -NoProfile -NonInteractive -File tests/pester/Invoke-PesterSuite.ps1 | tee "$pester_out"
  pp=$(sed -n 's/^PESTER \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$pester_out")
  pf=$(sed -n 's/^PESTER \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$pester_out")
  if [ -z "$pp" ]; then echo "Pester: the suite did not report a result"; failed=$((failed + 1)); else passed=$((passed + pp)); failed=$((failed + pf)); fi
else
  echo "Pester: SKIPPED - $pwsh_reason; the PowerShell suite in tests/pester was not run."
fi

# Pack what users install (build.ps1 -Task Pack), then install it in a clean HOME and run it (build/Test-Install.ps1).
if [ -n "$pwsh_cmd" ]; then
  install_out="$results/install.txt"
  if "$pwsh_cmd" -NoProfile -NonInteractive -File build.ps1 -Task Pack > "$results/pack.txt" 2>&1; then
    "$pwsh_cmd" -NoProfile -NonInteractive -File build/Test-Install.ps1 | tee "$install_out"
  else
    tail -n 30 "$results/pack.txt"; echo "INSTALL 0 passed, 1 failed" | tee "$install_out"
  fi
  ip=$(sed -n 's/^INSTALL \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$install_out")
  if_=$(sed -n 's/^INSTALL \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$install_out")
  if [ -z "$ip" ]; then echo "Install checks: no result"; failed=$((failed + 1)); else passed=$((passed + ip)); failed=$((failed + if_)); fi
else
  echo "Install checks: NOT RUN - $pwsh_reason"; failed=$((failed + 1))
fi

# Every notebook in notebooks/, executed headless on synthetic models, with assertions on its outputs.
notebooks_out="$results/notebooks.txt"
# When the Pack step above filled the local feed, the notebooks restore from it as it is.
packed=()
grep -q '^INSTALL' "$results/install.txt" 2>/dev/null && ls artifacts/packages/ReasonTools.Interactive.*.nupkg >/dev/null 2>&1 && packed=(--packed)
bash build/notebooks.sh "${packed[@]}" | tee "$notebooks_out"
np=$(sed -n 's/^NOTEBOOKS \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$notebooks_out")
nf=$(sed -n 's/^NOTEBOOKS \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$notebooks_out")
if [ -z "$np" ]; then echo "Notebooks: the run did not report a result"; failed=$((failed + 1)); else passed=$((passed + np)); failed=$((failed + nf)); fi

if [ "$dotnet_rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "dotnet test exited with $dotnet_rc without a failed test (build error?)"
  failed=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
