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


EXAMPLES = sorted((Path(__file__).parents[1] / "examples" / "communities").glob("*.yaml"))


@pytest.mark.parametrize("example", EXAMPLES, ids=[path.stem for path in EXAMPLES])
def test_each_example_community_runs(example: Path) -> None:
    data = yaml.safe_load(example.read_text())
    data["days"], data["people"]["size"] = 2, 24  # the example's design, smaller
    results, network = simulate_community(CommunitySpec.model_validate(data))
    assert list(results.arm.values) == list(data.get("arms", {"default": {}}))
    assert network.size == 24
    per_person = [name for name, values in results.data_vars.items() if "person" in values.dims]
    assert all(np.isfinite(results[name]).all() for name in per_person)
    correlations = [name for name in results.data_vars if str(name).endswith("_tie_correlation")]
    assert correlations and all(abs(results[name]).max() <= 1 for name in correlations)


MECHANISMS = {
    **COMMUNITY,
    "name": "mechanisms",
    "days": 3,
    "people": {**COMMUNITY["people"], "addiction_history": {"none": 0.5, "past": 0.5}},
    "life": {"meet": 0.5, "stress": 0.3, "evening_together": 1.0},
    "arms": {
        "plain": {},
        "everything": {
            "life": {
                "conflict": 1.0,
                "oxytocin_share": 0.5,
                "support_group": 1.0,
                "support_group_attendance": 1.0,
                "drug_cue": 1.0,
            }
        },
        "unseen": {"life": {"empathy": False}},
    },
    "record": ["salivary_cortisol", "plasma_oxytocin", "craving"],
}


@pytest.fixture(scope="module")
def mechanisms() -> xr.Dataset:
    return simulate_community(CommunitySpec.model_validate(MECHANISMS))[0]


def test_conflict_dosing_groups_and_cues_reach_the_right_people(mechanisms: xr.Dataset) -> None:
    plain, changed = mechanisms.sel(arm="plain"), mechanisms.sel(arm="everything")
    history = mechanisms.addiction_history != "none"
    # every couple's evening is a conflict: partners' cortisol above that of hugged evenings
    paired = mechanisms.partner >= 0
    assert float(changed.conflict.where(paired).mean()) == 1.0
    assert float(plain.conflict.sum()) == 0.0
    # half the people get 24 IU intranasal: their plasma oxytocin peaks higher
    dosed = changed.oxytocin == 1
    rise = (changed.salivary_cortisol - plain.salivary_cortisol).where(paired & ~dosed)
    assert float(rise.min()) > 0.0 and float(rise.mean()) > 0.1
    assert 0.3 < float(dosed.mean()) < 0.7
    plasma_gain = changed.plasma_oxytocin_peak / plain.plasma_oxytocin_peak
    assert (
        float(plasma_gain.where(dosed).min()) > 1.5 and float(plasma_gain.where(dosed).mean()) > 3
    )
    # cues and the support group only for people with an addiction history, every day
    np.testing.assert_array_equal(changed.cue.values, np.broadcast_to(history, (3, 40)).T)
    np.testing.assert_array_equal(changed.support_group_member.values, history.values)
    assert float(changed.craving_peak.where(history).mean()) > 1.5 * float(
        plain.craving_peak.where(history).mean()
    )


def test_oxytocin_shares_are_nested_and_the_same_people_in_every_arm() -> None:
    data = {
        **MECHANISMS,
        "days": 1,
        "arms": {f"share_{k}": {"life": {"oxytocin_share": k / 10}} for k in (2, 5)},
    }
    dosed = simulate_community(CommunitySpec.model_validate(data))[0].oxytocin
    fewer, more = dosed.sel(arm="share_2"), dosed.sel(arm="share_5")
    assert float(fewer.sum()) < float(more.sum()) and bool((fewer <= more).all())


def test_a_partner_s_stress_is_felt_only_when_seen(mechanisms: xr.Dataset) -> None:
    """Empathic stress (Engert 2014): the partner's stressful day raises one's own cortisol."""
    seen, unseen = mechanisms.sel(arm="plain"), mechanisms.sel(arm="unseen")
    partner = mechanisms.partner.values
    partner_stressed = xr.zeros_like(seen.stressed)
    paired = partner >= 0
    partner_stressed[paired] = seen.stressed.values[partner[paired]]
    calm_self = (seen.stressed == 0) & (partner_stressed == 1)
    # the day's mean: its peak is the morning's, before the partner's strain is seen
    rise = (seen.salivary_cortisol - unseen.salivary_cortisol).where(calm_self)
    assert int(calm_self.sum()) > 5 and float(rise.min()) > 0.01


def test_multirate_days_match_fine_steps() -> None:
    """4-min steps between exchanges, 1-min around them, against 1-min steps all day."""
    data = {**MECHANISMS, "arms": {"everything": MECHANISMS["arms"]["everything"]}}
    fine = simulate_community(CommunitySpec.model_validate({**data, "steps": "fine"}))[0]
    multirate = simulate_community(CommunitySpec.model_validate(data))[0]
    for name in ("salivary_cortisol", "plasma_oxytocin", "craving"):
        np.testing.assert_allclose(multirate[name], fine[name], rtol=2e-3, err_msg=name)
        np.testing.assert_allclose(multirate[f"{name}_peak"], fine[f"{name}_peak"], rtol=2e-2)
    np.testing.assert_allclose(multirate.expression, fine.expression, atol=5e-3)
    xr.testing.assert_identical(multirate.stressed, fine.stressed)
