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

Every statistic is a running reduction (:class:`RunningSummary`) fed the records in windows of
:data:`WINDOW_RECORDS`, counted from the first record: a run that keeps only summaries integrates
window by window and never holds more than one window of records (:mod:`oxysim.engine.windows`),
and a summary of recorded results is reduced in the same windows, so the two are equal bit for
bit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import xarray as xr
from numpy.typing import NDArray

Array = NDArray[np.float64]
#: Records reduced together: the window of a summaries-only run, and of every summary.
WINDOW_RECORDS = 1440


@dataclass
class RunningSummary:
    """A statistic of time courses (last axis: time) fed in consecutive runs of records.

    Whatever runs the records come in, they are reduced in windows of :data:`WINDOW_RECORDS`
    counted from the first record, so the result does not depend on how they were fed.
    """

    statistic: str
    _seen: int = 0
    _first: Array | None = None
    _last: Array | None = None
    _last_time: float = 0.0
    _first_time: float = 0.0
    _peak: Array | None = None
    _low: Array | None = None
    _area: Array | None = None

    def add(self, times: Array, values: Array) -> None:
        """Feed the records at ``times`` (1-D), ``values[..., time]``, after those fed before."""
        times = np.asarray(times, dtype=float)
        values = np.asarray(values, dtype=float)
        offset = 0
        while offset < times.size:
            room = WINDOW_RECORDS - self._seen % WINDOW_RECORDS
            stop = min(offset + room, times.size)
            self._window(times[offset:stop], np.ascontiguousarray(values[..., offset:stop]))
            offset = stop

    def _window(self, times: Array, values: Array) -> None:
        if self._first is None:
            self._first, self._first_time = values[..., 0].copy(), float(times[0])
            self._peak, self._low = values.max(axis=-1), values.min(axis=-1)
            self._area = np.zeros(values.shape[:-1])
        else:
            assert self._peak is not None and self._low is not None and self._last is not None
            np.maximum(self._peak, values.max(axis=-1), out=self._peak)
            np.minimum(self._low, values.min(axis=-1), out=self._low)
            joined = 0.5 * (self._last + values[..., 0]) * (times[0] - self._last_time)
            self._area = self._area + joined
        steps = np.diff(times)
        inside = (0.5 * (values[..., 1:] + values[..., :-1]) * steps).sum(axis=-1)
        self._area = self._area + inside
        self._last, self._last_time = values[..., -1].copy(), float(times[-1])
        self._seen += times.size

    def result(self) -> Array:
        """The statistic of everything fed so far."""
        if self._first is None or self._last is None:
            raise ValueError("a summary needs at least one record")
        assert self._peak is not None and self._low is not None and self._area is not None
        span = self._last_time - self._first_time
        if self.statistic == "mean":
            return self._area / span if span > 0 else self._first
        if self.statistic == "rise":
            return self._peak - self._first
        named = {"peak": self._peak, "min": self._low, "final": self._last, "auc": self._area}
        return named.get(self.statistic, self._first)


def _reducer(statistic: str) -> Callable[[xr.DataArray], xr.DataArray]:
    """The statistic over ``time`` of a DataArray, by :class:`RunningSummary`."""

    def reduce(data: xr.DataArray) -> xr.DataArray:
        def running(values: Array) -> Array:
            summary = RunningSummary(statistic)
            summary.add(data["time"].to_numpy(), values)
            return summary.result()

        return xr.apply_ufunc(running, data, input_core_dims=[["time"]])

    return reduce


#: Summary statistics, each reducing a DataArray over ``time``.
STATISTICS: dict[str, Callable[[xr.DataArray], xr.DataArray]] = {
    statistic: _reducer(statistic)
    for statistic in ("peak", "min", "mean", "final", "auc", "baseline", "rise")
}


#: The allowed forms of a summary name, for messages.
SUMMARY_FORMS = ", ".join(f"{statistic}_<variable>" for statistic in STATISTICS)


def summary_variables(summaries: Sequence[str]) -> tuple[str, ...]:
    """The variables ``summaries`` (``<statistic>_<variable>``) read, each once."""
    return tuple(dict.fromkeys(name.partition("_")[2] for name in summaries))


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
    summary.attrs = summary_attrs(statistic, variable, data.attrs)
    return summary


def summary_attrs(statistic: str, variable: str, attrs: Mapping[str, Any]) -> dict[str, str]:
    """Unit and long name of ``statistic`` of ``variable``, whose own attributes are ``attrs``."""
    return {
        "units": statistic_unit(statistic, attrs.get("units", "")),
        "long_name": f"{statistic} of {attrs.get('long_name', variable)}",
    }


def statistic_unit(statistic: str, unit: str) -> str:
    """The unit of ``statistic`` of a variable recorded in ``unit`` against time in minutes."""
    if statistic != "auc":
        return unit
    return "min" if unit in ("", "1") else f"{unit}*min"
