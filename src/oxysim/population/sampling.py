"""Subjects as columns: one numpy array per :class:`~oxysim.scenario.SubjectSpec` field.

The engine simulates many subjects at once, so subjects are handed over as a table of columns
rather than a list of objects. Categorical columns are numpy unicode arrays (``""`` where a
value is not set), optional numbers are float arrays with NaN for "not set" (the model fills in
a typical value), and ``menopausal`` is a bool array. Sampling is vectorised: a million subjects
take well under a second.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import get_args

import numpy as np

from oxysim.population.covariates import ADDICTION_RISKS, reproductive_state, typical_hormones
from oxysim.population.presets import HORMONES, hormone_sigmas
from oxysim.scenario.base import find_metadata
from oxysim.scenario.distributions import Distribution, Normal, Uniform
from oxysim.scenario.quantities import Quantity
from oxysim.scenario.schema import Scenario
from oxysim.scenario.subjects import (
    AGE_RANGE,
    ESTRADIOL,
    MENOPAUSE_AGE,
    PROGESTERONE,
    TESTOSTERONE,
    CyclePhase,
    PopulationSpec,
    SubjectSpec,
)

#: Column names, in the order of :class:`~oxysim.scenario.SubjectSpec`'s fields.
SUBJECT_COLUMNS: tuple[str, ...] = tuple(SubjectSpec.model_fields)

_TEXT_COLUMNS = frozenset(
    {
        "id",
        "species",
        "sex",
        "rs53576",
        "attachment",
        "cycle_phase",
        "relationship",
        "addiction_history",
        "substance",
    }
)
_BOOL_COLUMNS = frozenset({"menopausal", "hormonal_contraception"})
_CATEGORICAL = ("sex", "rs53576", "attachment")
#: Drawn after the others, so that adding them left earlier draws unchanged.
_LATER_CATEGORICAL = ("relationship",)
_CYCLE_PHASES = np.array(get_args(CyclePhase))
#: Allowed range of each drawn hormone, to which log-normal draws are clipped.
_HORMONE_RANGE: dict[str, Quantity] = dict(
    zip(HORMONES, (ESTRADIOL, PROGESTERONE, TESTOSTERONE), strict=True)
)


def _quantity_of(name: str) -> Quantity:
    """Return the unit and allowed range of a numeric population field."""
    distribution = find_metadata(PopulationSpec.model_fields[name], Distribution)
    if distribution is None:
        raise TypeError(f"PopulationSpec.{name} is not a distribution field")
    return distribution.quantity


#: Numeric characteristics with their allowed range, to which normal draws are clipped.
_NUMERIC = {
    name: _quantity_of(name)
    for name in ("age", "magnesium", "vitamin_c", "vitamin_d", "chronic_stress")
}
#: The addiction risks (S1.2) with their range; drawn after every other characteristic.
_RISKS = {name: _quantity_of(name) for name in ADDICTION_RISKS}


def default_ids(count: int) -> np.ndarray:
    """Return ``s0000``, ``s0001``, ...: at least four digits, more for larger tables."""
    width = max(4, len(str(count - 1)))
    return np.char.add("s", np.char.zfill(np.arange(count).astype(str), width))


def subjects_table(subjects: Sequence[SubjectSpec]) -> dict[str, np.ndarray]:
    """Return the columns of explicit subjects, filling in what was left out.

    A missing ``id`` becomes its default (``s0000``, ...). A woman whose ``menopausal`` is not
    given is menopausal from age :data:`MENOPAUSE_AGE` unless she has a cycle phase or is pregnant.
    """
    values = {name: [getattr(subject, name) for subject in subjects] for name in SUBJECT_COLUMNS}
    table = {name: _column(name, column) for name, column in values.items()}
    table["id"] = np.where(table["id"] == "", default_ids(len(subjects)), table["id"])
    stated = np.array([value is not None for value in values["menopausal"]], dtype=bool)
    inferred = (
        (table["sex"] == "female")
        & (table["age"] >= MENOPAUSE_AGE)
        & (table["cycle_phase"] == "")
        & np.isnan(table["gestational_week"])
    )
    table["menopausal"] = np.where(stated, table["menopausal"], inferred)
    return table


def _column(name: str, values: list[object]) -> np.ndarray:
    """Return one column with its dtype: text, bool, or float with NaN for None."""
    if name in _TEXT_COLUMNS:
        return np.array(["" if value is None else value for value in values], dtype=str)
    if name in _BOOL_COLUMNS:
        return np.array([bool(value) for value in values], dtype=bool)
    return np.array([np.nan if value is None else value for value in values], dtype=float)


def sample_population(spec: PopulationSpec, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Draw ``spec.size`` subjects; the same generator state gives the same table.

    Each characteristic is drawn from its own child generator, so changing the distribution of
    one (say age) leaves the draws of the others (say genotype) unchanged. Women aged
    :data:`MENOPAUSE_AGE` or more are menopausal; younger women get a cycle phase drawn uniformly,
    and take a combined oral contraceptive with probability ``spec.hormonal_contraception``.
    With ``spec.hormone_variability`` the hormone levels are drawn too (:func:`hormone_levels`);
    otherwise they are NaN, for the model's typical values.
    """
    size = spec.size
    drawn = (
        *_CATEGORICAL,
        *_NUMERIC,
        "cycle_phase",
        *_LATER_CATEGORICAL,
        "hormones",
        "hormonal_contraception",
        *ADDICTION_RISKS,  # drawn last of all, for the same reason
        "addiction_history",  # and after them, likewise
    )
    streams = dict(zip(drawn, rng.spawn(len(drawn)), strict=True))
    table: dict[str, np.ndarray] = {
        name: _categorical(getattr(spec, name), size, streams[name])
        for name in (*_CATEGORICAL, *_LATER_CATEGORICAL)
    }
    table |= {
        name: _numeric(getattr(spec, name), quantity, size, streams[name])
        for name, quantity in _NUMERIC.items()
    }
    table["age"] = np.clip(table["age"], *AGE_RANGE[spec.species])
    female = table["sex"] == "female"
    menopausal = female & (table["age"] >= MENOPAUSE_AGE)
    phases = _CYCLE_PHASES[streams["cycle_phase"].integers(len(_CYCLE_PHASES), size=size)]
    missing = np.full(size, np.nan)
    table |= {
        "id": default_ids(size),
        "species": np.full(size, spec.species),
        "cycle_phase": np.where(female & ~menopausal, phases, ""),
        "menopausal": menopausal,
        "hormonal_contraception": female
        & ~menopausal
        & (streams["hormonal_contraception"].random(size) < spec.hormonal_contraception),
        "gestational_week": missing,
        "estradiol": missing.copy(),
        "progesterone": missing.copy(),
        "testosterone": missing.copy(),
        "attachment_anxiety": missing.copy(),
        "attachment_avoidance": missing.copy(),
    }
    table |= {
        name: _numeric(getattr(spec, name), quantity, size, streams[name])
        for name, quantity in _RISKS.items()
    }
    history = _categorical(spec.addiction_history, size, streams["addiction_history"])
    table |= {
        "addiction_history": history,
        "substance": np.where(history == "none", "none", spec.substance),
    }
    if spec.hormone_variability:
        table |= hormone_levels(table, streams["hormones"])
    return {name: table[name] for name in SUBJECT_COLUMNS}


def hormone_levels(
    table: Mapping[str, np.ndarray], rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Draw estradiol, progesterone and testosterone per subject, log-normally.

    The median is the typical level for the subject's sex, menopause and cycle phase
    (:func:`~oxysim.population.covariates.typical_hormones`); the spread of the log is the
    sourced one of :mod:`oxysim.population.presets`. Draws are clipped to the allowed range.
    """
    typical = typical_hormones(table)
    states, index = np.unique(reproductive_state(table), return_inverse=True)
    normal = rng.standard_normal((len(HORMONES), len(index)))
    levels = {}
    for row, hormone in enumerate(HORMONES):
        sigmas = hormone_sigmas(hormone)
        sigma = np.array([sigmas[str(state)] for state in states])[index]
        quantity = _HORMONE_RANGE[hormone]
        drawn = typical[hormone] * np.exp(sigma * normal[row])
        levels[hormone] = np.clip(drawn, quantity.lower, quantity.le)
    return levels


def _categorical(
    probabilities: Mapping[str, float], size: int, rng: np.random.Generator
) -> np.ndarray:
    """Draw ``size`` categories with the given probabilities."""
    names = np.array(list(probabilities))
    weights = np.array(list(probabilities.values()))
    return names[rng.choice(len(names), size=size, p=weights / weights.sum())]


def _numeric(
    value: float | Normal | Uniform, quantity: Quantity, size: int, rng: np.random.Generator
) -> np.ndarray:
    """Draw ``size`` values; normal draws are clipped to the range of ``quantity``."""
    if isinstance(value, Normal):
        return np.clip(rng.normal(value.mean, value.sd, size), quantity.lower, quantity.le)
    if isinstance(value, Uniform):
        return rng.uniform(value.min, value.max, size)
    return np.full(size, float(value))


def scenario_subjects(scenario: Scenario, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Return the subject table of a scenario: its population, its subjects, or one default."""
    if scenario.population is not None:
        return sample_population(scenario.population, rng)
    return subjects_table(scenario.subjects or (SubjectSpec(),))
