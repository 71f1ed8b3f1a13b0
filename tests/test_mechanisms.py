"""Reference cases for the mechanisms added by the evidence sweep, each against its own equation."""

import math

import numpy as np
import pytest

from oxysim import simulate
from oxysim.model.hpa import HPA
from oxysim.model.release import RELEASE, STIMULUS_GAINS
from oxysim.model.submodel import Signals
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
        ),
        submodels=("stimuli",),
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
        ),
        submodels=("stimuli",),
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
