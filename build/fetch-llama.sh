#!/usr/bin/env bash
# Fetches the pinned llama.cpp build into a cache outside the repository, once.
#   fetch-llama.sh libs   <cache-root> <npm-version> [package-suffix]   -> <cache-root>/llama/<version>/<suffix>/*.so
#     suffix: linux-x64 (default), linux-x64-cuda, linux-x64-vulkan, linux-arm64, win-x64, win-x64-cuda,
#     win-x64-vulkan, mac-arm64-metal, mac-x64. A *-cuda package keeps its GPU backend in a companion
#     *-cuda-ext package (npm's size limit); both are unpacked into the one folder, as ggml loads backends
#     from a single folder.
#   fetch-llama.sh source <cache-root> <npm-version>                    -> <cache-root>/llama/<version>/source (llama.cpp tree)
# Safe to run from several builds at once: each fills a private temporary folder and renames it into place.
set -euo pipefail
mode=$1 root=$2 version=$3 suffix=${4:-linux-x64}
base="$root/llama/$version"
mkdir -p "$base"
case "$mode" in
  libs)   dest="$base/$suffix"; packages=("@node-llama-cpp/$suffix@$version")
          case "$suffix" in *-cuda) packages+=("@node-llama-cpp/$suffix-ext@$version") ;; esac ;;
  source) dest="$base/source";  packages=("node-llama-cpp@$version") ;;
  *) echo "usage: fetch-llama.sh libs|source <cache-root> <version> [suffix]" >&2; exit 1 ;;
esac
[ -f "$dest/.complete" ] && exit 0
package=${packages[0]}
command -v npm >/dev/null || { echo "fetch-llama: npm is needed to fetch $package (install Node.js), or set REASONTOOLS_LLAMA_PATH to a folder holding libllama" >&2; exit 1; }
work=$(mktemp -d "$base/.fetch.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/out"
if [ "$mode" = libs ]; then
  for package in "${packages[@]}"; do
    echo "fetch-llama: fetching $package into $dest" >&2
    pack=$(mktemp -d "$work/pack.XXXXXX")
    (cd "$pack" && npm pack --silent "$package" >/dev/null) \
      || { echo "fetch-llama: npm could not fetch $package (is this version published for that platform?)" >&2; exit 1; }
    mkdir -p "$pack/unpacked"
    tar xzf "$pack"/*.tgz -C "$pack/unpacked"
    found=$(find "$pack/unpacked/package/bins" -maxdepth 2 \( -name '*.so' -o -name '*.dylib' -o -name '*.dll' -o -name '*.metal' \) | wc -l)
    [ "$found" -gt 0 ] || { echo "fetch-llama: $package holds no libraries" >&2; exit 1; }
    find "$pack/unpacked/package/bins" -maxdepth 2 \( -name '*.so' -o -name '*.dylib' -o -name '*.dll' -o -name '*.metal' \) -exec cp {} "$work/out/" \;
    rm -rf "$pack"
  done
  # The Node.js addon is not ours to load.
  rm -f "$work/out/llama-addon.node"
else
  echo "fetch-llama: fetching $package into $dest" >&2
  (cd "$work" && npm pack --silent "$package" >/dev/null)
  mkdir -p "$work/unpacked"
  tar xzf "$work"/*.tgz -C "$work/unpacked"
  git clone --quiet "$work/unpacked/package/llama/gitRelease.bundle" "$work/out" 2>/dev/null
  rm -rf "$work/out/.git"
fi
touch "$work/out/.complete"
# A plain rename (portable, unlike GNU mv -T): when another build won the race, dest exists and mv puts our copy
# inside it instead; that stray copy is removed, and the winner's copy is complete.
mv "$work/out" "$dest" 2>/dev/null || true
rm -rf "$dest/out"
[ -f "$dest/.complete" ] || { echo "fetch-llama: could not place $dest" >&2; exit 1; }
