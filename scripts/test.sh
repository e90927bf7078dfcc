#!/usr/bin/env bash
# Builds lcs and runs the whole test suite, then prints one closing line:
# "N passed, N failed".
#
#  1. the test suite (lit + FileCheck, GoogleTest; GPU tests skip without a
#     device), under ctest;
#  2. the CPU suite again under AddressSanitizer + UndefinedBehaviorSanitizer;
#  3. the cache, runtime and remote cache (Redis) tests under
#     ThreadSanitizer;
#  4. each libFuzzer target for LCS_FUZZ_SECONDS (default 60) over its seed
#     corpus in test/fuzz/corpus;
#  5. the Python package's tests (pytest, test/python) in build/venv.
# LCS_HARDENING=0 runs step 1 only.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh || { echo "0 passed, 1 failed"; exit 1; }

results=$PWD/build/test-results
rm -rf "$results" && mkdir -p "$results"
specs=()
status=0

LIT_OPTS="--xunit-xml-output=$results/lit.xml" \
  ctest --test-dir build --output-on-failure --output-junit "$results/ctest.xml" || status=1
specs+=("$results/ctest.xml:$results/lit.xml")

# One synthetic JUnit case, for steps that are not test runners.
junit_case() { # name, exit status, file
  if [ "$2" -eq 0 ]; then
    echo "<testsuite><testcase name=\"$1\"/></testsuite>" > "$3"
  else
    echo "<testsuite><testcase name=\"$1\"><failure/></testcase></testsuite>" > "$3"
    status=1
  fi
  specs+=("$3")
}

if [ "${LCS_HARDENING:-1}" = 1 ]; then
  san=(-G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
       -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22
       -DLCS_BUILD_BENCH=OFF -DLCS_BUILD_EXAMPLES=OFF)

  echo "== AddressSanitizer + UndefinedBehaviorSanitizer"
  if cmake -S . -B build-asan "${san[@]}" -DLCS_SANITIZE=address,undefined -DLCS_ASSERTIONS=ON >/dev/null &&
     cmake --build build-asan; then
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    LSAN_OPTIONS=suppressions=$PWD/test/lsan.supp \
    LIT_OPTS="--xunit-xml-output=$results/asan-lit.xml" \
      ctest --test-dir build-asan -LE gpu --output-on-failure \
        --output-junit "$results/asan-ctest.xml" || status=1
    specs+=("$results/asan-ctest.xml:$results/asan-lit.xml")
  else
    junit_case asan-build 1 "$results/asan-build.xml"
  fi

  echo "== ThreadSanitizer (cache, runtime and remote cache)"
  if cmake -S . -B build-tsan "${san[@]}" -DLCS_SANITIZE=thread >/dev/null &&
     cmake --build build-tsan --target lcs-unit-tests lcs-runtime-tests \
       lcs-redis-tests; then
    TSAN_OPTIONS=halt_on_error=1 build-tsan/bin/lcs-unit-tests \
      --gtest_filter='DiskCache*:Cache*' --gtest_output="xml:$results/tsan-cache.xml" || status=1
    TSAN_OPTIONS=halt_on_error=1 build-tsan/bin/lcs-runtime-tests \
      --gtest_output="xml:$results/tsan-runtime.xml" || status=1
    # The write-back thread, the breaker and the lease waits race the
    # foreground on purpose; each test starts its own redis-server.
    TSAN_OPTIONS=halt_on_error=1 build-tsan/bin/lcs-redis-tests \
      --gtest_output="xml:$results/tsan-redis.xml" || status=1
    specs+=("$results/tsan-cache.xml" "$results/tsan-runtime.xml" \
            "$results/tsan-redis.xml")
  else
    junit_case tsan-build 1 "$results/tsan-build.xml"
  fi

  echo "== libFuzzer, ${LCS_FUZZ_SECONDS:-60} s a target"
  if cmake -S . -B build-fuzz "${san[@]}" -DLCS_SANITIZE=address,undefined \
       -DLCS_FUZZ=ON -DLCS_BUILD_TESTS=OFF >/dev/null &&
     cmake --build build-fuzz --target lcs-fuzz-ir lcs-fuzz-entry lcs-fuzz-config \
       lcs-fuzz-codegen; then
    export LCS_FUZZ_TIMEOUT=10 LCS_FUZZ_RSS_MB=4096
    for t in ir entry config codegen; do
      work=build-fuzz/corpus-$t findings=build-fuzz/findings-$t
      rm -rf "$work" "$findings" && mkdir -p "$work" "$findings"
      seeds=("test/fuzz/corpus/$t")
      # Code generation starts from the same IR as the reader's target.
      [ "$t" = codegen ] && seeds+=(test/fuzz/corpus/ir)
      # Fork mode goes on past a crash, a timeout or an out-of-memory (the
      # -ignore_* flags), so one upstream LLVM bug does not hide lcs's; each
      # saved finding, timeouts and ooms included, is triaged below.
      LSAN_OPTIONS=suppressions=$PWD/test/fuzz/lsan.supp UBSAN_OPTIONS=print_stacktrace=1 \
        build-fuzz/bin/lcs-fuzz-$t -fork=1 -ignore_crashes=1 -ignore_timeouts=1 \
          -ignore_ooms=1 -max_total_time="${LCS_FUZZ_SECONDS:-60}" \
          -timeout="$LCS_FUZZ_TIMEOUT" -rss_limit_mb="$LCS_FUZZ_RSS_MB" \
          -artifact_prefix="$findings/" \
          "$work" "${seeds[@]}" > "build-fuzz/fuzz-$t.log" 2>&1
      # Fork mode's exit status reflects findings, upstream ones included,
      # and how the last job was stopped: that it ran to the end is what
      # counts here; the findings are judged by triage.
      grep -q "INFO: exiting" "build-fuzz/fuzz-$t.log"
      rc=$?
      grep -E "^#[0-9]+: cov:|INFO: exiting" "build-fuzz/fuzz-$t.log" | tail -1 | sed "s/^/fuzz-$t: /"
      # Reproducing a timeout or oom takes seconds: triage gets at most the
      # fuzzing time again, so the stage stays bounded.
      LCS_FUZZ_TRIAGE_SECONDS="${LCS_FUZZ_SECONDS:-60}" \
      bash scripts/fuzz-triage.sh "build-fuzz/bin/lcs-fuzz-$t" "$findings" || rc=1
      junit_case "fuzz-$t" $rc "$results/fuzz-$t.xml"
    done
  else
    junit_case fuzz-build 1 "$results/fuzz-build.xml"
  fi
fi

echo "== Python (build/venv)"
# The package's extension is built against this build tree's liblcs.so
# (LCS_PREBUILT), so pip compiles one file; it is reinstalled only when its
# inputs change, and the venv's packages are installed only when missing.
venv=build/venv
python_setup() {
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv" || return 1
  "$venv/bin/python" -c "import scikit_build_core, nanobind, numba_cuda, pytest, numpy" 2>/dev/null ||
    "$venv/bin/pip" install -q scikit-build-core nanobind numba-cuda==0.30.4 pytest numpy || return 1
  local stamp
  stamp=$(cat pyproject.toml python/CMakeLists.txt python/src/*.cpp python/src/*.h python/lcs/*.py \
            python/lcs/*.pyi runtime/include/lcs/lcs.h build/lib/liblcs.so.*.*.* |
          sha256sum | cut -c1-32)
  if [ "$(cat build/python/.installed 2>/dev/null)" != "$stamp" ]; then
    "$venv/bin/pip" install -q --no-build-isolation -C build-dir=build/python \
      -C cmake.define.LCS_PREBUILT="$PWD/build" . || return 1
    echo "$stamp" > build/python/.installed
  fi
}
if python_setup; then
  "$venv/bin/python" -m pytest -q test/python --junitxml="$results/python.xml" || status=1
  specs+=("$results/python.xml")
else
  junit_case python-setup 1 "$results/python-setup.xml"
fi

python3 scripts/summarize-tests.py "${specs[@]}"
summary=$?
[ $status -eq 0 ] && [ $summary -eq 0 ]
