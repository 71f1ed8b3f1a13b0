"""A community run: people on a network, day by day, their bodies and their exchanges in a loop.

Each day, for every arm (the same people, network and draws):

1. Exchanges are drawn along the ties, as array operations: which ties meet, who meets an acute
   stressor, which couples spend the evening together.
2. Each person's share of the day's timetable (:mod:`oxysim.community.day`) follows: time with
   the own group and with others, the mean expression of those met (their replies of the day
   before), support from those met and from the partner when stressed, the evening together.
3. The bodies live the day (:class:`~oxysim.community.bodies.Bodies`): the whole physiology,
   with each person's receptor state, stress axis, bonds and biased reading of expressions.
4. Each person's reply at the end of the meetings, read from their physiology, is the
   expression they show the next day, so expressions spread and spiral along the ties.

Draws come from ``SeedSequence(seed, spawn_key=(k,))``: people and parameters k = 0, network
k = 1, daily life k = 2, the same stream in every arm (arms differ only in what they change).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import xarray as xr
from numpy.typing import NDArray

from oxysim._version import __version__
from oxysim.community.bodies import Bodies
from oxysim.community.day import DAY_MINUTES, GAINED, REPLY_AT, STEP, timetable
from oxysim.community.network import Network, build_network
from oxysim.community.spec import CommunitySpec, Life
from oxysim.engine.simulate import PreparedRun, SolverOptions, prepare_run
from oxysim.scenario import Scenario
from oxysim.system import human_model

Array = NDArray[np.float64]
#: Minutes between the records a day keeps while it is lived.
RECORD_EVERY = 5
#: Per person and day, besides the recorded variables.
EXCHANGES = {
    "expression": ("1", "expression shown at the meetings (reply, -1 scowl .. 1 smile)"),
    "met": ("1", "ties met that day"),
    "stressed": ("1", "met an acute stressor that day (0 or 1)"),
    "together": ("1", "spent the evening with the partner (0 or 1)"),
}
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Day:
    """One day's draws for everyone: who met whom, who was stressed, which couples were home."""

    met: NDArray[np.bool_]  # per tie (upper triangle of the network)
    stressed: NDArray[np.bool_]
    together: NDArray[np.bool_]


def simulate_community(
    spec: CommunitySpec,
    folder: Path = Path("."),
    text: str = "",
    progress: Progress | None = None,
) -> tuple[xr.Dataset, Network]:
    """Run every arm of ``spec`` over its days; person x day results and the network.

    ``folder`` holds files the community file names (an edge list); ``text`` is the file,
    kept with the results.
    """
    prepared = prepare_run(
        _scenario(spec), SolverOptions(), seed=np.random.SeedSequence(spec.seed, spawn_key=(0,))
    )
    table = prepared.table
    network = build_network(
        spec.network,
        len(table["id"]),
        np.random.default_rng(np.random.SeedSequence(spec.seed, spawn_key=(1,))),
        np.asarray(table["relationship"]) == "partnered",
        np.asarray(table["sex"]) == "female",
        folder,
    )
    arms = list(spec.arms)
    total, done = len(arms) * spec.days, 0
    results = []
    for arm in arms:
        rng = np.random.default_rng(np.random.SeedSequence(spec.seed, spawn_key=(2,)))
        bodies = Bodies(prepared, GAINED, spec.start_time)
        days = []
        reply = np.zeros(network.size)
        life = spec.arm_life(arm)
        for _ in range(spec.days):
            day = _draw_day(rng, network, life)
            gains, met = _gains(network, day, reply, life)
            records = bodies.live(
                timetable(), STEP, gains, (*spec.record, "expression_reply"), RECORD_EVERY
            )
            reply = records["expression_reply"][REPLY_AT // RECORD_EVERY]
            daily = {name: records[name][:-1].mean(axis=0) for name in spec.record}
            days.append(
                {
                    **daily,
                    "expression": reply,
                    "met": met,
                    "stressed": day.stressed.astype(float),
                    "together": day.together.astype(float),
                }
            )
            done += 1
            if progress is not None:
                progress(done, total)
        results.append(days)
    return _dataset(spec, prepared, network, arms, results, text), network


def _scenario(spec: CommunitySpec) -> Scenario:
    """A one-day scenario of the community's people: what draws them and their parameters."""
    return Scenario.model_validate(
        {
            "name": spec.name,
            "duration": f"{DAY_MINUTES} min",
            "population": spec.people,
            "start_time": f"{int(spec.start_time // 60):02d}:{int(spec.start_time % 60):02d}",
            "seed": spec.seed,
        }
    )


def _draw_day(rng: np.random.Generator, network: Network, life: Life) -> Day:
    """The day's draws, in a fixed order and size whatever the arm (the same stream per arm)."""
    ties = len(network.tie_ends[0])
    meeting, stress, evening = rng.random(ties), rng.random(network.size), rng.random(network.size)
    partner = network.partner
    first = np.arange(network.size) < np.where(partner >= 0, partner, -1)  # one draw per couple
    together = np.zeros(network.size, dtype=bool)
    couples = np.flatnonzero(first)
    together[couples] = evening[couples] < life.evening_together
    together[partner[couples]] = together[couples]
    return Day(meeting < life.meet, stress < life.stress, together)


def _gains(network: Network, day: Day, reply: Array, life: Life) -> tuple[dict[str, Array], Array]:
    """Each person's share of the day's timetable, and the ties each met."""
    a, b = network.tie_ends
    a, b = a[day.met], b[day.met]
    size = network.size
    same = network.group[a] == network.group[b]

    def count(mask: NDArray[np.bool_]) -> Array:
        ends = np.bincount(a[mask], minlength=size) + np.bincount(b[mask], minlength=size)
        return ends.astype(float)

    within, between = count(same), count(~same)
    met = within + between
    seen = np.bincount(a, weights=reply[b], minlength=size) + np.bincount(
        b, weights=reply[a], minlength=size
    )
    stressed = day.stressed.astype(float)
    together = day.together.astype(float)
    supported = float(life.support)
    gains = {
        "stress_generic": stressed,
        "social_ingroup": np.minimum(within, 1.0),
        "social_outgroup": np.minimum(between, 1.0),
        "expression_valence": np.where(met > 0, seen / np.maximum(met, 1), 0.0),
        "support_friend": stressed * (met > 0) * supported,
        "social_partner": together,
        "touch_hug": together,
        "support_partner": together * stressed * supported,
    }
    return gains, met.astype(float)


def _dataset(
    spec: CommunitySpec,
    prepared: PreparedRun,
    network: Network,
    arms: list[str],
    results: list[list[dict[str, Array]]],
    text: str,
) -> xr.Dataset:
    variables = human_model().variables
    described = {
        name: (variables[name].unit, f"{variables[name].description}: mean over the day")
        for name in spec.record
    } | EXCHANGES
    data = {
        name: xr.Variable(
            ("arm", "person", "day"),
            np.stack([np.stack([day[name] for day in days], axis=-1) for days in results]),
            {"units": unit, "long_name": description},
        )
        for name, (unit, description) in described.items()
    }
    table = prepared.table
    coords = {
        "arm": arms,
        "person": np.asarray(table["id"]).astype(str),
        "day": np.arange(spec.days),
        "group": ("person", network.group),
        "partner": ("person", network.partner),
        "degree": ("person", network.degree()),
    }
    for column in ("sex", "age", "rs53576", "attachment", "relationship"):
        coords[column] = ("person", np.asarray(table[column]))
    dataset = xr.Dataset(data, coords=coords)
    dataset.attrs.update(
        {
            "title": f"oxysim community: {spec.name}",
            "oxysim_version": __version__,
            "community": text,
            "seed": int(spec.seed),
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "note": "Simulation output for research and teaching; not medical advice.",
        }
    )
    return dataset
