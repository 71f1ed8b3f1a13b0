import re

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from oxysim._version import __version__
from oxysim.engine.compiled import CompiledRun
from oxysim.engine.initial import initial_state
from oxysim.engine.protocol import TIMED_CHANNELS, Bolus, build_schedule
from oxysim.engine.simulate import SolverOptions, prepare_run, simulate
from oxysim.engine.solvers import Grid, SystemEvaluator, integrate_rk4
from oxysim.population.covariates import BASELINE_LEVELS, covariate_inputs
from oxysim.population.sampling import SUBJECT_COLUMNS
from oxysim.population.variability import parameter_values, varying_parameters
from oxysim.system import human_model

STATES = human_model().state_names
MIXED_EVENTS = [
    {"at": "0 min", "social_support": {"source": "partner", "duration": "10 min"}},
    {"at": "5 min", "oxytocin_dose": {"route": "intranasal", "amount": "24 IU"}},
    {"at": "10 min", "stressor": {"kind": "tsst", "duration": "15 min"}},
    {"at": "40 min", "oxytocin_dose": {"route": "iv_bolus", "amount": "1 IU"}},
]
EXPENSIVE = settings(
    max_examples=12,
    deadline=None,
    database=None,
    derandomize=True,
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow],
)

# --- batch equals loop ------------------------------------------------------------------------


def _table_from(dataset):
    stored = {
        name: f"baseline_{name}" if name in BASELINE_LEVELS else name for name in SUBJECT_COLUMNS
    }
    table = {name: dataset[stored[name]].values for name in SUBJECT_COLUMNS if name != "id"}
    table["menopausal"] = table["menopausal"].astype(bool)
    return table


def _params_from(dataset, model):
    params = parameter_values(model.parameters, dataset.sizes["subject"], None)
    for name in list(params):
        if f"param_{name}" in dataset:
            params[name] = dataset[f"param_{name}"].values
    return params


def _slice(values, index):
    return type(values)({k: v[index : index + 1] if np.ndim(v) else v for k, v in values.items()})


def test_batch_of_heterogeneous_subjects_equals_one_by_one_loop(model, make_scenario):
    record = [
        *model.state_names,
        *(v.name for v in model.outputs),
        *(v.name for v in model.statics),
    ]
    scenario = make_scenario(
        duration="60 min",
        seed=7,
        events=MIXED_EVENTS,
        record=record,
        population={
            "size": 6,
            "sex": {"male": 0.5, "female": 0.5},
            "age": {"min": 20, "max": 70},
            "rs53576": {"GG": 0.34, "AG": 0.33, "AA": 0.33},
            "chronic_stress": {"mean": 0.4, "sd": 0.3},
            "magnesium": {"mean": 0.85, "sd": 0.2},
            "vitamin_c": {"mean": 40, "sd": 25},
        },
    )
    batch = simulate(scenario)
    assert set(batch.sex.values) == {"male", "female"}
    assert len(set(batch.rs53576.values)) >= 2
    assert len(np.unique(batch.chronic_stress.values)) == 6
    assert "param_plasma_clearance" in batch

    covariates = covariate_inputs(_table_from(batch))
    params = _params_from(batch, model)
    grid = Grid(60, 1.0, scenario.start_time, 1)
    schedule = build_schedule(scenario.arm_events("default"), grid.n_steps, grid.step)
    for index in range(6):
        evaluator = SystemEvaluator(model, _slice(params, index), _slice(covariates, index))
        burn_in = CompiledRun.build(evaluator)
        # the one-day burn-in compiled (test_compiled checks it against NumPy), the run on NumPy
        y0 = initial_state(model, evaluator, scenario.start_time, burn_in.integrate)
        alone = integrate_rk4(evaluator, y0, schedule, grid, record)
        for name in record:
            together = batch[name].isel(arm=0, subject=index).values
            np.testing.assert_allclose(
                np.broadcast_to(alone[name][:, 0], together.shape),
                together,
                rtol=1e-6,
                atol=1e-12,
                err_msg=f"{name} of subject {index}",
            )


def _textbook_rk4(evaluator, y0, schedule, grid, record, progress=None):
    """RK4 written as the formula, with fresh arrays everywhere: the oracle for the fast loop."""
    y = np.array(y0, dtype=float)
    index = {name: i for i, name in enumerate(evaluator.state_names)}
    rows = {name: [] for name in record}
    h = grid.step
    for k in range(grid.n_steps + 1):
        for bolus in schedule.boluses:
            if bolus.step == k:
                y[index[bolus.state]] += bolus.amount
        at = min(k, grid.n_steps - 1)
        channels = {name: float(values[at]) for name, values in schedule.channels.items()}
        clock = grid.start_time_of_day + k * h
        k1, signals = evaluator.rates(y, channels, clock)
        if k % grid.record_every == 0:
            for name in record:
                rows[name].append(np.broadcast_to(signals[name], y.shape[1:]).copy())
        if k == grid.n_steps:
            break
        k2, _ = evaluator.rates(y + 0.5 * h * k1, channels, clock + 0.5 * h)
        k3, _ = evaluator.rates(y + 0.5 * h * k2, channels, clock + 0.5 * h)
        k4, _ = evaluator.rates(y + h * k3, channels, clock + h)
        y = y + (h / 6.0) * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
    return {name: np.array(values) for name, values in rows.items()}


def test_in_place_rk4_equals_the_textbook_formula(model, make_scenario):
    """The NumPy RK4 (buffers reused, in place) against the formula, from one shared start."""
    record = [*model.state_names, *(v.name for v in model.outputs)]
    scenario = make_scenario(
        duration="90 min",
        record_every="2 min",
        seed=11,
        events=[
            *MIXED_EVENTS,
            {"at": "50 min", "touch": {"kind": "massage", "duration": "20 min"}},
            {"at": "60 min", "oxytocin_dose": {"route": "intranasal", "amount": "24 IU"}},
        ],
        population={
            "size": 9,
            "sex": {"male": 0.5, "female": 0.5},
            "age": {"min": 20, "max": 70},
            "rs53576": {"GG": 0.34, "AG": 0.33, "AA": 0.33},
            "chronic_stress": {"mean": 0.4, "sd": 0.3},
        },
    )
    prepared = prepare_run(scenario, SolverOptions(method="rk4"))
    evaluator, grid = prepared.evaluator, prepared.grid
    assert "plasma_clearance" in varying_parameters(prepared.params)
    y0 = initial_state(
        model, evaluator, scenario.start_time, CompiledRun.build(evaluator).integrate
    )
    schedule = build_schedule(scenario.events, grid.n_steps, grid.step)
    fast = integrate_rk4(evaluator, y0, schedule, grid, record)
    textbook = _textbook_rk4(evaluator, y0, schedule, grid, record)
    assert float(fast["plasma_oxytocin"].max()) > 300.0  # the doses landed
    for name in record:
        np.testing.assert_allclose(
            np.broadcast_to(fast[name], textbook[name].shape),
            textbook[name],
            rtol=1e-12,
            atol=0,
            err_msg=name,
        )


# --- accuracy ---------------------------------------------------------------------------------


def test_rk4_at_default_step_matches_reference_solver(model, make_scenario):
    record = [*model.state_names, "plasma_oxytocin", "salivary_cortisol", "oxytocin_stress_brake"]
    scenario = make_scenario(
        duration="90 min",
        seed=3,
        events=MIXED_EVENTS,
        record=record,
        population={
            "size": 3,
            "sex": {"male": 0.5, "female": 0.5},
            "rs53576": {"GG": 0.5, "AA": 0.5},
        },
    )
    fast = simulate(scenario)
    reference = simulate(scenario, solver=SolverOptions(method="reference"))
    assert fast.solver_step_min == 1.0
    for name in record:
        exact = reference[name].values
        scale = np.max(np.abs(exact), axis=-1, keepdims=True)
        error = np.abs(fast[name].values - exact) / np.where(scale > 0, scale, 1.0)
        assert error.max() < 1e-3, name
    peak = reference["plasma_oxytocin"].sel(time=40.0)
    assert float(peak.min()) > 300.0


def test_rk4_is_fourth_order_against_the_reference(model, make_scenario):
    scenario = make_scenario(
        duration="40 min",
        record_every="2 min",
        subjects=[{}],
        record=list(model.state_names),
        events=[
            {"at": "0 min", "oxytocin_dose": {"route": "iv_bolus", "amount": "1 IU"}},
            {"at": "0 min", "stressor": {"kind": "tsst", "duration": "16 min"}},
        ],
    )
    reference = simulate(scenario, solver=SolverOptions(method="reference"))
    errors = {}
    for step in (0.5, 0.25):
        result = simulate(scenario, solver=SolverOptions(step=step))
        errors[step] = {
            n: np.abs(result[n].values - reference[n].values).max() for n in model.state_names
        }
    measured = [n for n in model.state_names if errors[0.25][n] > 1e-9]
    assert {"plasma_oxytocin_amount", "crh", "plasma_cortisol"} <= set(measured)
    for name in measured:
        assert 12.0 <= errors[0.5][name] / errors[0.25][name] <= 20.0, name


# --- properties -------------------------------------------------------------------------------

SUBJECT = st.fixed_dictionaries(
    {
        "sex": st.sampled_from(["male", "female"]),
        "age": st.integers(18, 90),
        "rs53576": st.sampled_from(["GG", "AG", "AA"]),
        "chronic_stress": st.floats(0.0, 1.0),
        "magnesium": st.floats(0.2, 2.0),
        "vitamin_c": st.floats(0.0, 200.0),
        "vitamin_d": st.floats(0.0, 300.0),
    }
)
DURATION = 60


def _minutes(value):
    return f"{value!r} min"


@st.composite
def _event(draw):
    at = draw(st.floats(0.0, DURATION - 1.0))
    lasting = _minutes(draw(st.floats(0.5, DURATION - at)))
    kind = draw(st.sampled_from(["stressor", "support", "touch", "dose", "infusion", "quiet"]))
    if kind == "stressor":
        body = {
            "stressor": {
                "kind": draw(st.sampled_from(["tsst", "conflict", "generic"])),
                "intensity": draw(st.floats(0.0, 3.0)),
                "duration": lasting,
            }
        }
    elif kind == "support":
        body = {
            "social_support": {
                "source": draw(st.sampled_from(["partner", "friend", "stranger"])),
                "duration": lasting,
            }
        }
    elif kind == "touch":
        body = {
            "touch": {
                "kind": draw(st.sampled_from(["hug", "massage", "hand_holding"])),
                "duration": lasting,
            }
        }
    elif kind == "dose":
        route, largest = draw(
            st.sampled_from([("intranasal", 100.0), ("iv_bolus", 10.0), ("subcutaneous", 20.0)])
        )
        amount = draw(st.floats(0.01, largest))
        body = {"oxytocin_dose": {"route": route, "amount": f"{amount!r} IU"}}
    elif kind == "infusion":
        rate = draw(st.floats(0.0005, 0.05))
        body = {
            "oxytocin_dose": {
                "route": "iv_infusion",
                "rate": f"{rate!r} IU/min",
                "duration": lasting,
            }
        }
    else:
        body = {draw(st.sampled_from(["meditation", "music", "warm_bath"])): {"duration": lasting}}
    return {"at": _minutes(at), **body}


@EXPENSIVE
@given(
    subjects=st.lists(SUBJECT, min_size=1, max_size=3),
    events=st.lists(_event(), max_size=5),
    seed=st.integers(0, 2**31),
)
def test_states_stay_finite_and_nonnegative_under_random_protocols(
    make_scenario, subjects, events, seed
):
    scenario = make_scenario(
        duration=f"{DURATION} min", seed=seed, subjects=subjects, events=events, record=list(STATES)
    )
    result = simulate(scenario)
    for name in STATES:
        values = result[name].values
        assert np.isfinite(values).all(), name
        assert values.min() >= -1e-9, name


def test_analytic_resting_state_is_a_fixed_point_without_circadian_drive(model, covariates_of):
    from oxysim.scenario import SubjectSpec

    params = parameter_values(model.parameters, 2, None, {"circadian_amplitude": 0.0})
    evaluator = SystemEvaluator(
        model, params, covariates_of(SubjectSpec(), SubjectSpec(sex="female", chronic_stress=0.5))
    )
    signals = evaluator.signals(np.zeros((len(model.state_names), 2)), {}, 840.0)
    signals.update({name: 0.0 for name in TIMED_CHANNELS})
    resting = model.resting_state(signals, params)
    y = np.vstack([np.broadcast_to(resting[name], (2,)) for name in model.state_names])
    rates, _ = evaluator.rates(y, {name: 0.0 for name in TIMED_CHANNELS}, 840.0)
    relative = np.abs(rates) / np.maximum(np.abs(y), 1e-12)
    drifting = sorted({model.state_names[i] for i in np.argwhere(relative > 1e-9)[:, 0]})
    assert drifting == []


@settings(EXPENSIVE, max_examples=6)
@given(subjects=st.lists(SUBJECT, min_size=1, max_size=3), seed=st.integers(0, 2**31))
def test_resting_state_is_steady_without_events_or_circadian_drive(make_scenario, subjects, seed):
    scenario = make_scenario(
        duration="6 h", record_every="2 h", seed=seed, subjects=subjects, record=list(STATES)
    )
    result = simulate(scenario, parameters={"circadian_amplitude": 0.0})
    for name in STATES:
        values = result[name].values
        start = values[..., :1]
        assert np.all(np.abs(values - start) <= 1e-6 * np.abs(start) + 1e-12), name


# --- schedules --------------------------------------------------------------------------------


@pytest.mark.parametrize(("step", "first", "count"), [(1.0, 10, 15), (0.5, 20, 30), (0.25, 40, 60)])
def test_stressor_channel_is_on_for_exactly_its_duration(make_scenario, step, first, count):
    scenario = make_scenario(
        duration="60 min",
        events=[{"at": "10 min", "stressor": {"kind": "tsst", "duration": "15 min"}}],
    )
    schedule = build_schedule(scenario.events, round(60 / step), step)
    on = np.flatnonzero(schedule.channels["stress_tsst"])
    np.testing.assert_array_equal(on, np.arange(first, first + count))
    assert schedule.channels["stress_tsst"][on] == pytest.approx(1.0, abs=0)
    others = [name for name in TIMED_CHANNELS if name != "stress_tsst"]
    assert all(not schedule.channels[name].any() for name in others)
    assert schedule.boluses == ()


def test_intranasal_bolus_lands_in_the_nasal_depot_at_its_step(make_scenario):
    scenario = make_scenario(
        duration="60 min",
        subjects=[{}],
        record=["nasal_depot", "brain_transit"],
        events=[{"at": "30 min", "oxytocin_dose": {"route": "intranasal", "amount": "24 IU"}}],
    )
    schedule = build_schedule(scenario.events, 60, 1.0)
    assert schedule.boluses == (Bolus(30, "nasal_depot", pytest.approx(24 * 1.68, rel=1e-12)),)
    assert not any(values.any() for values in schedule.channels.values())
    depot = simulate(scenario)["nasal_depot"].isel(arm=0, subject=0)
    assert float(depot.sel(time=29.0)) == 0.0
    assert float(depot.sel(time=30.0)) == pytest.approx(24 * 1.68, rel=1e-12)
    assert 0.0 < float(depot.sel(time=31.0)) < 24 * 1.68


def test_placebo_encodes_to_nothing(make_scenario):
    scenario = make_scenario(duration="30 min", events=[{"at": "5 min", "placebo": {}}])
    schedule = build_schedule(scenario.events, 30, 1.0)
    assert schedule.boluses == ()
    assert not any(values.any() for values in schedule.channels.values())


def test_iv_infusion_sets_its_rate_channel(make_scenario):
    scenario = make_scenario(
        duration="60 min",
        events=[
            {
                "at": "5 min",
                "oxytocin_dose": {
                    "route": "iv_infusion",
                    "rate": "20 mIU/min",
                    "duration": "30 min",
                },
            }
        ],
    )
    rate = build_schedule(scenario.events, 60, 1.0).channels["iv_infusion_rate"]
    assert rate[5:35] == pytest.approx(0.02, rel=1e-12)
    assert rate[:5].sum() == 0.0 and rate[35:].sum() == 0.0


# --- reproducibility --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def population_scenario(make_scenario):
    return make_scenario(
        duration="30 min",
        seed=21,
        events=MIXED_EVENTS[:3],
        population={
            "size": 4,
            "sex": {"male": 0.5, "female": 0.5},
            "rs53576": {"GG": 0.5, "AA": 0.5},
        },
    )


@pytest.fixture(scope="module")
def population_result(population_scenario):
    return simulate(population_scenario)


def test_same_seed_gives_identical_results(population_scenario, population_result):
    again = simulate(population_scenario)
    assert list(again.data_vars) == list(population_result.data_vars)
    for name in population_result.data_vars:
        np.testing.assert_array_equal(again[name].values, population_result[name].values)
    assert again.attrs["parameter_hash"] == population_result.attrs["parameter_hash"]


def test_different_seed_gives_different_parameter_draws(population_scenario, population_result):
    other = simulate(population_scenario.model_copy(update={"seed": 22}))
    assert other.attrs["seed"] == 22
    varying = [name for name in population_result.data_vars if name.startswith("param_")]
    assert "param_plasma_clearance" in varying
    for name in varying:
        assert not np.allclose(other[name].values, population_result[name].values, rtol=1e-3), name


def test_dataset_records_provenance_and_units(model, population_result):
    assert population_result.attrs["seed"] == 21
    assert population_result.attrs["oxysim_version"] == __version__
    assert re.fullmatch(r"[0-9a-f]{16}", population_result.attrs["parameter_hash"])
    assert population_result["salivary_cortisol"].dims == ("arm", "subject", "time")
    for name, variable in population_result.data_vars.items():
        declared = (
            model.parameter(name[6:]).unit
            if name.startswith("param_")
            else model.variables[name].unit
        )
        assert variable.attrs["units"] == declared, name
    assert population_result.time.attrs["units"] == "min"


def test_parameter_override_changes_the_parameter_hash(population_scenario, population_result):
    changed = simulate(population_scenario, parameters={"cortisol_half_life": 75.0})
    assert changed.attrs["parameter_hash"] != population_result.attrs["parameter_hash"]


def test_parameter_override_outside_bounds_is_rejected(population_scenario):
    with pytest.raises(ValueError, match="cortisol_half_life"):
        simulate(population_scenario, parameters={"cortisol_half_life": 500.0})


def test_recording_a_subject_characteristic_keeps_it_as_its_coordinate(make_scenario) -> None:
    """A fixed covariate asked for in ``record`` is the subject coordinate, not a time series."""
    scenario = make_scenario(
        duration="10 min",
        subjects=[{"genetic_vulnerability": 0.2}, {"genetic_vulnerability": 0.9}],
        record=["genetic_vulnerability", "plasma_oxytocin"],
    )
    results = simulate(scenario)
    assert results["genetic_vulnerability"].dims == ("subject",)
    np.testing.assert_array_equal(results["genetic_vulnerability"].values, [0.2, 0.9])
    assert results["plasma_oxytocin"].dims == ("arm", "subject", "time")
    typical = simulate(
        make_scenario(
            duration="10 min", subjects=[{"attachment": "anxious"}], record=["attachment_anxiety"]
        )
    )
    assert np.isfinite(typical["attachment_anxiety"].values).all()  # the value the model used


def test_variability_draws_stay_within_the_declared_bounds(model) -> None:
    """A million subjects reach the log-normal tails; no draw leaves its parameter's bounds."""
    from oxysim.population.variability import parameter_values

    varying = tuple(p for p in model.parameters if p.between_subject_cv > 0)
    values = parameter_values(varying, 1_000_000, np.random.default_rng(0))
    clearance = next(p for p in varying if p.name == "plasma_clearance")
    assert float(values["plasma_clearance"].max()) == clearance.bounds[1]  # clipped, not beyond
    for parameter in varying:
        drawn = np.asarray(values[parameter.name])
        assert parameter.bounds[0] <= drawn.min() and drawn.max() <= parameter.bounds[1]


def test_a_parameter_set_to_zero_leaves_the_others_draws_alone(model) -> None:
    """A sweep that sets a varying parameter to 0 must keep the same subjects for the rest."""
    from oxysim.population.variability import parameter_values

    varying = tuple(p for p in model.parameters if p.between_subject_cv > 0)
    zeroable = next(p for p in varying if p.bounds[0] == 0.0)
    later = varying[-1]
    assert later is not zeroable
    draws = {
        value: parameter_values(varying, 5, np.random.default_rng(3), {zeroable.name: value})
        for value in (0.0, zeroable.value)
    }
    np.testing.assert_array_equal(draws[0.0][later.name], draws[zeroable.value][later.name])
    assert np.all(np.asarray(draws[0.0][zeroable.name]) == 0.0)
