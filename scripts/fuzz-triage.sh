#!/usr/bin/env bash
# Usage: fuzz-triage.sh FUZZER FINDINGS_DIR
# Re-runs each finding the fuzzer saved (crash-*, leak-*, timeout-*, oom-*)
# under the fuzzing limits and decides whose it is by the first stack frame
# outside the C/C++ runtime, the sanitizers and libFuzzer: in libLLVM.so it
# is upstream (LLVM's readers and backend are not robust to every malformed
# input; reported, not failed), anywhere else it is lcs's (failed).
# Which frame that is, by kind:
#   crash, leak   the faulting or leaking frame;
#   timeout       where libFuzzer's alarm found the input still running;
#   oom           the caller of the failing allocation (malloc limit), or of
#                 the largest live allocation site (RSS limit).
# A timeout or oom in LLVM also names the innermost lcs frame that called
# it, so a loop of lcs's spending its time in LLVM calls is seen.
# Timeouts and ooms take seconds each to reproduce: they are triaged until
# LCS_FUZZ_TRIAGE_SECONDS (default 120) have gone; one left over fails, as an
# lcs finding would (an untriaged finding is not known to be upstream).
# Limits: LCS_FUZZ_TIMEOUT (s, default 10), LCS_FUZZ_RSS_MB (default 4096),
# the same scripts/test.sh fuzzes with.
# Prints one line a finding; exit status 1 if any finding is lcs's.
set -uo pipefail
fuzzer=$1 findings=$2
timeout_s=${LCS_FUZZ_TIMEOUT:-10} rss_mb=${LCS_FUZZ_RSS_MB:-4096}
deadline=$((SECONDS + ${LCS_FUZZ_TRIAGE_SECONDS:-120}))
own=0
runtime_frames='libc\.so|libstdc\+\+|libgcc|clang_rt|sanitizer|fuzzer::|__cxa|std::terminate|std::__throw|_start|__libc|raise|abort|pthread_kill|operator new|[^_]malloc|calloc|realloc|__restore_rt'
libc_calls=' in (__interceptor_)?(memcpy|memmove|memset|memcmp|bcmp|strlen|strnlen|strcmp|strncmp|strcpy|strncpy) '
shopt -s nullglob
for f in "$findings"/crash-* "$findings"/leak-* "$findings"/timeout-* "$findings"/oom-*; do
  kind=$(basename "$f")
  kind=${kind%%-*}
  if [ "$kind" = timeout ] || [ "$kind" = oom ]; then
    if [ $SECONDS -ge $deadline ]; then
      echo "fuzz-triage: $f: LCS BUG: $kind not triaged (triage time used up)"
      own=1
      continue
    fi
  fi
  # libFuzzer's own limits report with a stack; the outer timeout only
  # catches an input that defeats them (then there is no stack: failed).
  trace=$(LSAN_OPTIONS=suppressions=test/fuzz/lsan.supp UBSAN_OPTIONS=print_stacktrace=1 \
    timeout -k 5 $((timeout_s * 3 + 30)) \
    "$fuzzer" -timeout="$timeout_s" -rss_limit_mb="$rss_mb" "$f" 2>&1)
  status=$?
  frames=$(printf '%s\n' "$trace" | grep -E '^ +#[0-9]+ ' |
    grep -vE "$runtime_frames" | grep -vE "$libc_calls")
  first=$(printf '%s\n' "$frames" | head -1)
  if [ -z "$first" ] && [ $status -eq 0 ]; then
    echo "fuzz-triage: $f: no longer reproduces"
  elif [ -z "$first" ]; then
    echo "fuzz-triage: $f: LCS BUG: $kind (status $status) with no stack to place it"
    printf '%s\n' "$trace" | tail -40
    own=1
  elif printf '%s' "$first" | grep -q 'libLLVM'; then
    caller=
    if [ "$kind" = timeout ] || [ "$kind" = oom ]; then
      caller=$(printf '%s\n' "$frames" | grep -v 'libLLVM' | head -1)
      [ -n "$caller" ] && caller=", called from${caller#*in }"
    fi
    echo "fuzz-triage: $f: upstream (LLVM) $kind:${first#*in }$caller"
  else
    echo "fuzz-triage: $f: LCS BUG: $kind:${first#*in }"
    printf '%s\n' "$trace" | tail -40
    own=1
  fi
done
exit $own
