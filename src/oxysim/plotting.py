"""Static plots of results: one panel per variable, mean and spread over subjects per arm."""

from __future__ import annotations

import os
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import xarray as xr  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from oxysim.io.netcdf import write_atomically  # noqa: E402
from oxysim.reports import course_names  # noqa: E402


def _groups(results: xr.Dataset, by: str | None) -> list[tuple[str, xr.Dataset]]:
    if by is None:
        return [("", results)]
    if by not in results.coords:
        raise ValueError(f"cannot group by {by!r}: not a subject coordinate of the results")
    return [(f"{by} {key}", group) for key, group in results.groupby(by)]


def plot_results(
    results: xr.Dataset,
    path: str | os.PathLike[str],
    variables: Sequence[str] | None = None,
    by: str | None = None,
) -> None:
    """Plot mean (line) and interquartile range (band) of each variable over subjects.

    One row per variable, one column per group of ``by`` (a subject coordinate such as
    ``rs53576``), one colour per arm.
    """
    names = list(variables) if variables else course_names(results)
    unknown = [n for n in names if n not in results.data_vars]
    if unknown:
        raise ValueError(f"not in the results: {unknown}; recorded: {list(results.data_vars)}")
    banded = [str(n) for n in names if "quantile" in results[n].dims]
    if by is not None and banded:
        raise ValueError(f"bands hold no subjects to group by {by!r}: {', '.join(banded)}")
    groups = _groups(results, by)
    figure, axes = plt.subplots(
        len(names),
        len(groups),
        figsize=(3.2 + 3.2 * len(groups), 2.6 * len(names)),
        sharex=True,
        sharey="row",
        squeeze=False,
    )
    time = results.time.values
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for column, (label, group) in enumerate(groups):
        for row, name in enumerate(names):
            axis = axes[row, column]
            for index, arm in enumerate(group.arm.values):
                middle, low, high = _centre_and_spread(group[name].sel(arm=arm))
                colour = colours[index % len(colours)]
                axis.plot(time, middle, color=colour, label=str(arm))
                axis.fill_between(time, low, high, color=colour, alpha=0.15, linewidth=0)
            axis.grid(alpha=0.3)
            if column == 0:
                units = results[name].attrs.get("units", "")
                axis.set_ylabel(f"{name}\n[{units}]", fontsize=8)
        axes[0, column].set_title(label or results.attrs.get("title", "oxysim"), fontsize=9)
        axes[-1, column].set_xlabel("time since start [min]")
    axes[0, 0].legend(fontsize=7)
    figure.suptitle(results.attrs.get("title", "oxysim") if by else "", fontsize=10)
    figure.text(
        0.99,
        0.005,
        "mean (bands: median) and interquartile range over subjects - oxysim simulation, "
        "not medical advice",
        ha="right",
        fontsize=6,
        alpha=0.6,
    )
    save_figure(figure, path)


def _centre_and_spread(data: xr.DataArray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean and quartiles over subjects of a course, or median and quartiles of a band."""
    if "quantile" in data.dims:
        low, middle, high = (data.sel(quantile=q).values for q in (0.25, 0.5, 0.75))
        return middle, low, high
    values = data.values
    low, high = np.percentile(values, [25, 75], axis=0)
    return values.mean(axis=0), low, high


def save_figure(figure: Figure, path: str | os.PathLike[str]) -> None:
    """Lay out ``figure``, write it as PNG atomically and release it."""
    figure.tight_layout()
    write_atomically(path, lambda tmp: figure.savefig(tmp, format="png", dpi=110))
    plt.close(figure)
