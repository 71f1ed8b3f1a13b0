"""Tables people read: result summaries, the validation table and the parameter ledger."""

from __future__ import annotations

from collections.abc import Iterable

import xarray as xr
from rich.table import Table

from oxysim.experiments.base import MetricResult
from oxysim.model.parameters import Parameter


def course_names(results: xr.Dataset) -> list[str]:
    """The variables of ``results`` recorded over time (its courses)."""
    return [str(name) for name, values in results.data_vars.items() if "time" in values.dims]


#: The columns of a course summary, each with one definition wherever it is shown.
SUMMARY_COLUMNS = {
    "start": "mean over subjects of the value at the first record",
    "peak": "mean over subjects of each subject's highest value",
    "rise": "peak - start",
    "auc": "mean over subjects of the area under the course (trapezoids), unit x min",
}


def course_summaries(
    results: xr.Dataset, variable: str, by: str | None = "rs53576"
) -> list[dict[str, str | int | float]]:
    """Per arm (and ``by`` group): subjects, start, peak, rise and AUC of ``variable``."""
    data = results[variable]
    if "subject" not in data.dims:
        raise ValueError(f"{variable} holds no subjects (a band); summaries need courses")
    rows: list[dict[str, str | int | float]] = []
    for arm in data.arm.values:
        chosen = data.sel(arm=arm)
        groups = [("all", chosen)] if by is None else list(chosen.groupby(by))
        for key, group in groups:
            start = float(group.isel(time=0).mean())
            peak = float(group.max("time").mean())
            auc = float(group.integrate("time").mean())
            rows.append(
                {
                    "arm": str(arm),
                    "group": str(key),
                    "n": int(group.sizes["subject"]),
                    "start": start,
                    "peak": peak,
                    "rise": peak - start,
                    "auc": auc,
                }
            )
    return rows


def peak_table(results: xr.Dataset, variable: str, by: str = "rs53576") -> Table:
    """Start, peak, rise and AUC of ``variable`` per arm and per ``by`` group (rich table)."""
    unit = results[variable].attrs.get("units", "")
    table = Table(title=f"{variable} [{unit}] by arm and {by}")
    for column in ("arm", by, "n", *SUMMARY_COLUMNS):
        table.add_column(column, justify="left" if column in ("arm", by) else "right")
    for row in course_summaries(results, variable, by):
        table.add_row(
            str(row["arm"]),
            str(row["group"]),
            str(row["n"]),
            *(f"{row[column]:.4g}" for column in SUMMARY_COLUMNS),
        )
    return table


_STATUS_STYLE = {
    "pass": "[green]yes[/]",
    "FAIL": "[red]NO[/]",
    "known miss": "[yellow]known miss[/]",
    "fixed": "[cyan]yes (was a known miss)[/]",
}


def validation_table(results: Iterable[MetricResult]) -> Table:
    """Experiment, metric, target, tolerance, simulated value and pass/fail."""
    table = Table(title="oxysim validation: virtual experiments against published targets")
    for column in ("experiment", "set", "metric", "target", "tolerance", "simulated", "pass"):
        table.add_column(column, overflow="fold")
    for r in results:
        m = r.metric
        unit = "" if m.unit == "1" else f" {m.unit}"
        table.add_row(
            r.experiment,
            r.set,
            m.name,
            m.published,
            f"[{m.low:g}, {m.high:g}]{unit}",
            f"{r.simulated:.3g}",
            _STATUS_STYLE[r.status],
        )
    return table


def parameter_table(parameters: Iterable[Parameter], title: str) -> Table:
    """The parameter ledger: name, value, unit, grade and source or calibration target."""
    table = Table(title=title)
    for column in ("name", "value", "unit", "grade", "source / calibrated to"):
        table.add_column(column, overflow="fold")
    for p in parameters:
        table.add_row(p.name, f"{p.value:g}", p.unit, p.grade, parameter_origin(p))
    return table


def parameter_origin(parameter: Parameter) -> str:
    """Where a parameter's value comes from: its source, its calibration target, or both."""
    calibrated = f"calibrated to {parameter.calibrated_to}" if parameter.calibrated_to else ""
    return "; ".join(filter(None, [parameter.source, calibrated]))


def pass_rates(results: Iterable[MetricResult]) -> list[str]:
    """One line per experiment set, the check set first: metrics within tolerance."""
    results = list(results)
    lines = []
    for name, meaning in (
        ("check", "experiments no parameter was calibrated to: the honest measure"),
        ("calibration", "experiments parameters were calibrated to"),
    ):
        chosen = [r for r in results if r.set == name]
        if chosen:
            passed = sum(r.passed for r in chosen)
            lines.append(
                f"{name} set: {passed} of {len(chosen)} metrics within tolerance "
                f"({100 * passed / len(chosen):.0f} %), {meaning}"
            )
    return lines


def validation_markdown(results: Iterable[MetricResult]) -> str:
    """The validation results as a Markdown table (for docs/validation.md), pass rates first."""
    results = list(results)
    lines = [f"- {line}" for line in pass_rates(results)] + [
        "",
        "| experiment | set | metric | published | tolerance | simulated | status |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        m = r.metric
        unit = "" if m.unit == "1" else f" {m.unit}"
        status = r.status + (f": {m.known_miss}" if r.status == "known miss" else "")
        lines.append(
            f"| {r.experiment} | {r.set} | {m.name} | {m.published} "
            f"| [{m.low:g}, {m.high:g}]{unit} | {r.simulated:.3g} | {status} |"
        )
    return "\n".join(lines) + "\n"
