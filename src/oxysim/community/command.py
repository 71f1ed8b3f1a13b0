"""The ``oxysim community`` command: a community file run day by day, results and network."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from oxysim.terminal import console, fail, progress_bar


def community(
    community_file: Annotated[Path, typer.Argument(help="community file (YAML)")],
    output: Annotated[Path, typer.Option("--output", "-o", help="results (.nc)")],
    plot: Annotated[
        Path | None, typer.Option(help="also draw the emergent patterns into this figure (.png)")
    ] = None,
    color_by: Annotated[
        str | None,
        typer.Option(help="also draw the network, people coloured by this variable's last day"),
    ] = None,
) -> None:
    """Run COMMUNITY_FILE: people on a network, their bodies and exchanges, day by day.

    Writes person x day results to OUTPUT and the network beside it (.graphml); --plot draws
    the emergent patterns, and --color-by the network beside that figure (FIGURE-network.png).

    Each day: meetings with expressions read and answered, stressors (one's own or one's
    group's) with support and strain seen by others, evenings with the partner (or a
    conflict), intranasal oxytocin to a share, support groups and drug cues.
    """
    from oxysim.commands import failing_cleanly
    from oxysim.community.network import EdgeListError
    from oxysim.community.run import ROLES, daily_outputs, simulate_community
    from oxysim.community.spec import parse_community
    from oxysim.io.netcdf import save_results, write_atomically
    from oxysim.scenario import ScenarioError

    if output.suffix != ".nc":
        raise fail(f"--output must end in .nc, got {output}", 2)
    if color_by is not None and plot is None:
        raise fail("--color-by draws the network beside the --plot figure: give --plot too", 2)
    if plot is not None and plot.suffix != ".png":
        raise fail(f"--plot must end in .png, got {plot}", 2)
    try:
        text = community_file.read_text(encoding="utf-8")
        spec = parse_community(text, str(community_file))
    except ScenarioError as error:
        raise fail(f"invalid community file\n{error}", 2) from None
    except OSError as error:
        raise fail(f"cannot read {community_file}: {error.strerror}", 2) from None
    colourable = [*daily_outputs(spec), *ROLES]
    if color_by is not None and color_by not in colourable:
        raise fail(f"--color-by must be one of the outputs: {', '.join(colourable)}", 2)
    with progress_bar() as bar, failing_cleanly():
        task = bar.add_task(f"living {spec.name}", total=None)
        try:
            results, network = simulate_community(
                spec,
                community_file.parent,
                text,
                lambda done, total: bar.update(task, completed=done, total=total),
            )
        except EdgeListError as error:
            raise fail(str(error), 2) from None
    import networkx as nx

    graph_path = output.with_suffix(".graphml")
    write_atomically(graph_path, lambda temporary: nx.write_graphml(network.graph, temporary))
    save_results(results, output)
    console.print(f"wrote {output} and {graph_path}")
    if plot is not None:
        from oxysim.community.plots import draw_figures

        try:
            for path in draw_figures(results, network.graph, plot, color_by):
                console.print(f"wrote {path}")
        except ValueError as error:
            raise fail(str(error), 2) from None
