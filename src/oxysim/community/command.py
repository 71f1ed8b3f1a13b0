"""The ``oxysim community`` command: a community file run day by day, results and network."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from oxysim.terminal import console, fail, progress_bar


def community(
    community_file: Annotated[Path, typer.Argument(help="community file (YAML)")],
    output: Annotated[Path, typer.Option("--output", "-o", help="results (.nc)")],
) -> None:
    """Run COMMUNITY_FILE: people on a network, their bodies and exchanges, day by day.

    Writes person x day results to OUTPUT and the network beside it (.graphml).

    Each day: meetings with expressions read and answered, stressors (one's own or one's
    group's) with support and strain seen by others, evenings with the partner (or a
    conflict), intranasal oxytocin to a share, support groups and drug cues.
    """
    from oxysim.commands import failing_cleanly
    from oxysim.community.network import EdgeListError
    from oxysim.community.run import simulate_community
    from oxysim.community.spec import parse_community
    from oxysim.io.netcdf import save_results, write_atomically
    from oxysim.scenario import ScenarioError

    if output.suffix != ".nc":
        raise fail(f"--output must end in .nc, got {output}", 2)
    try:
        text = community_file.read_text(encoding="utf-8")
        spec = parse_community(text, str(community_file))
    except ScenarioError as error:
        raise fail(f"invalid community file\n{error}", 2) from None
    except OSError as error:
        raise fail(f"cannot read {community_file}: {error.strerror}", 2) from None
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
    save_results(results, output)
    write_atomically(graph_path, lambda temporary: nx.write_graphml(network.graph, temporary))
    console.print(f"wrote {output} and {graph_path}")
