#!/usr/bin/env python3
"""Counts test cases from ctest's and lit's JUnit files and prints
"N passed, N failed". ctest's entry for the whole lit suite is replaced by
lit's own per-test results. Exit status 1 if anything failed or nothing ran."""
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
        status = tc.get("status")
        if status in ("fail", "failed"):
            failed = True
        if status in ("notrun", "disabled"):
            skipped = True
        out.append((tc.get("name", ""), failed, skipped))
    return out


def main():
    ctest_path, lit_path = sys.argv[1], sys.argv[2]
    ctest = cases(ctest_path)
    lit = cases(lit_path)
    # ctest's entry for the lit suite is counted through lit's own file; if
    # lit left no file (it crashed), that entry counts as one failure.
    results = [(bad, skip) for name, bad, skip in ctest or [] if name != "lit"]
    results += [(bad, skip) for _, bad, skip in lit or []]
    if ctest is None or lit is None:
        results.append((True, False))
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
