"""Community runs: reproducible, arms that change only what they change, and the file's errors."""

from pathlib import Path

import numpy as np
import pytest
import xarray as xr
import yaml
from typer.testing import CliRunner

from oxysim.cli import app
from oxysim.community.run import simulate_community
from oxysim.community.spec import CommunitySpec

COMMUNITY = {
    "name": "small-town",
    "seed": 5,
    "days": 4,
    "people": {
        "size": 40,
        "sex": {"male": 0.5, "female": 0.5},
        "relationship": {"partnered": 0.6, "single": 0.4},
        "attachment": {"secure": 0.5, "anxious": 0.5},
    },
    "network": {"kind": "small_world", "degree": 6},
    "life": {"meet": 0.5, "stress": 0.2},
    "arms": {"evenings": {}, "apart": {"life": {"evening_together": 0.0}}},
}


@pytest.fixture(scope="module")
def town() -> xr.Dataset:
    return simulate_community(CommunitySpec.model_validate(COMMUNITY))[0]


def test_the_same_seed_gives_the_same_community(town: xr.Dataset) -> None:
    again = simulate_community(CommunitySpec.model_validate(COMMUNITY))[0]
    xr.testing.assert_identical(again.drop_attrs(), town.drop_attrs())
    assert dict(town.salivary_cortisol.sizes) == {"arm": 2, "person": 40, "day": 4}


def test_evenings_together_bring_partners_closer_and_leave_singles_alone(
    town: xr.Dataset,
) -> None:
    closeness = town.close_circle_closeness
    paired = town.partner >= 0
    last = closeness.isel(day=-1)
    together, apart = last.sel(arm="evenings"), last.sel(arm="apart")
    assert float((together - apart).where(paired).mean()) > 0.05
    # the arms share every draw: people without a partner here live the same days in both
    np.testing.assert_array_equal(
        closeness.sel(arm="evenings").where(~paired, 0).values,
        closeness.sel(arm="apart").where(~paired, 0).values,
    )
    assert float(town.together.sel(arm="apart").sum()) == 0.0


def test_anxious_people_read_and_answer_expressions_less_warmly(town: xr.Dataset) -> None:
    """S4.4: the same meetings, read through each person's attachment bias."""
    shown = town.expression.sel(arm="evenings").isel(day=-1)
    by_style = shown.groupby("attachment").mean()
    assert float(by_style.sel(attachment="secure")) > float(by_style.sel(attachment="anxious"))


def test_the_command_writes_results_and_network_and_refuses_bad_files(tmp_path: Path) -> None:
    path = tmp_path / "town.yaml"
    small = {**COMMUNITY, "days": 2, "people": {**COMMUNITY["people"], "size": 12}}
    path.write_text(yaml.safe_dump(small, sort_keys=False))
    output = tmp_path / "town.nc"
    result = CliRunner().invoke(app, ["community", str(path), "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert xr.open_dataset(output).person.size == 12
    assert "<graphml" in (tmp_path / "town.graphml").read_text()
    for change, message in [
        ({"life": {"meet": 2}}, "life.meet: must be between 0 and 1"),
        ({"arms": {"x": {"life": {"talk": 1}}}}, "arms.x.life.talk: unknown key 'talk'"),
        ({"network": {"kind": "groups"}}, "network.groups: give `groups`"),
    ]:
        path.write_text(yaml.safe_dump({**small, **change}, sort_keys=False))
        result = CliRunner().invoke(app, ["community", str(path), "-o", str(tmp_path / "bad.nc")])
        assert result.exit_code == 2 and not (tmp_path / "bad.nc").exists()
        assert message in " ".join(result.output.split()), result.output


def test_the_example_community_runs() -> None:
    example = Path(__file__).parents[1] / "examples" / "communities" / "couples_and_meetings.yaml"
    data = yaml.safe_load(example.read_text())
    data["days"], data["people"]["size"] = 2, 16  # the example's design, smaller
    results, network = simulate_community(CommunitySpec.model_validate(data))
    assert list(results.arm.values) == ["evenings", "apart"]
    assert network.size == 16 and np.isfinite(results.salivary_cortisol).all()
