"""The ``oxysim sensitivity`` command: indices, a ranked table, a NetCDF file and a figure."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, cast

import typer
import xarray as xr
from rich.markup import escape
from rich.table import Table

from oxysim.io.netcdf import save_results
from oxysim.output_option import beside, results_path
from oxysim.scenario import Scenario, ScenarioError, load_scenario
from oxysim.sensitivity.analysis import RANKED_BY, chosen_arm, sensitivity_analysis
from oxysim.sensitivity.factors import Factor, select_factors
from oxysim.sensitivity.plot import plot_indices
from oxysim.sensitivity.sampling import Method, SensitivityOptions
from oxysim.summaries import parse_summary
from oxysim.system import human_model
from oxysim.terminal import console, fail, progress_bar

#: Columns of the ranked table for each method: index and its interval half-width.
TABLE_COLUMNS = {
    "morris": (("mu_star", "mu_star_conf"), ("sigma", None)),
    "sobol": (("S1", "S1_conf"), ("ST", "ST_conf")),
}


def _split(names: str | None) -> list[str]:
    return [name.strip() for name in (names or "").split(",") if name.strip()]


def _checked_inputs(
    scenario: Scenario,
    output: str,
    options: SensitivityOptions,
    params: str | None,
    submodel: str | None,
    exclude: str | None,
) -> tuple[Factor, ...]:
    """Validate the output, arm and factors before anything runs; exit 2 naming the option."""
    model = human_model()
    try:
        _, variable = parse_summary(output, sorted(model.variables))
    except ValueError as error:
        raise fail(f"--summary: {error}") from None
    try:
        chosen_arm(scenario, options.arm)
        return select_factors(
            model, variable, names=_split(params), submodel=submodel, exclude=_split(exclude)
        )
    except ValueError as error:
        raise fail(f"--{error}") from None


def sensitivity(
    scenario: Annotated[Path, typer.Argument(help="scenario file (YAML)")],
    summary: Annotated[
        str,
        typer.Option(
            help="summary to analyse: peak_, min_, mean_, final_, auc_, baseline_ or rise_ "
            "followed by a model variable, e.g. peak_salivary_cortisol"
        ),
    ],
    method: Annotated[str, typer.Option(help="morris (screening) or sobol (variance)")] = "morris",
    params: Annotated[
        str | None, typer.Option(help="comma-separated parameters to vary (default: see docs)")
    ] = None,
    submodel: Annotated[str | None, typer.Option(help="vary the parameters of a sub-model")] = None,
    exclude: Annotated[str | None, typer.Option(help="comma-separated parameters to hold")] = None,
    samples: Annotated[
        int | None,
        typer.Option(help="Morris trajectories (default 10) or Sobol base samples (2^m, 64)"),
    ] = None,
    seed: Annotated[int | None, typer.Option(help="random seed (default: the scenario's)")] = None,
    arm: Annotated[str | None, typer.Option(help="arm to run (default: the first)")] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="indices (.nc; default out/NAME.nc), figure beside"),
    ] = None,
    top: Annotated[int, typer.Option(help="rows of the table and labels of the plot")] = 15,
) -> None:
    """Global sensitivity of an output summary to the model's parameters over their bounds.

    Every sample is one typical subject of SCENARIO; all run in one batched simulation.
    """
    try:
        loaded = load_scenario(scenario, known_variables=human_model().variables)
    except ScenarioError as error:
        raise fail(f"invalid scenario\n{error}") from None
    except OSError as error:
        raise fail(f"cannot read {scenario}: {error.strerror}") from None
    try:
        options = SensitivityOptions(cast(Method, method), samples, seed, arm)
    except ValueError as error:
        raise fail(f"--{error}") from None
    factors = _checked_inputs(loaded, summary, options, params, submodel, exclude)
    path = results_path(output, f"{loaded.name}_{summary}_{options.method}")
    indices = _run_with_progress(loaded, summary, factors, options, scenario.read_text())
    plot_indices(indices, beside(path, ".png"), top)
    save_results(indices, path)
    console.print(ranked_table(indices, top))
    console.print(f"wrote {path} and {beside(path, '.png')}")


def _run_with_progress(
    scenario: Scenario,
    output: str,
    factors: tuple[Factor, ...],
    options: SensitivityOptions,
    text: str,
) -> xr.Dataset:
    """Run the analysis with a progress bar on a terminal; exit 1 if runs are not finite."""
    with progress_bar() as bar:
        task = bar.add_task(f"{options.method}: {len(factors)} factors", total=None)
        try:
            return sensitivity_analysis(
                scenario,
                output,
                factors,
                options=options,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
                scenario_text=text,
            )
        except FloatingPointError as error:
            raise fail(str(error), 1) from None


def ranked_table(indices: xr.Dataset, top: int) -> Table:
    """The ``top`` factors by rank, with their sub-model, grade, sampling scale and indices."""
    method = indices.attrs["method"]
    unit = indices.attrs["output_units"] if method == "morris" else "1"
    table = Table(
        title=escape(
            f"{method.title()} sensitivity of {indices.attrs['output']} [{unit}], arm "
            f"{indices.attrs['arm']}, {indices.attrs['runs']} runs, seed {indices.attrs['seed']}"
        ),
        caption=f"ranked by {RANKED_BY[method]}; ± is the 95 % bootstrap half-width",
    )
    for column in ("rank", "parameter", "sub-model", "grade", "scale"):
        table.add_column(column, justify="right" if column == "rank" else "left")
    table.columns[1].no_wrap = True
    for name, _ in TABLE_COLUMNS[method]:
        table.add_column(name, justify="right", no_wrap=True)
    for row in range(min(top, indices.sizes["factor"])):
        factor = indices.isel(factor=row)
        cells = [
            f"{float(factor[name]):.3g}" + (f" ± {float(factor[conf]):.2g}" if conf else "")
            for name, conf in TABLE_COLUMNS[method]
        ]
        table.add_row(
            str(int(factor["rank"])),
            str(factor.factor.values),
            str(factor.submodel.values),
            str(factor.grade.values),
            str(factor.scale.values),
            *cells,
        )
    return table
