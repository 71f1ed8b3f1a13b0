"""Reference cases for the mechanisms added by the evidence sweep, each against its own equation."""

import math

import numpy as np
import pytest

from oxysim import simulate
from oxysim.model.hpa import HPA
from oxysim.model.periphery import PERIPHERY, burst_intensity
from oxysim.model.release import RELEASE, STIMULUS_GAINS, estrogen_factor
from oxysim.model.sleep import SLEEP
from oxysim.model.social import SOCIAL
from oxysim.model.stimuli import STIMULI, STRESSOR_POTENCY, WATCHED_CLOSENESS
from oxysim.model.submodel import Signals, SubModel
from oxysim.system import human_model

DAY = 1440.0


def _typical(name: str) -> float:
    return human_model().parameter(name).value


def test_a_tsst_leaves_familiarity_that_is_forgotten_over_weeks(make_scenario):
    results = simulate(
        make_scenario(
            duration="2 d",
            record_every="60 min",
            events=[{"at": "0 min", "stressor": {"kind": "tsst", "duration": "15 min"}}],
            subjects=[{"id": "a"}],
            record=["stressor_familiarity"],
        ),
    )
    familiarity = results["stressor_familiarity"].isel(arm=0, subject=0)
    # all of the episode trace (15 TSST-min x t_trace) is consolidated within a day, and the
    # familiarity it leaves, 1 - exp(-k 15 t_trace), decays with its half-life from then on
    learned = 1.0 - math.exp(
        -_typical("stress_familiarity_gain") * 15.0 * _typical("stress_trace_time_constant")
    )
    half_life = _typical("stress_familiarity_half_life")
    for day in (1.0, 2.0):
        expected = learned * 0.5 ** (day * DAY / half_life)
        assert float(familiarity.sel(time=day * DAY)) == pytest.approx(expected, rel=0.01)


def test_a_familiar_stressor_loads_the_stress_axis_less(make_scenario):
    results = simulate(
        make_scenario(
            duration="2 d",
            record_every="1 min",
            events=[
                {"at": "0 min", "stressor": {"kind": "tsst", "duration": "15 min"}},
                {"at": "1440 min", "stressor": {"kind": "tsst", "duration": "15 min"}},
            ],
            subjects=[{"id": "a"}],
            record=["stress_load", "stressor_familiarity"],
        ),
    )
    load = results["stress_load"].isel(arm=0, subject=0)
    familiarity = float(results["stressor_familiarity"].isel(arm=0, subject=0).sel(time=DAY))
    habituation = _typical("stress_habituation_max")
    assert float(load.sel(time=DAY)) == pytest.approx(1.0 - habituation * familiarity, rel=1e-6)
    assert float(load.sel(time=0.0)) == pytest.approx(1.0)


def test_verbal_support_releases_less_in_women_touch_does_not():
    params = Signals({p.name: np.float64(p.value) for p in RELEASE.parameters})
    ratio = _typical("female_verbal_support_ratio")

    def drive(channel: str, is_female: float) -> float:
        signals = Signals(
            {c: 0.0 for c in STIMULUS_GAINS}
            | {channel: 1.0, "is_female": is_female, "oxytocin_neuron_activity": 0.0}
        )
        rates = RELEASE.rates_fn(signals, params)
        return float(rates["oxytocin_neuron_activity"]) * _typical("oxytocin_neuron_time_constant")

    support = _typical("release_gain_support_partner")
    assert drive("support_partner", 0.0) == pytest.approx(1.0 + support)
    assert drive("support_partner", 1.0) == pytest.approx(1.0 + ratio * support)
    assert drive("touch_massage", 1.0) == pytest.approx(drive("touch_massage", 0.0))


def test_cbg_rises_with_estradiol_and_with_oral_contraceptives():
    params = Signals({p.name: np.float64(p.value) for p in HPA.parameters})

    def binding_globulin(contraceptive: float, estradiol: float) -> float:
        signals = Signals(uses_hormonal_contraception=contraceptive, baseline_estradiol=estradiol)
        return float(HPA.static_fn(signals, params)["cortisol_binding_globulin"])

    gain = _typical("estradiol_cbg_gain")
    assert binding_globulin(0.0, 0.0) == pytest.approx(1.0)
    assert binding_globulin(0.0, 12_000.0) == pytest.approx(1.0 + gain * 12_000.0)  # term
    assert 1.9 < binding_globulin(0.0, 12_000.0) < 2.1  # about doubled at term
    assert binding_globulin(1.0, 50.0) == pytest.approx(
        _typical("contraceptive_cbg_ratio") + gain * 50.0
    )


def _params(submodel: SubModel, **overrides: float) -> Signals:
    return Signals(
        {p.name: np.float64(overrides.get(p.name, p.value)) for p in submodel.parameters}
    )


@pytest.mark.parametrize(
    ("channel", "gain"),
    [
        ("pet_contact", "release_gain_pet_contact"),
        ("dance", "release_gain_dance"),
        ("deep_breathing", "release_gain_deep_breathing"),
    ],
)
def test_each_wellbeing_route_drives_release_by_its_own_gain(channel: str, gain: str):
    signals = Signals(
        {c: 0.0 for c in STIMULUS_GAINS}
        | {channel: 1.0, "is_female": 1.0, "oxytocin_neuron_activity": 0.0}
    )
    rates = RELEASE.rates_fn(signals, _params(RELEASE))
    target = float(rates["oxytocin_neuron_activity"]) * _typical("oxytocin_neuron_time_constant")
    assert target == pytest.approx(1.0 + _typical(gain))


def test_the_placebo_tsst_loads_a_tenth_of_the_tsst():
    signals = Signals(
        {c: 0.0 for c in (*STRESSOR_POTENCY, *WATCHED_CLOSENESS.values(), *WATCHED_CLOSENESS)}
        | {"stress_placebo_tsst": 1.0, "stressor_familiarity": 0.0}
    )
    load = float(STIMULI.outputs_fn(signals, _params(STIMULI))["stress_load"])
    assert load == pytest.approx(_typical("stress_potency_placebo_tsst"))
    assert 0.0 < load < 0.3


def _closeness_rates(reward_signal: float, **channels: float) -> dict[str, float]:
    signals = Signals(
        {
            "partner_expression": 0.0,
            "expression_valence": 0.0,
            "expression_formation": 0.0,
            "expression_reply": 0.0,
            "oxtr_signal_nac_vta": reward_signal,
            "oxtr_antagonist_central": 0.0,
            "close_circle_closeness": 0.5,
            "community_closeness": 0.5,
            "social_partner": 0.0,
            "social_ingroup": 0.0,
            "social_stranger": 0.0,
            "social_outgroup": 0.0,
        }
        | channels
    )
    rates = SOCIAL.rates_fn(signals, _params(SOCIAL))
    return {k: float(rates[k]) for k in ("close_circle_closeness", "community_closeness")}


def test_contact_draws_closeness_toward_one_and_oxytocin_amplifies_only_the_close_circle():
    settle = _typical("closeness_settling_time")
    rate = _typical("closeness_contact_rate")

    def drift(baseline: str) -> float:
        return -(0.5 - _typical(baseline)) / settle

    rest = _closeness_rates(1.0)
    assert rest["close_circle_closeness"] == pytest.approx(drift("close_circle_closeness_baseline"))
    partner = _closeness_rates(1.0, social_partner=1.0)
    expected = rate * 0.5 + drift("close_circle_closeness_baseline")
    assert partner["close_circle_closeness"] == pytest.approx(expected)
    assert partner["community_closeness"] == pytest.approx(rest["community_closeness"])
    # a raised NAc/VTA signal speeds the close circle's gain, not the community's
    boosted = _closeness_rates(2.0, social_partner=1.0, social_ingroup=1.0)
    plain = _closeness_rates(1.0, social_partner=1.0, social_ingroup=1.0)
    assert boosted["close_circle_closeness"] > 1.05 * plain["close_circle_closeness"]
    assert boosted["community_closeness"] == pytest.approx(plain["community_closeness"])
    # an out-group brings no community closeness
    outgroup = _closeness_rates(1.0, social_outgroup=1.0)
    assert outgroup["community_closeness"] == pytest.approx(rest["community_closeness"])


@pytest.mark.parametrize(("gain", "signal", "expected"), [(0.0, 3.0, 1.0), (0.5, 3.0, 2.0)])
def test_sleep_latency_follows_the_hypothalamic_signal_by_its_graded_gain(gain, signal, expected):
    params = _params(SLEEP, sleep_latency_oxytocin_gain=gain)
    latency = float(
        SLEEP.outputs_fn(Signals(oxtr_signal_hypothalamus=signal), params)["sleep_onset_latency"]
    )
    assert latency == pytest.approx(expected * _typical("sleep_onset_latency_baseline"))


def test_estrogen_raises_pituitary_secretion_little_in_the_cycle_much_on_the_pill():
    params = _params(RELEASE)
    amplitude, half = (
        _typical("estrogen_release_amplitude"),
        _typical("estrogen_release_half_level"),
    )

    def factor(estradiol: float, pill: float = 0.0) -> float:
        signals = Signals(estradiol=estradiol, uses_hormonal_contraception=pill)
        return float(estrogen_factor(signals, params))

    assert factor(half) == pytest.approx(1.0 + amplitude / 2.0)
    assert factor(0.0) == pytest.approx(1.0)
    assert factor(250.0) / factor(60.0) == pytest.approx(1.17, abs=0.02)  # ovulation, follicular
    assert factor(25.0) / factor(60.0) == pytest.approx(0.96, abs=0.02)  # a man, a woman
    assert factor(60.0, pill=1.0) / factor(60.0) == pytest.approx(2.7, abs=0.15)  # Amico 1981
    assert factor(12_000.0) / factor(60.0) == pytest.approx(4.2, abs=0.2)  # term pregnancy


def test_stress_inhibits_the_milk_ejection_burst_generator():
    params = _params(PERIPHERY)
    inhibition = _typical("milk_burst_stress_inhibition")

    def intensity(stress: float) -> float:
        signals = Signals(oxtr_antagonist_central=0.0, stress_load=stress)
        return float(burst_intensity(np.float64(0.4), np.float64(0.0), signals, params))

    threshold, steepness = _typical("milk_burst_threshold"), _typical("milk_burst_steepness")
    primed = 0.4 / (1.0 + inhibition)
    expected = primed**steepness / (primed**steepness + threshold**steepness)
    assert intensity(1.0) == pytest.approx(expected)
    assert intensity(0.0) > 0.5 > intensity(1.0)
