"""The steps an assay applies to a true value: bias, interference, noise, limits, rounding.

An assay is a short pipeline of these steps (see :mod:`oxysim.measurement.assays`). The contract
every step keeps:

1. ``apply(values, rng, shared_axis)`` takes a float array and returns a :class:`Reading` of the
   same shape; it never changes its input.
2. Random draws come only from ``rng``, so one generator gives one reproducible measurement.
3. ``shared_axis`` is the time axis (or ``None``): a property of the sample source, such as the
   matrix interference of a person's plasma, is drawn once and shared along it.
4. ``censored`` marks values set to a limit of the method (LLOQ, ULOQ, scale floor or ceiling).
5. ``parameters`` lists every number the step uses, each a graded, sourced :class:`Parameter`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple, Protocol

import numpy as np

from oxysim.model.parameters import Parameter, log_sigma_of_cv


class Reading(NamedTuple):
    """Values after a step, and where they were set to a limit of the method."""

    values: np.ndarray
    censored: np.ndarray


class Step(Protocol):
    """One stage of a measurement (see the module docstring for the contract)."""

    @property
    def parameters(self) -> tuple[Parameter, ...]:
        """Every number the step uses."""
        ...

    def apply(
        self, values: np.ndarray, rng: np.random.Generator, shared_axis: int | None
    ) -> Reading:
        """Measure ``values``."""
        ...


def _uncensored(values: np.ndarray) -> Reading:
    return Reading(values, np.zeros(values.shape, dtype=bool))


def _clip(values: np.ndarray, low: float, high: float) -> Reading:
    """Set values outside ``[low, high]`` to the limit and flag them."""
    return Reading(np.clip(values, low, high), (values < low) | (values > high))


def lognormal_factor(cv: float, shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    """Log-normal factors with mean 1 and coefficient of variation ``cv`` (exactly)."""
    sigma = log_sigma_of_cv(cv)
    return rng.lognormal(-0.5 * sigma**2, sigma, shape)


@dataclass(frozen=True)
class Linear:
    """Systematic bias of the method: ``scale * value + offset``."""

    scale: Parameter
    offset: Parameter

    @property
    def parameters(self) -> tuple[Parameter, ...]:
        """Scale and offset."""
        return (self.scale, self.offset)

    def apply(
        self, values: np.ndarray, rng: np.random.Generator, shared_axis: int | None
    ) -> Reading:
        """Apply the bias; no random draw."""
        return _uncensored(self.scale.value * values + self.offset.value)


@dataclass(frozen=True)
class Interference:
    """Immunoreactivity that is not the analyte, added to each sample source.

    Drawn log-normally (mean ``mean``, between-source CV ``cv``) independently of the true value
    and shared along the time axis: it belongs to the person's plasma matrix, not to the draw.
    This is what makes unextracted oxytocin immunoassays read high and uncorrelated with the
    extracted values (Szeto 2011; Leng & Sabatier 2016).
    """

    mean: Parameter
    cv: Parameter

    @property
    def parameters(self) -> tuple[Parameter, ...]:
        """Mean and between-source CV of the interference."""
        return (self.mean, self.cv)

    def apply(
        self, values: np.ndarray, rng: np.random.Generator, shared_axis: int | None
    ) -> Reading:
        """Add one interference draw per sample source."""
        shape = list(values.shape)
        if shared_axis is not None:
            shape[shared_axis] = 1
        extra = self.mean.value * lognormal_factor(self.cv.value, tuple(shape), rng)
        return _uncensored(values + extra)


@dataclass(frozen=True)
class AnalyticNoise:
    """Random error of one determination: multiplicative CV, then additive SD."""

    cv: Parameter
    sd: Parameter

    @property
    def parameters(self) -> tuple[Parameter, ...]:
        """CV and SD."""
        return (self.cv, self.sd)

    def apply(
        self, values: np.ndarray, rng: np.random.Generator, shared_axis: int | None
    ) -> Reading:
        """Draw an independent error for every value."""
        noisy = values * lognormal_factor(self.cv.value, values.shape, rng)
        return _uncensored(noisy + rng.normal(0.0, self.sd.value, values.shape))


@dataclass(frozen=True)
class Limits:
    """Quantification limits: values below LLOQ or above ULOQ are reported at the limit."""

    lloq: Parameter
    uloq: Parameter

    @property
    def parameters(self) -> tuple[Parameter, ...]:
        """LLOQ and ULOQ."""
        return (self.lloq, self.uloq)

    def apply(
        self, values: np.ndarray, rng: np.random.Generator, shared_axis: int | None
    ) -> Reading:
        """Censor at the limits."""
        return _clip(values, self.lloq.value, self.uloq.value)


@dataclass(frozen=True)
class LikertItems:
    """A k-item rating scale; the reported score is the sum of the item ratings.

    The latent value maps linearly from ``[latent_low, latent_high]`` onto the item range; each
    item adds its own response noise, is rounded to an integer and kept in the range. A score at
    the scale's floor or ceiling is flagged as censored.
    """

    n_items: Parameter
    item_low: Parameter
    item_high: Parameter
    latent_low: Parameter
    latent_high: Parameter
    response_sd: Parameter

    @property
    def parameters(self) -> tuple[Parameter, ...]:
        """Item count, item range, latent anchors and response noise."""
        return (
            self.n_items,
            self.item_low,
            self.item_high,
            self.latent_low,
            self.latent_high,
            self.response_sd,
        )

    def expected_item(self, values: np.ndarray) -> np.ndarray:
        """The noise-free item position of a latent value (before rounding and limits)."""
        low, high = self.item_low.value, self.item_high.value
        fraction = (values - self.latent_low.value) / (
            self.latent_high.value - self.latent_low.value
        )
        return low + (high - low) * fraction

    def apply(
        self, values: np.ndarray, rng: np.random.Generator, shared_axis: int | None
    ) -> Reading:
        """Draw every item, round, bound, and sum."""
        k = int(self.n_items.value)
        low, high = self.item_low.value, self.item_high.value
        position = self.expected_item(values)[..., np.newaxis]
        noise = rng.normal(0.0, self.response_sd.value, (*values.shape, k))
        items = np.clip(np.rint(position + noise), low, high)
        score = items.sum(axis=-1)
        return Reading(score, (score <= k * low) | (score >= k * high))


@dataclass(frozen=True)
class Discrete:
    """A response restricted to multiples of ``step`` in ``[low, high]`` (e.g. game transfers)."""

    step: Parameter
    low: Parameter
    high: Parameter

    @property
    def parameters(self) -> tuple[Parameter, ...]:
        """Step and range."""
        return (self.step, self.low, self.high)

    def apply(
        self, values: np.ndarray, rng: np.random.Generator, shared_axis: int | None
    ) -> Reading:
        """Round to the nearest allowed response; flag the floor and ceiling."""
        low, high, step = self.low.value, self.high.value, self.step.value
        rounded = low + step * np.rint((values - low) / step)
        bounded = np.clip(rounded, low, high)
        return Reading(bounded, (bounded <= low) | (bounded >= high))
