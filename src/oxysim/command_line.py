"""The ``oxysim`` entry point: lists the commands without importing them, so help is instant.

A command's module (and NumPy, xarray, pint, the compiler, ...) is imported only when that
command runs or shows its own help. The summaries below are the first lines of the commands'
docstrings in :mod:`oxysim.cli`; a test keeps them equal.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

HELP = (
    "oxysim: a mechanistic, evidence-graded simulator of the human oxytocin system. "
    "Output is for research and teaching, not medical advice."
)
SUMMARIES = {
    "run": "Simulate SCENARIO and write labelled results (NetCDF) to OUTPUT.",
    "export-sbml": "Write one subject's model and protocol as SBML Level 3 (needs the [sbml] "
    "extra).",
    "plot": "Plot a results file: mean and interquartile band per arm.",
    "demo": "Run the default scenario: a TSST with and without partner support, by rs53576 "
    "genotype.",
    "validate": "Run every virtual experiment against its published targets.",
    "experiments": "List the virtual experiments with their citations and evidence grade.",
    "params": "The parameter ledger: every parameter with its value, unit, source and evidence "
    "grade.",
    "assays": "List the assays that turn simulated values into measured ones (oxysim.measurement).",
    "sensitivity": "Global sensitivity of an output summary to the model's parameters over their "
    "bounds.",
    "claims": "Check every seed claim (S-id): its evidence grades and whether it survives a floor.",
    "trial": "Run a virtual trial many times: effect sizes, p-values, power and the winner's "
    "curse.",
    "fit": "Fit parameters of SCENARIO to time-course DATA by least squares, with 95 % intervals.",
}


class LazyCommands(TyperGroup):
    """The command group, importing :mod:`oxysim.cli` only for the command that is asked for."""

    def list_commands(self, ctx: Any) -> list[str]:
        """Every command name, in the order of the help."""
        return list(SUMMARIES)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """The real command, built from :data:`oxysim.cli.app` on first use."""
        if cmd_name not in SUMMARIES:
            return None
        from oxysim.cli import app

        return typer.main.get_command(app).get_command(ctx, cmd_name)  # type: ignore[attr-defined]

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The command list from :data:`SUMMARIES` (no command is imported)."""
        with formatter.section("Commands"):
            formatter.write_dl(list(SUMMARIES.items()))


def main() -> None:
    """Run the command line (the ``oxysim`` script)."""
    group = LazyCommands(name="oxysim", help=HELP, no_args_is_help=True, rich_markup_mode=None)
    group(prog_name="oxysim")
