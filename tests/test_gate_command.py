"""`coremod gate` and `coremod calibrate` end to end, on a two-gate budgets table (module_unload,
module_get_symbol) so that a round takes about a second: saving a baseline, comparing with it,
the exit codes, the history, and a tiny calibration with its recorded samples."""
import json
import os
import shutil

import pytest

from conftest import REPO_ROOT, run_coremod
from coremodlib.records import baseline, history
from coremodlib import paths
from coremodlib.run import revisions

pytestmark = pytest.mark.e2e

TWO_GATES = ("module_unload", "module_get_symbol")


@pytest.fixture()
def small_budgets(tmp_path):
    """The project's tables of the two gates, copied verbatim into a file of their own."""
    with open(os.path.join(REPO_ROOT, "perf", "budgets.toml"), encoding="utf-8") as f:
        text = f.read()
    tables = [chunk for chunk in text.split("\n[")[1:] if chunk.split("]")[0] in TWO_GATES]
    assert len(tables) == 2
    path = tmp_path / "two-gates.toml"
    path.write_text("".join("[" + t.rstrip("\n") + "\n\n" for t in tables), encoding="utf-8")
    return str(path)


def gate(build, out, budgets_file, *extra):
    return run_coremod(
        "gate",
        "--build-dir",
        build,
        "--out",
        str(out),
        "--budgets",
        budgets_file,
        "--rounds",
        "3",
        *extra,
    )


# Stored samples are compared across two runs, and on some VMs the platform loader's own speed
# moves between runs (dlclose by 16-27 % here): the rule then widens its threshold by that move
# (docs/gates.md), and a 20 % slowdown may stay under it. The pair is measured again when the
# same-run reference moved by more than the minimum effect; a miss with a steady reference fails.
SAVE_COMPARE_ATTEMPTS = 3
STEADY_REFERENCE = 0.05


def _save_then_compare(main_build, where, small_budgets):
    slow = paths.slow_impls_dir(main_build)
    hist = where / "h.sqlite"
    base_file = where / "base.json"
    saved = gate(
        main_build,
        where / "a",
        small_budgets,
        "--impl",
        os.path.join(slow, "libslow_none.so"),
        "--save-baseline",
        str(base_file),
        "--history",
        str(hist),
    )
    assert saved.returncode == 0, saved.stdout + saved.stderr
    slowed = gate(
        main_build,
        where / "b",
        small_budgets,
        "--impl",
        os.path.join(slow, "libslow_module_unload.so"),
        "--baseline",
        str(base_file),
        "--history",
        str(hist),
    )
    return base_file, hist, slowed


def test_save_compare_and_regress(main_build, tmp_path, small_budgets):
    moves = []
    for attempt in range(1, SAVE_COMPARE_ATTEMPTS + 1):
        where = tmp_path / f"attempt{attempt}"
        where.mkdir()
        base_file, hist, slowed = _save_then_compare(main_build, where, small_budgets)
        if slowed.returncode == 3:
            break
        with open(where / "b" / "certification.json", encoding="utf-8") as f:
            unload = {g["operation"]: g for g in json.load(f)["gates"]}["module_unload"]
        ratio = unload["baseline_comparison"].get("reference_ratio")
        moved = ratio - 1.0 if ratio is not None else 0.0
        assert abs(moved) > STEADY_REFERENCE, (
            "a 20 % slower module_unload was not caught although the same-run reference moved "
            f"only {moved:+.1%}:\n" + slowed.stdout + slowed.stderr
        )
        moves.append(moved)
    else:
        pytest.skip(
            f"the platform loader's dlclose moved by {', '.join(f'{m:+.0%}' for m in moves)} "
            f"between the two runs of all {SAVE_COMPARE_ATTEMPTS} attempts: stored samples "
            "cannot judge this gate on this machine (docs/gates.md; the A/B mode can)"
        )
    doc = baseline.load(str(base_file))
    assert set(doc["gates"]) == set(TWO_GATES)
    # 3 rounds of 1000 samples, thinned to the samples a baseline keeps
    assert all(len(g["samples"]) == baseline.KEEP_SAMPLES for g in doc["gates"].values())
    assert doc["gates"]["module_unload"]["reference"] == "dlclose"
    assert doc["gates"]["module_unload"]["reference_kind"] == "platform loader"
    assert doc["environment"]["cpu_model"] and doc["noise"]["cores"] >= 1

    assert "module_unload" in slowed.stdout.splitlines()[0]
    with open(where / "b" / "certification.json", encoding="utf-8") as f:
        cert = json.load(f)
    assert cert["scope"] == "gate" and cert["verdict"] == "failed" and cert["cases"] == []
    by_op = {g["operation"]: g for g in cert["gates"]}
    assert by_op["module_unload"]["baseline_comparison"]["result"] == "regression"
    assert by_op["module_unload"]["baseline_comparison"]["baseline"] == "base"
    assert cert["noise"]["warnings"] is not None and "virtualized" in cert["noise"]

    runs = history.runs(str(hist))
    assert [r["good"] for r in runs] == [True, False]
    points = history.trend(str(hist), "module_unload")
    assert [p["regression"] for p in points] == [None, "regression"]


def test_a_baseline_from_another_machine_is_warned_about(main_build, tmp_path, small_budgets):
    base_file = tmp_path / "base.json"
    made = gate(
        main_build,
        tmp_path / "a",
        small_budgets,
        "--rounds",
        "1",
        "--save-baseline",
        str(base_file),
        "--history",
        str(tmp_path / "h.sqlite"),
    )
    assert made.returncode == 0, made.stdout + made.stderr
    doc = json.loads(base_file.read_text(encoding="utf-8"))
    doc["environment"]["cpu_model"] = "Imaginary CPU 9000"
    base_file.write_text(json.dumps(doc), encoding="utf-8")
    result = gate(
        main_build,
        tmp_path / "b",
        small_budgets,
        "--rounds",
        "1",
        "--baseline",
        str(base_file),
        "--history",
        str(tmp_path / "h.sqlite"),
    )
    assert "different machine" in result.stderr and "Imaginary CPU 9000" in result.stderr
    assert "different machine" in (tmp_path / "b" / "summary.md").read_text(encoding="utf-8")


def test_harness_errors_are_exit_2(main_build, tmp_path, small_budgets):
    missing = gate(
        main_build,
        tmp_path / "a",
        small_budgets,
        "--baseline",
        str(tmp_path / "absent.json"),
        "--history",
        str(tmp_path / "h.sqlite"),
    )
    assert missing.returncode == 2 and "baseline not found" in missing.stderr
    rounds = gate(main_build, tmp_path / "a", small_budgets, "--max-rounds", "1")
    assert rounds.returncode == 2 and "--max-rounds" in rounds.stderr
    assert not (tmp_path / "h.sqlite").exists()


def test_calibrate_records_runs_and_rates(main_build, tmp_path, small_budgets):
    record = tmp_path / "runs.json"
    result = run_coremod(
        "calibrate",
        "--build-dir",
        main_build,
        "--out",
        str(tmp_path / "c"),
        "--budgets",
        small_budgets,
        "--runs",
        "3",
        "--rounds",
        "2",
        "--samples",
        "400",
        "--record",
        str(record),
        "--record-samples",
        "50",
        "--load",
        "0,1",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    with open(tmp_path / "c" / "calibration.json", encoding="utf-8") as f:
        figures = json.load(f)
    assert figures["runs"] == 3 and figures["pairs"] == 6
    for operation in TWO_GATES:
        gate_figures = figures["gates"][operation]
        assert gate_figures["comparisons"] == 6
        assert 0 <= gate_figures["false_positive_rate"] <= 1
        assert gate_figures["noise_floor"] >= 0
    doc = json.loads(record.read_text(encoding="utf-8"))
    assert doc["schema"] == "coremod-perf-samples/1" and len(doc["runs"]) == 3
    assert [run["load"] for run in doc["runs"]] == [0, 1, 0] and figures["loads"] == [0, 1, 0]
    for run in doc["runs"]:
        # what the stored-samples rule needs: the rounds and each round's reference
        for entry in run["gates"].values():
            # 2 rounds, or more when a gate's interval still held its budget (undecided)
            rounds = entry["rounds"]
            assert rounds >= 2 and len(entry["round_sizes"]) == rounds
            assert len(entry["reference_round_p50"]) == len(entry["round_p50"]) == rounds
        assert set(run["gates"]) == set(TWO_GATES)
        assert all(len(g["samples"]) == 50 for g in run["gates"].values())
    assert "false +" in result.stdout
    shutil.rmtree(tmp_path / "c")


def test_calibrate_ab_judges_each_run_against_itself_under_a_changing_load(
    main_build, tmp_path, small_budgets
):
    record = tmp_path / "ab.json"
    common = [
        "--build-dir",
        main_build,
        "--budgets",
        small_budgets,
        "--rounds",
        "2",
        "--samples",
        "300",
        "--record",
        str(record),
        "--record-samples",
        "40",
        "--ab",
    ]
    quiet = run_coremod(
        "calibrate", *common, "--out", str(tmp_path / "q"), "--runs", "1", "--load", "0"
    )
    assert quiet.returncode == 0, quiet.stdout + quiet.stderr
    loaded = run_coremod(
        "calibrate",
        *common,
        "--out",
        str(tmp_path / "l"),
        "--runs",
        "2",
        "--load",
        "1,0",
        "--load-period",
        "0.5",
        "--append",
    )
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    assert "3 A/B runs of the build against itself (1 quiet, 2 with a load" in loaded.stdout
    with open(tmp_path / "l" / "calibration.json", encoding="utf-8") as f:
        figures = json.load(f)
    assert figures["mode"] == "A/B" and figures["runs"] == 3 and figures["quiet_runs"] == 1
    for operation in TWO_GATES:
        assert figures["gates"][operation]["comparisons"] == 3
        assert figures["gates"][operation]["quiet_trials"] == 1
        assert figures["gates"][operation]["loaded_trials"] == 2
    doc = json.loads(record.read_text(encoding="utf-8"))
    assert doc["mode"] == "A/B" and [run["loads"] for run in doc["runs"]] == [[0], [1, 0], [0, 1]]
    for run in doc["runs"]:
        assert set(run["gates"]) == set(run["against"]) == set(TWO_GATES)
        for operation in TWO_GATES:
            # paired: the baseline side gets every round the candidate gets, extra ones too
            assert run["gates"][operation]["rounds"] == run["against"][operation]["rounds"] >= 2
    assert doc["runs"][1]["load_changes"][0][1] == 1 and doc["runs"][2]["load_changes"][0][1] == 0
    # a stored-samples record is not appended to an A/B one
    wrong = run_coremod(
        "calibrate", *common[:-1], "--out", str(tmp_path / "w"), "--runs", "1", "--append"
    )
    assert wrong.returncode == 2 and "records A/B runs, not stored ones: give --ab" in wrong.stderr


def test_against_a_revision_measures_both_builds_in_the_same_rounds(
    main_build, tmp_path, small_budgets
):
    """A/B: the reference at HEAD built in a directory of its own and measured beside the
    candidate in every round; an unknown revision is exit 2 before anything is built."""
    unknown = gate(
        main_build,
        tmp_path / "u",
        small_budgets,
        "--against",
        "no-such-rev",
        "--history",
        str(tmp_path / "h.sqlite"),
    )
    assert unknown.returncode == 2 and "no such commit" in unknown.stderr
    result = gate(
        main_build,
        tmp_path / "ab",
        small_budgets,
        "--against",
        "HEAD",
        "--history",
        str(tmp_path / "h.sqlite"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    cert = json.loads((tmp_path / "ab" / "certification.json").read_text(encoding="utf-8"))
    head = revisions.resolve("HEAD")
    assert cert["baseline"]["mode"] == "A/B" and cert["baseline"]["commit"] == head
    assert cert["baseline"]["impl"] == os.path.join(
        paths.REVISIONS_DIR, head, "build", "impl", "libcoremod.so"
    )
    # 3 rounds, or more while a gate's interval held its budget: the same number on both sides
    measured = cert["gates"][0]["baseline_comparison"]["rounds"][0]
    assert measured >= 3
    for g in cert["gates"]:
        assert g["baseline_comparison"]["mode"] == "A/B"
        assert g["baseline_comparison"]["rounds"] == [measured, measured]
    rounds_dir = tmp_path / "ab" / "rounds"
    assert sorted(p.name for p in rounds_dir.glob("round*-timed*.json")) == sorted(
        f"round{n:02d}-timed{side}.json"
        for n in range(1, measured + 1)
        for side in ("", "-against")
    )
