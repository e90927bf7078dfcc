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
    passed = failed = skipped = 0
    if ctest is None:
        failed += 1
    else:
        for name, bad, skip in ctest:
            if name == "lit":
                # Counted through lit's own file; a crash of lit itself
                # (no file) counts as one failure.
                if lit is None:
                    failed += 1
                continue
            if skip:
                skipped += 1
            elif bad:
                failed += 1
            else:
                passed += 1
    for _, bad, skip in lit or []:
        if skip:
            skipped += 1
        elif bad:
            failed += 1
        else:
            passed += 1
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line)
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
