"""numba-cuda's own tests with every kernel through lcs.numba.

Each ``numba.cuda.jit`` kernel of the tests is routed through
``lcs.numba.jit`` (``device=True`` functions, and anything lcs.numba
refuses, stay numba-cuda's); each test's outcome goes to a JSON file. Run
it twice, with and without ``--no-lcs``, and ``--compare`` tells the tests
that fail only through lcs. Needs a GPU, numba-cuda and its test
dependencies (``filecheck``); see docs/python.md for the last results.

  python test/numba-cuda/run_suite.py OUT.json [--no-lcs] [--time-limit S]
         [--compare BASE.json] [module or test id ...]
"""

import argparse
import collections
import json
import sys
import time
import traceback
import unittest

import numpy as np

if not hasattr(np, "row_stack"):  # numba-cuda 0.30 under numpy >= 2.4
    np.row_stack = np.vstack

import numba.cuda  # noqa: E402

import lcs  # noqa: E402
import lcs.numba  # noqa: E402

#: numba.cuda.tests.cudapy modules about kernels, their launch and typing.
MODULES = (
    "array_args atomics blackscholes boolean casting complex_kernel constmem "
    "cooperative_groups dispatcher exception fastmath forall freevar globals "
    "idiv inspect intrinsics laplace launch_config_sensitive lineinfo "
    "localmem mandel matmul montecarlo nondet optimization powi random "
    "record_dtype reduction sm sync transpose userexc warp_ops errors "
    "cuda_jit_no_types multithreads vector_type slicing iterators lang"
).split()

ROUTED = collections.Counter()


def route():
    numba_jit = numba.cuda.jit

    def jit(func_or_sig=None, device=False, **options):
        if device:
            ROUTED["numba-cuda (device=True)"] += 1
            return numba_jit(func_or_sig, device=True, **options)
        try:
            kernel = lcs.numba.jit(func_or_sig, **options)
        except (lcs.UnsupportedError, lcs.InvalidArgumentError) as e:
            ROUTED[f"numba-cuda ({e})"[:120]] += 1
            return numba_jit(func_or_sig, **options)
        ROUTED["lcs.numba"] += 1
        return kernel

    numba.cuda.jit = jit


def run(names, limit):
    start = time.time()
    outcome = {}

    class Result(unittest.TextTestResult):
        def startTest(self, test):
            if time.time() - start > limit:
                self.stop()
                return
            super().startTest(test)

        def _note(self, test, kind, err=None):
            text = "" if err is None else "".join(
                traceback.format_exception(*err))[-1500:]
            outcome[test.id()] = [kind, text]

        def addSuccess(self, t):
            super().addSuccess(t)
            self._note(t, "ok")

        def addFailure(self, t, e):
            super().addFailure(t, e)
            self._note(t, "fail", e)

        def addError(self, t, e):
            super().addError(t, e)
            self._note(t, "error", e)

        def addSkip(self, t, why):
            super().addSkip(t, why)
            outcome[t.id()] = ["skip", str(why)]

        def addExpectedFailure(self, t, e):
            super().addExpectedFailure(t, e)
            self._note(t, "xfail")

        def addUnexpectedSuccess(self, t):
            super().addUnexpectedSuccess(t)
            self._note(t, "xpass")

    suite = unittest.TestSuite()
    for name in names:
        try:
            suite.addTests(unittest.defaultTestLoader.loadTestsFromName(name))
        except Exception as e:  # noqa: BLE001 (reported as the outcome)
            outcome[name] = ["load-error", repr(e)[-500:]]
    with open("/dev/null", "w") as null:
        unittest.TextTestRunner(resultclass=Result, stream=null).run(suite)
    return outcome


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out")
    p.add_argument("names", nargs="*")
    p.add_argument("--no-lcs", action="store_true")
    p.add_argument("--time-limit", type=float, default=600)
    p.add_argument("--compare")
    a = p.parse_args()
    if not a.no_lcs:
        route()
    names = a.names or [f"numba.cuda.tests.cudapy.test_{m}" for m in MODULES]
    outcome = run(names, a.time_limit)
    with open(a.out, "w") as f:
        json.dump({"routed": ROUTED, "tests": outcome}, f, indent=0)
    print(dict(collections.Counter(v[0] for v in outcome.values())))
    if a.compare:
        with open(a.compare) as f:
            base = json.load(f)["tests"]
        bad = ("fail", "error", "load-error")
        only = sorted(k for k, v in outcome.items()
                      if v[0] in bad and base.get(k, ["?"])[0] not in bad)
        print(f"{len(only)} fail only here")
        for k in only:
            last = (outcome[k][1].strip().splitlines() or [""])[-1]
            print(f"  {k}: {last[:160]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
