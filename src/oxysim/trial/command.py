"""The ``oxysim trial`` command: replicate virtual trials, a power table, NetCDF and a figure."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
import xarray as xr
from rich.table import Table

from oxysim.evidence.command import (
    EvidenceFloorOption,
    evidence_floor_block,
    print_floor_summary,
)
from oxysim.io.netcdf import save_results
from oxysim.output_option import beside, results_path
from oxysim.scenario import Scenario, ScenarioError
from oxysim.terminal import console, fail, progress_bar
from oxysim.trial.plot import plot_trial
from oxysim.trial.pool import simulate_pool, trial_scenario
from oxysim.trial.run import run_trial
from oxysim.trial.spec import MAX_N, MAX_POOL, MAX_REPLICATES, TrialSpec, load_trial


def parse_sizes(text: str | None, default: int, smallest: int = 4) -> list[int]:
    """Read ``--n``: one size (``49``), a list (``20,49,100``) or a range ``start:stop:step``.

    Returns the distinct sizes in increasing order; each must lie in ``smallest``-MAX_N.
    """
    if text is None:
        return [default]
    try:
        if ":" in text:
            start, stop, step = (int(part) for part in text.split(":"))
            sizes = list(range(start, stop + 1, step))
        else:
            sizes = [int(part) for part in text.split(",")]
    except ValueError:
        sizes = []
    if not sizes or any(not smallest <= n <= MAX_N for n in sizes):
        raise ValueError(
            f"--n must be a size, a list a,b,c or a range start:stop:step with sizes "
            f"{smallest}-{MAX_N} for this design (got {text!r})"
        )
    return sorted(set(sizes))


def trial(
    trial_file: Annotated[Path, typer.Argument(help="trial file (YAML)")],
    n: Annotated[
        str | None,
        typer.Option("--n", help="sizes: 49, 20,49,100 or 20:400:20 (default: the file's)"),
    ] = None,
    replicates: Annotated[int | None, typer.Option(help="replicate trials per size")] = None,
    pool: Annotated[int | None, typer.Option(help="virtual subjects to recruit from")] = None,
    effect: Annotated[
        str | None, typer.Option(help="factorial or G x E: interaction, or a main effect")
    ] = None,
    seed: Annotated[int | None, typer.Option(help="random seed (default: the file's)")] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="results (.nc; default out/NAME.nc), figure beside"),
    ] = None,
    evidence_floor: EvidenceFloorOption = None,
) -> None:
    """Run a virtual trial many times: effect sizes, p-values, power and the winner's curse.

    Subjects come from the scenario's population, simulated once under every arm; each replicate
    recruits, randomises and measures them as the trial file says, and analyses the data.
    With --evidence-floor the trial runs again with every mechanism below the grade switched
    off, and the table shows how the population effect and the power change.
    """
    spec = _load(trial_file, replicates, pool, seed, effect)
    try:
        sizes = parse_sizes(n, spec.n, spec.smallest_n)
    except ValueError as error:
        raise fail(str(error)) from None
    if max(sizes) > spec.pool:
        raise fail(f"--n: the largest size ({max(sizes)}) exceeds the pool ({spec.pool})")
    try:
        scenario = trial_scenario(spec, trial_file)
    except ScenarioError as error:
        raise fail(f"invalid trial\n{error}") from None
    path = results_path(output, spec.name)
    shown_n = figure_size(spec, sizes)
    results = _run_with_progress(spec, scenario, sizes)
    _write(results, path, shown_n)
    console.print(power_table(results))
    if evidence_floor is not None:
        with evidence_floor_block(evidence_floor):
            floored = _run_with_progress(spec, scenario, sizes)
        _write(floored, beside(path, ".nc", f"floor_{evidence_floor}"), shown_n)
        print_floor_summary(evidence_floor)
        console.print(floor_table(results, floored, evidence_floor))
    for note in design_notes(spec, scenario):
        console.print(f"note: {note}")
    console.print(f"wrote {path} and {beside(path, '.png')}")


def design_notes(spec: TrialSpec, scenario: Scenario) -> list[str]:
    """Warnings about choices that bias or flatter the analysis."""
    notes = []
    if spec.design == "crossover" and spec.outcome.occasion_cv == 0:
        notes.append(
            "outcome.occasion_cv is 0, so a subject's two periods differ only by assay noise; "
            "real crossover studies also vary from day to day, and power is overstated"
        )
    treated_from = min(
        (event.at for arm in spec.arms for event in scenario.arms[arm].events), default=None
    )
    if (
        spec.chosen_analysis == "ancova"
        and treated_from is not None
        and spec.outcome.baseline_at > treated_from
    ):
        notes.append(
            f"the ANCOVA baseline ({spec.outcome.baseline_at:g} min) is sampled after the arms "
            f"differ ({treated_from:g} min); a covariate the treatment can change biases ANCOVA"
        )
    return notes


def _run_with_progress(spec: TrialSpec, scenario: Scenario, sizes: list[int]) -> xr.Dataset:
    """Simulate the pool and run the replicates, with a progress bar on a terminal."""
    with progress_bar() as bar:
        task = bar.add_task(f"simulating a pool of {spec.pool}", total=None)
        try:
            pool = simulate_pool(spec, scenario)
            bar.update(task, description=f"{spec.replicates} trials x {len(sizes)} sizes")
            return run_trial(
                spec, pool, sizes, lambda done, total: bar.update(task, completed=done, total=total)
            )
        except ScenarioError as error:
            raise fail(f"invalid trial\n{error}") from None
        except ValueError as error:
            raise fail(f"cannot analyse this trial: {error}") from None


def _write(results: xr.Dataset, path: Path, n: int) -> None:
    """Write the figure at sample size ``n`` beside ``path`` (.png), then ``path``, atomically.

    The figure comes first: it is the step that can still fail on odd results, and a results
    file without its figure would look complete.
    """
    plot_trial(results, beside(path, ".png"), n)
    save_results(results, path)


def _load(
    path: Path, replicates: int | None, pool: int | None, seed: int | None, effect: str | None
) -> TrialSpec:
    """Read the trial file with the command-line overrides; exit 2 naming what is wrong."""
    try:
        spec = load_trial(path)
    except ScenarioError as error:
        raise fail(f"invalid trial\n{error}") from None
    except OSError as error:
        raise fail(f"cannot read {path}: {error.strerror}") from None
    if replicates is not None and not 1 <= replicates <= MAX_REPLICATES:
        raise fail(f"--replicates must be between 1 and {MAX_REPLICATES} (got {replicates})")
    if pool is not None and not 20 <= pool <= MAX_POOL:
        raise fail(f"--pool must be between 20 and {MAX_POOL} (got {pool})")
    if seed is not None and seed < 0:
        raise fail(f"--seed must be >= 0 (got {seed})")
    if effect is not None and effect not in spec.effects:
        allowed = ", ".join(spec.effects) or "none: the design tests its one treatment effect"
        raise fail(f"--effect must be one of: {allowed} (got {effect!r})")
    overrides = {"replicates": replicates, "pool": pool, "seed": seed, "effect": effect}
    return spec.model_copy(update={k: v for k, v in overrides.items() if v is not None})


#: The power table's columns and the one definition of each number (terminal and dashboard).
POWER_COLUMNS = {
    "n": "subjects per trial, all arms together",
    "power": "share of the replicate trials with p < alpha",
    "analytic power": "Student t-test power at the population d (parallel t-test, block "
    "randomisation only)",
    "median d": "median estimated d (Cohen's d) of all the replicate trials",
    "mean d | significant": "signed mean d of the significant trials",
    "exaggeration": "mean |d| of the significant trials / |population d| (type M error)",
    "sign errors": "share of the significant trials with the wrong sign (type S error)",
}


def figure_size(spec: TrialSpec, sizes: list[int]) -> int:
    """The sample size whose effects the figure shows: the file's n if run, else the smallest."""
    return spec.n if spec.n in sizes else sizes[0]


def power_rows(results: xr.Dataset) -> list[dict[str, float | None]]:
    """The numbers of the power table, one row per sample size, by :data:`POWER_COLUMNS`."""
    analytic = results.get("analytic_power")
    rows: list[dict[str, float | None]] = []
    for index in range(results.sizes["n"]):
        row = results.isel(n=index)
        rows.append(
            {
                "n": int(row.n),
                "power": float(row.power),
                "analytic power": None if analytic is None else float(analytic[index]),
                "median d": float(row.d.median()),
                "mean d | significant": float(row.mean_d_significant),
                "exaggeration": float(row.exaggeration),
                "sign errors": float(row.sign_error),
            }
        )
    return rows


def power_table(results: xr.Dataset) -> Table:
    """Power, mean effect among significant trials and exaggeration at each sample size."""
    table = Table(
        title=f"{results.attrs['title']} - population d = {results.attrs['population_d']:.3f} "
        f"({results.sizes['replicate']} trials per n, seed {results.attrs['seed']})"
    )
    for column in POWER_COLUMNS:
        table.add_column(column, justify="right")
    for row in power_rows(results):
        table.add_row(*(_shown(column, value) for column, value in row.items()))
    return table


def _shown(column: str, value: float | None) -> str:
    """A number of the power table as the terminal shows it."""
    if value is None:
        return "-"
    if column == "n":
        return str(int(value))
    return f"{value:.{2 if column == 'exaggeration' else 3}f}"


def floor_table(results: xr.Dataset, floored: xr.Dataset, floor: str) -> Table:
    """The trial's conclusions without and with the evidence floor, by sample size."""
    table = Table(
        title=f"evidence floor {floor}: population d {results.attrs['population_d']:.3f} -> "
        f"{floored.attrs['population_d']:.3f}"
    )
    for column in ("n", "power", f"power at floor {floor}", "change"):
        table.add_column(column, justify="right")
    for index, size in enumerate(results.n.values):
        before, after = float(results.power[index]), float(floored.power[index])
        table.add_row(str(int(size)), f"{before:.3f}", f"{after:.3f}", f"{after - before:+.3f}")
    return table
