"""Per-arm quantile bands over subjects, from log-binned counts that add up across chunks.

A band of a variable is its 5, 25, 50, 75 and 95 % quantiles over the subjects of an arm, at
every recorded time. The subjects' values are counted in logarithmic bins of relative width
:data:`GROWTH` (negative values by magnitude, and values within :data:`ZERO` of zero apart), and
each quantile is read from the counts as the geometric middle of its bin, so it is within half a
bin (about 1 %) of the exact quantile. Counts are whole numbers: chunks of subjects and windows
of time add up exactly, and the bands do not depend on how a run was cut.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import xarray as xr
from numpy.typing import NDArray

#: The quantiles of a band.
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
#: Ratio of the edges of a bin: a quantile is within sqrt(GROWTH) - 1 (about 1 %) of exact.
GROWTH = 1.02
#: Values closer than this to zero (in the variable's unit) are counted as zero.
ZERO = 1e-9
#: Largest magnitude the memory plan allows for (in the variable's unit; larger values are
#: still counted, in more bins).
LARGEST = 1e6
#: Bins a band may need per record: both signs from ZERO to LARGEST, and zero.
WORST_CASE_BINS = 2 * math.ceil(math.log(LARGEST / ZERO) / math.log(GROWTH)) + 1
Counts = NDArray[np.int64]


@dataclass
class _LogBins:
    """Counts of positive values in bins ``[GROWTH^i, GROWTH^(i+1))``, per record."""

    n_records: int
    first_bin: int = 0
    counts: Counts = field(init=False)

    def __post_init__(self) -> None:
        self.counts = np.zeros((self.n_records, 0), dtype=np.int64)

    def add(self, record: NDArray[np.int64], magnitude: NDArray[np.float64]) -> None:
        """Count ``magnitude[i]`` (all > ZERO) at record ``record[i]``."""
        if magnitude.size == 0:
            return
        bins = np.floor(np.log(magnitude) / np.log(GROWTH)).astype(np.int64)
        self._cover(int(bins.min()), int(bins.max()))
        width = self.counts.shape[1]
        first, last = int(record.min()), int(record.max()) + 1
        flat = (record - first) * width + (bins - self.first_bin)
        counted = np.bincount(flat, minlength=(last - first) * width)
        self.counts[first:last] += counted.reshape(last - first, width)

    def _cover(self, low: int, high: int) -> None:
        """Widen the bins to hold ``low..high`` (the counts themselves do not change)."""
        if self.counts.shape[1] == 0:
            self.first_bin = low
            self.counts = np.zeros((self.n_records, high - low + 1), dtype=np.int64)
            return
        last = self.first_bin + self.counts.shape[1] - 1
        before, after = max(self.first_bin - low, 0), max(high - last, 0)
        if before or after:
            self.counts = np.pad(self.counts, ((0, 0), (before, after)))
            self.first_bin -= before

    def middles(self) -> NDArray[np.float64]:
        """The geometric middle of each bin."""
        return np.power(GROWTH, np.arange(self.counts.shape[1]) + self.first_bin + 0.5)


@dataclass
class BandCounts:
    """The counts behind one variable's band in one arm: ``n_records`` times, any subjects."""

    n_records: int
    positive: _LogBins = field(init=False)
    negative: _LogBins = field(init=False)
    zeros: Counts = field(init=False)

    def __post_init__(self) -> None:
        self.positive, self.negative = _LogBins(self.n_records), _LogBins(self.n_records)
        self.zeros = np.zeros(self.n_records, dtype=np.int64)

    def add(self, first_record: int, values: NDArray[np.float64]) -> None:
        """Count ``values[subject, record]``, records from ``first_record`` on."""
        values = np.asarray(values, dtype=float)
        if not np.isfinite(values).all():
            raise ValueError("a band counts finite values only")
        record = np.broadcast_to(first_record + np.arange(values.shape[-1]), values.shape)
        above, below = values > ZERO, values < -ZERO
        self.positive.add(record[above], values[above])
        self.negative.add(record[below], -values[below])
        zeros = np.count_nonzero(~(above | below), axis=0)
        self.zeros[first_record : first_record + values.shape[-1]] += zeros

    def quantiles(self) -> NDArray[np.float64]:
        """The band, shape ``(len(QUANTILES), n_records)`` (NaN where nothing was counted)."""
        negative, positive = self.negative, self.positive
        counts = np.concatenate(
            [negative.counts[:, ::-1], self.zeros[:, None], positive.counts], axis=1
        )
        middles = np.concatenate([-negative.middles()[::-1], [0.0], positive.middles()])
        cumulative = np.cumsum(counts, axis=1)
        total = cumulative[:, -1]
        bands = np.full((len(QUANTILES), self.n_records), np.nan)
        for row, q in enumerate(QUANTILES):
            rank = np.floor(q * (total - 1))  # the lower of the two values numpy interpolates
            chosen = np.argmax(cumulative > rank[:, None], axis=1)
            bands[row] = np.where(total > 0, middles[chosen], np.nan)
        return bands


@dataclass
class Bands:
    """The band counts of several variables in every arm of a run, added to chunk by chunk."""

    arms: tuple[str, ...]
    variables: tuple[str, ...]
    n_records: int
    counts: dict[tuple[str, str], BandCounts] = field(init=False)

    def __post_init__(self) -> None:
        self.counts = {
            (arm, name): BandCounts(self.n_records) for arm in self.arms for name in self.variables
        }

    def add(self, arm: str, name: str, first_record: int, values: NDArray[np.float64]) -> None:
        """Count the ``(subject, record)`` values of ``name`` in ``arm``."""
        self.counts[arm, name].add(first_record, values)

    def dataset(self, time: xr.Variable, attrs: dict[str, dict[str, str]]) -> xr.Dataset:
        """``band_<variable>`` (arm, quantile, time) for each variable; ``attrs`` by variable."""
        data = {
            f"band_{name}": xr.Variable(
                ("arm", "quantile", "time"),
                np.stack([self.counts[arm, name].quantiles() for arm in self.arms]),
                {
                    **attrs[name],
                    "long_name": f"{attrs[name].get('long_name', name)}: quantiles over subjects",
                },
            )
            for name in self.variables
        }
        quantile = xr.Variable(
            ("quantile",), np.asarray(QUANTILES), {"long_name": "quantile over subjects"}
        )
        return xr.Dataset(data, coords={"arm": list(self.arms), "quantile": quantile, "time": time})
