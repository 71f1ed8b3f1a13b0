"""Hormone protocols and supplements: the endocrine and nutrients sub-models and their events."""

from __future__ import annotations

import numpy as np
import pytest

from oxysim import SolverOptions, parse_scenario, simulate
from oxysim.model.endocrine import ENDOCRINE
from oxysim.model.hpa import HPA
from oxysim.model.nutrients import NUTRIENTS
from oxysim.model.release import synthesis_capacity
from oxysim.model.submodel import Signals
from oxysim.scenario import ScenarioError
from oxysim.system import human_model

SLOW = ("endocrine", "nutrients")


def _params() -> Signals:
    return Signals({p.name: p.value for p in human_model().parameters})


def _run(events: str, subject: str = "{id: a, sex: male, age: 50}", days: int = 21):
    text = f"""
name: t
duration: {days} d
record_every: 2 h
subjects: [{subject}]
events: [{events}]
record: [testosterone, estradiol, progesterone, gonadal_drive, vitamin_c, vitamin_d, magnesium]
"""
    results = simulate(parse_scenario(text), submodels=SLOW, solver=SolverOptions(step=120))
    return results.isel(arm=0, subject=0)


def test_without_therapy_every_level_is_the_subjects_own() -> None:
    results = _run("", "{id: a, sex: female, age: 30, estradiol: 90, vitamin_d: 40}", days=3)
    assert np.allclose(results.estradiol, 90.0, rtol=1e-12)
    assert np.allclose(results.vitamin_d, 40.0, rtol=1e-12)
    assert np.allclose(results.gonadal_drive, 1.0, rtol=1e-12)


def test_resting_state_has_zero_rates() -> None:
    params = _params()
    base = {"is_female": np.array([0.0, 1.0])}
    for name, value in (("testosterone", 500.0), ("estradiol", 30.0), ("progesterone", 0.5)):
        base[f"baseline_{name}"] = np.full(2, value)
    for name, value in (("magnesium", 0.8), ("vitamin_c", 40.0), ("vitamin_d", 50.0)):
        base[f"baseline_{name}"] = np.full(2, value)
    for submodel in (ENDOCRINE, NUTRIENTS):
        signals = Signals({**base, **submodel.resting_state_fn(Signals(base), params)})
        signals.update(submodel.outputs_fn(signals, params))
        rates = submodel.rates_fn(signals, params)
        assert all(np.allclose(r, 0.0, atol=1e-15) for r in rates.values())


def test_weekly_testosterone_suppresses_the_gonads_and_raises_estradiol() -> None:
    results = _run(
        "{at: 0 min, hormone_therapy: {kind: testosterone_cypionate, dose: 100 mg, "
        "every: 7 d, times: 3}}"
    )
    untreated = _run("", days=1)
    assert float(results.gonadal_drive[-1]) < 0.2
    assert float(results.estradiol.max()) > 1.5 * float(untreated.estradiol[0])


def test_anastrozole_lowers_estradiol_and_raises_testosterone_in_men_only_by_feedback() -> None:
    dosing = "{at: 0 min, hormone_therapy: {kind: anastrozole, dose: 1 mg, every: 1 d, times: 21}}"
    man, untreated = _run(dosing), _run("", days=1)
    woman = _run(dosing, "{id: w, sex: female, age: 30}")
    assert float(man.estradiol[-1] / untreated.estradiol[0]) < 0.8
    assert float(man.testosterone[-1] / untreated.testosterone[0]) > 1.3
    assert float(woman.testosterone[-1]) == pytest.approx(float(woman.testosterone[0]))


def test_vitamin_c_supplement_restores_oxytocin_synthesis_in_deficiency() -> None:
    results = _run(
        "{at: 0 min, nutrient: {kind: vitamin_c, dose: 500 mg, every: 1 d, times: 7}}",
        "{id: a, sex: male, age: 50, vitamin_c: 10}",
        days=7,
    )
    params = _params()
    before = synthesis_capacity(np.asarray(10.0), params)
    during = synthesis_capacity(np.asarray(float(results.vitamin_c[-13:].mean())), params)
    assert before < 0.8 and during > 0.95


def test_withdrawal_and_better_sleep_move_the_tonic_crh_drive() -> None:
    params = _params()
    signals = Signals(
        time_of_day=np.array([480.0]),
        stress_load=np.zeros(1),
        oxtr_signal_hypothalamus=np.ones(1),
        oxtr_signal_amygdala=np.ones(1),
        chronic_stress=np.zeros(1),
        is_female=np.zeros(1),
        plasma_cortisol=np.array([230.0]),
        withdrawal_crh_drive=np.zeros(1),
        sleep_crh_relief=np.zeros(1),
        cortisol_binding_globulin=np.ones(1),
    )
    base = float(HPA.outputs_fn(signals, params)["crh_drive"][0])
    withdrawal = float(
        HPA.outputs_fn(Signals(signals, withdrawal_crh_drive=np.array([0.5])), params)["crh_drive"][
            0
        ]
    )
    slept = float(
        HPA.outputs_fn(Signals(signals, sleep_crh_relief=np.array([0.05])), params)["crh_drive"][0]
    )
    assert withdrawal > base * 1.2
    assert slept == pytest.approx(base * 0.95, rel=1e-9)


@pytest.mark.parametrize(
    ("event", "message"),
    [
        ("{kind: anastrozole, dose: 20 mg}", "<= 10 mg for anastrozole"),
        ("{kind: vitamin_d, dose: 1000 IU}", "cannot be converted to mg"),
        ("{kind: estrogen_patch, dose: 1 mg}", "testosterone_cypionate"),
        ("{kind: progesterone, dose: 100 mg, times: 0}", "times: must be between 1 and 1000"),
    ],
)
def test_bad_dose_events_name_the_field_and_range(event: str, message: str) -> None:
    kind = "nutrient" if "vitamin" in event else "hormone_therapy"
    text = f"name: t\nduration: 1 d\nevents:\n  - {{at: 0 min, {kind}: {event}}}\n"
    with pytest.raises(ScenarioError, match=message):
        parse_scenario(text)


def test_doses_after_the_end_of_the_scenario_are_refused() -> None:
    text = (
        "name: t\nduration: 2 d\nevents:\n"
        "  - {at: 0 min, hormone_therapy: "
        "{kind: progesterone, dose: 100 mg, every: 1 d, times: 5}}\n"
    )
    with pytest.raises(ScenarioError, match="after the scenario's duration"):
        parse_scenario(text)


def test_a_long_step_is_refused_for_the_fast_sub_models() -> None:
    scenario = parse_scenario("name: t\nduration: 1 d\nrecord_every: 2 h\n")
    with pytest.raises(ValueError, match="at most 4 min for the sub-models .*hpa"):
        simulate(scenario, solver=SolverOptions(step=120))
