#!/usr/bin/env bash
# Usage: fuzz-triage.sh FUZZER FINDINGS_DIR
# Re-runs each crash or leak the fuzzer saved and decides whose it is by the
# first stack frame outside the C/C++ runtime, the sanitizers and libFuzzer:
# in libLLVM.so it is upstream (LLVM's readers are not robust to every
# malformed input; reported, not failed), anywhere else it is lcs's (failed).
# Prints one line a finding; exit status 1 if any finding is lcs's.
set -uo pipefail
fuzzer=$1 findings=$2
own=0
shopt -s nullglob
for f in "$findings"/crash-* "$findings"/leak-*; do
  trace=$(LSAN_OPTIONS=suppressions=test/fuzz/lsan.supp UBSAN_OPTIONS=print_stacktrace=1 \
    "$fuzzer" "$f" 2>&1)
  status=$?
  first=$(printf '%s\n' "$trace" | grep -E '^ +#[0-9]+ ' |
    grep -vE 'libc\.so|libstdc\+\+|libgcc|clang_rt|sanitizer|fuzzer::|__cxa|std::terminate|std::__throw|_start|__libc|raise|abort|pthread_kill|operator new' |
    grep -vE ' in (__interceptor_)?(memcpy|memmove|memset|memcmp|bcmp|strlen|strnlen|strcmp|strncmp|strcpy|strncpy) ' |
    head -1)
  if [ -z "$first" ] && [ $status -eq 0 ]; then
    echo "fuzz-triage: $f: no longer reproduces"
  elif [ -z "$first" ]; then
    echo "fuzz-triage: $f: LCS BUG: fails (status $status) with no stack to place it"
    printf '%s\n' "$trace" | tail -40
    own=1
  elif printf '%s' "$first" | grep -q 'libLLVM'; then
    echo "fuzz-triage: $f: upstream (LLVM):${first#*in }"
  else
    echo "fuzz-triage: $f: LCS BUG:${first#*in }"
    printf '%s\n' "$trace" | tail -40
    own=1
  fi
done
exit $own
