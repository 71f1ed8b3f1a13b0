"""Model parameters: a value with its unit, bounds, source and evidence grade.

Every number the model uses is declared once as a :class:`Parameter`. The declaration feeds the
parameter ledger (``oxysim params``), scenario overrides, between-subject variability and the
evidence floor. Grades (from strongest to weakest):

``established``  textbook physiology or replicated human data
``human-single`` one human study
``animal``       animal data only
``contested``    failed replications or a meta-analysis against
``assumption``   a modelling choice, labelled as such
``claim``        stated in the seed documents without a source found
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from oxysim.model.grades import GRADES as GRADES
from oxysim.model.grades import Grade as Grade
from oxysim.model.grades import grade_rank as grade_rank
from oxysim.units import UnitError, _unit

SPECIES: tuple[str, ...] = ("human", "mouse", "prairie_vole", "montane_vole")


@dataclass(frozen=True)
class Parameter:
    """One model parameter, validated when built.

    ``source`` cites the publication the value comes from; ``calibrated_to`` names the published
    target (an experiment id from the validation set) the value was fitted to instead. At least one
    of them is required. ``between_subject_cv`` is the coefficient of variation of a log-normal
    spread across subjects (0 for none); its evidence is part of ``source``.
    ``species_values`` gives the value for non-human species where it differs (its source goes
    in ``source``); a species not listed uses ``value``. ``neutral`` is the value at which the
    mechanism the parameter carries has no effect (0 for a gain, 1 for a relative factor); only
    such parameters can be switched off by an evidence floor (:mod:`oxysim.evidence`). Structural
    numbers (half-lives, volumes, baselines, half-saturation constants) have none.
    """

    name: str
    value: float
    unit: str
    description: str
    grade: Grade
    bounds: tuple[float, float]
    source: str = ""
    calibrated_to: str = ""
    between_subject_cv: float = 0.0
    species_values: Mapping[str, float] = field(default_factory=dict, hash=False)
    neutral: float | None = None

    def __post_init__(self) -> None:
        if self.grade not in GRADES:
            raise ValueError(f"parameter {self.name}: grade {self.grade!r} not one of {GRADES}")
        if not (self.source or self.calibrated_to):
            raise ValueError(f"parameter {self.name}: needs a source or a calibration target")
        low, high = self.bounds
        if not (low <= self.value <= high) or not math.isfinite(self.value):
            raise ValueError(f"parameter {self.name}: value {self.value} outside {self.bounds}")
        unknown = set(self.species_values) - set(SPECIES)
        if unknown:
            raise ValueError(f"parameter {self.name}: unknown species {sorted(unknown)}")
        outside = {k: v for k, v in self.species_values.items() if not low <= v <= high}
        if outside:
            raise ValueError(
                f"parameter {self.name}: species values {outside} outside {self.bounds}"
            )
        if self.neutral is not None and not (
            math.isfinite(self.neutral) and low <= self.neutral <= high
        ):
            raise ValueError(
                f"parameter {self.name}: neutral value {self.neutral} outside {self.bounds}"
            )
        if self.between_subject_cv < 0:
            raise ValueError(f"parameter {self.name}: between_subject_cv must be >= 0")
        try:
            _unit(self.unit)
        except Exception as error:  # pint raises several unrelated types for bad units
            raise UnitError(f"parameter {self.name}: unit {self.unit!r}: {error}") from None

    @property
    def lognormal_sigma(self) -> float:
        """Standard deviation of log(value) that gives ``between_subject_cv``."""
        return log_sigma_of_cv(self.between_subject_cv)


def log_sigma_of_cv(cv: float) -> float:
    """Standard deviation of log(x) for a log-normal x with coefficient of variation ``cv``."""
    return math.sqrt(math.log1p(cv**2))
