"""Terminal output shared by the commands: the two consoles, errors that exit, a progress bar."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from typer import Exit

console = Console()
errors = Console(stderr=True)


def fail(message: str, code: int = 2) -> Exit:
    """Print ``error: message`` on stderr and return the exit to raise (2: bad input)."""
    errors.print(f"[red]error:[/] {message}", markup=True, highlight=False)
    return Exit(code)


def progress_bar() -> Progress:
    """A transient progress bar on stderr, shown only on a terminal."""
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeRemainingColumn(),
        console=errors,
        disable=not errors.is_terminal,
        transient=True,
    )
