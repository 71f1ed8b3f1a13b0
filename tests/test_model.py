import math
from dataclasses import replace

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from oxysim.engine.compiled import CompiledRun
from oxysim.engine.compose import CompositionError, compose
from oxysim.engine.initial import initial_state
from oxysim.engine.protocol import build_schedule, empty_schedule
from oxysim.engine.solvers import Grid, SystemEvaluator
from oxysim.model.hpa import HPA
from oxysim.model.motifs import hill, receptor_occupancy, relative_hill
from oxysim.model.parameters import GRADES, Parameter, grade_rank
from oxysim.model.receptor import RECEPTOR, affinity_kd, target_density
from oxysim.model.release import synthesis_capacity
from oxysim.model.submodel import Signals, SubModel, Variable
from oxysim.scenario import SubjectSpec
from oxysim.units import UnitError, _unit, nanomolar_to_pg_per_ml

# --- parameters -------------------------------------------------------------------------------


def _parameter(**changes):
    fields = dict(
        name="toy_rate",
        value=1.0,
        unit="1/min",
        description="a toy rate",
        grade="assumption",
        bounds=(0.0, 2.0),
        source="test",
    )
    return Parameter(**{**fields, **changes})


def test_valid_parameter_builds_and_reports_its_lognormal_sigma():
    parameter = _parameter(between_subject_cv=0.5)
    assert parameter.lognormal_sigma == pytest.approx(math.sqrt(math.log(1.25)), rel=1e-12)


def test_parameter_without_source_or_calibration_raises():
    with pytest.raises(ValueError, match="toy_rate: needs a source or a calibration target"):
        _parameter(source="", calibrated_to="")


def test_parameter_with_only_a_calibration_target_is_accepted():
    assert _parameter(source="", calibrated_to="tsst_cortisol").calibrated_to == "tsst_cortisol"


@pytest.mark.parametrize("value", [-0.1, 2.5, math.inf, math.nan])
def test_parameter_outside_bounds_raises(value):
    with pytest.raises(ValueError, match="toy_rate: value .* outside"):
        _parameter(value=value)


def test_parameter_with_unknown_grade_raises():
    with pytest.raises(ValueError, match="grade 'rumour'"):
        _parameter(grade="rumour")


@pytest.mark.parametrize("unit", ["flurbs", "pg/", "min**"])
def test_parameter_with_bad_unit_raises_unit_error(unit):
    with pytest.raises(UnitError, match="toy_rate: unit"):
        _parameter(unit=unit)


def test_negative_between_subject_cv_raises():
    with pytest.raises(ValueError, match="between_subject_cv"):
        _parameter(between_subject_cv=-0.1)


def test_grade_rank_orders_established_first_and_claim_last():
    assert [grade_rank(g) for g in GRADES] == list(range(6))
    assert grade_rank("established") == 0
    assert grade_rank("claim") == 5


def test_every_model_parameter_is_ledger_complete(model):
    parameters = model.parameters
    assert len(parameters) >= 50
    names = [p.name for p in parameters]
    assert len(set(names)) == len(names)
    incomplete = [
        p.name
        for p in parameters
        if not (p.unit and p.description and p.grade in GRADES and (p.source or p.calibrated_to))
    ]
    assert incomplete == []
    for p in parameters:
        _unit(p.unit)
        low, high = p.bounds
        assert low <= p.value <= high, p.name
        assert p.between_subject_cv >= 0, p.name


# --- composition ------------------------------------------------------------------------------


def _vars(*pairs):
    return tuple(Variable(name, unit, name) for name, unit in pairs)


def _toy(name, *, states=(), outputs=(), inputs=()):
    return SubModel(
        name=name,
        description="toy",
        s_ids=(),
        states=_vars(*states),
        outputs=_vars(*outputs),
        inputs=_vars(*inputs),
        parameters=(),
        outputs_fn=lambda v, p: {o: np.zeros(1) for o, _ in outputs},
        rates_fn=lambda v, p: {s: np.zeros(1) for s, _ in states},
    )


def test_compose_orders_submodels_after_the_providers_of_their_inputs():
    upstream = _toy("upstream", outputs=[("signal_a", "pg/mL")])
    middle = _toy("middle", inputs=[("signal_a", "ng/L")], outputs=[("signal_b", "1")])
    downstream = _toy("downstream", states=[("level", "1")], inputs=[("signal_b", "1")])
    model = compose([downstream, middle, upstream], _vars(("clock", "min")))
    assert [m.name for m in model.submodels] == ["upstream", "middle", "downstream"]
    assert model.state_names == ("level",)


def test_compose_missing_input_names_it():
    consumer = _toy("consumer", inputs=[("mystery_signal", "1")])
    with pytest.raises(CompositionError, match="'mystery_signal'.*nothing provides"):
        compose([consumer], ())


def test_compose_name_defined_twice_names_it_and_both_owners():
    first = _toy("first", outputs=[("twin_signal", "1")])
    second = _toy("second", states=[("twin_signal", "1")])
    with pytest.raises(
        CompositionError, match="'twin_signal' is defined by both 'first' and 'second'"
    ):
        compose([first, second], ())


def test_compose_name_clashing_with_an_external_input_raises():
    clash = _toy("clash", outputs=[("clock", "min")])
    with pytest.raises(CompositionError, match="'clock'.*'protocol'.*'clash'"):
        compose([clash], _vars(("clock", "min")))


@pytest.mark.parametrize(("provided", "wanted"), [("mL", "L"), ("pg/mL", "nmol/L"), ("min", "h")])
def test_compose_unit_mismatch_names_variable_and_both_units(provided, wanted):
    provider = _toy("provider", outputs=[("volume_signal", provided)])
    consumer = _toy("consumer", inputs=[("volume_signal", wanted)])
    with pytest.raises(CompositionError, match="'volume_signal'") as error:
        compose([provider, consumer], ())
    assert wanted in str(error.value) and provided in str(error.value)


def test_compose_algebraic_loop_raises_naming_the_loop():
    left = _toy("left_model", inputs=[("right_out", "1")], outputs=[("left_out", "1")])
    right = _toy("right_model", inputs=[("left_out", "1")], outputs=[("right_out", "1")])
    bystander = _toy("bystander", outputs=[("free_out", "1")])
    with pytest.raises(CompositionError, match="algebraic loop") as error:
        compose([bystander, left, right], ())
    message = str(error.value)
    assert "left_model" in message and "right_model" in message
    assert "bystander" not in message


def test_rate_only_inputs_do_not_close_an_algebraic_loop():
    plasma = _toy(
        "plasma",
        states=[("amount", "ng")],
        inputs=[("secretion", "ng/min")],
        outputs=[("concentration", "pg/mL")],
    )
    gland = _toy("gland", inputs=[("concentration", "pg/mL")], outputs=[("secretion", "ng/min")])
    with pytest.raises(CompositionError, match="algebraic loop"):
        compose([plasma, gland], ())
    plasma = replace(plasma, rate_only_inputs=("secretion",))
    model = compose([plasma, gland], ())
    assert [m.name for m in model.submodels] == ["plasma", "gland"]


def test_rate_only_inputs_must_be_declared_inputs():
    with pytest.raises(ValueError, match="rate-only inputs not declared"):
        replace(_toy("plasma", inputs=[("secretion", "ng/min")]), rate_only_inputs=("other",))


def test_compose_duplicate_parameter_raises():
    parameter = _parameter()
    a = SubModel("a", "", (), (), (), (), (parameter,), lambda v, p: {}, lambda v, p: {})
    b = SubModel("b", "", (), (), (), (), (parameter,), lambda v, p: {}, lambda v, p: {})
    with pytest.raises(CompositionError, match="toy_rate"):
        compose([a, b], ())


def test_compose_parameter_named_like_a_variable_raises():
    parameter = _parameter()
    shadow = _toy("shadow", outputs=[(parameter.name, "1")])
    owner = SubModel("owner", "", (), (), (), (), (parameter,), lambda v, p: {}, lambda v, p: {})
    with pytest.raises(CompositionError, match="named like a variable.*toy_rate"):
        compose([shadow, owner], ())


# --- motifs -----------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1.0, 2.0, 3.0, 2.5])
@pytest.mark.parametrize("half_max", [0.3, 1.0, 14000.0])
def test_hill_is_one_half_at_half_max(n, half_max):
    assert hill(half_max, half_max, n) == pytest.approx(0.5, abs=1e-14)


@pytest.mark.parametrize("n", [1.0, 2.0, 3.0, 2.5])
def test_hill_matches_closed_form(n):
    x = np.array([0.0, 0.5, 2.0, 10.0])
    assert hill(x, 2.0, n) == pytest.approx(x**n / (2.0**n + x**n), rel=1e-12)


def test_hill_clips_negative_input_to_zero():
    assert hill(np.array([-3.0, -1e-9]), 1.0, 2.0) == pytest.approx([0.0, 0.0], abs=0)


@pytest.mark.parametrize(("amplitude", "n"), [(0.6, 1.0), (150.0, 2.0), (-0.999, 2.0), (3.0, 2.5)])
def test_relative_hill_is_one_at_the_reference(amplitude, n):
    reference = np.array([25.0, 230.0, 60.0])
    assert relative_hill(reference, reference, 100.0, amplitude, n) == pytest.approx(1.0, rel=1e-14)


def test_relative_hill_moves_in_the_direction_of_the_amplitude():
    assert relative_hill(500.0, 25.0, 150.0, 0.6) > 1.0
    assert relative_hill(500.0, 230.0, 600.0, -0.999, 2.0) < 1.0


@pytest.mark.parametrize("kd", [1.0, 1510.785, 20000.0])
def test_receptor_occupancy_is_one_half_at_kd(kd):
    assert receptor_occupancy(kd, kd) == pytest.approx(0.5, abs=1e-15)
    assert receptor_occupancy(9.0 * kd, kd) == pytest.approx(0.9, rel=1e-14)
    assert receptor_occupancy(-kd, kd) == 0.0


# --- pharmacokinetics -------------------------------------------------------------------------


def _two_compartment(t, dose_ng, v1, v2, cl, q):
    k10, k12, k21 = cl / v1, q / v1, q / v2
    total = k10 + k12 + k21
    root = math.sqrt(total**2 - 4.0 * k10 * k21)
    alpha, beta = (total + root) / 2.0, (total - root) / 2.0
    fast = (alpha - k21) / (alpha - beta) * np.exp(-alpha * t)
    slow = (k21 - beta) / (alpha - beta) * np.exp(-beta * t)
    return dose_ng / v1 * (fast + slow)


def test_iv_bolus_plasma_excess_matches_analytic_two_compartment_solution(
    model, typical_params, covariates_of, make_scenario
):
    params = typical_params(1)
    evaluator = SystemEvaluator(model, params, covariates_of())
    integrate = CompiledRun.build(evaluator).integrate  # the NumPy RK4's twin (test_compiled)
    y0 = initial_state(model, evaluator, 840.0, integrate)
    grid = Grid(n_steps=240, step=0.25, start_time_of_day=840.0, record_every=4)
    dose = make_scenario(
        duration="60 min",
        events=[{"at": "0 min", "oxytocin_dose": {"route": "iv_bolus", "amount": "1 IU"}}],
    )
    with_dose = integrate(y0, build_schedule(dose.events, 240, 0.25), grid, ["plasma_oxytocin"])
    at_rest = integrate(y0, empty_schedule(240), grid, ["plasma_oxytocin"])
    excess = (with_dose["plasma_oxytocin"] - at_rest["plasma_oxytocin"])[:, 0]
    t = np.arange(61.0)
    expected = _two_compartment(
        t,
        1.68 * 1000.0,
        params.central_volume,
        params.peripheral_volume,
        params.plasma_clearance,
        params.intercompartmental_clearance,
    )
    assert expected[0] == pytest.approx(336.0, rel=1e-12)
    np.testing.assert_allclose(excess, expected, rtol=1e-3)


def test_iv_bolus_plasma_half_life_is_within_the_published_3_to_5_minutes(typical_params):
    p = typical_params(1)
    initial_half_life = math.log(2.0) / (
        (p.plasma_clearance + p.intercompartmental_clearance) / p.central_volume
    )
    assert 2.5 <= initial_half_life <= 5.0


# --- receptor ---------------------------------------------------------------------------------


def test_magnesium_free_receptor_kd_is_at_least_tenfold_higher(typical_params):
    kd_without, kd_normal = affinity_kd(np.array([0.0, 0.85]), typical_params(1))
    assert kd_without >= 10.0 * kd_normal
    params = typical_params(1)
    kd_high = nanomolar_to_pg_per_ml(params.oxtr_kd_high_affinity)
    assert kd_without == pytest.approx(params.oxtr_kd_low_affinity_fold * kd_high, rel=1e-9)


def test_receptor_kd_falls_monotonically_with_magnesium(typical_params):
    kd = affinity_kd(np.linspace(0.0, 2.0, 21), typical_params(1))
    assert np.all(np.diff(kd) < 0)


def _uterine_targets(subjects, typical_params, covariates_of):
    params = typical_params(len(subjects))
    signals = Signals(covariates_of(*subjects))
    signals.update(RECEPTOR.static_fn(signals, params))
    signals["chronic_cortisol"] = np.full(len(subjects), params.chronic_cortisol_reference)
    return target_density(signals, params)["oxtr_uterus"]


def test_uterine_oxtr_target_at_week_39_is_8_to_16_times_week_15(typical_params, covariates_of):
    week15, week39 = _uterine_targets(
        [
            SubjectSpec(sex="female", gestational_week=15),
            SubjectSpec(sex="female", gestational_week=39),
        ],
        typical_params,
        covariates_of,
    )
    assert 8.0 <= week39 / week15 <= 16.0


def test_men_have_no_uterine_oxtr_target(typical_params, covariates_of):
    man, woman = _uterine_targets(
        [SubjectSpec(sex="male"), SubjectSpec(sex="female", cycle_phase="follicular")],
        typical_params,
        covariates_of,
    )
    assert man == 0.0
    assert woman > 0.5


# --- release ----------------------------------------------------------------------------------


def test_vitamin_c_deficiency_lowers_synthesis_and_sufficiency_saturates(typical_params):
    deficient, replete, reference = synthesis_capacity(
        np.array([5.0, 100.0, 50.0]), typical_params(1)
    )
    assert deficient < 0.7
    assert replete == pytest.approx(1.0, rel=0.1)
    assert reference == pytest.approx(1.0, rel=1e-12)


# --- HPA axis ---------------------------------------------------------------------------------


@pytest.mark.parametrize("binding_globulin", [1.0, 2.0])
def test_cortisol_half_life_emerges_with_acth_drive_removed(typical_params, binding_globulin):
    # only free cortisol is cleared: with twice the CBG, total cortisol lasts twice as long
    params = typical_params(1)

    def rate(t, y):
        signals = Signals(
            crh=np.zeros(1),
            crh_drive=np.zeros(1),
            plasma_acth=np.zeros(1),
            plasma_cortisol=y,
            chronic_cortisol=y,
            suckling=np.zeros(1),
            cortisol_binding_globulin=np.full(1, binding_globulin),
        )
        return HPA.rates_fn(signals, params)["plasma_cortisol"]

    def halved(t, y):
        return y[0] - 200.0

    halved.terminal = True
    solution = solve_ivp(rate, (0.0, 900.0), [400.0], events=halved, rtol=1e-10, atol=1e-10)
    expected = params.cortisol_half_life * binding_globulin
    assert solution.t_events[0][0] == pytest.approx(expected, rel=1e-6)


def test_plasma_cortisol_peaks_between_6_and_9_in_the_morning(make_scenario):
    from oxysim.engine.simulate import simulate

    scenario = make_scenario(
        duration="24 h",
        record_every="5 min",
        start_time="00:00",
        subjects=[{}],
        record=["plasma_cortisol"],
    )
    cortisol = simulate(scenario)["plasma_cortisol"].isel(arm=0, subject=0)
    peak_clock = float(cortisol.time[int(np.argmax(cortisol.values))])
    assert 360.0 <= peak_clock <= 540.0
    assert float(cortisol.max() / cortisol.min()) > 2.0


def test_docs_contain_the_current_equations(model) -> None:
    from pathlib import Path

    from oxysim.engine.equations import equations_markdown

    text = equations_markdown()
    assert r"\frac{d\,\mathrm{plasma\_cortisol}}{dt}" in text
    assert text.count("### `") == len(model.submodels)
    document = Path(__file__).parents[1] / "docs" / "model.md"
    assert text.rstrip() in document.read_text(encoding="utf-8"), "run `make docs`"
