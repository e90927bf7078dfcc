#!/usr/bin/env bash
# Builds lcs and runs the whole test suite (lit + FileCheck and GoogleTest,
# both under ctest), then prints one closing line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh || { echo "0 passed, 1 failed"; exit 1; }

results=build/test-results
rm -rf "$results" && mkdir -p "$results"
LIT_OPTS="--xunit-xml-output=$PWD/$results/lit.xml" \
  ctest --test-dir build --output-on-failure --output-junit "$PWD/$results/ctest.xml"
status=$?

python3 scripts/summarize-tests.py "$results/ctest.xml" "$results/lit.xml"
summary=$?
[ $status -eq 0 ] && [ $summary -eq 0 ]
