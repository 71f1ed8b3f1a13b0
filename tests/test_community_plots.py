"""Community figures: each panel compares the people it says it does, and the commands draw them."""

from pathlib import Path

import networkx as nx
import numpy as np
import pytest
import xarray as xr
import yaml
from typer.testing import CliRunner

from oxysim.cli import app
from oxysim.community.plots import is_community, plot_emergent, plot_network
from oxysim.community.series import WARM_REPLY

PNG = b"\x89PNG"


def _results(**variables: np.ndarray) -> xr.Dataset:
    """Person x day results of one arm: four people, two couples (0-1, 2-3), three days."""
    coords = {
        "arm": ["only"],
        "person": ["0", "1", "2", "3"],
        "day": [0, 1, 2],
        "partner": ("person", [1, 0, 3, 2]),
        "attachment": ("person", ["secure", "anxious", "secure", "anxious"]),
        "addiction_history": ("person", ["past", "none", "past", "past"]),
    }
    data = {
        name: (("arm", "person", "day") if values.ndim == 2 else ("arm", "person"), values[None])
        for name, values in variables.items()
    }
    return xr.Dataset(data, coords=coords, attrs={"title": "four people"})


def _lines(results: xr.Dataset, title: str) -> dict[str, np.ndarray]:
    from oxysim.community.plots import _panels

    (lines,) = [lines for name, _, lines in _panels() if name == title]
    return {label: series.values for label, series in lines(results.isel(arm=0))}


def test_spirals_count_warm_and_cold_replies() -> None:
    expression = np.array([[0.5, 0.1, -0.3], [WARM_REPLY, -0.5, -0.3], [0, 0, 0.9], [-1, 0.3, 0]])
    lines = _lines(_results(expression=expression), "expression spirals")
    np.testing.assert_allclose(lines["warm replies"], [0.5, 0.25, 0.25])
    np.testing.assert_allclose(lines["cold replies"], [0.25, 0.25, 0.5])


def test_contagion_compares_calm_people_by_their_partner_s_day() -> None:
    stressed = np.array([[1, 0, 0], [0, 0, 0], [0, 1, 0], [0, 0, 0]], dtype=float)
    together = np.array([[1, 1, 0], [1, 1, 0], [0, 1, 1], [0, 1, 1]], dtype=float)
    cortisol = np.arange(12, dtype=float).reshape(4, 3)
    lines = _lines(
        _results(
            stressed=stressed,
            together=together,
            salivary_cortisol=cortisol,
            expression=0 * cortisol,
        ),
        "stress contagion (people not stressed themselves)",
    )
    # day 0: person 1's partner (0) was stressed, together; persons 2, 3 calm with calm partners
    np.testing.assert_allclose(lines["partner stressed, evening together"], [3, 10, np.nan])
    np.testing.assert_allclose(lines["partner not stressed"], [(6 + 9) / 2, (1 + 4) / 2, 6.5])
    assert "partner stressed, apart" not in lines  # nobody on any day


def test_craving_is_read_in_people_in_recovery_only() -> None:
    craving = np.array([[0.1] * 3, [0.9] * 3, [0.3] * 3, [0.5] * 3])
    results = _results(
        craving=craving, expression=0 * craving, support_group_member=np.array([1.0, 1, 0, 0])
    )
    lines = _lines(results, "craving in recovery")
    np.testing.assert_allclose(lines["in recovery, group member"], [0.1] * 3)  # not person 1
    np.testing.assert_allclose(lines["in recovery, not a member"], [0.4] * 3)


def test_only_the_panels_the_results_hold_are_drawn(tmp_path: Path) -> None:
    closeness = np.linspace(0.2, 0.8, 12).reshape(4, 3)
    results = _results(close_circle_closeness=closeness, expression=0 * closeness)
    assert is_community(results)
    titles = plot_emergent(results, tmp_path / "emergent.png")
    assert titles == ["close-circle closeness by attachment", "expression spirals"]
    assert (tmp_path / "emergent.png").read_bytes().startswith(PNG)
    lines = _lines(results, "close-circle closeness by attachment")
    np.testing.assert_allclose(lines["secure"], (closeness[0] + closeness[2]) / 2)


def test_the_network_is_coloured_by_a_person_s_state_and_refuses_others(tmp_path: Path) -> None:
    expression = np.zeros((4, 3))
    results = _results(expression=expression, oxytocin=np.array([1.0, 0, 1, 0]))
    graph: nx.Graph[int] = nx.cycle_graph(4)
    plot_network(results, graph, tmp_path / "net.png", "oxytocin")
    assert (tmp_path / "net.png").read_bytes().startswith(PNG)
    with pytest.raises(ValueError, match="per-person variables: \\['expression', 'oxytocin'\\]"):
        plot_network(results, graph, tmp_path / "bad.png", "plasma_oxytocin")
    with pytest.raises(ValueError, match="day must be in 0..2, got 3"):
        plot_network(results, graph, tmp_path / "bad.png", "expression", day=3)
    assert not (tmp_path / "bad.png").exists()


def test_the_commands_draw_the_figures_and_refuse_a_bad_colour(tmp_path: Path) -> None:
    path = tmp_path / "town.yaml"
    town = {
        "name": "town",
        "seed": 2,
        "days": 2,
        "people": {"size": 12, "relationship": {"partnered": 0.6, "single": 0.4}},
        "network": {"kind": "small_world", "degree": 4},
        "record": ["salivary_cortisol", "close_circle_closeness"],
    }
    path.write_text(yaml.safe_dump(town))
    runner = CliRunner()
    refused = runner.invoke(
        app, ["community", str(path), "-o", str(tmp_path / "x.nc"), "--plot",
              str(tmp_path / "x.png"), "--color-by", "craving"],
    )  # fmt: skip
    assert refused.exit_code == 2 and "--color-by must be one of" in refused.output
    assert not list(tmp_path.glob("x*"))
    output, figure = tmp_path / "town.nc", tmp_path / "town.png"
    ran = runner.invoke(
        app, ["community", str(path), "-o", str(output), "--plot", str(figure),
              "--color-by", "close_circle_closeness"],
    )  # fmt: skip
    assert ran.exit_code == 0, ran.output
    assert (tmp_path / "town-network.png").read_bytes().startswith(PNG)
    again = tmp_path / "again.png"
    replot = runner.invoke(app, ["plot", str(output), "-o", str(again), "--color-by", "expression"])
    assert replot.exit_code == 0, replot.output
    assert again.read_bytes().startswith(PNG)
    assert (tmp_path / "again-network.png").read_bytes().startswith(PNG)
