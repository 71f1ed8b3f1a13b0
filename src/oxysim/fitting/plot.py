"""Data against the fitted model: one panel per variable and arm, one colour per subject."""

from __future__ import annotations

import os

import numpy as np
import xarray as xr

from oxysim.fitting.data import FitData
from oxysim.fitting.fit import fitted_parameters
from oxysim.fitting.objective import Objective
from oxysim.plotting import plt, save_figure
from oxysim.scenario import Scenario


def plot_fit(
    fit: xr.Dataset, scenario: Scenario, data: FitData, path: str | os.PathLike[str]
) -> None:
    """Draw the data (points) and the model at the estimate (lines); one more simulation."""
    names = [str(name) for name in fit.parameter.values]
    objective = Objective(scenario, data, fitted_parameters(names, data))
    curves = objective.simulate(fit.estimate.values[None, :])
    panels = [(v, a) for v in range(len(data.variables)) for a in range(len(data.arms))]
    figure, axes = plt.subplots(
        len(panels), 1, figsize=(7, 2.8 * len(panels)), squeeze=False, sharex=True
    )
    for axis, (v, a) in zip(axes[:, 0], panels, strict=True):
        variable, arm = data.variables[v], data.arms[a]
        for s, subject in enumerate(data.subjects):
            rows = (data.variable_index == v) & (data.arm_index == a) & (data.subject_index == s)
            if not np.any(rows):
                continue
            line = curves[variable].sel(arm=arm).isel(subject=s)
            drawn = axis.plot(line["time"], line, lw=1.2, label=f"{subject}: model")
            axis.plot(data.time[rows], data.value[rows], "o", ms=4, color=drawn[0].get_color())
        unit = curves[variable].attrs["units"]
        axis.set_ylabel(f"{variable} [{unit}]", fontsize=8)
        axis.set_title(f"arm {arm}", fontsize=9)
        axis.legend(fontsize=7)
    axes[-1, 0].set_xlabel("time [min]")
    estimates = ", ".join(
        f"{name} {value:.3g} {unit}"
        for name, value, unit in zip(names, fit.estimate.values, fit.unit.values, strict=True)
    )
    figure.suptitle(f"fit: {estimates}", fontsize=9)
    save_figure(figure, path)
