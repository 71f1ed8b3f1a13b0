"""A community run: people on a network, day by day, their bodies and their exchanges in a loop.

Each day, for every arm (the same people, network and draws):

1. Exchanges are drawn along the ties, as array operations (:mod:`oxysim.community.exchanges`):
   which ties meet, who meets an acute stressor (alone or with their group), which couples spend
   the evening together and whether it is a conflict, who goes to the support group, who meets
   a drug cue.
2. Each person's share of the day's timetable (:mod:`oxysim.community.day`) follows: time with
   the own group and with others, the mean expression of those met (their replies of the day
   before), support from those met and from the partner when stressed, the strain of those met
   and of the partner when they were stressed, the evening together, the group, the cue.
3. The bodies live the day (:class:`~oxysim.community.bodies.Bodies`): the whole physiology,
   with each person's receptor state, stress axis, bonds, reward learning and craving, and
   biased reading of expressions. Those given oxytocin get their dose into the nasal depot
   45 min before the meetings.
4. Each person's reply at the end of the meetings, read from their physiology, is the
   expression they show the next day, so expressions spread and spiral along the ties.

Draws come from ``SeedSequence(seed, spawn_key=(k,))``: people and parameters k = 0, network
k = 1, daily life k = 2, who is dosed and who joins the support group k = 3; the same streams
in every arm (arms differ only in what they change).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import xarray as xr
from numpy.typing import NDArray

from oxysim._version import __version__
from oxysim.community.bodies import Bodies
from oxysim.community.day import DAY_MINUTES, GAINED, RECORD_MINUTES, REPLY_AT, Steps, day_plan
from oxysim.community.exchanges import Roles, assign_roles, day_gains, draw_day
from oxysim.community.network import Network, build_network
from oxysim.community.series import network_series
from oxysim.community.spec import CommunitySpec, Life
from oxysim.engine.simulate import PreparedRun, SolverOptions, prepare_run
from oxysim.model.pk import DOSE_TARGETS
from oxysim.scenario import Scenario
from oxysim.system import human_model

Array = NDArray[np.float64]
#: Per person and day, besides the recorded variables.
EXCHANGES = {
    "expression": ("1", "expression shown at the meetings (reply, -1 scowl .. 1 smile)"),
    "met": ("1", "ties met that day"),
    "stressed": ("1", "met an acute stressor that day, one's own or one's group's (0 or 1)"),
    "together": ("1", "spent the evening with the partner (0 or 1)"),
    "conflict": ("1", "the evening together was a conflict (0 or 1)"),
    "attended": ("1", "went to the support group (0 or 1)"),
    "cue": ("1", "met a drug cue (0 or 1)"),
}
#: Per arm and person: the roles an arm gives.
ROLES = {
    "oxytocin": ("1", "given intranasal oxytocin every day (0 or 1)"),
    "support_group_member": ("1", "in the support group (0 or 1)"),
}
Progress = Callable[[int, int], None]


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
    history = np.asarray(table["addiction_history"]) != "none"
    arms = list(spec.arms)
    total, done = len(arms) * spec.days, 0
    results, roles = [], []
    for arm in arms:
        life = spec.arm_life(arm)
        rng = np.random.default_rng(np.random.SeedSequence(spec.seed, spawn_key=(2,)))
        role = assign_roles(
            np.random.default_rng(np.random.SeedSequence(spec.seed, spawn_key=(3,))), life, history
        )
        bodies = Bodies(prepared, GAINED, spec.start_time)
        days = []
        expression = np.zeros(network.size)
        for _ in range(spec.days):
            today = draw_day(rng, network, life, role)
            gains, met = day_gains(network, today, expression, life)
            records = _live_day(
                bodies, gains, role, life, (*spec.record, "expression_reply"), spec.steps
            )
            expression = records["expression_reply"][REPLY_AT // RECORD_MINUTES]
            days.append(
                {
                    **{name: records[name][:-1].mean(axis=0) for name in spec.record},
                    **{f"{name}_peak": records[name][:-1].max(axis=0) for name in spec.record},
                    "expression": expression,
                    "met": met,
                    **{name: getattr(today, name).astype(float) for name in _DAY_FLAGS},
                }
            )
            done += 1
            if progress is not None:
                progress(done, total)
        results.append(days)
        roles.append({"oxytocin": role.dosed, "support_group_member": role.member})
    return _dataset(spec, prepared, network, arms, results, roles, text), network


#: Exchange outputs read straight from the day's draws (fields of :class:`Day`).
_DAY_FLAGS = ("stressed", "together", "conflict", "attended", "cue")


def _live_day(
    bodies: Bodies,
    gains: dict[str, Array],
    roles: Roles,
    life: Life,
    record: tuple[str, ...],
    steps: Steps,
) -> dict[str, Array]:
    """One day for everyone; the records of the whole day, one every :data:`RECORD_MINUTES`."""
    depot, per_iu = DOSE_TARGETS["intranasal"]
    parts = []
    for stretch in day_plan(steps):
        if stretch.dose_first and roles.dosed.any():
            bodies.dose(depot, roles.dosed * life.oxytocin_dose * per_iu)
        lived = bodies.live(stretch.schedule, stretch.step, gains, record, stretch.record_every)
        parts.append(lived)
    return {
        name: np.concatenate([part[name][:-1] for part in parts] + [parts[-1][name][-1:]])
        for name in record
    }


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


def daily_outputs(spec: CommunitySpec) -> dict[str, tuple[str, str]]:
    """Every person x day output of ``spec``'s run: its unit and description."""
    variables = human_model().variables
    return (
        {
            name: (variables[name].unit, f"{variables[name].description}: mean over the day")
            for name in spec.record
        }
        | {
            f"{name}_peak": (variables[name].unit, f"{variables[name].description}: day's peak")
            for name in spec.record
        }
        | EXCHANGES
    )


def _dataset(
    spec: CommunitySpec,
    prepared: PreparedRun,
    network: Network,
    arms: list[str],
    results: list[list[dict[str, Array]]],
    roles: list[dict[str, NDArray[np.bool_]]],
    text: str,
) -> xr.Dataset:
    described = daily_outputs(spec)
    stacked = [
        {name: np.stack([day[name] for day in days], axis=-1) for name in described}
        for days in results
    ]
    series = [network_series(daily, network, spec.record) for daily in stacked]
    data = (
        {
            name: xr.Variable(
                ("arm", "person", "day"),
                np.stack([daily[name] for daily in stacked]),
                {"units": unit, "long_name": description},
            )
            for name, (unit, description) in described.items()
        }
        | {
            name: xr.Variable(
                ("arm", "day"),
                np.stack([arm_series[name][2] for arm_series in series]),
                {"units": unit, "long_name": description},
            )
            for name, (unit, description, _) in series[0].items()
        }
        | {
            name: xr.Variable(
                ("arm", "person"),
                np.stack([arm_roles[name] for arm_roles in roles]).astype(float),
                {"units": unit, "long_name": description},
            )
            for name, (unit, description) in ROLES.items()
        }
    )
    table = prepared.table
    coords = {
        "arm": arms,
        "person": np.asarray(table["id"]).astype(str),
        "day": np.arange(spec.days),
        "group": ("person", network.group),
        "partner": ("person", network.partner),
        "degree": ("person", network.degree()),
    }
    for column in ("sex", "age", "rs53576", "attachment", "relationship", "addiction_history"):
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
