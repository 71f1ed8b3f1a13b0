"""Synthetic data for a fit: a scenario simulated with known parameter values, plus noise.

Used to check that a fit recovers what it should (tests/test_fit.py) and to build the example
data set (docs/fitting.md gives the command). The noise is log-normal with the given
coefficient of variation, drawn from ``seed``.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from oxysim.fitting.data import COLUMNS, MEAN_SUBJECT, FitData
from oxysim.fitting.fit import fitted_parameters
from oxysim.fitting.objective import Objective
from oxysim.io.netcdf import write_atomically
from oxysim.model.parameters import log_sigma_of_cv
from oxysim.scenario import Scenario
from oxysim.system import human_model


def synthetic_rows(
    scenario: Scenario,
    truth: Mapping[str, float],
    variable: str,
    times: Sequence[float],
    cv: float,
    seed: int,
) -> list[dict[str, str]]:
    """CSV rows of ``variable`` at ``times`` (min) in every arm, for the typical subject.

    The parameters ``truth`` take the given values, the others their declared ones; each value
    is multiplied by log-normal noise with coefficient of variation ``cv``.
    """
    arms = tuple(scenario.arms)
    n_times = len(times)
    data = FitData(
        "synthetic",
        (MEAN_SUBJECT,),
        arms,
        (variable,),
        np.zeros(n_times * len(arms), dtype=int),
        np.repeat(np.arange(len(arms)), n_times),
        np.zeros(n_times * len(arms), dtype=int),
        np.tile(np.asarray(times, dtype=float), len(arms)),
        np.ones(n_times * len(arms)),
    )
    objective = Objective(scenario, data, fitted_parameters(list(truth), data))
    clean = objective.at_data(objective.simulate(np.array([list(truth.values())])))[0]
    sigma = log_sigma_of_cv(cv)
    noisy = clean * np.exp(np.random.default_rng(seed).normal(0.0, sigma, clean.size))
    unit = human_model().variables[variable].unit
    return [
        dict(
            zip(COLUMNS, (MEAN_SUBJECT, arms[a], f"{t:g}", variable, f"{v:.4g}", unit), strict=True)
        )
        for a, t, v in zip(data.arm_index, data.time, noisy, strict=True)
    ]


def write_rows(path: Path, rows: Sequence[Mapping[str, str]]) -> Path:
    """Write data rows as a tidy CSV, atomically."""

    def writer(temporary: Path) -> None:
        with temporary.open("w", newline="", encoding="utf-8") as handle:
            table = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
            table.writeheader()
            table.writerows(rows)

    return write_atomically(path, writer)
