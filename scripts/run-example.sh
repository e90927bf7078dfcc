#!/usr/bin/env bash
# The main job on a bundled example: build lcs, then report which launch
# fields two real numba-cuda kernels depend on.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
for args in "examples/numba/grid_stride_saxpy.ll" \
            "examples/numba/via_device_fn.part1.ll examples/numba/via_device_fn.part2.ll"; do
  echo "\$ lcs-compile --report-format=text $args"
  # shellcheck disable=SC2086
  build/bin/lcs-compile --report-format=text $args
  echo
done
echo "\$ lcs-compile examples/numba/grid_stride_saxpy.ll   # JSON, for frontends"
build/bin/lcs-compile examples/numba/grid_stride_saxpy.ll
