#!/usr/bin/env bash
# Installs lcs into a fresh prefix and builds consumers outside the tree:
# CMake (LCS::runtime static, LCS::passes, LCS_PLUGIN_PATH) and pkg-config
# (liblcs.so from C). Usage: run.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$1 build=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$src/test/install/consumer" -B "$work/cmake" -G Ninja \
  -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/cmake" >/dev/null
"$work/cmake/uses-runtime"
"$work/cmake/uses-passes" "$src/test/lit/Inputs/corpus/numba_grid_stride_saxpy.ll" | sed 's/^_ZN8__main__17grid_stride_saxpy.*:/grid_stride_saxpy:/'
plugin=$(cat "$work/cmake/plugin-path.txt")
test "$plugin" = "$work/prefix/lib/LCSPasses.so"
opt -load-pass-plugin="$plugin" -passes='print<lcs-sensitivity>' -disable-output \
  "$src/test/lit/Inputs/corpus/triton_t_add.ll" 2>&1 | sed -n 1p
export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig"
cc -std=c99 -Wall "$src/test/install/consumer.c" $(pkg-config --cflags --libs lcs) \
  -Wl,-rpath,"$work/prefix/lib" -o "$work/c-consumer"
"$work/c-consumer"
echo "installed: $(cd "$work/prefix" && find bin lib include -maxdepth 1 | sort | tr '\n' ' ')"
