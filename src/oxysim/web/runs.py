"""Scenario runs on the dashboard: their size in subject-steps, and their courses as bands."""

from __future__ import annotations

import math
from typing import Any

import xarray as xr

from oxysim.reports import SUMMARY_COLUMNS, course_summaries
from oxysim.scenario import Scenario


def work_of(scenario: Scenario) -> int:
    """Subjects x integration steps x arms of ``scenario``: what :attr:`Limits.max_work` bounds."""
    subjects = (
        scenario.population.size
        if scenario.population is not None
        else len(scenario.subjects or ())
    )
    step = scenario.step or min(1.0, scenario.record_every)
    return max(1, subjects) * math.ceil(scenario.duration / step) * len(scenario.arms)


def band_payload(results: xr.Dataset, by: str | None) -> dict[str, Any]:
    """Per variable, arm and group: the mean and interquartile band, and the summary table.

    The summary rows (start, peak, rise, AUC) are :func:`oxysim.reports.course_summaries`, the
    numbers the terminal and the HTML report show.
    """
    time = results.time.values.tolist()
    courses: dict[str, Any] = {}
    for name, values in results.data_vars.items():
        if not {"time", "subject"} <= set(values.dims):
            continue
        lines = []
        for arm in results.arm.values:
            chosen = values.sel(arm=arm)
            groups = [("all", chosen)] if by is None else list(chosen.groupby(by))
            for key, group in groups:
                low, high = group.quantile([0.25, 0.75], dim="subject").values
                lines.append(
                    {
                        "arm": str(arm),
                        "group": str(key),
                        "n": int(group.sizes["subject"]),
                        "mean": group.mean("subject").values.tolist(),
                        "q25": low.tolist(),
                        "q75": high.tolist(),
                    }
                )
        courses[str(name)] = {
            "units": values.attrs.get("units", ""),
            "lines": lines,
            "summary": course_summaries(results, str(name), by),
        }
    return {"time": time, "courses": courses, "summary_columns": SUMMARY_COLUMNS}
