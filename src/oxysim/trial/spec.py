"""A trial file: the design, arms, sample size, outcome and analysis of a virtual trial.

A trial runs on a scenario file (``scenario:``, a path relative to the trial file) whose
``population`` is the population the trial recruits from and whose arms are the conditions the
trial compares. Every check names the field and what is allowed, like a scenario file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal

import numpy as np
from pydantic import Field, model_validator

from oxysim.measurement.assays import assay_catalogue
from oxysim.scenario.base import Problem, SpecModel, validation_error
from oxysim.scenario.loading import parse_spec
from oxysim.scenario.quantities import Count, number, time
from oxysim.summaries import STATISTICS

Design = Literal["parallel", "crossover", "factorial", "gene_environment"]
Analysis = Literal["t_test", "ancova", "mixed", "interaction"]
Statistic = Literal["peak", "min", "mean", "final", "auc", "baseline", "rise"]

#: Analyses each design allows; the first is the default.
ANALYSES: dict[str, tuple[str, ...]] = {
    "parallel": ("t_test", "ancova", "mixed"),
    "crossover": ("mixed", "t_test"),
    "factorial": ("interaction",),
    "gene_environment": ("interaction",),
}
#: Number of arms of each design (a parallel or gene x environment trial compares two).
ARM_COUNTS: dict[str, int] = {"parallel": 2, "crossover": 2, "factorial": 4, "gene_environment": 2}
#: Largest pool of virtual subjects and number of replicate trials.
MAX_POOL = 200_000
MAX_REPLICATES = 100_000
#: Largest trial (subjects in all arms together).
MAX_N = 100_000


class Outcome(SpecModel):
    """What the trial measures in each subject, and how."""

    variable: str = Field(min_length=1, description="a variable the scenario records")
    statistic: Statistic = Field(
        "mean", description="summary over the sampled times: " + ", ".join(STATISTICS)
    )
    times: tuple[Annotated[float, time(ge=0)], ...] | None = Field(
        None, description="sampling times; default every recorded time"
    )
    assay: str | None = Field(
        None,
        description="measurement model applied to each sample (`oxysim assays`); "
        "default: the true value",
    )
    scale: Literal["linear", "log"] = Field(
        "linear",
        description="analyse the outcome (and baseline) as measured or as its natural log, as "
        "studies of hormone levels often do; `log` is not allowed for `rise`",
    )
    baseline_at: Annotated[float, time(ge=0)] = Field(
        "0 min", validate_default=True, description="time of the baseline sample (ANCOVA)"
    )
    occasion_cv: Annotated[float, number(ge=0, le=2)] = Field(
        0.0,
        description="day-to-day variability of a subject's outcome between crossover periods "
        "(log-normal CV); 0 leaves only the assay's noise, which overstates crossover power",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Outcome:
        if self.scale == "log" and self.statistic == "rise":
            message = "a rise can be negative, so it has no log; use `linear`"
            raise validation_error("Outcome", [Problem(("scale",), message, self.scale)])
        if self.times is not None and len(self.times) < 2 and self.statistic in ("rise", "auc"):
            message = f"a {self.statistic} needs at least two sampling times"
            raise validation_error("Outcome", [Problem(("times",), message, list(self.times))])
        if self.assay is None:
            return self
        catalogue = assay_catalogue()
        if self.assay not in catalogue:
            message = f"unknown assay '{self.assay}'; choose one of: {', '.join(sorted(catalogue))}"
            raise validation_error("Outcome", [Problem(("assay",), message, self.assay)])
        read = catalogue[self.assay].variable
        if read != self.variable:
            message = f"assay '{self.assay}' reads {read}, not the outcome variable {self.variable}"
            raise validation_error("Outcome", [Problem(("assay",), message, self.assay)])
        return self


class Factor(SpecModel):
    """One factor of a 2 x 2 factorial: the arms in which it is on."""

    name: str = Field(min_length=1, description="name of the factor, e.g. `oxytocin`")
    arms: tuple[str, str] = Field(description="the two arms in which the factor is on")


class TrialSpec(SpecModel):
    """The top level of a trial file."""

    name: str = Field(min_length=1, description="short name, used for output files")
    description: str = Field("", description="free text")
    scenario: str = Field(
        min_length=1, description="scenario file (relative to the trial file) with a population"
    )
    design: Design = Field("parallel", description="parallel, crossover, factorial or G x E")
    arms: tuple[str, ...] = Field(
        min_length=2,
        description="scenario arms compared: two (four for a factorial); the first is the "
        "reference (control)",
    )
    factors: tuple[Factor, Factor] | None = Field(
        None, description="factorial design only: the two factors and the arms where each is on"
    )
    genotype_groups: Literal["carrier", "homozygous", "additive"] = Field(
        "carrier",
        description="gene x environment: rs53576 as GG vs A carriers, as AA vs G carriers (the "
        "grouping of Chen 2011), or the number of A alleles",
    )
    effect: str | None = Field(
        None,
        description="factorial or gene x environment: the tested effect, `interaction` "
        "(default) or a main effect averaged over the other factor: a factor's name, or "
        "`environment` / `genotype`",
    )
    n: Annotated[int, Count(ge=4, le=MAX_N)] = Field(
        description="subjects in the whole trial (all arms together)"
    )
    randomisation: Literal["block", "simple"] = Field(
        "block", description="`block`: equal arms; `simple`: a coin for each subject"
    )
    outcome: Outcome
    analysis: Analysis | None = Field(
        None, description="t_test, ancova, mixed or interaction; default depends on the design"
    )
    alpha: Annotated[float, number(ge=1e-6, le=0.5)] = Field(
        0.05, description="two-sided significance level"
    )
    replicates: Annotated[int, Count(ge=1, le=MAX_REPLICATES)] = Field(
        1000, description="number of replicate trials"
    )
    pool: Annotated[int, Count(ge=20, le=MAX_POOL)] = Field(
        2000,
        description="virtual subjects simulated under every arm, from whom each replicate trial "
        "recruits; at least the largest n",
    )
    seed: Annotated[int, Count(ge=0)] = Field(0, description="random seed; same seed, same result")

    @model_validator(mode="after")
    def _consistent(self) -> TrialSpec:
        problems = [*self._arm_problems(), *self._analysis_problems(), *self._effect_problems()]
        if self.pool < self.n:
            message = f"must be at least n ({self.n}) (got {self.pool})"
            problems.append(Problem(("pool",), message, self.pool))
        if self.n < self.smallest_n:
            message = (
                f"a {self.design} trial needs at least {self.smallest_n} subjects, two per cell "
                f"of the design (got {self.n})"
            )
            problems.append(Problem(("n",), message, self.n))
        if problems:
            raise validation_error("TrialSpec", problems)
        return self

    @property
    def chosen_analysis(self) -> str:
        """The analysis named in the file, or the design's default."""
        return self.analysis or ANALYSES[self.design][0]

    def genotype_group(self, a_alleles: np.ndarray) -> np.ndarray:
        """Each subject's rs53576 group: 1 for A carriers (``carrier``) or AA (``homozygous``)."""
        threshold = 1 if self.genotype_groups == "homozygous" else 0
        return (a_alleles > threshold).astype(int)

    @property
    def smallest_n(self) -> int:
        """Fewest subjects that give every cell of the design two observations on average."""
        if self.design == "gene_environment" and self.genotype_groups == "additive":
            return 12
        return 8 if self.design in ("factorial", "gene_environment") else 4

    @property
    def effects(self) -> tuple[str, ...]:
        """The effects this design can test, in the order of the model's coefficients 1, 2, 3."""
        if self.factors is not None:
            return (self.factors[0].name, self.factors[1].name, "interaction")
        if self.design == "gene_environment":
            return ("environment", "genotype", "interaction")
        return ()

    @property
    def tested_coefficient(self) -> int:
        """Index of the tested coefficient in a factorial or gene x environment model."""
        return 1 + self.effects.index(self.effect or "interaction")

    def _effect_problems(self) -> list[Problem]:
        if self.effect is None or self.effect in self.effects:
            return []
        if not self.effects:
            message = "only a factorial or gene_environment design chooses an effect"
        else:
            message = f"unknown effect '{self.effect}'; choose one of: {', '.join(self.effects)}"
        return [Problem(("effect",), message, self.effect)]

    def _arm_problems(self) -> list[Problem]:
        repeated = sorted({arm for arm in self.arms if self.arms.count(arm) > 1})
        if repeated:
            return [Problem(("arms",), f"arm {repeated[0]} is listed twice", list(self.arms))]
        needed = ARM_COUNTS[self.design]
        if len(self.arms) != needed:
            message = f"a {self.design} design has {needed} arms (got {len(self.arms)})"
            return [Problem(("arms",), message, list(self.arms))]
        if (self.factors is None) != (self.design != "factorial"):
            message = "give `factors` for a factorial design, and only for it"
            return [Problem(("factors",), message, None)]
        return self._factor_problems() if self.factors is not None else []

    def _factor_problems(self) -> list[Problem]:
        assert self.factors is not None
        problems = [
            Problem(("factors", i, "arms"), f"arm '{arm}' is not one of the trial's arms", arm)
            for i, factor in enumerate(self.factors)
            for arm in factor.arms
            if arm not in self.arms
        ]
        cells = {(arm in self.factors[0].arms, arm in self.factors[1].arms) for arm in self.arms}
        if not problems and len(cells) != 4:
            message = "the two factors must cross: each on/off combination in exactly one arm"
            problems.append(Problem(("factors",), message, None))
        return problems

    def _analysis_problems(self) -> list[Problem]:
        allowed = ANALYSES[self.design]
        if self.analysis is not None and self.analysis not in allowed:
            message = f"a {self.design} design allows {', '.join(allowed)} (got {self.analysis})"
            return [Problem(("analysis",), message, self.analysis)]
        return []


#: What the error says of a trial file that is not a mapping.
TRIAL_FILE_SHAPE = "a trial file is a mapping of keys such as scenario and arms"


def load_trial(path: str | os.PathLike[str]) -> TrialSpec:
    """Read and validate the trial file at ``path``; raises ``ScenarioError`` listing problems."""
    text = Path(path).read_text(encoding="utf-8")
    return parse_spec(text, TrialSpec, str(path), TRIAL_FILE_SHAPE)
