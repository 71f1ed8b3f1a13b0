"""The ``oxysim assays`` command: the measurement catalogue as a table."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.table import Table

from oxysim.measurement.assays import Assay, assay_catalogue


def _noise_text(assay: Assay) -> str:
    """CV as a percentage, or the additive SD where the error is not proportional."""
    noise = assay.noise
    if noise is None:
        return "-"
    if noise.cv.value > 0:
        return f"{100 * noise.cv.value:g} %"
    return f"SD {noise.sd.value:g} {assay.unit}"


def assay_table(assays: Iterable[Assay]) -> Table:
    """Assay, variable read, reported unit, CV, limits, weakest grade and source."""
    table = Table(title="oxysim assays (measurement models)")
    for column in ("assay", "variable", "unit", "CV", "limits", "grade", "source"):
        table.add_column(column, overflow="fold")
    for assay in assays:
        limits = assay.limits
        table.add_row(
            assay.name,
            assay.variable,
            assay.unit,
            _noise_text(assay),
            "-" if limits is None else f"{limits[0]:g}-{limits[1]:g}",
            assay.grade,
            assay.citation,
        )
    return table


def assays() -> None:
    """List the assays that turn simulated values into measured ones (oxysim.measurement)."""
    Console().print(assay_table(assay_catalogue().values()))
