"""The Python benchmarks' statistics and method (tools/lcs-bench/
python_stats.py), and that the benchmark scripts import and parse their
arguments without a GPU."""

import importlib
import io
import os
import subprocess
import sys

import pytest

BENCH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                     "tools", "lcs-bench")
sys.path.insert(0, BENCH)
st = importlib.import_module("python_stats")

BASE, BASE2 = "raw", "raw2"


def test_median_and_spread():
    assert st.median([3, 1, 2]) == 2
    assert st.median([4, 1, 2, 3]) == 2.5
    assert st.spread([5, 1, 3]) == (3, 1, 5)
    with pytest.raises(ValueError, match="no values"):
        st.median([])


def test_rotated_starts_each_run_with_another_path():
    assert st.rotated("abc", 0) == ["a", "b", "c"]
    assert st.rotated("abc", 1) == ["b", "c", "a"]
    assert st.rotated("abc", 4) == ["b", "c", "a"]
    assert st.rotated([], 3) == []


RUNS = [
    {BASE: 100.0, BASE2: 102.0, "a": 150.0, "b": 300.0},
    {BASE: 110.0, BASE2: 105.0, "a": 170.0, "b": 310.0},
    {BASE: 90.0, BASE2: 99.0, "a": 120.0, "b": 330.0},
]


def test_summary_is_per_run_then_median():
    s = st.summarise_runs(RUNS, BASE, BASE2)
    a = s["paths"]["a"]
    assert (a["median"], a["low"], a["high"]) == (150.0, 120.0, 170.0)
    # per-run differences 50, 60, 30 and ratios 1.5, 1.5454.., 1.3333..
    assert a["above"] == 50.0
    assert (a["above_low"], a["above_high"]) == (30.0, 60.0)
    assert a["ratio"] == pytest.approx(1.5)
    assert a["ratio_low"] == pytest.approx(120 / 90)
    assert a["ratio_high"] == pytest.approx(170 / 110)
    assert a["runs"] == 3
    assert s["paths"][BASE]["ratio"] == 1.0
    n = s["noise"]
    assert n["ratio"] == pytest.approx(1.02)
    assert n["ratio_low"] == pytest.approx(105 / 110)
    assert n["ratio_high"] == pytest.approx(1.1)
    assert (n["diff"], n["diff_low"], n["diff_high"]) == (2.0, -5.0, 9.0)


def test_runs_missing_a_path_are_left_out_of_its_ratios():
    runs = [dict(RUNS[0]), dict(RUNS[1])]
    del runs[1]["a"]
    a = st.summarise_runs(runs, BASE)["paths"]["a"]
    assert a["runs"] == 1 and a["ratio"] == 1.5
    assert "noise" not in st.summarise_runs(runs, BASE)


def test_above_ratio_and_paired_ratio():
    # (a - raw) / (b - raw) per run: 50/200, 60/200, 30/240
    r = st.above_ratio(RUNS, "a", "b", BASE)
    assert r["ratio"] == pytest.approx(0.25)
    assert r["low"] == pytest.approx(0.125) and r["high"] == pytest.approx(0.3)
    # A run where the peer is not above the baseline carries no ratio.
    assert st.above_ratio([{BASE: 10.0, "a": 12.0, "b": 9.0}], "a", "b",
                          BASE) is None
    p = st.paired_ratio(RUNS, "b", "a")
    assert p["ratio"] == pytest.approx(2.0) and p["runs"] == 3
    assert st.paired_ratio(RUNS, "b", "missing") is None


def test_goal():
    assert st.goal(0.2, 0.25) == "met"
    assert st.goal(0.3, 0.25) == "missed"
    assert st.goal(60, 50, at_most=False) == "met"
    assert st.goal(None, 1) == "not measured"


def test_time_chunks_syncs_outside_the_timed_span():
    events = []
    ticks = iter(range(0, 10**6, 1000))

    def clock():
        events.append("clock")
        return next(ticks)

    costs = st.time_chunks(lambda: events.append("launch"),
                           lambda: events.append("sync"), 3, 4, clock)
    assert costs == [250.0, 250.0, 250.0]  # 1000 ns over 4 launches
    assert events[0] == "sync"
    chunk = ["clock"] + ["launch"] * 4 + ["clock", "sync"]
    assert events[1:] == chunk * 3


def test_alternate_rotates_and_records_failures():
    order = []

    def measure(p, i):
        order.append((i, p))
        if p == "bad" and i == 1:
            raise RuntimeError("boom")
        return float(i)

    runs, errors = st.alternate(["x", "y", "bad"], 3, measure)
    assert [p for i, p in order if i == 0] == ["x", "y", "bad"]
    assert [p for i, p in order if i == 1] == ["y", "bad", "x"]
    assert [p for i, p in order if i == 2] == ["bad", "x", "y"]
    assert runs[1] == {"y": 1.0, "x": 1.0}
    assert [(i, p, str(e)) for i, p, e in errors] == [(1, "bad", "boom")]


def test_format_table():
    t = st.format_table(["path", "us"], [["a", 1.23456], ["b", None],
                                         ["c", 12.5]])
    assert t.splitlines() == ["| path | us |", "|---|---:|",
                              "| a | 1.235 |", "| b | - |", "| c | 12.50 |"]


@pytest.mark.parametrize("script", ["python_launch.py", "python_coldstart.py",
                                    "peers.py"])
def test_scripts_parse_their_arguments_without_a_gpu(script):
    r = subprocess.run([sys.executable, os.path.join(BENCH, script), "--help"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "--out" in r.stdout


@pytest.mark.parametrize("script,args,message", [
    ("python_launch.py", ["--out", "x", "--runs", "3"], "at least 5 runs"),
    ("python_launch.py", ["--out", "x", "--per-chunk", "5000"],
     "queue must not fill"),
    ("python_launch.py", [], "--out"),
    ("python_coldstart.py", ["--out", "x", "--rounds", "2"],
     "at least 5 rounds"),
    ("python_coldstart.py", [], "--out is required"),
])
def test_scripts_reject_bad_arguments(script, args, message):
    r = subprocess.run([sys.executable, os.path.join(BENCH, script), *args],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2
    assert message in r.stderr
    assert "Traceback" not in r.stderr


def test_launch_summary_and_goals():
    launch = importlib.import_module("python_launch")
    runs = [{launch.BASE: 4000.0, launch.BASE2: 4100.0, "lcs.numba": 5000.0,
             "numba-cuda": 12000.0, "CuPy RawKernel": 4500.0}] * 5
    recs = launch.summarise({"empty": runs})
    goals = {r["goal"]: r for r in recs if r["bench"] == "python-launch-goal"}
    g = goals["lcs.numba above cuLaunchKernelEx / numba-cuda above "
              "cuLaunchKernelEx"]
    assert g["ratio"] == pytest.approx(1000 / 8000) and g["status"] == "met"
    g = goals["lcs.numba / CuPy RawKernel"]
    assert g["ratio"] == pytest.approx(5000 / 4500) and g["status"] == "met"
    # The numba-array goal is only for the kernel that takes arrays.
    assert not any("numba arrays" in k for k in goals)
    noise = [r for r in recs if r["bench"] == "python-launch-noise"]
    assert noise[0]["ratio"] == pytest.approx(1.025)
    out = io.StringIO()
    launch.print_summary(recs, file=out)
    assert "| empty | lcs.numba | 5.000 |" in out.getvalue()
    assert "noise floor (empty)" in out.getvalue()


def test_coldstart_summary_and_goals():
    cold = importlib.import_module("python_coldstart")
    rounds = [{"lcs.numba": {"first_launch_ns": 1e6 * (1 + i % 2),
                             "decorate_launch_ns": 2e6, "disk_hit": True,
                             "correct": True, "libllvm": ["libLLVM.so.22.1"]},
               "numba-cuda cache=True": {"first_launch_ns": 1e8,
                                         "decorate_launch_ns": 1.1e8,
                                         "disk_hit": True, "correct": True,
                                         "libllvm": []},
               "import lcs": {"import_ns": 5e7, "libllvm": []}}
              for i in range(5)]
    recs = cold.summarise(rounds)
    rows = {r["variant"]: r for r in recs if r["bench"] == "python-coldstart"}
    assert rows["lcs.numba"]["first_launch_ns"] == 1e6
    assert rows["lcs.numba"]["first_launch_ns_high"] == 2e6
    assert rows["lcs.numba"]["disk_hits"] == 5
    assert rows["lcs.numba"]["libllvm_mapped"]
    assert not rows["import lcs"]["libllvm_mapped"]
    goals = [r for r in recs if r["bench"] == "python-coldstart-goal"]
    assert goals[0]["value_ms"] == 1.0 and goals[0]["status"] == "met"
    assert goals[1]["ratio"] == 100.0 and goals[1]["low"] == 50.0
    assert goals[1]["status"] == "met"
    out = io.StringIO()
    cold.print_summary(recs, file=out)
    assert "| lcs.numba | 1.00 (1.00-2.00) |" in out.getvalue()
    assert "100.0 (range 50.0-100.0, 5 rounds): met" in out.getvalue()


def test_charts_from_summaries(tmp_path):
    pytest.importorskip("matplotlib")
    plot = importlib.import_module("plot")
    launch = importlib.import_module("python_launch")
    cold = importlib.import_module("python_coldstart")
    runs = [{launch.BASE: 4000.0 + i, launch.BASE2: 4100.0, "lcs": 4300.0}
            for i in range(5)]
    plot.python_launch_chart(launch.summarise({"four": runs}), str(tmp_path))
    rounds = [{"lcs.numba": {"first_launch_ns": 1e6,
                             "decorate_launch_ns": 2e6},
               "import lcs": {"import_ns": 5e7}}] * 5
    plot.python_coldstart_chart(cold.summarise(rounds), str(tmp_path))
    assert (tmp_path / "python-launch.png").stat().st_size > 0
    assert (tmp_path / "python-coldstart.png").stat().st_size > 0


def test_write_records_appends_json_lines(tmp_path):
    p = st.write_records(str(tmp_path), "r.jsonl", [{"a": 1}])
    st.write_records(str(tmp_path), "r.jsonl", [{"b": 2.5}])
    assert open(p).read().splitlines() == ['{"a": 1}', '{"b": 2.5}']
