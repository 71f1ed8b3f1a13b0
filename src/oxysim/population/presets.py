"""Named virtual populations, and the between-subject spread of sex hormones.

The numbers live in ``presets.yaml`` next to this module, each with its unit, evidence grade and
source; this module reads them once and turns them into what a
:class:`~oxysim.scenario.PopulationSpec` and the hormone sampling need: genotype probabilities
in Hardy-Weinberg proportions, renormalised category shares and log-normal spreads.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from statistics import NormalDist
from typing import Any

import yaml

from oxysim.model.parameters import GRADES, Grade, log_sigma_of_cv

#: Hormones drawn per subject, in the order of the subject fields.
HORMONES = ("estradiol", "progesterone", "testosterone")


@dataclass(frozen=True)
class Sourced:
    """One preset number (or mapping of numbers) with its unit, evidence grade and citation."""

    value: Any
    unit: str
    grade: Grade
    source: str


@dataclass(frozen=True)
class PopulationPreset:
    """A named population: rs53576 allele frequency, sex, age and attachment distributions."""

    name: str
    description: str
    rs53576_a_allele: Sourced
    sex: Sourced
    age: Sourced
    attachment: Sourced

    def population_fields(self) -> dict[str, Any]:
        """The :class:`~oxysim.scenario.PopulationSpec` keys this preset sets.

        Attachment shares are renormalised to sum to 1 (the source leaves some unclassified),
        and a preset draws hormone levels by default.
        """
        shares = self.attachment.value
        total = math.fsum(shares.values())
        return {
            "rs53576": hardy_weinberg(self.rs53576_a_allele.value),
            "sex": dict(self.sex.value),
            "age": dict(self.age.value),
            "attachment": {style: share / total for style, share in shares.items()},
            "hormone_variability": True,
        }


@dataclass(frozen=True)
class HormoneSpread:
    """Log-normal spread (``sigma`` of the log) of one hormone in one reproductive state."""

    state: str
    hormone: str
    sigma: float
    grade: Grade
    source: str


def hardy_weinberg(a_allele: float) -> dict[str, float]:
    """Genotype probabilities GG, AG, AA for an A-allele frequency (Hardy-Weinberg proportions)."""
    if not 0.0 <= a_allele <= 1.0:
        raise ValueError(f"rs53576 A-allele frequency must be between 0 and 1 (got {a_allele})")
    g_allele = 1.0 - a_allele
    return {"GG": g_allele**2, "AG": 2.0 * a_allele * g_allele, "AA": a_allele**2}


def lognormal_sigma(entry: Mapping[str, Any]) -> float:
    """Sigma of the log from a percentile interval ``low``-``high`` or from a ``cv``.

    An interval covering a fraction ``coverage`` of subjects spans ``2 z`` sigmas of the log,
    with ``z`` the standard normal quantile of ``(1 + coverage) / 2``.
    """
    if "cv" in entry:
        return log_sigma_of_cv(float(entry["cv"]))
    z = NormalDist().inv_cdf((1.0 + float(entry["coverage"])) / 2.0)
    return math.log(float(entry["high"]) / float(entry["low"])) / (2.0 * z)


@cache
def _document() -> dict[str, Any]:
    """The parsed ``presets.yaml``."""
    text = resources.files("oxysim.population").joinpath("presets.yaml").read_text()
    return yaml.safe_load(text)


def _sourced(entry: Mapping[str, Any], where: str) -> Sourced:
    """Check an entry's grade and resolve its source key to the citation."""
    grade, key = entry["grade"], entry["source"]
    if grade not in GRADES:
        raise ValueError(f"presets.yaml {where}: grade {grade!r} not one of {GRADES}")
    sources = _document()["sources"]
    if key not in sources:
        raise ValueError(f"presets.yaml {where}: unknown source {key!r}")
    return Sourced(entry.get("value"), str(entry["unit"]), grade, " ".join(sources[key].split()))


@cache
def population_presets() -> dict[str, PopulationPreset]:
    """Every population preset, by name."""
    presets = {}
    for name, entry in _document()["presets"].items():
        numbers = {
            key: _sourced(entry[key], f"{name}.{key}")
            for key in ("rs53576_a_allele", "sex", "age", "attachment")
        }
        presets[name] = PopulationPreset(name, entry["description"], **numbers)
    return presets


def preset_names() -> tuple[str, ...]:
    """The names a scenario's ``population: {preset: ...}`` accepts."""
    return tuple(population_presets())


@cache
def hormone_spreads() -> tuple[HormoneSpread, ...]:
    """The log-normal spread of every hormone in every reproductive state."""
    spreads = []
    for state, hormones in _document()["hormone_spread"].items():
        for hormone in HORMONES:
            entry = hormones[hormone]
            sourced = _sourced(entry, f"hormone_spread.{state}.{hormone}")
            spreads.append(
                HormoneSpread(state, hormone, lognormal_sigma(entry), sourced.grade, sourced.source)
            )
    return tuple(spreads)


def hormone_sigmas(hormone: str) -> dict[str, float]:
    """Sigma of the log of ``hormone`` for each reproductive state."""
    return {s.state: s.sigma for s in hormone_spreads() if s.hormone == hormone}
