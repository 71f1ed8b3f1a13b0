"""The claims check: every seed claim (S-id) with its evidence and its fate at a floor.

For each claim of ``claims.yaml`` (the S-ids of the mission, verbatim) the check lists

* the sub-models that declare the S-id and the parameters that implement it: the neutralisable
  (effect) parameters of those sub-models plus every parameter whose source or description names
  the S-id; structural numbers are not counted as evidence for a claim;
* the weakest and strongest grade among those parameters;
* the virtual experiments whose record lists the S-id, each metric run without and with the
  floor: the prediction *survives* when every metric within tolerance without the floor is
  still within it at the floor. A claim no experiment tests says so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from oxysim.engine.compose import Model
from oxysim.evidence.compare import MetricComparison, compare_experiments, experiments_for
from oxysim.model.parameters import Parameter, grade_rank


@dataclass(frozen=True)
class Claim:
    """One seed claim: its stable id, the seed it comes from and its text."""

    id: str
    seed: str
    text: str


@dataclass(frozen=True)
class ClaimCheck:
    """A claim with the model parts that implement it and its metrics at the floor."""

    claim: Claim
    submodels: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    comparisons: tuple[MetricComparison, ...]

    @property
    def grades(self) -> tuple[str, str] | None:
        """Weakest and strongest grade of the implementing parameters (``None`` if none)."""
        if not self.parameters:
            return None
        ranked = sorted((p.grade for p in self.parameters), key=grade_rank)
        return ranked[-1], ranked[0]

    @property
    def experiments(self) -> tuple[str, ...]:
        """Experiments testing the claim, in order of appearance."""
        return tuple(dict.fromkeys(c.baseline.experiment for c in self.comparisons))

    @property
    def verdict(self) -> str:
        """``survives``, ``does not survive (k of n metrics leave tolerance)`` or untested."""
        if not self.comparisons:
            return "no prediction tested"
        held = [c for c in self.comparisons if c.baseline.passed]
        if not held:
            return "no metric within tolerance without the floor"
        lost = sum(not c.survives for c in held)
        if not lost:
            return "survives"
        return f"does not survive ({lost} of {len(held)} metrics leave tolerance)"


@cache
def seed_claims() -> tuple[Claim, ...]:
    """The seed claims shipped with oxysim (``claims.yaml``), in mission order."""
    text = resources.files("oxysim.evidence").joinpath("claims.yaml").read_text()
    return tuple(
        Claim(e["id"], e["seed"], " ".join(e["claim"].split())) for e in yaml.safe_load(text)
    )


def mentions(text: str, s_id: str) -> bool:
    """True when ``text`` names ``s_id`` itself (``S2.1`` is not named by ``S2.10``)."""
    return re.search(rf"\b{re.escape(s_id)}(?!\d)", text) is not None


def implementing(model: Model, s_id: str) -> tuple[tuple[str, ...], tuple[Parameter, ...]]:
    """Sub-models declaring ``s_id``, and the parameters implementing it (see module doc)."""
    submodels = tuple(m.name for m in model.submodels if s_id in m.s_ids)
    chosen = {
        p.name: p
        for m in model.submodels
        for p in m.parameters
        if (m.name in submodels and p.neutral is not None)
        or mentions(f"{p.source} {p.description}", s_id)
    }
    return submodels, tuple(chosen.values())


def check_claims(
    model: Model, floor: str, claims: Sequence[Claim] | None = None, workers: int = 1
) -> list[ClaimCheck]:
    """Check every claim (all seed claims by default) at ``floor``.

    Each experiment runs once without and once with the floor, however many claims it tests.
    """
    claims = seed_claims() if claims is None else claims
    tested = {c.id: experiments_for(c.id) for c in claims}
    needed = list(dict.fromkeys(e for ids in tested.values() for e in ids))
    by_experiment: dict[str, list[MetricComparison]] = {e: [] for e in needed}
    for comparison in compare_experiments(needed, floor, workers):
        by_experiment[comparison.baseline.experiment].append(comparison)
    checks = []
    for claim in claims:
        submodels, parameters = implementing(model, claim.id)
        comparisons = tuple(c for e in tested[claim.id] for c in by_experiment[e])
        checks.append(ClaimCheck(claim, submodels, parameters, comparisons))
    return checks
