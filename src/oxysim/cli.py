"""The whole ``oxysim`` Typer app: every command of :data:`oxysim.command_line.COMMANDS`.

The ``oxysim`` script (:func:`oxysim.command_line.main`) loads commands one at a time; this app
imports them all (for ``python -m oxysim.cli`` and the tests).
"""

from __future__ import annotations

from importlib import import_module

import typer

from oxysim.command_line import COMMANDS, HELP, TYPER_OPTIONS

app = typer.Typer(help=HELP, no_args_is_help=True, **TYPER_OPTIONS)
for _name, (_module, _function, _) in COMMANDS.items():
    app.command(_name)(getattr(import_module(_module), _function))


def main() -> None:
    """Entry point for ``python -m oxysim.cli``."""
    app()


if __name__ == "__main__":
    main()
