"""The ``oxysim fit`` command: estimates with intervals as a table, a results file and a plot."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Annotated, cast

import typer
import xarray as xr
from rich.markup import escape
from rich.table import Table

from oxysim.fitting.data import DataError, FitData, read_data
from oxysim.fitting.fit import (
    MAX_REPLICATES,
    MIN_REPLICATES,
    RECOMMENDED_REPLICATES,
    FitOptions,
    IntervalMethod,
    fit_parameters,
    fitted_parameters,
)
from oxysim.fitting.plot import plot_fit
from oxysim.io.netcdf import save_results, write_atomically
from oxysim.scenario import Scenario, ScenarioError, load_scenario
from oxysim.system import human_model
from oxysim.terminal import console, fail, progress_bar

#: Results file formats by suffix.
OUTPUT_SUFFIXES = (".nc", ".json")


def _split(names: str) -> list[str]:
    return [name.strip() for name in names.split(",") if name.strip()]


def _inputs(scenario: Path, data: Path, params: str) -> tuple[Scenario, FitData]:
    """The scenario and the data, checked with the parameters; exit 2 naming the problem."""
    model = human_model()
    try:
        loaded = load_scenario(scenario, known_variables=model.variables)
    except ScenarioError as error:
        raise fail(f"invalid scenario\n{error}") from None
    except OSError as error:
        raise fail(f"cannot read {scenario}: {error.strerror}") from None
    try:
        checked = read_data(data, loaded, {name: v.unit for name, v in model.variables.items()})
    except DataError as error:
        raise fail(f"invalid data\n{escape(str(error))}") from None
    try:
        fitted_parameters(_split(params), checked)
    except ValueError as error:
        raise fail(f"--{error}" if str(error).startswith("params") else str(error)) from None
    return loaded, checked


def fit(
    scenario: Annotated[Path, typer.Argument(help="scenario file (YAML)")],
    data: Annotated[Path, typer.Argument(help="tidy CSV: subject,arm,time,variable,value,unit")],
    params: Annotated[str, typer.Option(help="comma-separated parameters to fit")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="results file (.nc or .json)")
    ] = None,
    plot: Annotated[Path | None, typer.Option(help="data against the fitted model (.png)")] = None,
    intervals: Annotated[str, typer.Option(help="profile, bootstrap or none")] = "profile",
    replicates: Annotated[
        int,
        typer.Option(help=f"bootstrap replicates, {MIN_REPLICATES}-{MAX_REPLICATES}"),
    ] = RECOMMENDED_REPLICATES,
    seed: Annotated[
        int | None, typer.Option(help="bootstrap seed (default: the scenario's)")
    ] = None,
) -> None:
    """Fit parameters of SCENARIO to time-course DATA by least squares, with 95 % intervals.

    Every candidate is the scenario's typical subject (or the listed subject) without
    between-subject variability; identifiability problems are printed as warnings.
    """
    if output is not None and output.suffix not in OUTPUT_SUFFIXES:
        raise fail(f"--output must end in {' or '.join(OUTPUT_SUFFIXES)}, got {output}")
    try:
        options = FitOptions(cast(IntervalMethod, intervals), replicates, seed)
    except ValueError as error:
        raise fail(f"--{error}") from None
    loaded, checked = _inputs(scenario, data, params)
    with progress_bar() as bar:
        task = bar.add_task("fit", total=None)
        try:
            result = fit_parameters(
                loaded,
                checked,
                _split(params),
                options=options,
                progress=lambda stage: bar.update(task, description=stage, advance=1),
                scenario_text=scenario.read_text(),
            )
        except FloatingPointError as error:
            raise fail(str(error), 1) from None
    if output is not None:
        _save(result, output)
    if plot is not None:
        plot_fit(result, loaded, checked, plot)
    console.print(fit_table(result))
    for warning in filter(None, result.attrs["warnings"].split("\n")):
        console.print(f"[yellow]warning:[/] {escape(warning)}", highlight=False)
    written = [str(path) for path in (output, plot) if path is not None]
    if written:
        console.print(f"wrote {' and '.join(written)}")


def _save(result: xr.Dataset, path: Path) -> None:
    """NetCDF, or a JSON table of the parameters with the fit's attributes (atomically).

    JSON has no infinity or NaN: such numbers (an infinite condition number, say) are ``null``.
    """
    if path.suffix == ".nc":
        save_results(result, path)
        return
    table = result.drop_dims(["observation", "other_parameter", "replicate"], errors="ignore")
    document = {
        "attrs": {k: _plain(v) for k, v in result.attrs.items() if k != "scenario"},
        "parameters": [
            {name: _plain(table[name].values[i]) for name in [*table.coords, *table.data_vars]}
            for i in range(table.sizes["parameter"])
        ],
    }
    write_atomically(
        path, lambda tmp: tmp.write_text(json.dumps(document, indent=2, allow_nan=False))
    )


def _plain(value: object) -> object:
    """A NumPy scalar as a Python one, and a non-finite number as None, for JSON."""
    plain = value.item() if hasattr(value, "item") else value
    return None if isinstance(plain, float) and not math.isfinite(plain) else plain


def fit_table(result: xr.Dataset) -> Table:
    """Estimate, interval, declared value, unit, grade and identifiability of each parameter."""
    attrs = result.attrs
    table = Table(
        title=escape(
            f"Fit of {attrs['scenario_name']}: {attrs['observations']} observations, "
            f"residual SD {attrs['residual_sd']:.3g} ({attrs['residual_scales']})"
        ),
        caption=f"95 % intervals: {attrs['intervals']}"
        + (
            f", {attrs['replicates']} replicates, seed {attrs['seed']}"
            if attrs["replicates"]
            else ""
        ),
    )
    for column in (
        "parameter",
        "estimate",
        "95 % interval",
        "declared",
        "unit",
        "grade",
        "identifiable",
    ):
        table.add_column(column, justify="right" if column in ("estimate", "declared") else "left")
    table.columns[0].no_wrap = True
    for i in range(result.sizes["parameter"]):
        row = result.isel(parameter=i)
        table.add_row(
            str(row.parameter.values),
            f"{float(row.estimate):.4g}",
            f"{float(row.lower):.4g} - {float(row.upper):.4g}",
            f"{float(row.declared_value):.4g}",
            str(row.unit.values),
            str(row.grade.values),
            "yes" if int(row.identifiable) else "[red]no[/]",
        )
    return table
