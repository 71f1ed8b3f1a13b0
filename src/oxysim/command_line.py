"""The ``oxysim`` entry point: lists the commands without importing them, so help is instant.

A command's module (and NumPy, xarray, pint, the compiler, ...) is imported only when that
command runs or shows its own help. The summaries below are the first lines of the commands'
docstrings; a test keeps them equal.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

HELP = (
    "oxysim: a mechanistic, evidence-graded simulator of the human oxytocin system. "
    "Output is for research and teaching, not medical advice."
)
#: How both command groups are built: plain help text (no rich markup, which ate words in
#: brackets such as "[web]" and broke paragraphs), no completion, plain tracebacks.
TYPER_OPTIONS: dict[str, Any] = {
    "add_completion": False,
    "pretty_exceptions_enable": False,
    "rich_markup_mode": None,
}
#: Every command: its module, its function and the first line of its docstring (for the help).
COMMANDS: dict[str, tuple[str, str, str]] = {
    "run": (
        "oxysim.commands",
        "run",
        "Simulate SCENARIO and write labelled results to OUTPUT.",
    ),
    "export-sbml": (
        "oxysim.commands",
        "export_sbml",
        "Write one subject's model and protocol as SBML Level 3 (needs the [sbml] extra).",
    ),
    "plot": (
        "oxysim.commands",
        "plot",
        "Plot a results file: mean and interquartile band per arm.",
    ),
    "report": (
        "oxysim.commands",
        "report",
        "Write one self-contained HTML report of a results file: scenario, courses, evidence.",
    ),
    "demo": (
        "oxysim.commands",
        "demo",
        "Run the default scenario: a TSST with and without partner support, by rs53576 genotype.",
    ),
    "validate": (
        "oxysim.commands",
        "validate",
        "Run every virtual experiment against its published targets.",
    ),
    "experiments": (
        "oxysim.commands",
        "experiments",
        "List the virtual experiments with their citations and evidence grade.",
    ),
    "params": (
        "oxysim.commands",
        "params",
        "The parameter ledger: every parameter with its value, unit, source and evidence grade.",
    ),
    "assays": (
        "oxysim.measurement.command",
        "assays",
        "List the assays that turn simulated values into measured ones (oxysim.measurement).",
    ),
    "sensitivity": (
        "oxysim.sensitivity.command",
        "sensitivity",
        "Global sensitivity of an output summary to the model's parameters over their bounds.",
    ),
    "claims": (
        "oxysim.evidence.command",
        "claims",
        "Check every seed claim (S-id): its evidence grades and whether it survives a floor.",
    ),
    "trial": (
        "oxysim.trial.command",
        "trial",
        "Run a virtual trial many times: effect sizes, p-values, power and the winner's curse.",
    ),
    "sweep": (
        "oxysim.sweep.command",
        "sweep",
        "Run SWEEP_FILE: every point x chunk of subjects one task, summaries per point in OUTPUT.",
    ),
    "community": (
        "oxysim.community.command",
        "community",
        "Run COMMUNITY_FILE: people on a network, their bodies and exchanges, day by day.",
    ),
    "serve": (
        "oxysim.web.command",
        "serve",
        "Serve the web dashboard: edit a scenario, run it, compare arms (needs the [web] extra).",
    ),
    "fit": (
        "oxysim.fitting.command",
        "fit",
        "Fit parameters of SCENARIO to time-course DATA by least squares, with 95 % intervals.",
    ),
}


class LazyCommands(TyperGroup):
    """The command group, importing :mod:`oxysim.cli` only for the command that is asked for."""

    def list_commands(self, ctx: Any) -> list[str]:
        """Every command name, in the order of the help."""
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        """The command, its module imported now (and only its module)."""
        if cmd_name not in COMMANDS:
            return None
        from importlib import import_module

        module, function, _ = COMMANDS[cmd_name]
        single = typer.Typer(**TYPER_OPTIONS)
        single.command(cmd_name)(getattr(import_module(module), function))
        return typer.main.get_command(single)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The command list from :data:`COMMANDS` (no command is imported)."""
        with formatter.section("Commands"):
            formatter.write_dl([(name, summary) for name, (_, _, summary) in COMMANDS.items()])


def main() -> None:
    """Run the command line (the ``oxysim`` script)."""
    group = LazyCommands(name="oxysim", help=HELP, no_args_is_help=True, rich_markup_mode=None)
    group(prog_name="oxysim")
