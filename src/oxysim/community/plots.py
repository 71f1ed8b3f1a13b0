"""Figures of a community run: what emerges between people, and the network coloured by a state.

:func:`plot_emergent` draws one panel per emergent pattern the results hold (a panel needs its
recorded variables and the people it compares; the others are left out):

- closeness to the close circle and to the wider community, by attachment style (S4.5);
- in-group cooperation and defence against an out-group, each day's peak (S4.5);
- expression spirals: the share of warm and of cold replies, day by day (S4.4);
- stress contagion: the cortisol of people not stressed themselves, by whether their partner
  was stressed that day, and its buffering by an evening together;
- craving of people with an addiction history, members of the support group or not (S1.6).

Each arm is one line style; the colours are the groups compared. :func:`plot_network` draws the
ties (from the GraphML written beside the results) with each person coloured by a recorded
state on a chosen day, one panel per arm on one colour scale.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
import xarray as xr  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from oxysim.community.series import reply_shares  # noqa: E402
from oxysim.io.netcdf import write_atomically  # noqa: E402
from oxysim.plotting import save_figure  # noqa: E402

#: People drawn in a network picture at most (the first ones by number; a layout of more is
#: unreadable at figure size and slow).
NETWORK_LIMIT = 1500
ARM_STYLES = ("-", "--", ":", "-.")
#: One line per (label, mean over the chosen people, day by day) of one arm.
Lines = Iterator[tuple[str, xr.DataArray]]
Panel = Callable[[xr.Dataset], Lines]
NOTE = "oxysim community simulation, not medical advice"


def is_community(results: xr.Dataset) -> bool:
    """Whether ``results`` come from ``oxysim community`` (person x day), not a scenario run."""
    return {"person", "day"} <= set(results.dims)


def draw_figures(
    results: xr.Dataset, graph: nx.Graph[int] | None, path: Path, color_by: str | None
) -> list[Path]:
    """The emergent panels into ``path`` and, given ``color_by``, ``graph`` drawn beside it."""
    if color_by is not None:
        _check_colour(results, color_by)
    plot_emergent(results, path)
    if color_by is None or graph is None:
        return [path]
    network_path = path.with_name(f"{path.stem}-network{path.suffix}")
    plot_network(results, graph, network_path, color_by)
    return [path, network_path]


def plot_emergent(results: xr.Dataset, path: str | os.PathLike[str]) -> list[str]:
    """Draw the emergent panels ``results`` hold into ``path`` (PNG); the panels' titles."""
    panels = [
        (title, unit, lines)
        for title, unit, lines in _panels()
        if next(lines(results.isel(arm=0)), None) is not None
    ]
    if not panels:
        raise ValueError(
            "no emergent pattern to plot: record closeness, in-group cooperation, "
            "salivary_cortisol or craving (the community file's record)"
        )
    columns = min(3, len(panels))
    rows = -(-len(panels) // columns)
    figure, axes = plt.subplots(rows, columns, figsize=(4.6 * columns, 3.2 * rows), squeeze=False)
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    days = results.day.values + 1
    for axis, (title, unit, lines) in zip(axes.flat, panels, strict=False):
        colour_of: dict[str, str] = {}  # one colour per label, in every arm
        for index, arm in enumerate(results.arm.values):
            style = ARM_STYLES[index % len(ARM_STYLES)]
            for label, series in lines(results.sel(arm=arm)):
                colour = colour_of.setdefault(label, colours[len(colour_of) % len(colours)])
                axis.plot(
                    days,
                    series.values,
                    style,
                    color=colour,
                    label=f"{label}, {arm}" if results.sizes["arm"] > 1 else label,
                )
        axis.set_title(title, fontsize=9)
        axis.set_xlabel("day")
        axis.xaxis.set_major_locator(MaxNLocator(integer=True))
        axis.set_ylabel(unit, fontsize=8)
        axis.grid(alpha=0.3)
        axis.legend(fontsize=6)
    for axis in axes.flat[len(panels) :]:
        axis.set_visible(False)
    figure.suptitle(results.attrs.get("title", "oxysim community"), fontsize=10)
    figure.text(0.99, 0.005, NOTE, ha="right", fontsize=6, alpha=0.6)
    save_figure(figure, path)
    return [title for title, _, _ in panels]


def _mean_over(data: xr.DataArray, chosen: xr.DataArray) -> xr.DataArray | None:
    """Daily mean of ``data`` over the chosen people (person, or person x day); None if none."""
    return data.where(chosen).mean("person") if bool(chosen.any()) else None


def _by_coordinate(variable: str, coordinate: str) -> Panel:
    def lines(arm: xr.Dataset) -> Lines:
        if variable not in arm:
            return
        for value in np.unique(arm[coordinate].values):
            yield str(value), arm[variable].where(arm[coordinate] == value).mean("person")

    return lines


def _ingroup(arm: xr.Dataset) -> Lines:
    for name in ("ingroup_cooperation", "defensive_aggression", "offensive_aggression"):
        if f"{name}_peak" in arm:
            yield name.replace("_", " "), arm[f"{name}_peak"].mean("person")


def _spirals(arm: xr.Dataset) -> Lines:
    warm, cold = reply_shares(arm["expression"].values)
    yield "warm replies", xr.DataArray(warm, dims="day")
    yield "cold replies", xr.DataArray(cold, dims="day")


def _contagion(arm: xr.Dataset) -> Lines:
    if "salivary_cortisol" not in arm:
        return
    partner = arm["partner"].values
    partnered = partner >= 0
    if not partnered.any():
        return
    stressed = arm["stressed"].values.astype(bool)
    partner_stressed = np.zeros_like(stressed)
    partner_stressed[partnered] = stressed[partner[partnered]]
    calm = partnered[:, None] & ~stressed
    cortisol = arm["salivary_cortisol"]
    together = arm["together"].values.astype(bool)
    for label, chosen in (
        ("partner not stressed", calm & ~partner_stressed),
        ("partner stressed, evening together", calm & partner_stressed & together),
        ("partner stressed, apart", calm & partner_stressed & ~together),
    ):
        series = _mean_over(cortisol, xr.DataArray(chosen, dims=("person", "day")))
        if series is not None:
            yield label, series


def _craving(arm: xr.Dataset) -> Lines:
    if "craving" not in arm:
        return
    history = arm["addiction_history"].values != "none"
    member = arm["support_group_member"].values.astype(bool)
    for label, chosen in (("group member", history & member), ("not a member", history & ~member)):
        series = _mean_over(arm["craving"], xr.DataArray(chosen, dims="person"))
        if series is not None:
            yield f"in recovery, {label}", series


def _panels() -> list[tuple[str, str, Panel]]:
    return [
        ("close-circle closeness by attachment", "closeness (0-1)",
         _by_coordinate("close_circle_closeness", "attachment")),
        ("community closeness by attachment", "closeness (0-1)",
         _by_coordinate("community_closeness", "attachment")),
        ("in-group and out-group: the day's peak", "fraction of the endowment", _ingroup),
        ("expression spirals", "share of the people", _spirals),
        ("stress contagion (people not stressed themselves)", "salivary cortisol, day's mean",
         _contagion),
        ("craving in recovery", "craving (0-1), day's mean", _craving),
    ]  # fmt: skip


def plot_network(
    results: xr.Dataset,
    graph: nx.Graph[int],
    path: str | os.PathLike[str],
    color_by: str,
    day: int = -1,
) -> None:
    """Draw the ties of ``graph`` with each person coloured by ``color_by`` on ``day``.

    One panel per arm, on one colour scale; node size grows with degree; groups (in-groups and
    out-groups) are laid out side by side. At most
    :data:`NETWORK_LIMIT` people are drawn (the first by number; the title says so).
    """
    _check_colour(results, color_by)
    if not -results.sizes["day"] <= day < results.sizes["day"]:
        raise ValueError(f"day must be in 0..{results.sizes['day'] - 1}, got {day}")
    values = results[color_by]
    if "day" in values.dims:
        values = values.isel(day=day)
    shown = min(results.sizes["person"], NETWORK_LIMIT)
    drawn = graph.subgraph(range(shown))
    groups = results["group"].values[:shown] if "group" in results.coords else np.zeros(shown)
    layout = _layout(drawn, groups)
    arms = results.arm.values
    figure, axes = plt.subplots(1, len(arms), figsize=(5.2 * len(arms) + 0.8, 5.0), squeeze=False)
    low, high = float(values.min()), float(values.max())
    degree = np.asarray([drawn.degree(n) for n in range(shown)], dtype=float)
    drawn_nodes = []
    for axis, arm in zip(axes[0], arms, strict=True):
        drawn_nodes.append(
            _draw(axis, drawn, layout, values.sel(arm=arm).values[:shown], degree, low, high)
        )
        axis.set_title(str(arm), fontsize=9)
    label = f"{color_by} [{values.attrs.get('units', '')}]"
    figure.colorbar(drawn_nodes[-1], ax=list(axes[0]), label=label)
    when = "" if "day" not in results[color_by].dims else f", day {results.day.values[day] + 1}"
    subset = "" if shown == results.sizes["person"] else f" (the first {shown} people)"
    figure.suptitle(f"{results.attrs.get('title', 'community')}: {color_by}{when}{subset}")
    figure.text(0.99, 0.005, NOTE, ha="right", fontsize=6, alpha=0.6)
    # not save_figure: tight_layout cannot place a colour bar that spans the arms' panels
    write_atomically(path, lambda tmp: figure.savefig(tmp, format="png", dpi=110))
    plt.close(figure)


def _layout(graph: nx.Graph[int], groups: np.ndarray) -> dict[int, np.ndarray]:
    """A seeded spring layout of each group, the groups side by side (ties between them cross)."""
    layout: dict[int, np.ndarray] = {}
    for index, group in enumerate(np.unique(groups)):
        members = graph.subgraph(np.flatnonzero(groups == group).tolist())
        placed = nx.spring_layout(members, seed=0, iterations=60)
        layout |= {person: where + np.array([2.5 * index, 0.0]) for person, where in placed.items()}
    return layout


def _check_colour(results: xr.Dataset, color_by: str) -> None:
    if color_by not in results.data_vars or "person" not in results[color_by].dims:
        per_person = [str(n) for n, v in results.data_vars.items() if "person" in v.dims]
        raise ValueError(f"cannot colour by {color_by!r}; per-person variables: {per_person}")


def _draw(
    axis: Axes,
    graph: nx.Graph[int],
    layout: dict[int, np.ndarray],
    values: np.ndarray,
    degree: np.ndarray,
    low: float,
    high: float,
) -> matplotlib.collections.PathCollection:
    nx.draw_networkx_edges(graph, layout, ax=axis, alpha=0.15, width=0.5)
    nodes = nx.draw_networkx_nodes(
        graph,
        layout,
        ax=axis,
        nodelist=list(range(len(values))),
        node_color=values,
        node_size=8 + 4 * degree,
        cmap="viridis",
        vmin=low,
        vmax=high,
        linewidths=0,
    )
    axis.set_axis_off()
    return nodes
