"""Scalar summaries of a recorded time course, one value per arm and subject.

A summary is named ``<statistic>_<variable>``, e.g. ``peak_salivary_cortisol``. Sensitivity
analysis and the virtual-trial layer use the same names, so a study outcome and a sensitivity
output mean the same thing. Statistics (over the recorded time points):

``peak``      largest value
``min``       smallest value
``mean``      time-weighted mean (the area under the curve divided by the time span)
``final``     value at the last recorded time
``auc``       area under the curve (trapezoidal rule), in the variable's unit times min
``baseline``  value at t = 0 (the first recorded time)
``rise``      peak minus baseline
"""

from __future__ import annotations

from collections.abc import Callable

import xarray as xr


def _mean_over_time(data: xr.DataArray) -> xr.DataArray:
    """Time-weighted mean; the single value when only one time point was recorded."""
    span = float(data["time"][-1] - data["time"][0])
    return data.integrate("time") / span if span > 0 else data.isel(time=0, drop=True)


#: Summary statistics, each reducing a DataArray over ``time``.
STATISTICS: dict[str, Callable[[xr.DataArray], xr.DataArray]] = {
    "peak": lambda data: data.max("time"),
    "min": lambda data: data.min("time"),
    "mean": _mean_over_time,
    "final": lambda data: data.isel(time=-1, drop=True),
    "auc": lambda data: data.integrate("time"),
    "baseline": lambda data: data.isel(time=0, drop=True),
    "rise": lambda data: data.max("time") - data.isel(time=0, drop=True),
}


#: The allowed forms of a summary name, for messages.
SUMMARY_FORMS = ", ".join(f"{statistic}_<variable>" for statistic in STATISTICS)


def recorded_variables(results: xr.Dataset) -> list[str]:
    """The variables recorded over time (those with a ``time`` dimension)."""
    return [str(name) for name, data in results.data_vars.items() if "time" in data.dims]


def parse_summary(name: str, variables: list[str]) -> tuple[str, str]:
    """Split ``name`` into ``(statistic, variable)``; raise ``ValueError`` listing what is allowed.

    ``variables`` are the recorded variables the name may refer to.
    """
    statistic, _, variable = name.partition("_")
    if statistic in STATISTICS and variable in variables:
        return statistic, variable
    raise ValueError(
        f"output {name!r} is not a known summary; allowed forms: "
        f"{SUMMARY_FORMS}; "
        f"recorded variables: {', '.join(variables) or 'none'}"
    )


def summarise(results: xr.Dataset, name: str) -> xr.DataArray:
    """The summary ``name`` (e.g. ``peak_salivary_cortisol``) with dims ``arm``, ``subject``.

    The result carries the unit (``units``) and a ``long_name`` in its attributes. Raises
    ``ValueError`` for a name that is not ``<statistic>_<recorded variable>``.
    """
    statistic, variable = parse_summary(name, recorded_variables(results))
    data = results[variable]
    summary = STATISTICS[statistic](data).transpose("arm", "subject")
    summary.name = name
    summary.attrs = {
        "units": statistic_unit(statistic, data.attrs.get("units", "")),
        "long_name": f"{statistic} of {data.attrs.get('long_name', variable)}",
    }
    return summary


def statistic_unit(statistic: str, unit: str) -> str:
    """The unit of ``statistic`` of a variable recorded in ``unit`` against time in minutes."""
    if statistic != "auc":
        return unit
    return "min" if unit in ("", "1") else f"{unit}*min"
