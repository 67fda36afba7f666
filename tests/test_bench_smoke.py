"""Smoke tests of the benchmark harness: every workload once, tiny, on ember; the harness's own rules.

Not timing tests: nothing here asserts how fast anything is. PyTorch is not imported (the end-to-end runs
use ember and NumPy only), so the whole file takes a few seconds.
"""

import json
import math
import os
import subprocess
import sys
import types

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import ember
from bench import machine as M
from bench import profile as P
from bench import run as R
from bench import workloads as W


def _bench(*args, timeout=120):
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-m", "bench", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, check=False, env=env)


@pytest.mark.parametrize("name", [n for n, wl in W.WORKLOADS.items() if "ember" in wl.makers])
def test_every_workload_runs_one_tiny_iteration_on_ember(name):
    wl = W.WORKLOADS[name]
    wrapped = []

    def wrap(step):  # what --compile passes: the step must go through it exactly once, and still be called
        wrapped.append(step)
        return ember.compile(step)

    out = wl.makers["ember"](ember, True, wrap)()
    assert len(wrapped) == (1 if wl.compilable else 0)
    if name in ("widenet", "mlp", "cnn", "gpt", "gpt_dropout"):
        losses = out if isinstance(out, list) else [out]
        assert losses and all(math.isfinite(v) and v > 0 for v in losses)


@pytest.mark.parametrize("name, p", [("gpt", 0.0), ("gpt_dropout", W.GPT_DROPOUT)])
def test_gpt_is_nanogpts_shape(name, p):
    wl = W.WORKLOADS[name]
    seen = {}

    def wrap(step):
        seen["step"] = step
        return step

    run = wl.makers["ember"](ember, True, wrap)
    run()
    model = next(c.cell_contents for c in seen["step"].__closure__ if isinstance(c.cell_contents, ember.nn.Module))
    names = dict(model.named_parameters())
    # the token embedding is tied to the head, so it is one parameter (named once)
    assert model.transformer.wte.weight is model.lm_head.weight and "lm_head.weight" not in names
    n_params = sum(p.numel() for p in model.parameters())
    C, V, T, L = W.GPT_EMBED, W.GPT_VOCAB, W.GPT_CONTEXT, W.GPT_LAYERS
    per_block = 2 * 2 * C + (C * 3 * C + 3 * C) + (C * C + C) + (C * 4 * C + 4 * C) + (4 * C * C + C)
    assert n_params == V * C + T * C + L * per_block + 2 * C
    assert [m.p for m in model.modules() if isinstance(m, ember.nn.Dropout)] == [p] * (1 + 2 * L)


def test_loaded_rule_marks_any_sign_of_other_work():
    assert not M.is_loaded(0.0, 0, 0.0)
    assert not M.is_loaded(None, None, None)           # unknown readings (not Linux) count as quiet
    assert M.is_loaded(M.LOADED_CORES, 0, 0.0)         # busy before the sample
    assert M.is_loaded(0.0, 1, 0.0)                    # someone else runnable
    assert M.is_loaded(0.0, 0, 1.5)                    # busy during the sample


def test_cpu_window_subtracts_this_process_only():
    def reader(*readings):
        it = iter(readings)
        return lambda: next(it)

    # 1 s of wall clock, 1.8 CPU-seconds busy machine-wide, 0.8 of them ours: the others used one core
    assert M.CpuWindow(reader((10.0, 100.0, 5.0), (11.0, 101.8, 5.8))).start().cores() == pytest.approx(1.0)
    # all of the machine's busy time was ours (two spinning BLAS threads, say): nobody else
    assert M.CpuWindow(reader((0.0, 50.0, 1.0), (0.5, 51.0, 2.0))).start().cores() == 0.0
    assert M.CpuWindow(reader((0.0, None, 1.0), (0.5, None, 2.0))).start().cores() is None


def test_cpu_window_sees_a_busy_process():
    spin = subprocess.Popen([sys.executable, "-c", "import time\nt = time.time()\nwhile time.time() - t < 3: pass"])
    try:
        win = M.CpuWindow().start()
        t0 = M.time.perf_counter()
        while M.time.perf_counter() - t0 < 0.3:   # busy ourselves: that time must not count as the others'
            pass
        assert win.cores() >= 0.5
    finally:
        spin.kill()
        spin.wait()


def _samples(values, loaded):
    return [{"seconds": v, "loaded": flag} for v, flag in zip(values, loaded)]


def test_summary_leaves_out_loaded_samples_when_enough_are_quiet():
    s = R.summarise(_samples([1.0, 1.1, 9.0, 1.2, 8.0], [False, False, True, False, True]), lambda x, q: x, False)
    assert (s["median"], s["min"], s["max"], s["n"], s["n_loaded"]) == (1.1, 1.0, 1.2, 5, 2)
    assert not s["loaded_included"]
    # too few quiet ones: every sample counts, and the summary says so
    s = R.summarise(_samples([1.0, 9.0, 8.0], [False, True, True]), lambda x, q: x, False)
    assert s["median"] == 8.0 and s["loaded_included"]


def test_extra_rounds_are_taken_only_while_quiet_samples_are_missing(monkeypatch):
    flags = iter([True, True, False, False, False, True, True])   # two rounds loaded, three quiet; then two more

    def fake_sample(run, quiet_wait):
        run()
        return {"seconds": 0.5, "loaded": next(flags)}

    monkeypatch.setattr(R, "sample", fake_sample)
    wl = W.Workload("x", "x", "s", {"numpy": lambda mod, quick, wrap=W.eager: (lambda: None)},
                    convert=lambda s, q: s)
    cfgs = R.configs_for(wl, ["numpy"], [None], compile_rows=False)
    rows = R.measure(wl, {"numpy": None}, cfgs, repeat=2, quick=True, extra_rounds=10)
    assert len(rows[0]["samples"]) == 5 and rows[0]["n_loaded"] == 2 and not rows[0]["loaded_included"]
    rows = R.measure(wl, {"numpy": None}, cfgs, repeat=2, quick=True, extra_rounds=0)  # asked for none
    assert len(rows[0]["samples"]) == 2


def _row(fw, threads, compiled, median):
    return {"fw": fw, "threads": threads, "compiled": compiled, "median": median, "loaded_included": False}


def test_ratios_pair_rows_of_the_same_threads_and_mode():
    wl = W.WORKLOADS["mlp"]
    rows = [_row("ember", None, False, 2.0), _row("torch", None, False, 4.0),
            _row("ember", 1, False, 3.0), _row("torch", 1, False, 1.5),
            _row("ember", None, True, 1.0)]                         # no torch compiled row: no ratio for it
    assert R.ratios(wl, rows) == {"default|eager": {"ratio": 0.5, "loaded_included": False},
                                  "1|eager": {"ratio": 2.0, "loaded_included": False}}
    gemm = W.WORKLOADS["gemm"]  # GFLOP/s: half torch's throughput is twice its time
    assert R.ratios(gemm, [_row("ember", None, False, 50.0), _row("torch", None, False, 100.0)])[
        "default|eager"]["ratio"] == 2.0


def test_configurations_put_default_threads_first_and_compile_only_where_asked():
    cfgs = R.configs_for(W.WORKLOADS["mlp"], ["ember", "torch", "numpy"], [None, 1], compile_rows=True)
    assert [(c["fw"], c["threads"], c["compiled"]) for c in cfgs] == [
        ("ember", None, False), ("ember", None, True), ("torch", None, False), ("torch", None, True),
        ("ember", 1, False), ("ember", 1, True), ("torch", 1, False), ("torch", 1, True)]
    gemm = R.configs_for(W.WORKLOADS["gemm"], ["ember", "numpy"], [None], compile_rows=True)
    assert [(c["fw"], c["compiled"]) for c in gemm] == [("ember", False), ("numpy", False)]


def test_missing_piece_and_failed_compile_are_reported_not_raised():
    def broken(mod, quick, wrap=W.eager):
        raise AttributeError("module 'ember.nn' has no attribute 'Conv2d'")

    def compiles(mod, quick, wrap=W.eager):
        step = wrap(lambda: None)
        return lambda: step()

    def inductor_fails(fn):
        raise RuntimeError("InductorError: CppCompileError: C++ compile error")

    fake_torch = types.SimpleNamespace(compile=inductor_fails,
                                       _dynamo=types.SimpleNamespace(config=types.SimpleNamespace(recompile_limit=8)))
    wl = W.Workload("x", "x", "s", {"ember": broken, "torch": compiles, "numpy": W.wide_net_numpy},
                    convert=lambda s, q: s, compilable=True)
    cfgs = R.configs_for(wl, ["ember", "torch", "numpy"], [None], compile_rows=True)
    rows = R.measure(wl, {"ember": ember, "torch": fake_torch, "numpy": None}, cfgs, repeat=2, quick=True,
                     quiet_wait=0.0)
    by = {r["label"]: r for r in rows}
    assert by["ember"]["skipped"].startswith("not available: AttributeError")
    assert by["torch compiled"]["skipped"].startswith("torch.compile cannot run here: ")
    assert len(by["torch"]["samples"]) == 2 and len(by["numpy"]["samples"]) == 2 and by["numpy"]["min"] > 0
    assert all({"loadavg_1m", "runnable_before", "others_cores_during", "loaded"} <= s.keys()
               for s in by["numpy"]["samples"])
    assert R.ratios(wl, rows) == {}
    report = {"header": {"cores": {"logical": 2}, "versions": {}, "repeat": 2, "fresh": False, "n_loaded": 0,
                         "n_samples": 4, "load_before": None, "date": "d", "command": "c", "cpu_model": "cpu",
                         "platform": "p", "python": "3", "numpy": "2"},
              "workloads": {"x": {"title": "x", "unit": "s", "rows": rows, "ratios": {}}}}
    assert "| x | torch compiled | default | torch.compile cannot run here: " in R.markdown(report)


def test_python_m_bench_end_to_end(tmp_path):
    out = tmp_path / "r.json"
    p = _bench("--quick", "--repeat", "1", "--frameworks", "ember,numpy", "--only", "mlp", "--threads", "1",
               "--compile", "--quiet-wait", "0", "--extra-rounds", "0", "--json", str(out))
    assert p.returncode == 0, p.stderr
    text = p.stdout
    assert f"- machine: {M.cpu_model()}" in text and "- date: " in text and "load average before" in text
    assert "command: `python -m bench --quick --repeat 1" in text
    for label, threads in [("ember", "default"), ("ember compiled", "default"), ("ember", "1"),
                           ("ember compiled", "1")]:
        assert f"| 3. MLP 784-256-128-10, batch 128, SGD step | {label} | {threads} | " in text, label
    report = json.loads(out.read_text())
    rows = report["workloads"]["mlp"]["rows"]
    assert [(r["label"], r["threads"]) for r in rows] == [("ember", None), ("ember compiled", None),
                                                          ("ember", 1), ("ember compiled", 1)]
    assert all(len(r["samples"]) == 1 and isinstance(r["samples"][0]["loaded"], bool) for r in rows)
    assert report["header"]["n_samples"] == 4


def test_fresh_samples_run_in_their_own_interpreter(tmp_path):
    out = tmp_path / "r.json"
    p = _bench("--quick", "--repeat", "1", "--frameworks", "ember", "--only", "mlp", "--fresh", "--quiet-wait", "0",
               "--extra-rounds", "0", "--json", str(out))
    assert p.returncode == 0, p.stderr
    assert "each in a fresh process" in p.stdout
    rows = json.loads(out.read_text())["workloads"]["mlp"]["rows"]
    assert [len(r["samples"]) for r in rows] == [1] and "skipped" not in rows[0]


def test_fresh_children_get_their_threads_from_the_environment(monkeypatch):
    calls = []

    def fake_run(cmd, **kw):
        calls.append((json.loads(cmd[-1]), kw["env"]))
        return types.SimpleNamespace(returncode=0, stdout=json.dumps({"seconds": 1.0, "loaded": False}), stderr="")

    monkeypatch.setattr(R.subprocess, "run", fake_run)
    monkeypatch.setenv("OMP_NUM_THREADS", "7")   # the default rows must not inherit a pin from the shell
    wl = W.WORKLOADS["mlp"]
    cfgs = R.configs_for(wl, ["ember"], [None, 1], compile_rows=False)
    rows = R.measure(wl, {"ember": ember}, cfgs, repeat=1, quick=True, fresh=True, quiet_wait=0.0)
    assert [r["samples"][0]["seconds"] for r in rows] == [1.0, 1.0]
    (spec0, env0), (spec1, env1) = calls
    assert spec0["threads"] is None and not any(k in env0 for k in R.THREAD_VARS)
    assert spec1["threads"] == 1 and all(env1[k] == "1" for k in R.THREAD_VARS)


def test_unknown_workload_and_bad_threads_are_usage_errors(capsys):
    for argv, message in [(["--only", "nope"], "unknown workload"),
                          (["--threads", "0"], "--threads takes positive integers")]:
        with pytest.raises(SystemExit) as e:
            R.main(argv)
        assert e.value.code == 2 and message in capsys.readouterr().err


def test_profile_prints_shares_per_step(capsys):
    assert P.main(["mlp", "--quick", "--runs", "1", "--top", "5"]) == 0
    text = capsys.readouterr().out
    assert "ms per step without the profiler" in text and "function calls per step" in text
    assert "Own time (tottime), per step:" in text and "Time including callees (cumtime)" in text
    assert text.count("| 1 | `") == 2 and "`ember/" in text


def test_profile_shares_add_up():
    import cProfile
    import pstats

    prof = cProfile.Profile()
    prof.enable()
    sum(math.sqrt(i) for i in range(20000))
    prof.disable()
    table = P.profile_table(pstats.Stats(prof), steps=4, top=1000)
    assert sum(r["tot_share"] for r in table["by_tottime"]) == pytest.approx(1.0)
    assert sum(r["share"] for r in table["by_file"]) == pytest.approx(1.0)
    assert table["by_tottime"] == sorted(table["by_tottime"], key=lambda r: -r["tottime_ms"])
    assert P.short_path(os.path.join(ROOT, "src", "ember", "nn", "functional.py")) == "ember/nn/functional.py"
    assert P.short_path(os.path.join(ROOT, "bench", "workloads.py")) == "bench/workloads.py"


def test_readme_section_is_replaced_and_the_rest_kept(tmp_path):
    page = tmp_path / "README.md"
    page.write_text("# t\n\nintro\n\n## Last full run\n\nold table\n\n## After\n\nkept\n")
    R.write_readme_section(str(page), "- date: new\n\n| a |")
    assert page.read_text() == "# t\n\nintro\n\n## Last full run\n\n- date: new\n\n| a |\n\n## After\n\nkept\n"
    page.write_text("# t\n")                       # no such section yet: appended
    R.write_readme_section(str(page), "| b |")
    assert page.read_text() == "# t\n\n## Last full run\n\n| b |\n"


def test_profile_of_a_replay_times_its_lines(capsys):
    assert P.main(["widenet", "--compile", "--quick", "--runs", "1", "--top", "5"]) == 0
    text = capsys.readouterr().out
    assert "ember compiled" in text and "| # | line of the replay |" in text and "Graph Count: 1" in text
    rows = [line for line in text.splitlines() if line.startswith("| 1 | `")]
    assert len(rows) == 1
