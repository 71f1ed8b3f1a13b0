"""Virtual experiments on communities: findings that exist only between people (S4.4, S4.5, S1.6).

Each runs a shipped community file (``communities/*.yaml``) with the shared parameters, through
the same community layer as ``oxysim community``, and reads a network- or couple-level quantity.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import networkx as nx
import numpy as np
import xarray as xr
from numpy.typing import NDArray

from oxysim.community.network import Network
from oxysim.community.run import simulate_community
from oxysim.community.spec import parse_community
from oxysim.evidence.floor import current_floor
from oxysim.experiments.base import experiment

#: Days a relapse hazard is projected over: the 12 months of Kelly 2020's abstinence outcome.
YEAR_DAYS = 365.0
#: Last days of a run whose mean stands for its settled state.
SETTLED_DAYS = 7
#: Network distances over which the association of expressions is read.
DISTANCES = (1, 2, 3, 4)


def run_community(name: str) -> tuple[xr.Dataset, Network]:
    """Simulate a shipped community (shared by the experiments that read it, per floor)."""
    results, network = _shared_community(name, current_floor())
    return results.copy(), network


@lru_cache(maxsize=8)
def _shared_community(name: str, floor: str | None) -> tuple[xr.Dataset, Network]:
    text = resources.files("oxysim.experiments").joinpath("communities", f"{name}.yaml")
    return simulate_community(parse_community(text.read_text(), f"{name}.yaml"))


def _pair_correlation(
    values: NDArray[np.float64], first: NDArray[np.int64], second: NDArray[np.int64]
) -> float:
    """Mean over pairs of the correlation, across days, of the two people's daily deviations.

    ``values`` is (person, day); a deviation is from the person's own mean and from the day's
    mean over everyone, so that what all share (the settling of the first days) is not linkage.
    """
    own = values - values.mean(axis=1, keepdims=True)
    deviation = own - own.mean(axis=0, keepdims=True)
    a, b = deviation[first], deviation[second]
    scale = np.sqrt((a**2).sum(axis=1) * (b**2).sum(axis=1))
    return float(np.mean((a * b).sum(axis=1) / scale))


@experiment("papp2013_couples_cortisol_linkage")
def papp2013_couples_cortisol_linkage() -> dict[str, float]:
    """Partners' cortisol rises and falls together, the more so the more time they share."""
    results, network = run_community("couples_linkage")
    partner = network.partner
    wives_or_husbands = np.flatnonzero(partner > np.arange(network.size))
    # someone else's partner, half the town away on the ring of the small world
    strangers = np.roll(partner[wives_or_husbands], wives_or_husbands.size // 2)
    linkage = {
        arm: _pair_correlation(
            results.salivary_cortisol.sel(arm=arm).values,
            wives_or_husbands,
            partner[wives_or_husbands],
        )
        for arm in ("often_together", "seldom_together")
    }
    unrelated = _pair_correlation(
        results.salivary_cortisol.sel(arm="often_together").values, wives_or_husbands, strangers
    )
    return {
        "couples_linkage": linkage["often_together"],
        "unrelated_pairs_linkage": unrelated,
        "linkage_gain_with_time_together": linkage["often_together"] - linkage["seldom_together"],
    }


def _association_by_distance(network: Network, values: NDArray[np.float64]) -> dict[int, float]:
    """Mean product of standardised values over pairs of people at each network distance."""
    z = (values - values.mean()) / values.std()
    sums, counts = dict.fromkeys(DISTANCES, 0.0), dict.fromkeys(DISTANCES, 0)
    for person, reached in nx.all_pairs_shortest_path_length(network.graph, cutoff=max(DISTANCES)):
        for other, distance in reached.items():
            if distance in sums:
                sums[distance] += z[person] * z[other]
                counts[distance] += 1
    return {d: float(sums[d] / counts[d]) for d in DISTANCES}


@experiment("fowler2008_expression_clustering")
def fowler2008_expression_clustering() -> dict[str, float]:
    """Expressions cluster along the ties, fading with distance to nothing by the fourth degree."""
    results, network = run_community("expression_spread")
    settled = results.expression.isel(arm=0, day=slice(-SETTLED_DAYS, None)).mean("day")
    association = _association_by_distance(network, settled.values)
    vanishes = next((d for d in DISTANCES if association[d] < 0.02), max(DISTANCES) + 1)
    return {
        "first_degree_association": association[1],
        "second_to_first_degree": association[2] / association[1],
        "association_vanishes_at_degree": float(vanishes),
    }


@experiment("kelly2020_support_group_abstinence")
def kelly2020_support_group_abstinence() -> dict[str, float]:
    """A peer support group raises continuous abstinence at 12 months by about a fifth."""
    results, _ = run_community("support_group_recovery")
    hazard = results.relapse_hazard.isel(day=slice(-SETTLED_DAYS, None)).mean(("person", "day"))
    abstinent = np.exp(-YEAR_DAYS * hazard)
    return {
        "abstinence_ratio": float(
            abstinent.sel(arm="support_group") / abstinent.sel(arm="no_group")
        )
    }
