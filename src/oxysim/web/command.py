"""The ``oxysim serve`` command: the dashboard on this machine's loopback unless told otherwise."""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer

from oxysim.terminal import console, errors, fail

LOOPBACK = "127.0.0.1"


def serve(
    host: Annotated[str, typer.Option(help="address to bind (default: loopback only)")] = LOOPBACK,
    port: Annotated[int, typer.Option(help="port", min=1, max=65535)] = 8000,
    max_work: Annotated[
        int, typer.Option(help="largest run: subjects x steps x arms", min=1)
    ] = 20_000_000,
) -> None:
    """Serve the web dashboard: edit a scenario, run it, compare arms (needs the [web] extra).

    Binds 127.0.0.1 unless --host is given; another address warns, since anyone who can reach
    it can run simulations on this machine. Open the printed address in a browser.
    """
    try:
        import uvicorn

        from oxysim.web.app import create_app
        from oxysim.web.limits import Limits
    except ImportError as error:
        message = f"oxysim serve needs the [web] extra: pip install 'oxysim[web]' ({error})"
        raise fail(message, 2) from None
    if not _is_loopback(host):
        errors.print(
            f"[yellow]warning:[/] binding {host}, not loopback: anyone who can reach this "
            "address can run simulations here",
            markup=True,
        )
    console.print(f"oxysim dashboard on http://{host}:{port}/ (Ctrl-C stops it)")
    uvicorn.run(create_app(Limits(max_work=max_work)), host=host, port=port, log_level="warning")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
