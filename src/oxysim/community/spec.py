"""The parts of a community file: the network of ties among its people, and their couples.

A community file names its people (a population, as in scenario files), the network that joins
them, the daily life of exchanges along its ties, and arms. This module holds what is built so
far: the network.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import Field, StrictBool, model_validator

from oxysim.scenario.base import Problem, SpecModel, validation_error
from oxysim.scenario.quantities import number

NetworkKind = Literal["small_world", "scale_free", "groups", "edge_list"]


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
