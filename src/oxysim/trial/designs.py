"""Designs and analyses: who gets which arm, and the linear model each analysis fits.

Arms are indexed in the trial file's order; arm 0 is the reference. Every analysis reduces to
:func:`~oxysim.trial.statistics.least_squares` on one coefficient:

``t_test`` (parallel)      y ~ 1 + treated
``ancova`` (parallel)      y ~ 1 + treated + baseline
``mixed`` (parallel)       mean of the sampled times ~ 1 + treated (random-intercept model of the
                           repeated samples; for complete data its arm test is this one)
``t_test`` (crossover)     paired: y(treated) - y(reference) ~ 1
``mixed`` (crossover)      (y(period 2) - y(period 1)) / 2 ~ 1 + sequence (+1/2, -1/2): the
                           Hills-Armitage analysis, equal to a random-intercept model with period
                           and treatment effects for complete data
``interaction``            y ~ 1 + a + b + a b, for a 2 x 2 factorial (a, b: factors on) or gene x
                           environment (a: second arm, b: the genotype group or number of A
                           alleles)

Effects are standardised by the pooled within-cell SD of the observed outcome (Cohen's d for a
two-arm comparison), so a crossover and a parallel trial of the same treatment report the same d.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from oxysim.trial.observe import Observed, observe
from oxysim.trial.pool import Pool
from oxysim.trial.spec import TrialSpec
from oxysim.trial.statistics import Fit, least_squares, pooled_sd

#: Measurements of each pool subject per arm for the population effect, and the most values
#: (subjects x arms x times x repeats) measured for it.
POPULATION_REPEATS = 10
POPULATION_VALUES = 4_000_000


@dataclass(frozen=True)
class TrialOutcome:
    """Per replicate: the tested estimate (outcome units), standardised d and p-value."""

    estimate: np.ndarray
    d: np.ndarray
    p_value: np.ndarray


def allocate(
    n: int, n_arms: int, method: str, replicates: int, rng: np.random.Generator
) -> np.ndarray:
    """Arm index of each of ``n`` subjects in every replicate, ``(replicates, n)``.

    ``block``: arms as equal as ``n`` allows, in random order; ``simple``: a fair die per subject.
    """
    if method == "simple":
        return rng.integers(n_arms, size=(replicates, n))
    balanced = np.tile(np.arange(n) % n_arms, (replicates, 1))
    return rng.permuted(balanced, axis=1)


def run_replicates(
    trial: TrialSpec, pool: Pool, recruited: np.ndarray, rng: np.random.Generator
) -> TrialOutcome:
    """Allocate, observe and analyse a batch of replicate trials of the recruited subjects."""
    replicates, n = recruited.shape
    arms = allocate(n, len(trial.arms), trial.randomisation, replicates, rng)
    if trial.design == "crossover":
        return _crossover(trial, pool, recruited, arms, rng)
    observed = observe(pool, trial.outcome, recruited, arms, rng)
    return _between_subjects(trial, pool, recruited, arms, observed)


def population_effect(trial: TrialSpec, pool: Pool, rng: np.random.Generator) -> TrialOutcome:
    """The effect in the whole pool: every subject observed under every arm, repeatedly.

    This is what the replicate trials estimate. Each subject is measured
    :data:`POPULATION_REPEATS` times per arm, so the assay's noise barely moves the estimate;
    a very large pool is represented by its first subjects (in random order already), so that
    at most :data:`POPULATION_VALUES` values are measured. Only the estimate and d are meaningful.
    """
    n_arms, times = len(trial.arms), pool.samples.sizes["time"]
    size = min(pool.samples.sizes["subject"], max(2, POPULATION_VALUES // (n_arms * times)))
    repeats = int(np.clip(POPULATION_VALUES // (size * n_arms * times), 1, POPULATION_REPEATS))
    subjects = np.tile(np.arange(size), n_arms * repeats)[None, :]
    arms = np.tile(np.repeat(np.arange(n_arms), size), repeats)[None, :]
    observed = observe(pool, trial.outcome, subjects, arms, rng)
    between = (
        trial.model_copy(update={"analysis": "t_test"}) if trial.design == "crossover" else trial
    )
    return _between_subjects(between, pool, subjects, arms, observed)


def _between_subjects(
    trial: TrialSpec, pool: Pool, subjects: np.ndarray, arms: np.ndarray, observed: Observed
) -> TrialOutcome:
    analysis = trial.chosen_analysis
    ones = np.ones(arms.shape)
    if trial.design in ("factorial", "gene_environment"):
        first, second, cells, n_cells = _factors(trial, pool, subjects, arms)
        design = np.stack([ones, first, second, first * second], axis=-1)
        y, coefficient = observed.outcome, trial.tested_coefficient
    else:
        treated = (arms == 1).astype(float)
        columns = [ones, treated] + ([observed.baseline] if analysis == "ancova" else [])
        design = np.stack(columns, axis=-1)
        y = observed.sample_mean if analysis == "mixed" else observed.outcome
        coefficient, cells, n_cells = 1, arms, 2
    fit = least_squares(y, design, coefficient)
    return TrialOutcome(fit.estimate, _standardised(fit.estimate, y, cells, n_cells), fit.p_value)


def _factors(
    trial: TrialSpec, pool: Pool, subjects: np.ndarray, arms: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """The two centred predictors of an interaction model, each observation's cell, cell count.

    Centring (on: +1/2, off: -1/2; A alleles minus 1) makes each main effect the average over
    the other factor; the interaction is the same under any coding.
    """
    if trial.design == "factorial":
        assert trial.factors is not None
        on = [np.isin(np.array(trial.arms), factor.arms) for factor in trial.factors]
        first, second = on[0][arms] - 0.5, on[1][arms] - 0.5
        return first, second, arms, 4
    a_alleles = pool.a_alleles[subjects]
    environment = (arms == 1) - 0.5
    if trial.genotype_groups != "additive":
        group = trial.genotype_group(a_alleles)
        return environment, group - 0.5, arms * 2 + group, 4
    return environment, a_alleles - 1.0, arms * 3 + a_alleles, 6


def _crossover(
    trial: TrialSpec,
    pool: Pool,
    recruited: np.ndarray,
    sequence: np.ndarray,
    rng: np.random.Generator,
) -> TrialOutcome:
    """Both periods of every subject; ``sequence`` 0 is reference then treated, 1 the reverse."""
    both = np.concatenate([sequence, 1 - sequence], axis=1)
    subjects = np.concatenate([recruited, recruited], axis=1)
    observed = observe(pool, trial.outcome, subjects, both, rng)
    n = recruited.shape[1]
    fit = crossover_fit(
        observed.outcome[:, :n], observed.outcome[:, n:], sequence, trial.chosen_analysis
    )
    d = _standardised(fit.estimate, observed.outcome, both, 2)
    return TrialOutcome(fit.estimate, d, fit.p_value)


def _standardised(
    estimate: np.ndarray, y: np.ndarray, cells: np.ndarray, n_cells: int
) -> np.ndarray:
    """Cohen's d: the estimate over the pooled within-cell SD (NaN or inf when that SD is 0)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return estimate / pooled_sd(y, cells, n_cells)


def crossover_fit(
    first: np.ndarray, second: np.ndarray, sequence: np.ndarray, analysis: str
) -> Fit:
    """Treated minus reference from the two periods' outcomes, ``(replicates, subjects)``.

    ``t_test``: paired t-test of the within-subject differences. ``mixed``: Hills-Armitage,
    half the period difference regressed on the sequence, which removes a period effect.
    """
    if analysis == "t_test":
        treated_minus_reference = np.where(sequence == 1, first - second, second - first)
        return least_squares(treated_minus_reference, np.ones((*first.shape, 1)), 0)
    half_difference = (second - first) / 2.0
    order = np.where(sequence == 0, 0.5, -0.5)
    return least_squares(half_difference, np.stack([np.ones(first.shape), order], axis=-1), 1)
