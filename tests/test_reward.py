"""The reward sub-model on its own: Hung 2017 directions, resting state, reward learning."""

import numpy as np
import pytest

from oxysim.model.reward import PARAMETERS, REWARD, SOCIAL_CHANNELS, oxytocin_gate
from oxysim.model.submodel import Signals

PARAMS = Signals({p.name: np.array(p.value) for p in PARAMETERS})
REST_INPUTS = {v.name: 0.0 for v in REWARD.inputs} | {
    "oxytocin_neuron_activity": 1.0,
    "oxtr_nac_vta": 1.0,
}
STATES = REWARD.state_names


def _signals(state, inputs):
    signals = Signals({**REST_INPUTS, **inputs, **state})
    signals.update(REWARD.outputs_fn(signals, PARAMS))
    return signals


def _derivative(state, inputs):
    return REWARD.rates_fn(_signals(state, inputs), PARAMS)


def simulate(schedule, minutes, state=None, step=1.0):
    """RK4 at a fixed step; ``schedule(t)`` gives the inputs, held over each step."""
    state = dict(state or REWARD.resting_state_fn(Signals(REST_INPUTS), PARAMS))
    trace = {name: [] for name in STATES + REWARD.output_names}
    for i in range(round(minutes / step)):
        inputs = schedule(i * step)
        k1 = _derivative(state, inputs)
        k2 = _derivative({n: state[n] + step / 2 * k1[n] for n in STATES}, inputs)
        k3 = _derivative({n: state[n] + step / 2 * k2[n] for n in STATES}, inputs)
        k4 = _derivative({n: state[n] + step * k3[n] for n in STATES}, inputs)
        state = {n: state[n] + step / 6 * (k1[n] + 2 * k2[n] + 2 * k3[n] + k4[n]) for n in STATES}
        signals = _signals(state, inputs)
        for name in trace:
            trace[name].append(np.asarray(signals[name], dtype=float))
    return {name: np.array(values) for name, values in trace.items()}


def held(minutes, **inputs):
    """Trace under inputs held fixed for ``minutes``."""
    return simulate(lambda t: inputs, minutes)


def social(**extra):
    """Inputs of a social interaction with a stranger (Hung 2017: a novel juvenile mouse)."""
    return {"social_stranger": 1.0, **extra}


def _value(**inputs):
    """Learned social value after a long episode (steady state, computed analytically)."""
    return float(
        REWARD.resting_state_fn(Signals({**REST_INPUTS, **inputs}), PARAMS)["social_reward_value"]
    )


# --- contract ---------------------------------------------------------------------------------


def test_functions_return_exactly_the_declared_names():
    signals = _signals(REWARD.resting_state_fn(Signals(REST_INPUTS), PARAMS), social())
    assert set(REWARD.outputs_fn(signals, PARAMS)) == set(REWARD.output_names)
    assert set(REWARD.rates_fn(signals, PARAMS)) == set(STATES)


def test_time_constants_are_stable_for_the_rk4_burn_in():
    for name in ("vta_dopamine_time_constant", "nac_dopamine_time_constant"):
        parameter = next(p for p in PARAMETERS if p.name == name)
        assert 1.0 / parameter.bounds[0] < 0.7
    learning = next(p for p in PARAMETERS if p.name == "social_learning_rate")
    assert learning.bounds[1] < 0.7


def test_oxytocin_gate_is_one_at_rest_zero_without_oxytocin_and_saturates():
    gate = oxytocin_gate(np.array([0.0, 1.0, 3.0, 1e9]), PARAMS)
    k = PARAMS.vta_oxytocin_half_signal
    np.testing.assert_allclose(gate, [0.0, 1.0, 3.0 * (1 + k) / (3.0 + k), 1 + k], rtol=1e-6)


# --- (4) resting state ------------------------------------------------------------------------


def test_resting_state_is_basal_and_has_zero_rates_for_any_subject():
    inputs = REST_INPUTS | {
        "oxytocin_neuron_activity": np.array([0.5, 1.0, 2.0]),
        "oxtr_nac_vta": np.array([0.7, 1.0, 1.4]),
    }
    rest = REWARD.resting_state_fn(Signals(inputs), PARAMS)
    np.testing.assert_allclose(rest["vta_dopamine_activity"], 1.0)
    np.testing.assert_allclose(rest["nac_dopamine"], 1.0)
    np.testing.assert_allclose(rest["social_reward_value"], 0.0)
    signals = Signals({**inputs, **rest})
    signals.update(REWARD.outputs_fn(signals, PARAMS))
    for name, rate in REWARD.rates_fn(signals, PARAMS).items():
        np.testing.assert_allclose(rate, 0.0, atol=1e-15, err_msg=name)
    np.testing.assert_allclose(signals.social_interaction_time_fraction, 0.0)
    np.testing.assert_allclose(signals.social_approach_drive, 1.0)


def test_steady_state_under_constant_social_contact_has_zero_rates():
    inputs = social(pvn_vta_activation=1.0)
    steady = REWARD.resting_state_fn(Signals({**REST_INPUTS, **inputs}), PARAMS)
    for name, rate in _derivative(steady, inputs).items():
        assert rate == pytest.approx(0.0, abs=1e-12), name


# --- (1) social interaction raises VTA activity and NAc dopamine --------------------------------


@pytest.mark.parametrize("channel", SOCIAL_CHANNELS)
def test_social_interaction_raises_vta_activity_and_nac_dopamine(channel):
    trace = held(40, **{channel: 1.0})
    expected = 1.0 + PARAMS.social_dopamine_gain
    assert trace["vta_dopamine_activity"][-1] == pytest.approx(expected, rel=0.01)
    assert trace["nac_dopamine"][-1] == pytest.approx(expected, rel=0.02)
    assert trace["nac_dopamine"][4] > 1.2  # within minutes of contact
    assert np.all(np.diff(trace["nac_dopamine"]) >= 0)


def test_dopamine_returns_to_basal_after_the_interaction():
    trace = simulate(lambda t: social() if t < 20 else {}, 80)
    assert trace["nac_dopamine"][19] > 1.3
    assert trace["nac_dopamine"][-1] == pytest.approx(1.0, abs=0.01)


def test_pvn_oxytocin_recruited_by_contact_enlarges_the_social_dopamine_response():
    basal = held(40, **social())["nac_dopamine"][-1] - 1.0
    recruited = held(40, **social(oxytocin_neuron_activity=2.0))["nac_dopamine"][-1] - 1.0
    assert recruited > 1.2 * basal


def test_mating_and_natural_reward_raise_dopamine_without_a_social_channel():
    assert held(40, mating=1.0)["nac_dopamine"][-1] > 1.5
    assert held(40, natural_reward=1.0)["nac_dopamine"][-1] > 1.3


# --- (2) PVN->VTA activation, silencing, antagonist ---------------------------------------------


def test_activating_the_tract_raises_and_silencing_it_lowers_interaction_time():
    control = held(60, **social())["social_interaction_time_fraction"][-1]
    activated = held(60, **social(pvn_vta_activation=1.0))["social_interaction_time_fraction"][-1]
    silenced = held(60, **social(pvn_vta_silencing=1.0))["social_interaction_time_fraction"][-1]
    assert 0.0 < silenced < 0.85 * control
    assert activated > 1.05 * control
    assert activated < 1.0


def test_activation_without_a_partner_gives_no_interaction_and_no_dopamine():
    trace = held(30, pvn_vta_activation=1.0)
    np.testing.assert_allclose(trace["social_interaction_time_fraction"], 0.0)
    np.testing.assert_allclose(trace["nac_dopamine"], 1.0)


def test_central_antagonist_and_low_receptor_density_lower_the_social_dopamine_response():
    control = held(40, **social())["nac_dopamine"][-1] - 1.0
    blocked = held(40, **social(oxtr_antagonist_central=1.0))["nac_dopamine"][-1] - 1.0
    fewer = held(40, **social(oxtr_nac_vta=0.5))["nac_dopamine"][-1] - 1.0
    f0 = PARAMS.social_drive_oxytocin_independent_fraction
    assert blocked == pytest.approx(f0 * control, rel=0.03)
    assert blocked < fewer < control


def test_normal_social_reward_requires_the_tract():
    control = _value(**social())
    assert _value(**social(pvn_vta_silencing=1.0)) < 0.5 * control
    assert _value(**social(oxtr_antagonist_central=1.0)) < 0.5 * control
    assert _value(**social(pvn_vta_activation=1.0)) > control


# --- (3) non-social reward is not gated ---------------------------------------------------------


def test_silencing_changes_the_non_social_response_much_less_than_the_social_one():
    def response(**inputs):
        return held(40, **inputs)["nac_dopamine"][-1] - 1.0

    social_change = abs(response(**social(pvn_vta_silencing=1.0)) - response(**social()))
    food_change = abs(
        response(natural_reward=1.0, pvn_vta_silencing=1.0) - response(natural_reward=1.0)
    )
    assert social_change > 0.2
    assert food_change < 0.2 * social_change


# --- (5) reward learning ------------------------------------------------------------------------


def test_social_value_rises_over_repeated_interactions_and_fades_slowly_between():
    bouts = [i * 240.0 for i in range(5)]

    def schedule(t):
        return social() if any(start <= t < start + 20 for start in bouts) else {}

    value = simulate(schedule, 1200)["social_reward_value"]
    after_bouts = value[[round(start + 19) for start in bouts]]
    before_next = value[[round(start - 1) for start in bouts[1:]]]
    assert np.all(np.diff(after_bouts) > 0.02)
    assert np.all(before_next > 0.95 * after_bouts[:-1])
    assert after_bouts[-1] < _value(**social()) + 1e-9


def test_social_value_and_outputs_stay_in_bounds_under_extreme_reward():
    inputs = social(
        social_partner=1.0,
        mating=1.0,
        natural_reward=1.0,
        pvn_vta_activation=3.0,
        oxytocin_neuron_activity=10.0,
        oxtr_nac_vta=3.0,
    )
    trace = held(600, **inputs)
    assert np.all((trace["social_reward_value"] >= 0) & (trace["social_reward_value"] <= 1))
    assert trace["social_reward_value"][-1] == pytest.approx(1.0, abs=1e-3)
    fraction = trace["social_interaction_time_fraction"]
    assert np.all((fraction > 0) & (fraction < 1))
