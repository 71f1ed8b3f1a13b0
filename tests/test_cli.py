import json
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from typer.testing import CliRunner

from oxysim.cli import app
from oxysim.engine.status import SimulationError
from oxysim.system import human_model

runner = CliRunner()
EXAMPLES = Path(__file__).parent.parent / "examples"

SMALL = """
name: small
duration: 60 min
record_every: 1 min
seed: 3
population: {size: 12, sex: male, rs53576: {GG: 0.5, AG: 0.25, AA: 0.25}}
events:
  - {at: 10 min, stressor: {kind: tsst, duration: 15 min}}
arms:
  support: {events: [{at: 0 min, social_support: {source: friend, duration: 10 min}}]}
  alone: {}
record: [salivary_cortisol, plasma_oxytocin]
"""


@pytest.fixture
def small_scenario(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(SMALL)
    return path


def test_run_writes_results_with_units_and_provenance(small_scenario: Path, tmp_path: Path) -> None:
    out = tmp_path / "res.nc"
    figure = tmp_path / "fig.png"
    result = runner.invoke(app, ["run", str(small_scenario), "-o", str(out), "--plot", str(figure)])
    assert result.exit_code == 0, result.output
    assert figure.stat().st_size > 10_000
    with xr.open_dataset(out, engine="h5netcdf") as ds:
        assert ds.salivary_cortisol.dims == ("arm", "subject", "time")
        assert ds.sizes == {"arm": 2, "subject": 12, "time": 61}
        assert ds.salivary_cortisol.attrs["units"] == "nmol/L"
        assert ds.attrs["seed"] == 3
        assert "stressor" in ds.attrs["scenario"]
        support = ds.salivary_cortisol.sel(arm="support").max("time").mean()
        alone = ds.salivary_cortisol.sel(arm="alone").max("time").mean()
        assert float(support) < float(alone)
    assert "salivary_cortisol" in result.output


def test_plot_command_groups_by_genotype(small_scenario: Path, tmp_path: Path) -> None:
    out = tmp_path / "res.nc"
    assert runner.invoke(app, ["run", str(small_scenario), "-o", str(out)]).exit_code == 0
    figure = tmp_path / "by.png"
    result = runner.invoke(app, ["plot", str(out), "-o", str(figure), "--by", "rs53576"])
    assert result.exit_code == 0, result.output
    assert figure.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    ("replace", "by", "field"),
    [
        ("size: 12", "size: 12, colour: blue", "colour"),
        ("duration: 15 min}", "duration: 15 kg}", "duration"),
        ("{GG: 0.5, AG: 0.25, AA: 0.25}", "{GG: 0.5, AG: 0.25, AA: 0.5}", "rs53576"),
        ("sex: male", "sex: male, age: 12", "age"),
        ("[salivary_cortisol, plasma_oxytocin]", "[salivary_cortisol, happiness]", "record"),
    ],
)
def test_bad_scenario_exits_2_and_writes_nothing(
    tmp_path: Path, replace: str, by: str, field: str
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(SMALL.replace(replace, by))
    out = tmp_path / "never.nc"
    result = runner.invoke(app, ["run", str(bad), "-o", str(out)])
    assert result.exit_code == 2
    unwrapped = result.output.replace("\n", "")  # the terminal width may wrap the long path
    assert field in unwrapped
    assert "bad.yaml:" in unwrapped
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [bad]


def test_run_rejects_unknown_solver(small_scenario: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["run", str(small_scenario), "-o", str(tmp_path / "x.nc"), "--solver", "euler"]
    )
    assert result.exit_code == 2
    assert "rk4" in result.output


@pytest.mark.parametrize(
    ("arguments", "environment", "named"),
    [(["--threads", "0"], "", "--threads"), ([], "two", "OXYSIM_THREADS")],
)
def test_run_rejects_a_bad_thread_count(
    small_scenario: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    arguments: list[str],
    environment: str,
    named: str,
) -> None:
    monkeypatch.setenv("OXYSIM_THREADS", environment)
    output = tmp_path / "x.nc"
    result = runner.invoke(app, ["run", str(small_scenario), "-o", str(output), *arguments])
    assert result.exit_code == 2
    assert named in result.output and not output.exists()


def test_params_ledger_is_complete() -> None:
    result = runner.invoke(app, ["params", "--json"])
    assert result.exit_code == 0
    ledger = json.loads(result.output)
    assert len(ledger) == len(human_model().parameters)
    for entry in ledger:
        assert entry["unit"], entry["name"]
        assert entry["source"] or entry["calibrated_to"], entry["name"]


def test_params_filters_by_grade() -> None:
    result = runner.invoke(app, ["params", "--json", "--grade", "assumption"])
    grades = {entry["grade"] for entry in json.loads(result.output)}
    assert grades == {"assumption"}
    assert runner.invoke(app, ["params", "--grade", "rumour"]).exit_code == 2


def test_experiments_lists_every_record() -> None:
    result = runner.invoke(app, ["experiments"])
    assert result.exit_code == 0
    for experiment_id in ("tsst_cortisol", "chen2011_support_by_genotype", "iv_half_life"):
        assert experiment_id in result.output


def test_validate_json_for_one_experiment() -> None:
    result = runner.invoke(app, ["validate", "--json", "--experiment", "iv_half_life"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {r["metric"] for r in rows} == {"bolus_half_life", "infusion_time_to_steady_state"}
    assert all(r["pass"] for r in rows)
    assert {r["set"] for r in rows} == {"calibration"}


def test_validate_prints_the_pass_rate_of_each_set() -> None:
    chosen = ["--experiment", "iv_half_life", "--experiment", "gossen2012_intranasal_time_course"]
    result = runner.invoke(app, ["validate", *chosen])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "check set: 2 of 2 metrics within tolerance (100 %)" in text
    assert "calibration set: 2 of 2 metrics within tolerance (100 %)" in text


def test_validate_rejects_unknown_experiment() -> None:
    assert runner.invoke(app, ["validate", "--experiment", "nope"]).exit_code == 2


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_runs(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "example.nc"
    result = runner.invoke(app, ["run", str(example), "-o", str(out)])
    assert result.exit_code == 0, result.output
    with xr.open_dataset(out, engine="h5netcdf") as ds:
        recorded = [ds[v] for v in ds.data_vars if "time" in ds[v].dims]
        assert all(bool(np.isfinite(r).all()) for r in recorded)
        physical = [r for r in recorded if r.attrs["units"] not in ("1", "")]
        assert all(bool((r >= 0).all()) for r in physical)


def test_validate_writes_a_markdown_table(tmp_path: Path) -> None:
    report = tmp_path / "validation.md"
    args = ["validate", "--experiment", "iv_half_life", "--markdown", str(report)]
    assert runner.invoke(app, args).exit_code == 0
    rows = [line for line in report.read_text().splitlines() if line.startswith("| iv_half_life")]
    assert len(rows) == 2
    assert all(row.endswith("| pass |") for row in rows)


def test_run_at_an_evidence_floor_records_it(small_scenario: Path, tmp_path: Path) -> None:
    out = tmp_path / "floored.nc"
    args = ["run", str(small_scenario), "-o", str(out), "--evidence-floor", "established"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "neutralised" in result.output
    with xr.open_dataset(out, engine="h5netcdf") as ds:
        assert ds.attrs["evidence_floor"] == "established"
        assert "release_gain_support_friend" in ds.attrs["neutralised_parameters"]


def test_run_that_goes_non_finite_exits_1_and_writes_nothing(
    small_scenario: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def breaks(*args, **kwargs):
        raise SimulationError("crh became NaN or infinite for subject s1 in arm 'default' at 3 min")

    monkeypatch.setattr("oxysim.engine.simulate.simulate", breaks)
    output = tmp_path / "never.nc"
    result = runner.invoke(app, ["run", str(small_scenario), "-o", str(output)])
    assert result.exit_code == 1
    assert "crh became NaN" in result.output and "nothing was written" in result.output
    assert not output.exists()


def test_the_entry_point_lists_every_command_without_importing_it() -> None:
    import subprocess
    import sys

    import typer

    from oxysim.command_line import COMMANDS

    commands = typer.main.get_command(app).commands
    assert list(COMMANDS) == list(commands)
    for name, command in commands.items():
        assert COMMANDS[name][2] == (command.help or "").strip().splitlines()[0], name
    probe = (
        "import sys; from oxysim.command_line import main\n"
        "try:\n    main()\nexcept SystemExit as e:\n"
        "    print('heavy' if 'numpy' in sys.modules else 'light'); raise"
    )

    def entry(*arguments: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-c", probe, *arguments]
        return subprocess.run(command, capture_output=True, text=True, check=False)

    listing = entry("--help")
    assert listing.returncode == 0 and "export-sbml" in listing.stdout
    assert listing.stdout.strip().endswith("light")
    assert entry("run", "--help").returncode == 0
    assert entry("no-such-command").returncode == 2


def test_a_first_compile_is_reported_apart_from_the_run(
    small_scenario: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from oxysim.engine import simulate as engine

    real = engine.simulate

    def slow_first_compile(*args, **kwargs):
        results = real(*args, **kwargs)
        results.attrs["compile_seconds"] = 12.0
        return results

    monkeypatch.setattr(engine, "simulate", slow_first_compile)
    result = runner.invoke(app, ["run", str(small_scenario), "-o", str(tmp_path / "r.nc")])
    assert result.exit_code == 0, result.output
    assert "compiled the engine for this model in 12 s" in result.output
    monkeypatch.undo()  # a warm cache loads the kernel in about a second: nothing to report
    quiet = runner.invoke(app, ["run", str(small_scenario), "-o", str(tmp_path / "q.nc")])
    assert quiet.exit_code == 0 and "compiled the engine" not in quiet.output


@pytest.mark.parametrize("command", ["serve", "community", "trial", "sensitivity", "report"])
def test_help_wraps_within_the_terminal_and_keeps_brackets(command: str) -> None:
    # regression: rich markup ate "[web]" and broke paragraphs mid-sentence
    from oxysim.command_line import COMMANDS

    result = runner.invoke(app, [command, "--help"], terminal_width=80)
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.output.splitlines()) <= 80
    summary = " ".join(COMMANDS[command][2].split())
    assert summary in " ".join(result.output.split())  # the summary whole, brackets included
