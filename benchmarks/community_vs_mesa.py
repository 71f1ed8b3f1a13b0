"""oxysim's community exchange layer against the same rules written as a Mesa 3 model.

oxysim keeps people's state in NumPy arrays and draws a day's exchanges as array operations
over the sparse ties (:func:`~oxysim.community.exchanges.draw_day`,
:func:`~oxysim.community.exchanges.day_gains`); the Mesa model has one Python ``Agent`` per
person, placed on a ``mesa.discrete_space.Network`` of the same networkx graph, drawing and
exchanging agent by agent.

**Mesa agents carry no physiology.** In oxysim each person's body (the compiled ODE model)
lives the day from its gains; here both implementations replace the body, identically, by one
reduced daily rule (:func:`body`, written once, over NumPy arrays or an agent's Python floats):

    strain' = 0.5 strain + stress + 0.5 (observed stress of friends and partner)
              - 0.3 (support from partner and friends)
    expression' = clip(0.8 (seen + (1 - |seen|) bias - 0.1 strain'), -1, 1)

where ``seen`` is the mean expression of those met (their replies of the day before; 0 if none
met) and ``bias`` a fixed per-person number drawn from attachment-style shares. So this compares
the exchange layer with a reduced body rule, not whole simulations; the cost of the full
physiology is measured elsewhere (``oxysim community``: 10^4 people x 30 days in about 150 s).

Both sides share each seed's people and network (built once by oxysim's ``build_network``)
and draw their days from their own streams. The check runs both over several seeds and
compares each statistic's mean across seeds by a z-score on the seed-to-seed spread (PASS:
|z| < 3). The shared networks make it conservative: it flags a difference of a few per cent,
such as a dropped gain, not one of a fraction of a per cent. The timing runs both at 10^4
people and prints person-days per second (the days' loop only: network and model building are
not counted) and their ratio, measured in the same invocation. Target: oxysim >= 50x Mesa.
Exit status 1 if a statistic fails.

    python benchmarks/community_vs_mesa.py            # check 10 seeds x 1000, time 10^4 x 30 d
    python benchmarks/community_vs_mesa.py --agents 100000 --mesa-days 3
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Mapping
from typing import TypeVar

import mesa  # type: ignore[import-untyped]
import numpy as np
from numpy.typing import NDArray

from oxysim.community.exchanges import assign_roles, day_gains, draw_day
from oxysim.community.network import Network, build_network
from oxysim.community.spec import Life, NetworkSpec

Array = NDArray[np.float64]
Value = TypeVar("Value", float, Array)
Statistics = dict[str, float]

LIFE = Life(meet=0.3, evening_together=0.8, stress=0.1, conflict=0.1, empathy=True, support=True)
NETWORK = NetworkSpec(kind="small_world", degree=8, rewire=0.1)
PARTNERED = 0.6
#: Attachment styles: the share of each, and its bias in reading the expressions seen.
ATTACHMENT = {"secure": (0.55, 0.3), "anxious": (0.25, -0.3), "avoidant": (0.2, 0.0)}
NAMES = (
    "mean expression",
    "share expression > 0",
    "mean strain",
    "ties met per person-day",
    "share stressed per day",
)
Z_LIMIT = 3.0


def body(strain: Value, bias: Value, gains: Mapping[str, Value]) -> tuple[Value, Value]:
    """The reduced body: tomorrow's strain and expression from today's gains."""
    strain = (
        0.5 * strain
        + gains["stress_generic"]
        + 0.5 * (gains["observed_stress_friend"] + gains["observed_stress_partner"])
        - 0.3 * (gains["support_partner"] + gains["support_friend"])
    )
    seen = gains["expression_valence"]
    reply = 0.8 * (seen + (1.0 - abs(seen)) * bias - 0.1 * strain)
    # clip(reply, -1, 1) with only abs and arithmetic, so the same code serves floats and arrays
    return strain, 0.5 * (abs(reply + 1.0) - abs(reply - 1.0))


def statistics(
    expression: Array, strain: Array, met_per_day: float, stressed_per_day: float
) -> Statistics:
    """A run's statistics (in the order of NAMES): the last day's state, the days' means."""
    values = (
        float(expression.mean()),
        float(np.mean(expression > 0)),
        float(strain.mean()),
        met_per_day,
        stressed_per_day,
    )
    return dict(zip(NAMES, values, strict=True))


def people(size: int, seed: int) -> tuple[Network, Array]:
    """A seed's network (about 60 % partnered, half female) and each person's bias."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(0,)))
    partnered = rng.random(size) < PARTNERED
    female = rng.permutation(size) < size // 2
    shares, biases = zip(*ATTACHMENT.values(), strict=True)
    bias = rng.choice(np.asarray(biases), size=size, p=np.asarray(shares))
    network_rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(1,)))
    return build_network(NETWORK, size, network_rng, partnered, female), bias


def run_oxysim(network: Network, bias: Array, days: int, seed: int) -> Statistics:
    """Days of the community layer: draw_day and day_gains, then the reduced body, as arrays."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(2,)))
    roles_rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(3,)))
    roles = assign_roles(roles_rng, LIFE, np.zeros(network.size, dtype=bool))
    strain, expression = np.zeros(network.size), np.zeros(network.size)
    met_total = stressed_total = 0.0
    for _ in range(days):
        day = draw_day(rng, network, LIFE, roles)
        gains, met = day_gains(network, day, expression, LIFE)
        strain, expression = body(strain, bias, gains)
        met_total += float(met.mean())
        stressed_total += float(day.stressed.mean())
    return statistics(expression, strain, met_total / days, stressed_total / days)


class Person(mesa.discrete_space.FixedAgent):
    """One person on a cell of the network, with yesterday's expression and today's draws."""

    def __init__(self, model: Community, cell: mesa.discrete_space.Cell, bias: float) -> None:
        super().__init__(model)
        self.cell = cell
        self.node: int = cell.coordinate
        self.life = model.life
        self.bias = bias
        self.strain = self.expression = 0.0
        self.partner: Person | None = None
        self.later: list[Person] = []  # neighbours with a higher number: the ties this one draws
        self.met: list[Person] = []
        self.met_count = 0
        self.stressed = self.together = self.conflict = False
        self.next_strain = self.next_expression = 0.0

    def draw(self) -> None:
        """Today's draws: the own stressor, the ties this one draws, the couple's evening."""
        chance, life = self.random.random, self.life
        self.stressed = chance() < life.stress
        for friend in self.later:
            if chance() < life.meet:
                self.met.append(friend)
                friend.met.append(self)
        partner = self.partner
        if partner is not None and self.node < partner.node:
            self.together = partner.together = chance() < life.evening_together
            self.conflict = partner.conflict = self.together and chance() < life.conflict

    def step(self) -> None:
        """Today's gains, as day_gains defines them, and tomorrow's state from the body rule."""
        met, life = self.met, self.life
        share = max(len(met), 1)
        stressed = float(self.stressed)
        partner_stressed = self.partner is not None and self.partner.stressed
        gains = {
            "stress_generic": stressed,
            "expression_valence": sum(friend.expression for friend in met) / share,
            "observed_stress_friend": life.empathy * sum(f.stressed for f in met) / share,
            "observed_stress_partner": float(life.empathy and self.together and partner_stressed),
            "support_friend": stressed * (bool(met) and life.support),
            "support_partner": stressed * (life.support and self.together and not self.conflict),
        }
        self.next_strain, self.next_expression = body(self.strain, self.bias, gains)
        self.met_count = len(met)

    def advance(self) -> None:
        """Take on tomorrow's state; forget today's meetings."""
        self.strain, self.expression = self.next_strain, self.next_expression
        self.met = []


class Community(mesa.Model):
    """The same people, network and couples as oxysim's, one Mesa agent per person."""

    def __init__(self, network: Network, bias: Array, life: Life, seed: int) -> None:
        super().__init__(seed=seed)
        self.life = life
        self.space = mesa.discrete_space.Network(network.graph, capacity=1, random=self.random)
        persons = [Person(self, self.space[node], float(bias[node])) for node in range(len(bias))]
        for person in persons:
            person.later = [f for f in person.cell.neighborhood.agents if f.node > person.node]
            if network.partner[person.node] >= 0:
                person.partner = persons[network.partner[person.node]]
        self.met_total = self.stressed_total = 0.0

    def step(self) -> None:
        """One day: everyone draws (in random order), then computes, then takes on the result."""
        self.agents.shuffle_do("draw")
        self.agents.do("step")
        self.agents.do("advance")
        self.met_total += self.agents.agg("met_count", sum) / len(self.agents)
        self.stressed_total += self.agents.agg("stressed", sum) / len(self.agents)


def run_mesa(network: Network, bias: Array, days: int, seed: int) -> Statistics:
    """Days of the Mesa model, with its own seeded stream."""
    model = Community(network, bias, LIFE, seed=_mesa_seed(seed))
    for _ in range(days):
        model.step()
    expression = np.asarray(model.agents.get("expression"))
    strain = np.asarray(model.agents.get("strain"))
    return statistics(expression, strain, model.met_total / days, model.stressed_total / days)


def _mesa_seed(seed: int) -> int:
    return int(np.random.SeedSequence(seed, spawn_key=(4,)).generate_state(1)[0])


def check(size: int, days: int, seeds: int) -> bool:
    """Both sides over the same seeds' people; print each statistic's means, SEs and z."""
    runs: dict[str, list[Statistics]] = {"oxysim": [], "mesa": []}
    for seed in range(seeds):
        network, bias = people(size, seed)
        runs["oxysim"].append(run_oxysim(network, bias, days, seed))
        runs["mesa"].append(run_mesa(network, bias, days, seed))
    print(f"check: {seeds} seeds x {size} people x {days} days (mean over seeds, its SE)")
    header = f"{'statistic':<26}{'oxysim':>10}{'SE':>9}{'Mesa':>10}{'SE':>9}{'z':>7}"
    print(header)
    print("-" * (len(header) + 6))
    passed = True
    for name in NAMES:
        (mean_o, se_o), (mean_m, se_m) = (
            _mean_se([run[name] for run in runs[side]]) for side in ("oxysim", "mesa")
        )
        spread = math.hypot(se_o, se_m)
        z = (mean_o - mean_m) / spread if spread > 0 else (0.0 if mean_o == mean_m else math.inf)
        ok = abs(z) < Z_LIMIT
        passed &= ok
        print(
            f"{name:<26}{mean_o:>10.4f}{se_o:>9.4f}{mean_m:>10.4f}{se_m:>9.4f}{z:>7.2f}"
            f"  {'PASS' if ok else 'FAIL'}"
        )
    return passed


def _mean_se(values: list[float]) -> tuple[float, float]:
    array = np.asarray(values)
    return float(array.mean()), float(array.std(ddof=1) / math.sqrt(array.size))


def speed(size: int, days: int, mesa_days: int, repeats: int) -> float:
    """Person-days per second of both sides on one network; print them and return the ratio.

    Each side's best of ``repeats`` runs, taken in turn, so that a busy machine slows both.
    """
    network, bias = people(size, seed=0)
    oxysim_seconds = mesa_seconds = building = math.inf
    for _ in range(repeats):
        start = time.perf_counter()
        run_oxysim(network, bias, days, 0)
        oxysim_seconds = min(oxysim_seconds, time.perf_counter() - start)
        start = time.perf_counter()
        model = Community(network, bias, LIFE, seed=_mesa_seed(0))
        building = min(building, time.perf_counter() - start)
        start = time.perf_counter()
        for _ in range(mesa_days):
            model.step()
        mesa_seconds = min(mesa_seconds, time.perf_counter() - start)
    oxysim_rate, mesa_rate = size * days / oxysim_seconds, size * mesa_days / mesa_seconds
    ratio = oxysim_rate / mesa_rate
    ties = network.graph.number_of_edges()
    print(f"\nspeed: {size} people, {ties} ties, best of {repeats} (the days' loop only)")
    print(f"  oxysim  {days:>4} days {oxysim_seconds:>8.3f} s  {oxysim_rate:>12,.0f} person-days/s")
    print(
        f"  Mesa    {mesa_days:>4} days {mesa_seconds:>8.3f} s  {mesa_rate:>12,.0f} person-days/s"
        f"  (building the model: {building:.2f} s, not counted)"
    )
    if mesa_days != days:
        print(f"  (Mesa ran {mesa_days} of {days} days; rates are per person-day)")
    print(f"  ratio oxysim / Mesa: {ratio:.0f}x (target >= 50x)")
    return ratio


def main() -> None:
    """Run the check, then the timing; exit 1 if a statistic fails."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agents", type=int, default=10_000, help="people in the timing")
    parser.add_argument("--days", type=int, default=30, help="days of each run")
    parser.add_argument("--mesa-days", type=int, help="days of the Mesa timing (default: --days)")
    parser.add_argument("--seeds", type=int, default=10, help="seeds per side in the check")
    parser.add_argument("--check-agents", type=int, default=1000, help="people in the check")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per side (best kept)")
    args = parser.parse_args()
    passed = check(args.check_agents, args.days, args.seeds)
    speed(args.agents, args.days, args.mesa_days or args.days, args.repeats)
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
