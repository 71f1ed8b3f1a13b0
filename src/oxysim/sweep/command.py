"""The ``oxysim sweep`` command: a sweep's tasks on a Dask cluster (or here), one results file."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from oxysim.terminal import console, fail, progress_bar

#: Where the tasks run: a local cluster on every core, this process, or a running scheduler.
SCHEDULER_HELP = (
    "local (a Dask LocalCluster, one worker per core), serial (this process, no Dask) or the "
    "address of a running scheduler, tcp://HOST:PORT"
)


def sweep(
    sweep_file: Annotated[Path, typer.Argument(help="sweep file (YAML)")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="results: .nc, or .zarr for large sweeps")
    ],
    plot: Annotated[Path | None, typer.Option(help="also write a plot (.png)")] = None,
    scheduler: Annotated[str, typer.Option(help=SCHEDULER_HELP)] = "local",
    workers: Annotated[
        int | None, typer.Option(min=1, help="workers of the local cluster [default: all cores]")
    ] = None,
    memory_limit: Annotated[
        str | None,
        typer.Option(help="memory one task may plan to use, e.g. 2GB [default: half the free]"),
    ] = None,
) -> None:
    """Run SWEEP_FILE: every point x chunk of subjects one task, summaries per point in OUTPUT.

    Finished tasks are kept in OUTPUT.parts until the sweep completes: run the same command
    again after a stop and it goes on where it was. The result does not depend on the number
    of workers or the order in which tasks finish.
    """
    from oxysim.commands import failing_cleanly, memory_budget
    from oxysim.scenario import ScenarioError
    from oxysim.sweep.points import load_sweep
    from oxysim.sweep.run import SweepPartsError, check_output, parts_folder, run_sweep

    budget = memory_budget(memory_limit)
    try:
        check_output(output)
        loaded = load_sweep(sweep_file)
    except ScenarioError as error:
        raise fail(f"invalid sweep\n{error}", 2) from None
    except OSError as error:
        raise fail(f"cannot read {sweep_file}: {error.strerror}", 2) from None
    except ValueError as error:
        raise fail(str(error), 2) from None
    kept = f"finished tasks are kept in {parts_folder(output)}: run the same command to go on"
    with _client(scheduler, workers) as client, progress_bar() as bar, failing_cleanly(kept):
        task = bar.add_task(f"sweeping {loaded.spec.name}", total=None)
        try:
            results = run_sweep(
                loaded,
                output,
                client=client,
                threads=1 if client is not None else _all_threads(),
                memory_limit=budget,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
        except SweepPartsError as error:
            raise fail(str(error), 2) from None
    if plot is not None:
        from oxysim.sweep.plot import plot_sweep

        plot_sweep(results, loaded.plotted, list(loaded.spec.factors), plot)
    where = "here" if client is None else scheduler
    console.print(
        f"wrote {output}" + (f" and {plot}" if plot else "") + f" ({len(loaded.points)} points, "
        f"run {where})"
    )


def _all_threads() -> int:
    from oxysim.engine.threads import default_threads

    return default_threads()


@contextmanager
def _client(scheduler: str, workers: int | None) -> Iterator[Any]:
    """A Dask client for ``scheduler`` (none for ``serial``); exit 2 when it cannot be had."""
    if scheduler == "serial":
        yield None
        return
    if scheduler != "local" and not scheduler.startswith(("tcp://", "tls://")):
        raise fail(f"--scheduler must be {SCHEDULER_HELP}; got {scheduler!r}", 2)
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise fail(
            "Dask is not installed: pip install 'oxysim[distributed]', or --scheduler serial", 2
        ) from None
    if scheduler == "local":
        cluster = LocalCluster(
            n_workers=workers or os.cpu_count() or 1,
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address=None,
        )
        with cluster, Client(cluster) as client:
            yield client
        return
    try:
        client = Client(scheduler, timeout=10)
    except OSError as error:
        raise fail(f"cannot reach the scheduler at {scheduler}: {error}", 2) from None
    with client:
        yield client
