"""The periphery sub-model on its own: uterus, milk ejection, muscle repair (S3.1, S3.6)."""

import numpy as np
import pytest

from oxysim.engine.compose import compose
from oxysim.engine.protocol import PROTOCOL_CHANNELS
from oxysim.model.periphery import PERIPHERY
from oxysim.model.submodel import Signals
from oxysim.population.covariates import COVARIATES
from oxysim.system import SUBMODELS

PARAMS = Signals({p.name: p.value for p in PERIPHERY.parameters})
#: Mouse ages (Elabd 2014: young 2-3 months, old 18-24 months), as the docstring recommends.
MOUSE = Signals({**PARAMS, "muscle_reference_age": 0.2, "muscle_age_half_decline": 1.25})
AT_REST = dict(
    oxtr_signal_uterus=1.0,
    labour=0.0,
    suckling=0.0,
    oxtr_antagonist_central=0.0,
    stress_load=0.0,
    oxtr_antagonist_peripheral=0.0,
    plasma_oxytocin=3.0,
    age=25.0,
)
DAY = 1440.0
#: Resting oxtr_signal_uterus at weeks 39 and 15, and resting plasma oxytocin at week 39 (pg/mL,
#: raised about four-fold by the estradiol of late pregnancy).
TERM_SIGNAL, MID_SIGNAL, TERM_PLASMA = 65.4, 2.9, 13.6


def _inputs(params=PARAMS, **inputs):
    values = {**AT_REST, **inputs}
    v = Signals({k: np.atleast_1d(np.asarray(x, dtype=float)) for k, x in values.items()})
    shape = np.broadcast_shapes(*(x.shape for x in v.values()))
    v = Signals({k: np.broadcast_to(x, shape) for k, x in v.items()})
    v.update(PERIPHERY.static_fn(v, params))
    return v


def _evaluate(v, y, params):
    signals = Signals({**v, **dict(zip(PERIPHERY.state_names, y, strict=True))})
    signals.update(PERIPHERY.outputs_fn(signals, params))
    rates = PERIPHERY.rates_fn(signals, params)
    return np.array([rates[name] for name in PERIPHERY.state_names]), signals


def _integrate(minutes, step, params=PARAMS, start=None, injury=0.0, **inputs):
    """Classic RK4 from ``start`` (default: at rest), inputs held fixed; every signal recorded."""
    v = _inputs(params, **inputs)
    start = PERIPHERY.resting_state_fn(v, params) if start is None else start
    y = np.array([np.broadcast_to(start[name], v.age.shape) for name in PERIPHERY.state_names])
    y[PERIPHERY.state_names.index("muscle_damage")] += injury
    record = []
    for _ in range(round(minutes / step) + 1):
        k1, signals = _evaluate(v, y, params)
        record.append(signals)
        k2, _ = _evaluate(v, y + step / 2 * k1, params)
        k3, _ = _evaluate(v, y + step / 2 * k2, params)
        k4, _ = _evaluate(v, y + step * k3, params)
        y = y + step / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    times = step * np.arange(len(record))
    return times, {name: np.array([s[name] for s in record]) for name in record[0]}


def _peak_times(times, x, height=0.5):
    """Times of local maxima above ``height``, refined by a parabola through three samples."""
    inner = np.flatnonzero((x[1:-1] >= x[:-2]) & (x[1:-1] > x[2:]) & (x[1:-1] > height)) + 1
    left, mid, right = x[inner - 1], x[inner], x[inner + 1]
    shift = 0.5 * (left - right) / (left - 2 * mid + right)
    return times[inner] + shift * (times[1] - times[0])


# --- uterus -----------------------------------------------------------------------------------


def _contractions(signal, labour=0.0):
    _, out = _integrate(120, 1.0, oxtr_signal_uterus=signal, labour=labour)
    return out["uterine_contractions_per_10_min"][-1]


def test_contractions_rise_with_the_uterine_signal_and_saturate():
    signals = np.array([1.0, 10.0, 30.0, 100.0, 300.0, 1000.0, 3000.0])
    frequency = _contractions(signals)
    assert np.all(np.diff(frequency) > 0)
    assert frequency[-1] < PARAMS.uterine_max_contraction_frequency
    assert frequency[-1] - frequency[-2] < 0.05 * frequency[-1]


def test_augmentation_at_term_reaches_three_to_five_contractions_but_not_at_mid_pregnancy():
    infusion = np.array([0.0, 2.0, 20.0])  # mIU/min: plasma rises by about 1.45 pg/mL per mIU/min
    relative_signal = 1.0 + infusion * 1.45 / TERM_PLASMA  # x the resting signal
    term = _contractions(TERM_SIGNAL * relative_signal, labour=1.0)
    mid = _contractions(MID_SIGNAL * relative_signal)
    assert 1.0 <= term[0] <= 2.0
    assert term[1] > 2.0 and 3.0 <= term[2] <= 5.0
    assert mid[2] < 0.5
    gain_term, gain_mid = term[2] - term[0], mid[2] - mid[0]
    assert gain_term > 10 * gain_mid


def test_montevideo_units_of_augmented_labour_are_near_200():
    at_10 = 1.0 + 10.0 * 1.45 / TERM_PLASMA  # 10 mIU/min, x the resting signal
    _, out = _integrate(120, 1.0, oxtr_signal_uterus=TERM_SIGNAL * at_10, labour=1.0)
    assert 150.0 <= out["uterine_activity"][-1, 0] <= 260.0


# --- milk ejection ----------------------------------------------------------------------------


def test_continuous_suckling_gives_distinct_bursts_every_few_minutes():
    times, out = _integrate(20, 1.0, suckling=1.0)
    burst = out["milk_ejection_burst"][:, 0]
    peaks = _peak_times(times, burst)
    assert len(peaks) >= 2
    assert np.all((np.diff(peaks) >= 3.0) & (np.diff(peaks) <= 10.0))
    between = burst[(times > peaks[0] + 2.0) & (times < peaks[1] - 2.0)]
    assert between.max() < 0.1 < 0.5 < burst.max()
    secretion = out["milk_ejection_secretion_rate"][:, 0]
    assert secretion.max() == pytest.approx(PARAMS.milk_ejection_peak_secretion * burst.max())


def test_a_central_antagonist_abolishes_the_bursts():
    _, out = _integrate(60, 1.0, suckling=1.0, oxtr_antagonist_central=0.9)
    assert out["milk_ejection_burst"].max() < 0.01
    assert out["intramammary_pressure"].max() < 0.01


def test_bursts_at_the_one_minute_step_match_a_fine_step():
    coarse_t, coarse = _integrate(40, 1.0, suckling=1.0)
    fine_t, fine = _integrate(40, 0.1, suckling=1.0)
    coarse_peaks = _peak_times(coarse_t, coarse["milk_ejection_burst"][:, 0])
    fine_peaks = _peak_times(fine_t, fine["milk_ejection_burst"][:, 0])
    assert len(coarse_peaks) == len(fine_peaks) >= 5
    assert np.abs(coarse_peaks - fine_peaks).max() < 1.0


def test_pressure_follows_each_burst_after_the_letdown_delay():
    times, out = _integrate(20, 0.02, suckling=1.0)
    bursts = _peak_times(times, out["milk_ejection_burst"][:, 0])
    pressure = _peak_times(times, out["intramammary_pressure"][:, 0])
    assert len(pressure) == len(bursts)
    assert np.allclose(pressure - bursts, PARAMS.milk_letdown_delay, atol=0.06)


def test_bursts_stop_when_suckling_stops():
    _, feed = _integrate(60, 1.0, suckling=1.0)
    end_of_feed = {name: feed[name][-1] for name in PERIPHERY.state_names}
    _, after = _integrate(60, 1.0, start=end_of_feed)
    assert after["milk_ejection_burst"][20:].max() < 1e-3
    assert after["milk_ejection_readiness"][-1, 0] < 0.01


# --- muscle -----------------------------------------------------------------------------------


def _repaired_at(day, params, age, plasma, antagonist=0.0):
    _, out = _integrate(
        day * DAY,
        60.0,
        params,
        injury=0.5,
        age=age,
        plasma_oxytocin=plasma,
        oxtr_antagonist_peripheral=antagonist,
    )
    return out["muscle_repair_fraction"][-1]


@pytest.mark.parametrize("old_age", [1.5, 2.0])
def test_elabd_oxytocin_restores_old_repair_to_about_80_percent_of_young(old_age):
    # young; young + oxytocin; young + antagonist; old (half the plasma oxytocin); old + oxytocin
    age = np.array([0.2, 0.2, 0.2, old_age, old_age])
    plasma = np.array([3.0, 300.0, 3.0, 1.5, 300.0])
    antagonist = np.array([0.0, 0.0, 0.9, 0.0, 0.0])
    repaired = _repaired_at(7, MOUSE, age, plasma, antagonist)
    _, young_extra, young_blocked, old, old_extra = repaired / repaired[0]
    assert 0.65 <= old_extra <= 0.95
    assert 1.0 <= young_extra < 1.10
    assert young_blocked < 0.9
    assert old < old_extra


def test_human_defaults_give_the_same_directions_with_age():
    age = np.array([25.0, 80.0, 80.0])
    repaired = _repaired_at(7, PARAMS, age, np.array([3.0, 3.0, 300.0]))
    assert repaired[1] < repaired[2] < repaired[0]


def test_repair_is_complete_within_weeks_and_conserves_the_injury():
    _, out = _integrate(40 * DAY, 120.0, injury=0.5)
    assert out["muscle_repair_fraction"][-1, 0] > 0.99
    total = out["muscle_damage"] + out["muscle_regeneration"]
    assert np.allclose(total, 0.5)


# --- rest and composition ---------------------------------------------------------------------


@pytest.mark.parametrize("signal", [0.0, MID_SIGNAL, TERM_SIGNAL])
def test_resting_state_has_zero_rates(signal):
    v = _inputs(oxtr_signal_uterus=signal, age=np.array([25.0, 80.0]))
    start = PERIPHERY.resting_state_fn(v, PARAMS)
    y = np.array([np.broadcast_to(start[name], v.age.shape) for name in PERIPHERY.state_names])
    rates, signals = _evaluate(v, y, PARAMS)
    assert np.all(rates == 0.0)
    for name in ("milk_ejection_burst", "milk_ejection_secretion_rate", "muscle_repair_fraction"):
        assert np.all(signals[name] == 0.0)


def test_periphery_composes_with_the_human_model_without_clashes():
    others = tuple(m for m in SUBMODELS if m.name != PERIPHERY.name)
    model = compose((*others, PERIPHERY), PROTOCOL_CHANNELS + COVARIATES)
    assert set(PERIPHERY.output_names + PERIPHERY.state_names) <= set(model.variables)
