#!/usr/bin/env bash
# Executes every notebook in notebooks/ headless and asserts on its outputs; build/test.sh calls it.
#  1. packs ReasonTools.Core, .Reports and .Interactive (the kernel extension) into the local feed artifacts/packages
#     (--packed: build.ps1 -Task Pack already did);
#  2. installs dotnet-repl (a headless .NET Interactive notebook runner) under artifacts/tools when it is missing;
#  3. writes synthetic models and a one-prompt set (tests/ReasonTools.Testing) and points the notebooks at them
#     through REASONTOOLS_MODEL / REASONTOOLS_PROMPTS;
#  4. runs each notebook into artifacts/notebooks/ and checks the outputs (build/notebook-ci.cs).
# Ends with one line "NOTEBOOKS <passed> passed, <failed> failed".
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
feed="$root/artifacts/packages"
out="$root/artifacts/notebooks"
tools="$root/artifacts/tools"
repl_version=0.3.259
rm -rf "$out"
mkdir -p "$feed" "$out" "$tools"

fail() { echo "notebooks: $1"; echo "NOTEBOOKS 0 passed, 1 failed"; exit 1; }

packed=false
if [ "${1:-}" = "--packed" ]; then packed=true; shift; fi
# The Core package carries this machine's llama.cpp libraries, so the notebooks load them from the restored package.
$packed || for project in ReasonTools.Core ReasonTools.Reports ReasonTools.Interactive; do
  dotnet pack "src/$project" -c Release -o "$feed" -v q -nologo >"$out/pack-$project.log" 2>&1 \
    || { cat "$out/pack-$project.log"; fail "dotnet pack $project failed"; }
done

repl="$tools/dotnet-repl"
if [ ! -x "$repl" ]; then
  dotnet tool install --tool-path "$tools" dotnet-repl --version "$repl_version" >"$out/tool-install.log" 2>&1 \
    || { cat "$out/tool-install.log"; fail "could not install dotnet-repl $repl_version"; }
fi

models=$(dotnet run build/notebook-ci.cs -- models "$out/models" 2>"$out/models.log") || { cat "$out/models.log"; fail "could not write the synthetic models"; }

# The notebooks restore ReasonTools.Interactive from the local feed, registered in a NuGet.Config of a home folder of
# their own (the user's own NuGet.Config, sources and all, plus the feed), so the user's configuration is left untouched.
# A package cache of its own too: they must restore the packages just packed, never an older build of the same version.
orig_home=$HOME
home="$out/home"
mkdir -p "$home/.nuget/NuGet"
if [ -f "$HOME/.nuget/NuGet/NuGet.Config" ]; then cp "$HOME/.nuget/NuGet/NuGet.Config" "$home/.nuget/NuGet/NuGet.Config"
else (cd "$home/.nuget/NuGet" && dotnet new nugetconfig -n NuGet >/dev/null && mv nuget.config NuGet.Config 2>/dev/null || true); fi
dotnet nuget add source "$feed" -n reasontools-local --configfile "$home/.nuget/NuGet/NuGet.Config" >/dev/null \
  || fail "could not register the local feed in $home/.nuget/NuGet/NuGet.Config"
export HOME="$home" DOTNET_CLI_HOME="$home"
export NUGET_PACKAGES="$out/nuget-packages"
export REASONTOOLS_MODEL="$models"
export REASONTOOLS_PROMPTS="$out/models/prompts.json"
unset REASONTOOLS_LLAMA_PATH
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT=1

# Arguments name notebooks to run (all of them by default); the check still expects every notebook.
notebooks=("$@")
[ ${#notebooks[@]} -gt 0 ] || notebooks=(notebooks/*.ipynb)
for notebook in "${notebooks[@]}"; do
  name=$(basename "$notebook")
  echo "notebooks: running $name"
  (cd notebooks && timeout 900 "$repl" --run "$name" --exit-after-run --working-dir "$root/notebooks" \
      --output-format ipynb --output-path "$out/$name") >"$out/${name%.ipynb}.log" 2>&1 \
    || { echo "notebooks: $name exited with $? (log: $out/${name%.ipynb}.log)"; tail -n 20 "$out/${name%.ipynb}.log"; }
done

HOME="$orig_home" env -u DOTNET_CLI_HOME -u NUGET_PACKAGES dotnet run build/notebook-ci.cs -- check "$out"
