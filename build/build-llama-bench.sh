#!/usr/bin/env bash
# Builds llama.cpp's own llama-bench, llama-batched-bench and llama-speculative from the bundled source of the pinned build (cmake), linked against the
# same prebuilt libraries ReasonTools loads, so a benchmark compares our binding with llama.cpp's tool on
# identical kernels. Cached outside the repository: <cache-root>/llama/<version>/llama-bench/llama-bench (and
# llama-batched-bench and llama-speculative beside it); prints the llama-bench path.
set -euo pipefail
root=$1 version=$2 libs=${3:-linux-x64}
here=$(cd "$(dirname "$0")" && pwd)
base="$root/llama/$version"
out="$base/llama-bench"
tools="llama-bench llama-batched-bench llama-speculative"
has_all_tools() { for t in $tools; do [ -x "$1/$t" ] || return 1; done; }
has_all_tools "$out" && { echo "$out/llama-bench"; exit 0; }
pwsh=$(command -v pwsh || echo "$HOME/.dotnet/tools/pwsh")
"$pwsh" -NoProfile -NonInteractive -File "$here/fetch-llama.ps1" -Mode Source -CacheRoot "$root" -Version "$version" >&2
"$pwsh" -NoProfile -NonInteractive -File "$here/fetch-llama.ps1" -Mode Libs -CacheRoot "$root" -Version "$version" -Package "$libs" >&2
src="$base/source" lib="$base/$libs"
work=$(mktemp -d "$base/.bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
cat > "$work/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.14)
project(llama_bench_prebuilt CXX)
set(CMAKE_CXX_STANDARD 17)
set(CMAKE_BUILD_TYPE Release)
add_executable(llama-bench "$src/tools/llama-bench/llama-bench.cpp" "$src/tools/llama-bench/main.cpp")
target_include_directories(llama-bench PRIVATE "$src/include" "$src/ggml/include" "$src/common" "$src/tools/llama-bench" "$src/vendor")
target_link_libraries(llama-bench PRIVATE "$lib/libllama-common.so" "$(ls "$lib"/libllama.v*.so | head -n1)" "$(ls "$lib"/libggml.v*.so | head -n1)" "$lib/libggml-base.so" pthread)
set_target_properties(llama-bench PROPERTIES BUILD_RPATH "$lib")
add_executable(llama-batched-bench "$src/tools/batched-bench/batched-bench.cpp" "$src/tools/batched-bench/main.cpp")
target_include_directories(llama-batched-bench PRIVATE "$src/include" "$src/ggml/include" "$src/common" "$src/vendor")
target_link_libraries(llama-batched-bench PRIVATE "$lib/libllama-common.so" "$(ls "$lib"/libllama.v*.so | head -n1)" "$(ls "$lib"/libggml.v*.so | head -n1)" "$lib/libggml-base.so" pthread)
set_target_properties(llama-batched-bench PROPERTIES BUILD_RPATH "$lib")
add_executable(llama-speculative "$src/examples/speculative/speculative.cpp")
target_include_directories(llama-speculative PRIVATE "$src/include" "$src/ggml/include" "$src/common" "$src/vendor")
target_link_libraries(llama-speculative PRIVATE "$lib/libllama-common.so" "$(ls "$lib"/libllama.v*.so | head -n1)" "$(ls "$lib"/libggml.v*.so | head -n1)" "$lib/libggml-base.so" pthread)
set_target_properties(llama-speculative PROPERTIES BUILD_RPATH "$lib")
CMAKE
cmake -S "$work" -B "$work/build" -DCMAKE_BUILD_TYPE=Release >&2
cmake --build "$work/build" -j 2 >&2
mkdir -p "$work/out" && for t in $tools; do cp "$work/build/$t" "$work/out/"; done
# ggml looks for its backend variants (libggml-cpu-*) beside the executable.
for f in "$lib"/libggml-*.so; do ln -s "$f" "$work/out/"; done
# A cache from before all the tools were built beside llama-bench (no llama-batched-bench or no llama-speculative) is replaced.
[ -d "$out" ] && ! has_all_tools "$out" && rm -rf "$out"
# A plain rename (portable, unlike GNU mv -T); when another build placed it first, our copy landed inside and goes.
mv "$work/out" "$out" 2>/dev/null || true
rm -rf "$out/out"
echo "$out/llama-bench"
