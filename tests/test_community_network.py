"""The community network: seeded generators, groups, couples, edge lists and their errors."""

from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from pydantic import ValidationError

from oxysim.community.network import EdgeListError, Network, build_network
from oxysim.community.spec import NetworkSpec

SIZE = 2000


def people(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Who is partnered (60 %) and who is a woman (half), drawn once."""
    rng = np.random.default_rng(seed)
    return rng.random(SIZE) < 0.6, rng.random(SIZE) < 0.5


def network(seed: int = 1, size: int = SIZE, folder: Path = Path("."), **fields: object) -> Network:
    partnered, female = people()
    spec = NetworkSpec.model_validate(fields)
    rng = np.random.default_rng(seed)
    return build_network(spec, size, rng, partnered[:size], female[:size], folder)


def test_the_same_seed_gives_the_same_network() -> None:
    a, b, c = network(1), network(1), network(2)
    assert (a.ties != b.ties).nnz == 0
    assert (a.ties != c.ties).nnz > 0
    np.testing.assert_array_equal(a.partner, b.partner)


@pytest.mark.parametrize("kind", ["small_world", "scale_free"])
def test_generators_give_the_mean_degree_asked_for(kind: str) -> None:
    built = network(kind=kind, degree=8, couples=False)
    degree = built.degree()
    assert built.ties.shape == (SIZE, SIZE) and (built.ties != built.ties.T).nnz == 0
    assert abs(degree.mean() - 8) < 0.5
    if kind == "scale_free":  # hubs: the best-connected person has many times the mean
        assert degree.max() > 5 * degree.mean()
    else:
        assert degree.max() < 3 * degree.mean()


def test_groups_keep_the_share_of_ties_within() -> None:
    built = network(kind="groups", groups=[0.7, 0.3], within=0.85, couples=False)
    assert np.bincount(built.group).tolist() == [1400, 600]
    assert abs(built.within_group_share() - 0.85) < 0.03
    assert abs(built.degree().mean() - 8) < 0.5


@pytest.mark.parametrize("kind", ["small_world", "scale_free", "groups"])
def test_every_network_is_written_and_read_back_as_graphml(kind: str, tmp_path: Path) -> None:
    # regression: the block model's graph attributes (lists) made GraphML refuse the groups
    groups = {"groups": [0.5, 0.5]} if kind == "groups" else {}
    built = network(size=60, kind=kind, degree=4, **groups)
    nx.write_graphml(built.graph, tmp_path / "net.graphml")
    read = nx.read_graphml(tmp_path / "net.graphml", node_type=int)
    assert sorted(read.edges) == sorted(built.graph.edges) and read.number_of_nodes() == 60
    assert [read.nodes[n]["group"] for n in range(60)] == built.group.tolist()


def test_couples_pair_partnered_neighbours_of_the_other_sex_first() -> None:
    partnered, female = people()
    built = network()
    paired = np.flatnonzero(built.partner >= 0)
    partners = built.partner[paired]
    np.testing.assert_array_equal(built.partner[partners], paired)  # symmetric
    assert partnered[paired].all() and not (built.partner[~partnered] >= 0).any()
    assert paired.size >= partnered.sum() - 1  # all but an odd one out
    assert all(built.ties[a, b] for a, b in zip(paired, partners, strict=True))
    assert np.mean(female[paired] != female[partners]) > 0.8


def test_an_edge_list_is_read_with_its_errors_named(tmp_path: Path) -> None:
    (tmp_path / "ties.csv").write_text("a,b\n0,1\n1,2\n2,3\n")
    built = network(size=4, kind="edge_list", edges="ties.csv", couples=False, folder=tmp_path)
    assert built.ties.nnz == 6
    for text, message in [
        ("0,1\n1,9\n", ":2: person numbers run from 0 to 3"),
        ("0,1\n2,2\n", ":2: a tie joins two people"),
        ("0,1\n1;2\n", ":2: expected two person numbers"),
    ]:
        (tmp_path / "bad.csv").write_text(text)
        with pytest.raises(EdgeListError, match=message):
            network(size=4, kind="edge_list", edges="bad.csv", couples=False, folder=tmp_path)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "groups"}, "groups"),
        ({"groups": [0.5, 0.5]}, "groups"),
        ({"kind": "groups", "groups": [0.5, 0.6]}, "groups"),
        ({"kind": "edge_list"}, "edges"),
        ({"degree": 0}, "degree"),
        ({"kind": "lattice"}, "kind"),
    ],
)
def test_bad_network_sections_name_the_field(fields: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        NetworkSpec.model_validate(fields)
    assert field in {str(error["loc"][0]) for error in raised.value.errors()}
