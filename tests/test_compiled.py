"""The compiled engine against the NumPy RK4 it is generated from, and its run-time guarantees."""

import math
import os
from dataclasses import replace
from importlib import resources

import numpy as np
import pytest
import yaml

from oxysim import SolverOptions, compose, simulate
from oxysim.engine import compiled
from oxysim.engine.compiled import CompiledRun
from oxysim.engine.initial import initial_state
from oxysim.engine.protocol import PROTOCOL_CHANNELS, TIMED_CHANNELS, build_schedule
from oxysim.engine.simulate import prepare_run
from oxysim.engine.solvers import integrate_rk4
from oxysim.engine.status import SimulationError
from oxysim.experiments.base import protocol_text
from oxysim.experiments.endocrine import SLOW, SLOW_STEP
from oxysim.model import ops
from oxysim.model.parameters import Parameter
from oxysim.model.submodel import SubModel, Variable
from oxysim.population.covariates import COVARIATES
from oxysim.scenario import parse_scenario
from oxysim.system import human_model, partial_model

PROTOCOLS = sorted(
    path.name.removesuffix(".yaml")
    for path in (resources.files("oxysim.experiments") / "protocols").iterdir()
    if path.name.endswith(".yaml")
)
#: Protocols of weeks of dosing run the slow sub-models with the experiments' own steps.
SLOW_RUNS = {
    "endocrine_anastrozole": SLOW_STEP,
    "endocrine_testosterone": SLOW_STEP,
    "endocrine_progesterone": 15.0,
    "nutrient_repletion": SLOW_STEP,
}
#: Steps compared per protocol: 10 past the end of its last event in the first 100 (at 1 min,
#: where nearly every event lies), and at least 30.
COMPARED_STEPS = 100
AFTER_LAST_EVENT, FEWEST_STEPS = 10, 30


def _compared_steps(scenario, grid) -> int:
    """Steps to compare: every event of the first COMPARED_STEPS, and a little after."""
    horizon = COMPARED_STEPS * grid.step
    ends = [
        min(event.end, horizon)
        for arm in scenario.arms
        for event in scenario.arm_events(arm)
        if event.at <= horizon
    ]
    last = round(max(ends, default=0.0) / grid.step) + AFTER_LAST_EVENT
    return min(grid.n_steps, COMPARED_STEPS, max(FEWEST_STEPS, last))


PARITY = {"rtol": 1e-9, "atol": 1e-12}


def _protocol(name, size=6):
    data = yaml.safe_load(protocol_text(name))
    if "population" in data:
        data["population"]["size"] = min(data["population"]["size"], size)
    return parse_scenario(yaml.safe_dump(data, sort_keys=False), source=f"{name}.yaml")


def _record(model):
    return (*model.state_names, *(v.name for v in model.outputs))


def test_every_protocol_is_compared():
    assert len(PROTOCOLS) >= 29
    assert set(SLOW_RUNS) <= set(PROTOCOLS)


@pytest.mark.parametrize("name", PROTOCOLS)
def test_compiled_equals_numpy_on_every_experiment_protocol(name):
    """Same start, same schedule: every state and output agrees to 1e-9 relative."""
    model = partial_model(SLOW) if name in SLOW_RUNS else human_model()
    scenario = _protocol(name)
    prepared = prepare_run(scenario, SolverOptions(step=SLOW_RUNS.get(name)), model=model)
    evaluator, grid = prepared.evaluator, prepared.grid
    run = CompiledRun.build(evaluator)
    y0 = initial_state(model, evaluator, scenario.start_time, run.integrate)
    steps = _compared_steps(scenario, grid)
    short = type(grid)(steps, grid.step, grid.start_time_of_day, 1)
    record = _record(model)
    for arm in scenario.arms:
        schedule = build_schedule(scenario.arm_events(arm), grid.n_steps, grid.step)
        fast = run.integrate(y0, schedule, short, record)
        reference = integrate_rk4(evaluator, y0, schedule, short, record)
        for variable in record:
            scale = max(float(np.abs(reference[variable]).max()), 1.0)
            np.testing.assert_allclose(
                fast[variable],
                np.broadcast_to(reference[variable], fast[variable].shape),
                rtol=PARITY["rtol"],
                atol=PARITY["atol"] * scale,
                err_msg=f"{name}, arm {arm}: {variable}",
            )


def test_compiled_burn_in_equals_numpy(model, make_scenario):
    scenario = make_scenario(
        duration="10 min",
        population={
            "size": 7,
            "sex": {"male": 0.5, "female": 0.5},
            "age": {"min": 20, "max": 80},
            "rs53576": {"GG": 0.34, "AG": 0.33, "AA": 0.33},
            "chronic_stress": {"mean": 0.4, "sd": 0.3},
        },
    )
    evaluator = prepare_run(scenario, SolverOptions(), model=model).evaluator
    run = CompiledRun.build(evaluator)
    fast = initial_state(model, evaluator, scenario.start_time, run.integrate)
    reference = initial_state(model, evaluator, scenario.start_time)
    np.testing.assert_allclose(fast, reference, **PARITY)
    assert fast.shape == (len(model.state_names), 7)


def test_result_does_not_depend_on_threads_or_subjects_per_call(make_scenario, monkeypatch):
    scenario = make_scenario(
        duration="30 min",
        events=[{"at": "5 min", "stressor": {"kind": "tsst", "duration": "10 min"}}],
        population={"size": 21, "sex": {"male": 0.5, "female": 0.5}},
    )
    serial = simulate(scenario, solver=SolverOptions(threads=1))
    monkeypatch.setattr(compiled, "SUBJECTS_PER_CALL", 8)
    chunked = simulate(scenario, solver=SolverOptions(threads=3))
    for name in serial.data_vars:
        np.testing.assert_array_equal(serial[name].values, chunked[name].values, err_msg=name)


# --- a user's own model: every operation of oxysim.model.ops through the compiler -----------

_TOY_PARAMETERS = tuple(
    Parameter(name, value, unit, name.replace("_", " "), "assumption", bounds, source="test")
    for name, value, unit, bounds in (
        ("store_gain", 2.0, "1/min", (0.0, 10.0)),
        ("store_time_constant", 5.0, "min", (1.0, 60.0)),
        ("store_half_max", 0.7, "1", (0.1, 10.0)),
        ("whole_coefficient", 8.0, "1", (1.0, 16.0)),
        ("fractional_coefficient", 2.5, "1", (1.0, 16.0)),
        ("runaway_gain", 0.0, "1/min", (0.0, 1000.0)),
        ("stress_drain", 0.0, "1/min", (0.0, 10.0)),
    )
)


def _toy_outputs(v, p):
    level = ops.maximum(v.touch_store, 0.0) / p.store_half_max
    return {
        "touch_activation": ops.power(level, p.whole_coefficient)
        / (1.0 + ops.power(level, p.fractional_coefficient)),
        "touch_log_level": ops.log(1.0 + level) + ops.sqrt(level) - ops.absolute(-level),
        "daylight": ops.where(
            ops.cos(2.0 * ops.pi * v.time_of_day / 1440.0) > 0.0, 1.0, ops.minimum(level, 0.5)
        ),
    }


def _toy_rates(v, p):
    return {
        "touch_store": p.store_gain * v.touch_hug
        - v.touch_store / p.store_time_constant
        - p.stress_drain * v.stress_tsst,
        "runaway": p.runaway_gain * v.stress_tsst * v.runaway * v.runaway,
    }


TOY = SubModel(
    name="toy_touch",
    description="a touch-driven store, to test composing one's own model",
    s_ids=(),
    states=(
        Variable("touch_store", "1", "store filled by hugs"),
        Variable("runaway", "1", "blows up under stress when runaway_gain > 0"),
    ),
    outputs=(
        Variable("touch_activation", "1", "Hill-like activation of the store"),
        Variable("touch_log_level", "1", "logarithmic reading of the store"),
        Variable("daylight", "1", "1 by day, else the store's level capped at 0.5"),
    ),
    inputs=(
        Variable("touch_hug", "1", "hug"),
        Variable("stress_tsst", "1", "TSST"),
        Variable("time_of_day", "min", "clock"),
    ),
    parameters=_TOY_PARAMETERS,
    outputs_fn=_toy_outputs,
    rates_fn=_toy_rates,
    resting_state_fn=lambda v, p: {"runaway": 1.0 + 0.0 * v.time_of_day},
)
TOY_MODEL = compose([TOY], PROTOCOL_CHANNELS + COVARIATES)


def _toy_scenario(make_scenario, **fields):
    return make_scenario(
        duration="60 min",
        start_time="17:00",
        events=[
            {"at": "5 min", "touch": {"kind": "hug", "duration": "20 min"}},
            {"at": "40 min", "stressor": {"kind": "tsst", "duration": "10 min"}},
        ],
        subjects=[{"id": "ann"}, {"id": "bob"}],
        **fields,
    )


@pytest.mark.parametrize("method", ["compiled", "rk4"])
def test_a_composed_model_of_ones_own_runs_and_matches_its_analytic_solution(make_scenario, method):
    results = simulate(
        _toy_scenario(make_scenario), model=TOY_MODEL, solver=SolverOptions(method=method)
    )
    store = results["touch_store"].isel(arm=0, subject=0)
    gain, tau = 2.0, 5.0
    during = store.sel(time=25.0)
    # RK4 at a 1-min step on a 5-min time constant: (h / tau)^5 / 120 = 3e-6 relative per step
    assert float(during) == pytest.approx(gain * tau * (1 - math.exp(-20.0 / tau)), rel=1e-4)
    after = store.sel(time=35.0)
    assert float(after) == pytest.approx(float(during) * math.exp(-10.0 / tau), rel=1e-4)
    assert set(results.data_vars) >= {"touch_store", "touch_activation", "daylight"}


def test_a_composed_model_compiles_every_operation_like_numpy(make_scenario):
    scenario = _toy_scenario(make_scenario, record_every="1 min")
    fast = simulate(scenario, model=TOY_MODEL)
    reference = simulate(scenario, model=TOY_MODEL, solver=SolverOptions(method="rk4"))
    for name in fast.data_vars:
        np.testing.assert_allclose(fast[name].values, reference[name].values, **PARITY)
    daylight = fast["daylight"].isel(arm=0, subject=0)
    assert float(daylight.sel(time=0.0)) == pytest.approx(0.0)  # 17:00: cos < 0, store empty
    assert float(fast["touch_activation"].max()) > 0.5


@pytest.mark.filterwarnings("ignore:overflow encountered")
@pytest.mark.parametrize("method", ["compiled", "rk4"])
@pytest.mark.parametrize(
    ("override", "stopped", "latest"),
    [
        # the runaway blows up within two minutes of the stressor at 40 min
        ({"runaway_gain": 1000.0}, "runaway became NaN or infinite", 42.0),
        # at 40 min the store holds 10 (1 - e^-4) e^-3 = 0.49; draining 1/min empties it in a minute
        ({"stress_drain": 1.0}, "touch_store became negative", 41.0),
    ],
)
def test_a_state_out_of_range_stops_the_run_naming_it(
    make_scenario, method, override, stopped, latest
):
    with pytest.raises(SimulationError) as error:
        simulate(
            _toy_scenario(make_scenario),
            model=TOY_MODEL,
            parameters=override,
            solver=SolverOptions(method=method),
        )
    message = str(error.value)
    assert f"{stopped} for subject ann in arm 'default' at" in message
    minute = float(message.split(" at ")[1].split(" min")[0])
    assert 40.0 < minute <= latest


def test_a_signed_state_may_go_negative(make_scenario):
    signed = compose(
        [replace(TOY, states=(replace(TOY.states[0], signed=True), TOY.states[1]))],
        PROTOCOL_CHANNELS + COVARIATES,
    )
    results = simulate(_toy_scenario(make_scenario), model=signed, parameters={"stress_drain": 1.0})
    # dx/dt = -x / 5 - 1 for the 10 min of stress, from x(40) = 10 (1 - e^-4) e^-3
    start = 10.0 * (1.0 - math.exp(-4.0)) * math.exp(-3.0)
    lowest = -5.0 + (start + 5.0) * math.exp(-2.0)
    assert float(results["touch_store"].min()) == pytest.approx(lowest, rel=1e-4)


def test_model_and_submodels_are_exclusive(make_scenario):
    with pytest.raises(ValueError, match="either `model` or `submodels`"):
        simulate(_toy_scenario(make_scenario), model=TOY_MODEL, submodels=("hpa",))


def test_kernels_are_cached_on_disk_under_the_configured_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("OXYSIM_CACHE_DIR", str(tmp_path))
    compiled.kernel.cache_clear()
    spec = compiled.layout(TOY_MODEL, [c.name for c in COVARIATES], TIMED_CHANNELS)
    compiled.kernel(spec)
    written = list((tmp_path / "kernels").glob("oxysim_kernel_*.o"))
    assert [p.stem for p in written] == [f"oxysim_kernel_{compiled.fingerprint(spec)}"]
    assert compiled.fingerprint(spec) == compiled.fingerprint(
        compiled.layout(TOY_MODEL, [c.name for c in COVARIATES], TIMED_CHANNELS)
    )
    compiled.kernel.cache_clear()


def test_the_kernel_cache_keeps_the_most_recently_used(tmp_path, monkeypatch):
    folder = tmp_path / "kernels"
    folder.mkdir()
    for age in range(compiled.KEPT_KERNELS + 3):
        path = folder / f"oxysim_kernel_{age:02d}.o"
        path.write_bytes(b"")
        os.utime(path, (1000 - age, 1000 - age))
    (folder / "oxysim_kernel_legacy.py").write_text("")
    compiled._prune(folder)
    kept = sorted(p.name for p in folder.iterdir())
    assert kept == [f"oxysim_kernel_{age:02d}.o" for age in range(compiled.KEPT_KERNELS)]


def test_numpy_rk4_and_compiled_agree_through_simulate(make_scenario, model):
    scenario = make_scenario(
        duration="90 min",
        events=[
            {"at": "5 min", "oxytocin_dose": {"route": "intranasal", "amount": "24 IU"}},
            {"at": "30 min", "stressor": {"kind": "tsst", "duration": "15 min"}},
        ],
        population={"size": 5, "sex": {"male": 0.5, "female": 0.5}},
    )
    fast = simulate(scenario)
    reference = simulate(scenario, solver=SolverOptions(method="rk4"))
    assert fast.attrs["solver"] == "compiled" and fast.attrs["compile_seconds"] >= 0.0
    for name in fast.data_vars:
        np.testing.assert_allclose(fast[name].values, reference[name].values, **PARITY)


def test_per_subject_channel_gains_scale_each_subjects_share_of_the_protocol(model):
    """``gain_<channel>`` among the covariates: 1 is the protocol, 0 is none of it, bit for bit."""
    from oxysim.engine.protocol import channel_gain, empty_schedule
    from oxysim.engine.solvers import Grid, SystemEvaluator
    from oxysim.population.covariates import covariate_inputs

    scenario = parse_scenario(
        "name: gains\nduration: 60 min\nsubjects: [{id: a}, {id: b}, {id: c}]\n"
        "events: [{at: 5 min, stressor: {kind: tsst, duration: 15 min}}]\n"
    )
    prepared = prepare_run(scenario, SolverOptions())
    covariates = covariate_inputs(prepared.table)
    covariates[channel_gain("stress_tsst")] = np.array([1, 0, 0.5])
    gained = SystemEvaluator(model, prepared.params, covariates)
    grid = Grid(60, 1.0, scenario.start_time, 1)
    schedule = build_schedule(scenario.events, 60, 1.0)
    record = ("stress_tsst", "plasma_acth", "salivary_cortisol")
    plain = CompiledRun.build(prepared.evaluator)
    y0 = initial_state(model, prepared.evaluator, scenario.start_time, plain.integrate)
    full = plain.integrate(y0, schedule, grid, record)
    none = plain.integrate(y0, empty_schedule(60), grid, record)
    fast = CompiledRun.build(gained).integrate(y0, schedule, grid, record)
    slow = integrate_rk4(gained, y0, schedule, grid, record)
    for name in record:
        np.testing.assert_array_equal(fast[name][:, 0], full[name][:, 0])
        np.testing.assert_array_equal(fast[name][:, 1], none[name][:, 1])
        np.testing.assert_allclose(fast[name], slow[name], **PARITY)
    assert float(fast["stress_tsst"][10, 2]) == 0.5 * float(full["stress_tsst"][10, 2]) > 0
    peak = {name: fast["plasma_acth"][:, i].max() for i, name in enumerate("abc")}
    assert peak["b"] < peak["c"] < peak["a"]
