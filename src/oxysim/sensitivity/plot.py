"""Figures of sensitivity indices: mu_star against sigma (Morris), S1 and ST bars (Sobol)."""

from __future__ import annotations

import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import xarray as xr  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from oxysim.plotting import save_figure  # noqa: E402


def plot_indices(indices: xr.Dataset, path: str | os.PathLike[str], top: int = 15) -> None:
    """Write the figure of ``indices`` (from ``sensitivity_analysis``) as PNG, atomically.

    ``top`` factors (by rank) are labelled (Morris) or drawn (Sobol).
    """
    draw = _morris_figure if indices.attrs["method"] == "morris" else _sobol_figure
    figure = draw(indices, top)
    figure.suptitle(
        f"{indices.attrs['method'].title()}: {indices.attrs['output']} "
        f"({indices.attrs['scenario_name']}, arm {indices.attrs['arm']})",
        fontsize=10,
    )
    save_figure(figure, path)


def _morris_figure(indices: xr.Dataset, top: int) -> Figure:
    """Every factor as a point (mu_star, sigma); the top ones labelled; sigma = mu_star dashed."""
    figure, axis = plt.subplots(figsize=(7, 5.5))
    mu_star, sigma = indices.mu_star.values, indices.sigma.values
    axis.scatter(mu_star, sigma, s=18, color="tab:blue")
    for name, x, y in list(zip(indices.factor.values, mu_star, sigma, strict=True))[:top]:
        axis.annotate(str(name), (x, y), fontsize=7, xytext=(3, 3), textcoords="offset points")
    largest = float(np.nanmax(np.concatenate([mu_star, sigma]))) or 1.0
    axis.plot([0, largest], [0, largest], "--", color="grey", lw=0.8, label="sigma = mu*")
    unit = indices.attrs["output_units"]
    axis.set_xlabel(f"mu* (mean |elementary effect|) [{unit}]")
    axis.set_ylabel(f"sigma [{unit}]")
    axis.legend(loc="upper left", fontsize=8)
    return figure


def _sobol_figure(indices: xr.Dataset, top: int) -> Figure:
    """Horizontal bars of S1 and ST with their bootstrap intervals, for the top factors."""
    shown = indices.isel(factor=slice(0, top))
    count = shown.sizes["factor"]
    figure, axis = plt.subplots(figsize=(7, 1.2 + 0.32 * count))
    rows = np.arange(count)
    for offset, name in ((-0.2, "S1"), (0.2, "ST")):
        axis.barh(rows + offset, shown[name], height=0.4, xerr=shown[f"{name}_conf"], label=name)
    axis.set_yticks(rows, [str(f) for f in shown.factor.values], fontsize=8)
    axis.invert_yaxis()
    axis.set_xlabel("Sobol index (share of output variance)")
    axis.legend(loc="lower right", fontsize=8)
    return figure
