"""The social-cognition sub-model on its own: oxytocin action, bias, expression loop, trust."""

import numpy as np
import pytest

from oxysim.experiments.social import maximal_share, observed_transfer, small_trial_shares
from oxysim.model.social import PARAMETERS, SOCIAL, oxytocin_action
from oxysim.model.submodel import Signals

PARAMS = Signals({p.name: np.array(p.value) for p in PARAMETERS})
REST_INPUTS = {v.name: 0.0 for v in SOCIAL.inputs} | {
    "oxtr_signal_amygdala": 1.0,
    "oxtr_signal_nac_vta": 1.0,
    "attachment_anxiety": PARAMS.appraisal_neutral_anxiety,
    "attachment_avoidance": PARAMS.appraisal_neutral_avoidance,
}
SECURE = {"attachment_anxiety": 2.6, "attachment_avoidance": 2.3}
ANXIOUS = {"attachment_anxiety": 4.8, "attachment_avoidance": 3.0}
DOSED = {"oxtr_signal_amygdala": 1.8, "oxtr_signal_nac_vta": 1.8}
BEGINNING_SMILE = {"expression_valence": 0.4, "expression_formation": 0.2}


def _signals(inputs, state=None):
    signals = Signals({**REST_INPUTS, **inputs})
    signals.update(SOCIAL.static_fn(signals, PARAMS))
    signals.update(SOCIAL.resting_state_fn(signals, PARAMS))
    signals.update(state or {})
    signals.update(SOCIAL.outputs_fn(signals, PARAMS))
    return signals


def outputs(**inputs):
    """Outputs at rest (no expression shown) for the given inputs."""
    return _signals(inputs)


def partner_after(minutes, **inputs):
    """The other person's expression after ``minutes`` of an exchange (RK4, 1-min step)."""
    state = {"partner_expression": np.array(0.0)}

    def rate(p):
        return SOCIAL.rates_fn(_signals(inputs, {"partner_expression": p}), PARAMS)[
            "partner_expression"
        ]

    for _ in range(minutes):
        p = state["partner_expression"]
        k1 = rate(p)
        k2 = rate(p + k1 / 2)
        k3 = rate(p + k2 / 2)
        k4 = rate(p + k3)
        state["partner_expression"] = p + (k1 + 2 * k2 + 2 * k3 + k4) / 6
    return float(state["partner_expression"])


# --- contract and rest ------------------------------------------------------------------------


def test_functions_return_exactly_the_declared_names():
    signals = _signals(BEGINNING_SMILE)
    assert set(SOCIAL.outputs_fn(signals, PARAMS)) == set(SOCIAL.output_names)
    assert set(SOCIAL.rates_fn(signals, PARAMS)) == set(SOCIAL.state_names)


def test_resting_state_has_zero_rates_for_any_subject():
    inputs = {
        "attachment_anxiety": np.array([1.0, 3.6, 7.0]),
        "oxtr_signal_amygdala": np.array([0.5, 1.0, 2.0]),
    }
    signals = _signals(inputs)
    np.testing.assert_allclose(signals.partner_expression, 0.0)
    np.testing.assert_allclose(SOCIAL.rates_fn(signals, PARAMS)["partner_expression"], 0.0)


def test_time_constant_is_stable_for_rk4():
    tau = next(p for p in PARAMETERS if p.name == "partner_expression_time_constant")
    assert 1.0 / tau.bounds[0] < 0.7


def test_every_oxytocin_gain_keeps_behaviour_non_negative():
    for parameter in PARAMETERS:
        if parameter.name.endswith(("_gain", "_amplification")) and "rivalry" not in parameter.name:
            assert parameter.bounds[1] <= 1.0, parameter.name


# --- oxytocin action --------------------------------------------------------------------------


def test_action_is_one_at_reference_zero_without_oxytocin_or_when_blocked():
    action = oxytocin_action(np.array([0.0, 1.0, 1e9, 1.0]), np.array([0, 0, 0, 1.0]), PARAMS)
    k = PARAMS.social_oxytocin_half_signal
    np.testing.assert_allclose(action, [0.0, 1.0, 1.0 + k, 0.0], rtol=1e-6)


def test_oxytocin_raises_salience_affiliation_and_face_recognition():
    rest, dosed = outputs(), outputs(**DOSED)
    for name in ("social_salience", "affiliative_motivation", "face_recognition_accuracy"):
        assert dosed[name] > rest[name], name
    assert dosed.social_cue_detection_latency < rest.social_cue_detection_latency
    assert rest.social_cue_detection_latency == pytest.approx(PARAMS.cue_detection_latency_baseline)


def test_lower_receptor_signal_gives_small_deficits():
    aa = outputs(oxtr_signal_amygdala=0.45, oxtr_signal_nac_vta=0.45)
    gg = outputs()
    assert 0.0 < gg.face_recognition_accuracy - aa.face_recognition_accuracy < 0.08
    assert 0.0 < gg.affiliative_motivation - aa.affiliative_motivation < 0.2


# --- dispositions amplified ---------------------------------------------------------------------


def test_bias_is_prosocial_when_secure_threat_when_anxious_and_oxytocin_amplifies_both():
    secure, anxious = outputs(**SECURE), outputs(**ANXIOUS)
    assert secure.social_appraisal_bias > 0.1
    assert anxious.social_appraisal_bias < -0.1
    assert outputs(**SECURE, **DOSED).social_appraisal_bias > secure.social_appraisal_bias
    assert outputs(**ANXIOUS, **DOSED).social_appraisal_bias < anxious.social_appraisal_bias
    assert outputs().social_appraisal_bias == pytest.approx(0.0)


def test_blocking_receptors_shrinks_the_bias():
    blocked = outputs(**ANXIOUS, oxtr_antagonist_central=1.0).social_appraisal_bias
    assert abs(blocked) < abs(outputs(**ANXIOUS).social_appraisal_bias)


# --- the expression loop (S4.4) ------------------------------------------------------------------


def test_a_beginning_smile_becomes_a_smile_with_a_secure_and_a_scowl_with_an_anxious_reader():
    assert partner_after(10, **BEGINNING_SMILE, **SECURE) > 0.4
    assert partner_after(10, **BEGINNING_SMILE, **ANXIOUS) < -0.1


def test_oxytocin_sharpens_both_loops():
    assert partner_after(10, **BEGINNING_SMILE, **SECURE, **DOSED) > partner_after(
        10, **BEGINNING_SMILE, **SECURE
    )
    assert partner_after(10, **BEGINNING_SMILE, **ANXIOUS, **DOSED) < partner_after(
        10, **BEGINNING_SMILE, **ANXIOUS
    )


def test_a_fully_formed_expression_is_kept_whatever_the_reply():
    full = {"expression_valence": 0.8, "expression_formation": 1.0}
    assert partner_after(20, **full, **ANXIOUS) == pytest.approx(0.8, abs=1e-3)
    reading = _signals(full | ANXIOUS, {"partner_expression": np.array(0.8)}).perceived_valence
    assert 0.7 < reading < 0.8


def test_readings_and_replies_stay_in_range():
    signals = _signals(
        {"attachment_anxiety": 7.0, "attachment_avoidance": 7.0, "oxtr_signal_amygdala": 50.0},
        {"partner_expression": np.array(-1.0)},
    )
    assert -1.0 <= signals.perceived_valence <= 1.0
    assert -1.0 <= signals.expression_reply <= 1.0


# --- trust and groups ---------------------------------------------------------------------------


def test_oxytocin_raises_trust_a_little_and_leaves_the_risk_game_alone():
    trust = outputs(social_stranger=1.0).investment_fraction
    trust_dosed = outputs(social_stranger=1.0, **DOSED).investment_fraction
    assert 0.0 < trust_dosed / trust - 1.0 < 0.1
    assert outputs(**DOSED).investment_fraction == pytest.approx(PARAMS.investment_baseline)


def test_group_behaviour_needs_the_groups_and_favouritism_rises_more_than_derogation():
    rest = outputs()
    assert rest.ingroup_cooperation == 0.0 and rest.defensive_aggression == 0.0
    both = {"social_ingroup": 1.0, "social_outgroup": 1.0}
    placebo, dosed = outputs(**both), outputs(**both, **DOSED)
    favouritism = dosed.ingroup_cooperation / placebo.ingroup_cooperation - 1.0
    derogation = dosed.defensive_aggression / placebo.defensive_aggression - 1.0
    assert favouritism > derogation > 0.0
    assert dosed.offensive_aggression == placebo.offensive_aggression > 0.0
    assert dosed.envy_schadenfreude > placebo.envy_schadenfreude > outputs().envy_schadenfreude


# --- the small-trial analysis -------------------------------------------------------------------


def test_decisions_are_discretised_to_four_transfer_levels():
    values = observed_transfer(np.linspace(0, 1, 200), np.random.default_rng(0))
    assert set(np.round(values * 3).tolist()) <= {0.0, 1.0, 2.0, 3.0}
    assert maximal_share(np.array([1.0, 2 / 3, 1.0, 0.0])) == pytest.approx(0.5)


def test_small_trials_without_an_effect_rarely_show_the_original_difference():
    cohort = np.random.default_rng(1).lognormal(np.log(0.55), 0.43, 2000).clip(0, 1)
    differences = small_trial_shares(cohort, cohort)
    assert abs(differences.mean()) < 0.01
    assert 0.05 < differences.std() < 0.15
    assert np.mean(differences >= 0.24) < 0.03
