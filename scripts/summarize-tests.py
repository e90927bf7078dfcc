#!/usr/bin/env python3
"""Counts test cases from JUnit files and prints "N passed, N failed".

Arguments: CTEST.xml:LIT.xml (ctest's entry for the lit suite is replaced by
lit's own per-test results; a missing LIT.xml counts as one failure) or a
plain JUnit file (GoogleTest's --gtest_output, a synthetic case). Exit status
1 if anything failed or nothing ran."""
import sys
import xml.etree.ElementTree as ET


def cases(path):
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        print(f"summarize-tests: cannot read {path}: {e}", file=sys.stderr)
        return None
    out = []
    for tc in root.iter("testcase"):
        failed = tc.find("failure") is not None or tc.find("error") is not None
        skipped = tc.find("skipped") is not None
        if tc.get("status") in ("fail", "failed"):
            failed = True
        if tc.get("status") in ("notrun", "disabled") or \
                tc.get("result") == "skipped":
            skipped = True
        # ctest's "not run" also means a missing executable or required
        # file: a failure, not a skip.
        why = tc.find("skipped")
        if why is not None and why.get("message") in (
                "Unable to find executable", "Required Files Missing"):
            failed, skipped = True, False
        out.append((tc.get("name", ""), failed, skipped))
    return out


def main():
    results = []  # (failed, skipped)
    for spec in sys.argv[1:]:
        ctest_path, _, lit_path = spec.partition(":")
        ctest = cases(ctest_path)
        if ctest is None:
            results.append((True, False))
            continue
        lit = cases(lit_path) if lit_path else None
        for name, bad, skip in ctest:
            if lit_path and name == "lit":
                if lit is None:  # lit crashed before writing its results
                    results.append((True, False))
                continue
            results.append((bad, skip))
        results += [(bad, skip) for _, bad, skip in lit or []]
    skipped = sum(1 for _, skip in results if skip)
    failed = sum(1 for bad, skip in results if bad and not skip)
    passed = len(results) - skipped - failed
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line)
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
