#!/usr/bin/env bash
# The Python side of lcs on the GPU machine, offline: builds the extension
# against a prebuilt lcs, runs test/python, then the Python launch and
# cold-start benchmarks and their charts, and the CUB link-boundary benchmark.
#
# Usage (from anywhere in the checkout):
#   tools/lcs-bench/gpu-python.sh PREBUILT_LCS_DIR OUT_DIR
#
# PREBUILT_LCS_DIR: an lcs build tree, install prefix or folder holding
# liblcs.so(.0) (docs/python.md, "Against prebuilt lcs"). OUT_DIR receives
# site/ (the installed package), the junit
# file, the benchmarks' JSON lines, charts and logs, and machine.txt.
# pip never fetches anything (--no-index --no-deps --no-build-isolation).
set -u -o pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 PREBUILT_LCS_DIR OUT_DIR" >&2
  exit 2
fi
if [ ! -d "$1" ]; then
  echo "$0: prebuilt lcs directory '$1' does not exist" >&2
  exit 2
fi
prebuilt=$(cd "$1" && pwd)
mkdir -p "$2" || exit 2
out=$(cd "$2" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 2
status=0

step() { echo; echo "== $*"; }

step "machine"
{
  date -u
  uname -a
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv 2>&1
  python3 --version
  python3 -m pip list 2>/dev/null |
    grep -iE '^(numba|numba-cuda|llvmlite|numpy|cupy|cuda-|triton|torch|scikit-build-core|nanobind|pytest|matplotlib) '
} > "$out/machine.txt" 2>&1
cat "$out/machine.txt"

step "the extension (against $prebuilt)"
# Installed with --target beside the image's packages (numba-cuda, CuPy,
# Triton, torch, scikit-build-core, nanobind), not in a venv: the image's
# python3 is itself a virtual environment, whose packages a venv made from
# it would not see.
site="$out/site"
py=python3
"$py" -m pip install --no-index --no-deps --no-build-isolation --upgrade \
  --target "$site" -C build-dir="$out/build-python" \
  -C cmake.define.LCS_PREBUILT="$prebuilt" . \
  > "$out/pip-install.log" 2>&1 || {
    tail -30 "$out/pip-install.log"
    echo "$0: installing the extension failed (log: $out/pip-install.log)" >&2
    exit 1
  }
export PYTHONPATH="$site${PYTHONPATH:+:$PYTHONPATH}"
# Outside the checkout, so that `import lcs` is the installed package.
(cd "$out" && "$py" -c 'import lcs; print("lcs", lcs.__version__, "from", lcs.__file__)') || exit 1

step "tests (test/python)"
"$py" -m pytest -q test/python --junitxml="$out/python-tests.xml" 2>&1 |
  tee "$out/python-tests.log" || status=1

step "launch cost from Python"
"$py" tools/lcs-bench/python_launch.py --out "$out" 2>&1 |
  tee "$out/python-launch.log" || status=1

step "cold start from Python"
"$py" tools/lcs-bench/python_coldstart.py --out "$out" --work "$out/coldstart-work" 2>&1 |
  tee "$out/python-coldstart.log" || status=1

step "CUB across the link boundary (kernel time)"
"$py" tools/lcs-bench/coop_bench.py --out "$out" 2>&1 |
  tee "$out/coop-bench.log" || status=1

step "done (status $status)"
ls -l "$out"
exit $status
