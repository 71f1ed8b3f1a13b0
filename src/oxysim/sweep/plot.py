"""The figure of a sweep: one summary over the first factor, by arm and the second factor.

Lines are medians over subjects, bands their interquartile range; further factors are pooled
with the subjects (the title says so). A sampled sweep is drawn as one dot per point.
"""

from __future__ import annotations

import os

import numpy as np
import xarray as xr

from oxysim.plotting import plt, save_figure


def plot_sweep(
    results: xr.Dataset, summary: str, factors: list[str], path: str | os.PathLike[str]
) -> None:
    """Write ``summary`` over the sweep's ``factors`` (PNG)."""
    if summary not in results:
        raise ValueError(f"{summary!r} is not a summary of the sweep; it has {list(results)}")
    data = results[summary]
    first = factors[0]
    figure, axis = plt.subplots(figsize=(6.4, 4.2))
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    if "point" in data.dims:
        _sampled(axis, data, first, colours)
    else:
        _grid(axis, data, factors, colours)
    unit = data.attrs.get("units", "")
    axis.set_ylabel(f"{summary} ({unit})" if unit else summary)
    first_unit = results[first].attrs.get("units", "")
    axis.set_xlabel(f"{first} ({first_unit})" if first_unit else first)
    pooled = factors[2:]
    title = f"{results.attrs.get('sweep_name', 'sweep')}: median and interquartile range"
    if pooled:
        title += f", pooled over {', '.join(pooled)}"
    axis.set_title(title, fontsize=9)
    axis.legend(fontsize=7)
    figure.text(0.99, 0.005, "oxysim simulation, not medical advice", ha="right", fontsize=6)
    save_figure(figure, path)


def _grid(axis: plt.Axes, data: xr.DataArray, factors: list[str], colours: list[str]) -> None:
    first, second = factors[0], (factors[1] if len(factors) > 1 else None)
    pooled = [*factors[2:], "subject"]
    numeric = np.issubdtype(data[first].dtype, np.number)
    x = data[first].to_numpy() if numeric else np.arange(data.sizes[first])
    groups = (
        [(None, data)]
        if second is None
        else [(v, data.sel({second: v})) for v in data[second].values]
    )
    styles = ["-", "--", ":", "-."]
    for a, arm in enumerate(data.arm.values):
        for g, (value, group) in enumerate(groups):
            values = group.sel(arm=arm)
            low, middle, high = (
                values.quantile(q, dim=pooled).to_numpy() for q in (0.25, 0.5, 0.75)
            )
            label = str(arm) if second is None else f"{arm}, {second} {value}"
            colour = colours[a % len(colours)]
            axis.plot(x, middle, styles[g % len(styles)], marker="o", color=colour, label=label)
            axis.fill_between(x, low, high, color=colour, alpha=0.12)
    if not numeric:
        axis.set_xticks(x, [str(v) for v in data[first].values])


def _sampled(axis: plt.Axes, data: xr.DataArray, first: str, colours: list[str]) -> None:
    x = data[first].to_numpy()
    for a, arm in enumerate(data.arm.values):
        median = data.sel(arm=arm).median("subject").to_numpy()
        axis.scatter(x, median, s=12, color=colours[a % len(colours)], label=str(arm))
