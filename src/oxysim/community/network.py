"""Who knows whom in a community: a seeded networkx graph over its people, and its couples.

The graph comes from a networkx generator (small world, scale free, a stochastic block model of
groups) or an edge list; the community layer uses it as a sparse matrix (SciPy CSR), so that
exchanges along ties are sparse-matrix operations. Couples pair partnered people: each with a
partnered neighbour of the other sex where there is one, else a partnered person of the other
sex from anywhere (who becomes a tie), else a partnered neighbour or anyone left. Every draw
comes from the generator handed in, so the same seed gives the same network.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import networkx as nx
import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from oxysim.community.spec import NetworkSpec

Indices = NDArray[np.int64]


class EdgeListError(ValueError):
    """An edge-list file that cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class Network:
    """The ties of ``n`` people, their groups and their partners (-1: none in the community)."""

    graph: nx.Graph
    ties: sparse.csr_matrix
    group: Indices
    partner: Indices

    @property
    def size(self) -> int:
        """Number of people."""
        return int(self.ties.shape[0])

    def degree(self) -> NDArray[np.float64]:
        """Ties of each person."""
        return np.asarray(self.ties.sum(axis=1)).ravel()

    @cached_property
    def tie_ends(self) -> tuple[Indices, Indices]:
        """Both ends of every tie, each tie once (the lower number first)."""
        rows, columns = self.ties.nonzero()
        keep = rows < columns
        return rows[keep].astype(np.int64), columns[keep].astype(np.int64)

    def within_group_share(self) -> float:
        """Share of the ties that join two people of the same group."""
        rows, columns = self.ties.nonzero()
        return float(np.mean(self.group[rows] == self.group[columns])) if rows.size else 0.0


def build_network(
    spec: NetworkSpec,
    size: int,
    rng: np.random.Generator,
    partnered: NDArray[np.bool_],
    female: NDArray[np.bool_],
    folder: Path = Path("."),
) -> Network:
    """The network of ``size`` people as ``spec`` says; an edge list is read from ``folder``."""
    seed = int(rng.integers(2**32))
    group = _groups(spec, size)
    graph = _graph(spec, size, seed, group, folder)
    partner = _couples(graph, partnered, female, rng) if spec.couples else np.full(size, -1)
    for person in np.flatnonzero(partner >= 0):
        graph.add_edge(int(person), int(partner[person]))
    nx.set_node_attributes(graph, {i: int(g) for i, g in enumerate(group)}, "group")
    ties = nx.to_scipy_sparse_array(graph, nodelist=range(size), dtype=np.int8, format="csr")
    return Network(graph, sparse.csr_matrix(ties), group, partner.astype(np.int64))


def _groups(spec: NetworkSpec, size: int) -> Indices:
    """Each person's group: consecutive blocks with the spec's shares (largest remainder)."""
    shares = np.asarray(spec.groups or (1.0,), dtype=float)
    exact = shares / shares.sum() * size
    counts = np.floor(exact).astype(int)
    counts[np.argsort(counts - exact)[: size - counts.sum()]] += 1
    return np.repeat(np.arange(len(counts)), counts).astype(np.int64)


def _graph(spec: NetworkSpec, size: int, seed: int, group: Indices, folder: Path) -> nx.Graph:
    degree = min(spec.degree, size - 1)
    if spec.kind == "edge_list":
        assert spec.edges is not None
        graph = nx.empty_graph(size)
        graph.add_edges_from(read_edge_list(folder / spec.edges, size))
        return graph
    if spec.kind == "scale_free":
        return nx.barabasi_albert_graph(size, max(1, min(round(degree / 2), size - 1)), seed=seed)
    if spec.kind == "small_world":
        k = max(2, 2 * round(degree / 2)) if size > 2 else size - 1
        return nx.connected_watts_strogatz_graph(size, min(k, size - 1), spec.rewire, seed=seed)
    counts = np.bincount(group)
    within = [min(1.0, degree * spec.within / max(c - 1, 1)) for c in counts]
    between = [min(1.0, degree * (1 - spec.within) / max(size - c, 1)) for c in counts]
    probabilities = [
        [within[g] if g == h else math.sqrt(between[g] * between[h]) for h in range(len(counts))]
        for g in range(len(counts))
    ]
    graph = nx.stochastic_block_model(
        counts.tolist(), probabilities, seed=seed, sparse=True, directed=False
    )
    plain = nx.empty_graph(size)  # without the block model's node and graph attributes, which
    plain.add_edges_from(graph.edges)  # GraphML cannot hold (lists)
    return plain


def read_edge_list(path: Path, size: int) -> list[tuple[int, int]]:
    """The ties in a CSV file of two person numbers per line (0 to size - 1; a header is allowed).

    Raises :class:`EdgeListError` naming the file and line of the first problem.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise EdgeListError(f"cannot read {path}: {error.strerror}") from None
    edges = []
    for number, row in enumerate(csv.reader(text.splitlines()), start=1):
        if not row or (number == 1 and not row[0].strip().lstrip("-").isdigit()):
            continue
        where = f"{path}:{number}"
        if len(row) != 2 or not all(cell.strip().lstrip("-").isdigit() for cell in row):
            raise EdgeListError(f"{where}: expected two person numbers, got {','.join(row)!r}")
        a, b = (int(cell) for cell in row)
        if not (0 <= a < size and 0 <= b < size):
            raise EdgeListError(f"{where}: person numbers run from 0 to {size - 1}, got {a},{b}")
        if a == b:
            raise EdgeListError(f"{where}: a tie joins two people, got {a} twice")
        edges.append((a, b))
    return edges


def _couples(
    graph: nx.Graph,
    partnered: NDArray[np.bool_],
    female: NDArray[np.bool_],
    rng: np.random.Generator,
) -> Indices:
    """Pair partnered people, in a seeded order: a neighbour first, of the other sex first."""
    size = len(partnered)
    partner = np.full(size, -1, dtype=np.int64)
    free = set(np.flatnonzero(partnered).tolist())
    order = rng.permutation(np.flatnonzero(partnered)).tolist()
    # the fallbacks: the next free woman, man or anyone, in the same seeded order
    queues = {sex: iter([n for n in order if female[n] == sex]) for sex in (True, False)}
    anyone = iter(order)
    for person in order:
        if person not in free:
            continue
        free.discard(person)
        near = sorted(n for n in graph.neighbors(person) if n in free)
        other_sex = [n for n in near if female[n] != female[person]]
        choice = other_sex[0] if other_sex else _next_free(queues[not female[person]], free)
        if choice < 0:
            choice = near[0] if near else _next_free(anyone, free)
        if choice < 0:
            break
        free.discard(choice)
        partner[person], partner[choice] = choice, person
    return partner


def _next_free(queue: Iterator[int], free: set[int]) -> int:
    """The next person of ``queue`` still free, or -1."""
    return next((n for n in queue if n in free), -1)
