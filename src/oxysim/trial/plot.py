"""The figure of a virtual trial: power over n, and the effects that reach significance.

The right panel is the point of Walum, Waldman & Young (2016): at a typical sample size most
trials miss the effect, and those that find it report an inflated one.
"""

from __future__ import annotations

import os

import numpy as np
import xarray as xr

from oxysim.plotting import plt, save_figure


def plot_trial(trial: xr.Dataset, path: str | os.PathLike[str], n: int) -> None:
    """Write the power curve and the effect-size distribution at sample size ``n`` (PNG)."""
    figure, (power_axis, effect_axis) = plt.subplots(1, 2, figsize=(10, 4.2))
    _power_curve(power_axis, trial, trial.attrs["alpha"])
    _effects(effect_axis, trial.sel(n=n), trial.attrs["population_d"])
    figure.suptitle(
        f"{trial.attrs['title']}: {trial.attrs['outcome']} ({trial.attrs['design']}, "
        f"{trial.attrs['analysis']}, seed {trial.attrs['seed']})",
        fontsize=10,
    )
    figure.text(0.99, 0.005, "oxysim simulation, not medical advice", ha="right", fontsize=6)
    save_figure(figure, path)


def _power_curve(axis: plt.Axes, trial: xr.Dataset, alpha: float) -> None:
    axis.plot(trial.n, trial.power, "o-", color="tab:blue", label="simulated")
    if "analytic_power" in trial:
        axis.plot(trial.n, trial.analytic_power, "--", color="grey", label="t-test, analytic")
    axis.axhline(0.8, color="tab:red", lw=0.8, ls=":", label="80 %")
    axis.axhline(alpha, color="black", lw=0.6, ls=":")
    axis.set_ylim(0, 1)
    axis.set_xlabel("subjects per trial (n)")
    axis.set_ylabel("power")
    axis.legend(fontsize=8, loc="lower right")


def _effects(axis: plt.Axes, at_n: xr.Dataset, population_d: float) -> None:
    d = at_n.d.to_numpy()
    significant = at_n.significant.to_numpy()
    finite = np.isfinite(d)
    bins = np.linspace(np.nanmin(d), np.nanmax(d), 41).tolist()
    axis.hist(d[finite & ~significant], bins, color="lightgrey", label="not significant")
    axis.hist(d[finite & significant], bins, color="tab:orange", label="significant")
    axis.axvline(population_d, color="black", lw=1.2, label=f"population d = {population_d:.2f}")
    if significant.any():  # the table's number: the signed mean d of the significant trials
        mean_significant = float(at_n.mean_d_significant)
        axis.axvline(
            mean_significant,
            color="tab:red",
            ls="--",
            label=f"mean d | significant = {mean_significant:.3f}",
        )
    axis.set_xlabel(f"estimated d in {d.size} trials of n = {int(at_n.n)}")
    axis.set_ylabel("trials")
    axis.legend(fontsize=8)
