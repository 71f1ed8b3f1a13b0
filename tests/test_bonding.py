"""The bonding sub-model on its own: contract, resting state, coincidence rule, readouts."""

import numpy as np
import pytest

from oxysim.model.bonding import BONDING, PARAMETERS, bond_oxytocin_drive
from oxysim.model.submodel import Signals

PARAMS = Signals({p.name: np.array(p.value) for p in PARAMETERS})
PRAIRIE = Signals(
    {p.name: np.array(p.species_values.get("prairie_vole", p.value)) for p in PARAMETERS}
)
REST_INPUTS = {v.name: 0.0 for v in BONDING.inputs} | {
    "oxtr_signal_nac_vta": 1.3,
    "nac_dopamine": 1.0,
}
MATING = {"social_partner": 1.0, "mating": 1.0, "oxtr_signal_nac_vta": 3.0, "nac_dopamine": 3.5}


def _signals(params, state=None, **inputs):
    signals = Signals({**REST_INPUTS, **inputs})
    signals.update(state or BONDING.resting_state_fn(Signals(signals), params))
    signals.update(BONDING.outputs_fn(signals, params))
    return signals


def _bond_after(minutes, params=PRAIRIE, **inputs):
    """Bond strength after ``minutes`` of inputs held fixed, from rest (forward Euler, 1 min)."""
    state = dict(BONDING.resting_state_fn(Signals(REST_INPUTS), params))
    for _ in range(minutes):
        rates = BONDING.rates_fn(_signals(params, state, **inputs), params)
        state = {name: state[name] + rates[name] for name in state}
    return float(state["pair_bond_strength"])


def test_functions_return_exactly_the_declared_names():
    signals = _signals(PARAMS, **MATING)
    assert set(BONDING.outputs_fn(signals, PARAMS)) == set(BONDING.output_names)
    assert set(BONDING.rates_fn(signals, PARAMS)) == set(BONDING.state_names)


@pytest.mark.parametrize("partnered", [0.0, 1.0])
def test_rates_vanish_at_rest(partnered):
    rates = BONDING.rates_fn(_signals(PARAMS, is_partnered=partnered), PARAMS)
    assert all(np.allclose(rate, 0.0) for rate in rates.values())


def test_partnered_people_rest_at_an_established_bond_singles_at_none():
    bonds = [float(_signals(PARAMS, is_partnered=p).pair_bond_strength) for p in (0.0, 1.0)]
    assert bonds == pytest.approx([0.0, float(PARAMS.established_bond_strength)])


def test_rate_constants_are_stable_for_rk4():
    bounds = {p.name: p.bounds for p in PARAMETERS}
    assert bounds["bond_formation_rate"][1] * 10.0 * 5.0 < 0.7  # drive x dopamine rise, generous
    assert 1.0 / bounds["oxytocin_habituation_time_constant"][0] < 0.7


def test_no_bond_forms_without_oxytocin_or_without_dopamine_or_without_the_partner():
    assert _bond_after(120, **{**MATING, "oxtr_antagonist_central": 1.0}) == 0.0
    assert _bond_after(120, **{**MATING, "nac_dopamine": 1.0}) == 0.0
    assert _bond_after(120, **{**MATING, "social_partner": 0.0, "mating": 0.0}) == 0.0
    assert _bond_after(120, **MATING) > 0.05


def test_prairie_voles_bond_faster_than_the_reference_density():
    prairie, reference = _bond_after(60, PRAIRIE, **MATING), _bond_after(60, PARAMS, **MATING)
    assert prairie / reference == pytest.approx(4.0, rel=0.1)


def test_oxytocin_drive_is_the_signal_above_its_habitual_level():
    signals = Signals({**REST_INPUTS, "habitual_nac_oxytocin_signal": 1.3})
    assert float(bond_oxytocin_drive(signals, PARAMS)) == 0.0
    signals["oxtr_signal_nac_vta"] = 2.3
    assert float(bond_oxytocin_drive(signals, PRAIRIE)) == pytest.approx(4.0)


def test_preference_readout_is_one_without_a_bond_and_saturates():
    unbonded = _signals(PARAMS)
    bonded = _signals(PARAMS, {"pair_bond_strength": 1.0, "habitual_nac_oxytocin_signal": 1.3})
    assert float(unbonded.partner_preference_ratio) == 1.0
    assert float(unbonded.extra_pair_mating_share) == 0.5
    expected = 1.0 + PARAMS.partner_preference_gain / (1.0 + PARAMS.partner_preference_half_bond**2)
    assert float(bonded.partner_preference_ratio) == pytest.approx(expected)
    assert 0.05 < float(bonded.extra_pair_mating_share) < 0.5


def test_oxytocin_widens_distance_to_a_potential_mate_only_with_a_bond():
    rest = {"oxtr_signal_nac_vta": 1.0, "habitual_nac_oxytocin_signal": 1.0}
    dosed = {**REST_INPUTS, "oxtr_signal_nac_vta": 1.5}
    for bond, extra in ((0.0, 0.0), (0.8, 0.8 * 0.5 * PARAMS.bond_protective_distance_gain)):
        state = {"pair_bond_strength": bond, "habitual_nac_oxytocin_signal": 1.0}
        placebo = _signals(PARAMS, state, **{**REST_INPUTS, **rest})
        oxytocin = _signals(PARAMS, state, **dosed)
        change = oxytocin.stop_distance_potential_mate - placebo.stop_distance_potential_mate
        assert float(change) == pytest.approx(extra)
        assert float(oxytocin.stop_distance_stranger) == float(placebo.stop_distance_stranger)


def test_behaviour_ratio_rises_with_bond_salience():
    state = {"pair_bond_strength": 0.8, "habitual_nac_oxytocin_signal": 1.0}
    placebo = _signals(PARAMS, state, oxtr_signal_nac_vta=1.0)
    oxytocin = _signals(PARAMS, state, oxtr_signal_nac_vta=2.0)
    gain = float(
        oxytocin.positive_negative_behaviour_ratio / placebo.positive_negative_behaviour_ratio
    )
    assert gain == pytest.approx(1.0 + PARAMS.affiliative_behaviour_gain * 0.8)
