"""A community file: its people, the network that joins them, their daily life, and arms.

The people are a population, as in scenario files; the network a seeded graph with couples;
daily life the chances of each day's exchanges (:mod:`oxysim.community.day`); an arm changes
some of them, for the same people on the same network.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, StrictBool, ValidationError, model_validator

from oxysim.community.day import Steps
from oxysim.scenario.base import Problem, SpecModel, validation_error
from oxysim.scenario.loading import ScenarioIssue, SpecChecks, parse_spec, scenario_checks
from oxysim.scenario.quantities import ClockTime, Count, Quantity, number
from oxysim.scenario.subjects import PopulationSpec

NetworkKind = Literal["small_world", "scale_free", "groups", "edge_list"]
#: Most days of one community run.
MAX_DAYS = 3650


class NetworkSpec(SpecModel):
    """Who knows whom: a seeded networkx graph over the people, plus their couples.

    ``small_world`` is a connected Watts-Strogatz ring of ``degree`` neighbours with a share
    ``rewire`` of ties rewired at random; ``scale_free`` grows a Barabasi-Albert graph (each
    newcomer ties to ``degree / 2`` people, more often to the well connected); ``groups`` is a
    stochastic block model of in-groups and out-groups with ``groups`` shares and a share
    ``within`` of each person's ties inside their own group; ``edge_list`` reads the ties from
    a CSV file of two person numbers per line.
    """

    kind: NetworkKind = Field("small_world", description="the generator, or an edge list")
    degree: Annotated[float, number(ge=1, le=500)] = Field(
        8.0, description="mean ties per person (not for `edge_list`)"
    )
    rewire: Annotated[float, number(ge=0, le=1)] = Field(
        0.1, description="small world: share of ties rewired to anyone"
    )
    groups: tuple[Annotated[float, number(ge=0, le=1)], ...] | None = Field(
        None, description="groups: the share of the people in each group (summing to 1)"
    )
    within: Annotated[float, number(ge=0, le=1)] = Field(
        0.8, description="groups: share of a person's ties inside their group"
    )
    edges: str | None = Field(
        None, min_length=1, description="edge_list: CSV file of ties, relative to the file"
    )
    couples: StrictBool = Field(
        True,
        description="pair partnered people, each with a partnered neighbour where there is "
        "one (of the other sex first); the pair becomes a tie",
    )

    @model_validator(mode="after")
    def _consistent(self) -> NetworkSpec:
        problems = []
        if (self.kind == "groups") != (self.groups is not None):
            message = "give `groups` (the share of each group) with `kind: groups`, and only then"
            problems.append(Problem(("groups",), message, None))
        elif self.groups is not None and (
            len(self.groups) < 2 or not math.isclose(sum(self.groups), 1.0, abs_tol=1e-6)
        ):
            message = f"needs two or more shares summing to 1 (got {list(self.groups)})"
            problems.append(Problem(("groups",), message, list(self.groups)))
        if (self.kind == "edge_list") != (self.edges is not None):
            message = "give `edges` (a CSV file) with `kind: edge_list`, and only then"
            problems.append(Problem(("edges",), message, self.edges))
        if problems:
            raise validation_error("NetworkSpec", problems)
        return self


class Life(SpecModel):
    """Daily life: the chances of each day's exchanges, the same for everyone."""

    meet: Annotated[float, number(ge=0, le=1)] = Field(
        0.3, description="chance that two people with a tie meet on a day"
    )
    evening_together: Annotated[float, number(ge=0, le=1)] = Field(
        0.8, description="chance that partners spend the evening together (time, a hug)"
    )
    stress: Annotated[float, number(ge=0, le=1)] = Field(
        0.1, description="chance that a person meets an acute stressor on a day"
    )
    support: StrictBool = Field(
        True, description="those met, and a partner, support someone stressed that day"
    )
    empathy: StrictBool = Field(
        True,
        description="people see the strain of those they meet and of their partner who were "
        "stressed that day (empathic stress, by felt closeness)",
    )
    conflict: Annotated[float, number(ge=0, le=1)] = Field(
        0.0, description="chance that a couple's evening together is a conflict (no hug)"
    )
    group_threat: Annotated[float, number(ge=0, le=1)] = Field(
        0.0,
        description="chance on a day that one group, drawn at random, meets a shared stressor "
        "(every member stressed)",
    )
    oxytocin_share: Annotated[float, number(ge=0, le=1)] = Field(
        0.0,
        description="share of the people given intranasal oxytocin every day, 45 min before "
        "the meetings (the same people in every arm, nested by share)",
    )
    oxytocin_dose: Annotated[float, Quantity("IU", gt=0, le=100, unit_required=False)] = Field(
        24.0, description="the intranasal dose"
    )
    support_group: Annotated[float, number(ge=0, le=1)] = Field(
        0.0,
        description="share of the people with an addiction history (past or current) who join "
        "a support group meeting at 17:00 for an hour",
    )
    support_group_attendance: Annotated[float, number(ge=0, le=1)] = Field(
        0.5, description="chance that a member goes to the support group on a day"
    )
    drug_cue: Annotated[float, number(ge=0, le=1)] = Field(
        0.0,
        description="chance that a person with an addiction history meets a drug cue on a day "
        "(18:30, 5 min)",
    )


def _arm_name(name: str) -> str:
    if not name.isidentifier():
        raise ValueError(f"arm names are identifiers (letters, digits and _); got '{name}'")
    return name


class CommunityArm(SpecModel):
    """One condition: the same people and network, with some of daily life changed."""

    description: str = Field("", description="free text")
    life: dict[str, Any] = Field(
        default_factory=dict, description="keys of `life` this arm changes, with their values"
    )


class CommunitySpec(SpecModel):
    """The top level of a community file."""

    name: str = Field(min_length=1, description="short name, used for output files")
    description: str = Field("", description="free text")
    seed: Annotated[int, Count(ge=0)] = Field(0, description="random seed; same seed, same result")
    days: Annotated[int, Count(ge=1, le=MAX_DAYS)] = Field(description="days simulated")
    start_time: Annotated[float, ClockTime()] = Field(
        "07:00", validate_default=True, description="clock time at which each day starts"
    )
    people: PopulationSpec = Field(description="the people, as a scenario file's population")
    network: NetworkSpec = Field(default_factory=NetworkSpec, description="who knows whom")
    life: Life = Field(default_factory=Life, description="the chances of each day's exchanges")
    arms: dict[Annotated[str, AfterValidator(_arm_name)], CommunityArm] = Field(
        default_factory=lambda: {"default": CommunityArm()},
        description="arm name -> arm; default: one arm named `default`",
    )
    steps: Steps = Field(
        "multirate",
        description="`multirate`: 4-min steps between exchanges and 1-min steps where one starts "
        "or ends (about 3.7 times faster); `fine`: 1-min steps all day",
    )
    record: tuple[str, ...] = Field(
        ("salivary_cortisol", "close_circle_closeness", "community_closeness"),
        description="variables kept per person and day, as their mean over the day",
    )

    @model_validator(mode="after")
    def _arms_change_life(self) -> CommunitySpec:
        problems = []
        for name, arm in self.arms.items():
            try:
                Life.model_validate({**self.life.model_dump(), **arm.life})
            except ValidationError as error:
                problems += [
                    Problem(("arms", name, "life", *detail["loc"]), detail["msg"], detail["input"])
                    for detail in error.errors()
                ]
        if problems:
            raise validation_error("CommunitySpec", problems)
        return self

    def arm_life(self, arm: str) -> Life:
        """Daily life in ``arm``: the community's, with the arm's changes."""
        return Life.model_validate({**self.life.model_dump(), **self.arms[arm].life})


def parse_community(
    text: str, source: str, extra_checks: SpecChecks | None = None
) -> CommunitySpec:
    """Read and validate a community file's text; :class:`ScenarioError` names each problem.

    Its ``record`` names are checked against the model's variables, as a scenario's are;
    ``extra_checks`` may add issues (the dashboard refuses edge lists read from files).
    """
    from oxysim.system import human_model

    known = scenario_checks(human_model().variables)
    return parse_spec(
        text,
        CommunitySpec,
        source,
        "a community file is a mapping of keys",
        lambda data, lines: [*known(data, lines), *(extra_checks or _none)(data, lines)],
    )


def _none(data: Any, lines: Any) -> list[ScenarioIssue]:
    return []
