"""The addiction sub-model on its own: drug reward, withdrawal, craving, vulnerability, oxytocin."""

import math

import numpy as np
import pytest

from oxysim.experiments.addiction import chance_of_effect_at_least
from oxysim.model.addiction import ADDICTION, PARAMETERS
from oxysim.model.submodel import Signals

PARAMS = Signals({p.name: np.array(p.value) for p in PARAMETERS})
MOUSE = Signals({p.name: np.array(p.species_values.get("mouse", p.value)) for p in PARAMETERS})
REST = {v.name: 0.0 for v in ADDICTION.inputs} | {
    "nac_dopamine": 1.0,
    "oxtr_signal_nac_vta": 1.0,
    "oxtr_signal_amygdala": 1.0,
    "oxtr_signal_hippocampus": 1.0,
    "plasma_oxytocin": 3.0,
    "genetic_vulnerability": 0.5,
    "environmental_risk": 0.5,
}
STATES = ADDICTION.state_names
DAY = 1440.0
STEP = 10.0  # min; the model's own rates are below 0.01/min


def _subject(**covariates):
    """Inputs at rest plus the statics of a subject with the given covariates."""
    inputs = Signals({**REST, **covariates})
    inputs.update(ADDICTION.static_fn(inputs, PARAMS))
    return inputs


def _signals(state, inputs, params=PARAMS):
    signals = Signals({**inputs, **state})
    signals.update(ADDICTION.outputs_fn(signals, params))
    return signals


def _rest(subject):
    return ADDICTION.resting_state_fn(subject, PARAMS)


def _run(subject, minutes, schedule=lambda t: {}, step=STEP, params=PARAMS):
    """RK4 at ``step`` min; ``schedule(t)`` gives input changes held over each step."""

    def derivative(s, inputs):
        return ADDICTION.rates_fn(_signals(s, inputs, params), params)

    state = dict(_rest(subject))
    trace = []
    for i in range(round(minutes / step)):
        inputs = Signals({**subject, **schedule(i * step)})
        k1 = derivative(state, inputs)
        k2 = derivative({n: state[n] + step / 2 * k1[n] for n in STATES}, inputs)
        k3 = derivative({n: state[n] + step / 2 * k2[n] for n in STATES}, inputs)
        k4 = derivative({n: state[n] + step * k3[n] for n in STATES}, inputs)
        state = {n: state[n] + step / 6 * (k1[n] + 2 * k2[n] + 2 * k3[n] + k4[n]) for n in STATES}
        trace.append(_signals(state, inputs, params))
    return trace


@pytest.mark.parametrize(
    "covariates",
    [{}, {"addiction_current": 1.0}, {"addiction_past": 1.0, "genetic_vulnerability": 0.9}],
)
def test_resting_state_is_steady(covariates):
    subject = _subject(**covariates)
    rates = ADDICTION.rates_fn(_signals(_rest(subject), subject), PARAMS)
    assert all(abs(float(rates[n])) < 1e-12 for n in STATES)


def test_drug_free_person_is_untouched():
    out = _signals(_rest(_subject()), _subject())
    assert float(out["drug_dopamine"]) == 1.0
    assert float(out["natural_reward_sensitivity"]) == 1.0
    assert float(out["craving"]) == 0.0
    assert float(out["relapse_hazard"]) == 0.0


def test_stimulants_raise_dopamine_most():
    subject = _subject()
    rise = {}
    for substance in ("alcohol", "cocaine", "methamphetamine"):
        trace = _run(subject, 60.0, lambda t, s=substance: {f"drug_{s}": 1.0 / 30.0})
        rise[substance] = float(trace[-1]["drug_dopamine"]) - 1.0
    assert rise["methamphetamine"] > rise["cocaine"] > rise["alcohol"] > 0.3


def test_dependence_blunts_natural_reward_and_vulnerability_deepens_it():
    low = _signals(_rest(s := _subject(addiction_current=1.0, genetic_vulnerability=0.1)), s)
    high = _signals(_rest(s := _subject(addiction_current=1.0, genetic_vulnerability=0.9)), s)
    assert (
        0.5
        < float(high["natural_reward_sensitivity"])
        < float(low["natural_reward_sensitivity"])
        < 0.9
    )
    assert float(high["allostatic_load"]) > 1.3 * float(low["allostatic_load"])


def test_withdrawal_time_course_after_abstinence():
    """Alcohol withdrawal: starts within hours, peaks within 1-2 days, mostly gone after a week."""
    trace = _run(_subject(addiction_current=1.0), 7 * DAY, lambda t: {"abstinence": 1.0})
    severity = np.array([float(s["withdrawal_severity"]) for s in trace])
    peak_hour = (np.argmax(severity) + 1) * STEP / 60.0
    assert 6.0 <= peak_hour <= 48.0
    assert severity.max() > 0.3
    assert severity[-1] < 0.25 * severity.max()
    crh = np.array([float(s["withdrawal_crh_drive"]) for s in trace])
    assert crh.max() == pytest.approx(PARAMS.withdrawal_crh_gain * severity.max())


def test_repeated_use_builds_tolerance_and_allostasis():
    """A drug-naive person drinking heavily every evening for three weeks."""

    def evenings(t):
        return {"drug_alcohol": 8.0 / 120.0 if t % DAY < 120.0 else 0.0}

    trace = _run(_subject(), 21 * DAY, evenings, step=40.0)
    assert float(trace[-1]["drug_tolerance"]) > 0.2
    assert float(trace[-1]["allostatic_load"]) > 0.2
    assert float(trace[-1]["natural_reward_sensitivity"]) < 0.95


def test_cues_and_stress_raise_craving_after_a_past_dependence_only():
    past = _subject(addiction_past=1.0)
    naive = _subject()
    at_rest = float(_signals(_rest(past), past)["craving"])
    for primer in ({"drug_cue": 1.0}, {"stress_load": 1.0}):
        primed = _signals(_rest(past), Signals({**past, **primer}))
        assert float(primed["craving"]) > at_rest + 0.2
        assert float(_signals(_rest(naive), Signals({**naive, **primer}))["craving"]) == 0.0


def test_relapse_hazard_of_a_past_dependence_matches_yearly_relapse():
    """About half of treated patients relapse within a year (McLellan 2000)."""
    past = _subject(addiction_past=1.0)
    hazard = float(_signals(_rest(past), past)["relapse_hazard"])
    assert 0.4 <= 1.0 - math.exp(-365.0 * hazard) <= 0.6


def _oxytocin_effects(params, signal):
    subject = _subject(addiction_past=1.0)
    raised = {"oxtr_signal_nac_vta": signal, "oxtr_signal_amygdala": signal}
    state = {**_rest(subject), "drug_level": 0.2, "drug_tolerance": 0.5, "allostatic_load": 0.3}
    base = _signals(state, Signals({**subject, "drug_cue": 1.0}), params)
    treated = _signals(state, Signals({**subject, "drug_cue": 1.0, **raised}), params)
    return {
        name: float(treated[name] - 1.0 * (name == "drug_dopamine"))
        / float(base[name] - 1.0 * (name == "drug_dopamine"))
        for name in ("drug_dopamine", "withdrawal_severity", "craving")
    }


def test_oxytocin_lowers_drug_effects_more_in_rodents_than_humans():
    human, mouse = _oxytocin_effects(PARAMS, 2.0), _oxytocin_effects(MOUSE, 2.0)
    for name in human:
        assert mouse[name] < human[name] < 1.0


def test_oxytocin_is_an_adjunct_not_a_cure():
    """Even at saturating receptor signal withdrawal and drug reward remain (bounded damping)."""
    for params in (PARAMS, MOUSE):
        saturated = _oxytocin_effects(params, 1e6)
        assert min(saturated.values()) > 0.3


def test_side_effects_rare_intranasal_common_iv():
    subject = _subject()
    rest = _rest(subject)
    intranasal = _signals(rest, Signals({**subject, "plasma_oxytocin": 50.0}))
    iv_bolus = _signals(rest, Signals({**subject, "plasma_oxytocin": 1700.0}))
    for effect in ("nausea", "headache", "dizziness"):
        assert float(intranasal[f"{effect}_probability"]) < 0.01
        assert float(iv_bolus[f"{effect}_probability"]) > 0.08


def test_pilot_chance_function():
    assert chance_of_effect_at_least(0.0, 0.0, 20, 20) == pytest.approx(0.5)
    assert chance_of_effect_at_least(0.3, 2.9, 7, 4) < 0.01
    assert chance_of_effect_at_least(2.9, 2.9, 7, 4) > 0.4


def _conditioned(hippocampus=1.0, pairings=4, extinctions=0, params=PARAMS):
    """State of a drug-naive subject after daily 30-min drug-context pairings, then extinctions."""
    subject = _subject(oxtr_signal_hippocampus=hippocampus)

    def schedule(t):
        day, minute = divmod(t, DAY)
        if minute >= 30.0:
            return {}
        paired = {"drug_cue": 1.0, "drug_methamphetamine": 1.0 / 30.0}
        return paired if day < pairings else {"drug_cue": 1.0}

    return _run(subject, (pairings + extinctions) * DAY, schedule, params=params)[-1]


def test_a_drug_memory_forms_only_where_drug_and_context_meet():
    """Four methamphetamine-context pairings leave an association of about half its maximum."""
    memory = float(_conditioned()["drug_memory"])
    assert 0.3 <= memory <= 0.8
    naive = _rest(_subject())
    assert float(naive["drug_memory"]) == 0.0


def test_hippocampal_oxytocin_lowers_consolidation_and_speeds_extinction():
    """Tripled hippocampal OXTR signal: a clear effect in mice, a small one in humans."""
    saline_and_oxytocin = np.array([1.0, 3.0])  # two subjects in one batch
    for params, low, high in ((MOUSE, 0.3, 0.8), (PARAMS, 0.9, 0.99)):
        memory = _conditioned(saline_and_oxytocin, params=params)["drug_memory"]
        assert low <= float(memory[1] / memory[0]) <= high
        extinction = _conditioned(saline_and_oxytocin, 4, 4, params)["extinction_memory"]
        assert 1.0 / high <= float(extinction[1] / extinction[0]) <= 1.0 / low


def test_extinction_masks_the_memory_for_the_context_not_for_stress():
    """After extinction the context evokes less, while stress still meets the whole memory."""
    state = _conditioned(pairings=4, extinctions=4)
    assert float(state["drug_memory_salience"]) < 0.8 * float(state["drug_memory"])
    subject = _subject()
    cue = _signals(state, Signals({**subject, "drug_cue": 1.0}))
    stress = _signals(state, Signals({**subject, "stress_load": 1.0}))
    k_cue, k_stress = (float(PARAMS[n]) for n in ("cue_craving_gain", "stress_craving_gain"))
    drive = {
        n: float(s["craving"]) / (1.0 - float(s["craving"]))
        for n, s in (("cue", cue), ("stress", stress))
    }
    assert drive["stress"] / k_stress > drive["cue"] / k_cue
