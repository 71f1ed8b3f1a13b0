"""Scenario files: parsing, validation errors (path, line, message), docs and subject tables."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError

from oxysim.population import (
    SUBJECT_COLUMNS,
    sample_population,
    scenario_subjects,
    subjects_table,
)
from oxysim.scenario import (
    Event,
    Music,
    OxytocinDose,
    PopulationSpec,
    Scenario,
    ScenarioError,
    ScenarioIssue,
    SocialSupport,
    Stressor,
    SubjectSpec,
    Touch,
    event_kinds,
    load_scenario,
    parse_scenario,
    schema_markdown,
)
from oxysim.scenario.subjects import MENOPAUSE_AGE

DATA = Path(__file__).parent / "data" / "scenarios"
DOCS = Path(__file__).parents[1] / "docs" / "scenarios.md"
KNOWN = {"plasma_oxytocin", "salivary_cortisol"}


def issues_of(name: str) -> list[ScenarioIssue]:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(DATA / name, known_variables=KNOWN)
    return caught.value.issues


def only_issue(name: str, field: str) -> ScenarioIssue:
    matching = [issue for issue in issues_of(name) if issue.field == field]
    assert len(matching) == 1, issues_of(name)
    return matching[0]


# --- good files -------------------------------------------------------------------------------


def test_full_example_is_read_in_canonical_units() -> None:
    scenario = load_scenario(DATA / "support_under_stress.yaml", known_variables=KNOWN)
    assert scenario.duration == 150.0
    assert scenario.record_every == 1.0
    assert scenario.start_time == 14 * 60
    assert scenario.seed == 11
    assert list(scenario.arms) == ["support", "alone"]
    assert scenario.record == ("salivary_cortisol", "plasma_oxytocin")
    population = scenario.population
    assert population is not None
    assert population.size == 300
    assert population.rs53576 == {"GG": 0.5, "AG": 0.4, "AA": 0.1}
    assert population.sex == {"male": 1.0}


def test_arm_events_merge_shared_and_own_events_sorted_by_time() -> None:
    scenario = load_scenario(DATA / "support_under_stress.yaml")
    support = scenario.arm_events("support")
    assert [type(event) for event in support] == [SocialSupport, Stressor]
    assert [event.at for event in support] == [0.0, 10.0]
    assert [type(event) for event in scenario.arm_events("alone")] == [Stressor]
    with pytest.raises(KeyError, match="arms: support, alone"):
        scenario.arm_events("nobody")


def test_only_true_and_false_are_booleans_as_in_yaml_1_2() -> None:
    text = (
        "name: a\nduration: 1 h\narms: {no: {}, off: {}}\n"
        "subjects: [{sex: female, menopausal: %s}]\n"
    )
    scenario = parse_scenario(text % "true")
    assert list(scenario.arms) == ["no", "off"]
    assert scenario.subjects is not None and scenario.subjects[0].menopausal is True
    with pytest.raises(ScenarioError, match="menopausal"):
        parse_scenario(text % "yes")


def test_explicit_subjects_events_and_defaults() -> None:
    scenario = load_scenario(DATA / "explicit_subjects.yaml")
    assert scenario.duration == 120.0
    assert scenario.record_every == 0.5
    assert scenario.start_time == 8 * 60 + 30  # unquoted 08:30 is a clock time, not base 60
    assert scenario.subjects is not None
    ann, bob, _ = scenario.subjects
    assert (ann.age, ann.estradiol, ann.magnesium) == (34.0, 150.0, 0.9)
    assert (bob.vitamin_d, bob.chronic_stress, bob.estradiol) == (45.0, 0.4, None)
    events = scenario.arm_events("default")
    assert [event.event_type for event in events] == [
        "oxytocin_dose",
        "oxytocin_dose",
        "touch",
        "music",
    ]
    infusion, spray, hug, music = events
    assert isinstance(infusion, OxytocinDose) and isinstance(spray, OxytocinDose)
    assert (infusion.rate_iu_per_min, infusion.amount_iu, infusion.duration) == (0.02, 0.0, 30.0)
    assert (spray.amount_iu, spray.rate_iu_per_min, spray.duration) == (24.0, 0.0, 0.0)
    assert isinstance(hug, Touch) and hug.duration == 1.0
    assert isinstance(music, Music) and (music.at, music.duration, music.end) == (
        100.0,
        20.0,
        120.0,
    )


def test_minimal_file_gets_defaults() -> None:
    scenario = load_scenario(DATA / "minimal.yaml")
    assert scenario.duration == 24 * 60
    assert (scenario.record_every, scenario.start_time, scenario.seed) == (1.0, 840.0, 0)
    assert list(scenario.arms) == ["default"]
    assert scenario.events == () and scenario.record == ()
    assert scenario.population is None and scenario.subjects is None


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("15 min", 15.0), ("1 h", 60.0), ("90 s", 1.5), ("1.5 hour", 90.0), ("2 day", 2880.0)],
)
def test_times_convert_to_minutes(text: str, minutes: float) -> None:
    assert Stressor(at=text, kind="generic").at == pytest.approx(minutes)


@pytest.mark.parametrize(
    ("kind", "minutes"), [("tsst", 15.0), ("conflict", 10.0), ("generic", 10.0)]
)
def test_stressor_duration_defaults_by_kind(kind: str, minutes: float) -> None:
    assert Stressor(at="0 min", kind=kind).duration == minutes


def test_touch_duration_defaults_by_kind() -> None:
    durations = {kind: Touch(at="0 min", kind=kind).duration for kind in Touch.duration_by_kind}
    assert durations == {"hug": 1.0, "massage": 15.0, "hand_holding": 10.0}


def test_event_kinds_map_yaml_keys_to_classes() -> None:
    kinds = event_kinds()
    assert list(kinds) == [
        "stressor",
        "observing_stress",
        "social_support",
        "touch",
        "oxytocin_dose",
        "placebo",
        "meditation",
        "music",
        "warm_bath",
        "dance",
        "pet_contact",
        "deep_breathing",
        "social_interaction",
        "ambiguous_expression",
        "mating",
        "sexual_activity",
        "orgasm",
        "suckling",
        "labour",
        "muscle_injury",
        "oxtr_antagonist",
        "pvn_vta_stimulation",
        "support_group",
        "natural_reward",
        "drug",
        "drug_cue",
        "withdrawal",
        "hormone_therapy",
        "nutrient",
    ]
    assert all(cls.event_type == key for key, cls in kinds.items())
    assert all(isinstance(cls(at="0 min"), Event) for cls in (kinds["music"], kinds["placebo"]))


def test_models_are_frozen() -> None:
    with pytest.raises(ValidationError):
        SubjectSpec().age = 40  # type: ignore[misc]


def test_concentrations_accept_bare_numbers_and_units() -> None:
    subject = SubjectSpec(magnesium=0.9, vitamin_c="40 umol/L", vitamin_d="0.075 umol/L")
    assert (subject.magnesium, subject.vitamin_c) == (0.9, 40.0)
    assert subject.vitamin_d == pytest.approx(75.0)


def test_null_arm_is_an_empty_arm() -> None:
    scenario = parse_scenario("name: a\nduration: 1 h\narms:\n  alone:\n  other: {}\n")
    assert [arm.events for arm in scenario.arms.values()] == [(), ()]


def test_known_record_variables_pass() -> None:
    text = "name: a\nduration: 1 h\nrecord: [plasma_oxytocin]\n"
    assert parse_scenario(text, known_variables=KNOWN).record == ("plasma_oxytocin",)


# --- bad files: field path, line, message -------------------------------------------------------


def test_error_lines_read_file_line_field_message() -> None:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(DATA / "bad_negative_duration.yaml")
    path = DATA / "bad_negative_duration.yaml"
    assert str(caught.value) == (
        f"{path}:13: arms.support.events[0].social_support.duration: must be > 0 min (got -5 min)"
    )
    assert isinstance(caught.value, ValueError)


def test_unknown_top_level_key_lists_allowed_keys() -> None:
    issue = only_issue("bad_unknown_keys.yaml", "seeds")
    assert issue.line == 3
    assert "unknown key 'seeds'" in issue.message and "seed," in issue.message


def test_unknown_key_inside_event() -> None:
    issue = only_issue("bad_unknown_keys.yaml", "events[0].stressor.intensty")
    assert issue.line == 6
    assert issue.message == "unknown key 'intensty'; allowed keys: kind, intensity, duration"


def test_wrong_unit_names_expected_unit() -> None:
    issue = only_issue("bad_units.yaml", "duration")
    assert issue.line == 2
    assert "'kg'" in issue.message and "min" in issue.message


def test_bare_number_for_time_needs_unit() -> None:
    issue = only_issue("bad_units.yaml", "record_every")
    assert issue.line == 3
    assert issue.message == "needs a unit, e.g. '10 min' (got 5)"


def test_negative_amount_names_range() -> None:
    issue = only_issue("bad_negative_amount.yaml", "events[0].oxytocin_dose.amount")
    assert issue.line == 4
    assert issue.message == "must be > 0 IU (got -24 IU)"


def test_amount_above_route_maximum_names_range() -> None:
    issue = only_issue("bad_negative_amount.yaml", "events[1].oxytocin_dose.amount")
    assert issue.line == 5
    assert "must be > 0 and <= 100 IU for route 'intranasal'" in issue.message


def test_out_of_range_age_names_range() -> None:
    issue = only_issue("bad_subjects.yaml", "subjects[0].age")
    assert issue.line == 4
    assert issue.message == "must be between 18 and 100 year for species human (got 150)"


def test_man_with_cycle_phase() -> None:
    issue = only_issue("bad_subjects.yaml", "subjects[1].cycle_phase")
    assert issue.line == 6
    assert "women only" in issue.message
    assert len(issues_of("bad_subjects.yaml")) == 2


def test_genotype_mix_not_summing_to_one_gives_sum() -> None:
    issue = only_issue("bad_genotype_mix.yaml", "population.rs53576")
    assert issue.line == 5
    assert "must sum to 1" in issue.message and "sum to 0.9" in issue.message


def test_two_event_kinds_in_one_event() -> None:
    issue = only_issue("bad_events.yaml", "events[0]")
    assert issue.line == 4
    assert "exactly one event kind" in issue.message and "stressor, touch" in issue.message


def test_iv_infusion_without_rate_points_at_the_event() -> None:
    issue = only_issue("bad_events.yaml", "events[1].oxytocin_dose.rate")
    assert issue.line == 8  # `rate` is missing: the line of its parent, `oxytocin_dose:`
    assert "needs `rate`" in issue.message and "IU/min" in issue.message


def test_event_ending_after_the_scenario() -> None:
    issue = only_issue("bad_timing.yaml", "events[0].stressor.duration")
    assert issue.line == 4
    assert "ends at 65 min" in issue.message and "at most 10 min" in issue.message


def test_event_starting_after_the_scenario_names_range() -> None:
    issue = only_issue("bad_timing.yaml", "arms.late.events[0].at")
    assert issue.line == 8
    assert "must be between 0 and the scenario's duration, 60 min" in issue.message


def test_a_control_character_is_a_scenario_error_not_a_crash() -> None:
    # regression, found by fuzzing the dashboard: the YAML reader refused it outside the parse
    from oxysim.scenario import ScenarioError, parse_scenario

    with pytest.raises(ScenarioError, match="special characters are not allowed"):
        parse_scenario("name: x\x1f\n")


def test_yaml_syntax_error_has_line() -> None:
    (issue,) = issues_of("bad_syntax.yaml")
    assert (issue.field, issue.line) == ("", 5)
    assert issue.message.startswith("YAML syntax:") and "line 4" in issue.message


def test_duplicate_key_gives_both_lines() -> None:
    (issue,) = issues_of("bad_duplicate_key.yaml")
    assert (issue.field, issue.line) == ("duration", 4)
    assert issue.message == "duplicate key 'duration' (first written on line 2)"


def test_unknown_record_variable_lists_known_ones() -> None:
    (issue,) = issues_of("bad_record.yaml")
    assert (issue.field, issue.line) == ("record[1]", 5)
    assert issue.message == (
        "unknown variable 'plasma_oxytocine'; known variables: plasma_oxytocin, salivary_cortisol"
    )


def test_issues_are_sorted_by_line() -> None:
    lines = [issue.line for issue in issues_of("bad_units.yaml")]
    assert lines == sorted(lines) == [2, 3]


@pytest.mark.parametrize(
    ("text", "field", "line", "fragment"),
    [
        ("- a\n- b\n", "", 1, "mapping of keys"),
        ("name: a\n", "duration", 1, "required key is missing"),
        ("name: a\nduration: 1 h\nstart_time: '25:00'\n", "start_time", 3, "HH:MM"),
        ("name: a\nduration: 367 day\n", "duration", 2, "> 0 and <= 527040 min"),
        ("name: a\nduration: 1 h\nrecord_every: 2 h\n", "record_every", 3, "<= duration (60 min)"),
        ("name: a\nduration: 1 h\nseed: -1\n", "seed", 3, ">= 0"),
        ("name: a\nduration: 1 h\narms: {}\n", "arms", 3, "at least one arm"),
        ("name: a\nduration: 1 h\narms: {my arm: {}}\n", "arms.my arm", 3, "identifiers"),
        ("name: a\nduration: 1 h\nsubjects: []\n", "subjects", 3, "at least one subject"),
        (
            "name: a\nduration: 1 h\npopulation: {size: 2}\nsubjects: [{}]\n",
            "subjects",
            4,
            "not both",
        ),
        (
            "name: a\nduration: 1 h\nsubjects: [{id: x}, {id: x}]\n",
            "subjects[1].id",
            3,
            "used twice",
        ),
        (
            "name: a\nduration: 1 h\npopulation:\n  size: 0\n",
            "population.size",
            4,
            "between 1 and 1000000",
        ),
        (
            "name: a\nduration: 1 h\nevents:\n  - {at: 1 min, musik: {}}\n",
            "events[0].musik",
            4,
            "event kinds: stressor",
        ),
        (
            "name: a\nduration: 1 h\nevents:\n  - {at: 1 min, stressor: {kind: tst}}\n",
            "events[0].stressor.kind",
            4,
            "'tsst', 'placebo_tsst', 'conflict' or 'generic' (got tst)",
        ),
        (
            "name: a\nduration: 1 h\nevents:\n  - {at: 1 min, placebo: {duration: 5 min}}\n",
            "events[0].placebo.duration",
            4,
            "not used with route 'intranasal'",
        ),
        (
            "name: a\nduration: 1 h\nevents:\n  - {at: 1 min, stressor: {kind: tsst, at: 2 min}}\n",
            "events[0].stressor.at",
            4,
            "beside the event kind",
        ),
        (
            "name: a\nduration: 1 h\nevents:\n  - {stressor: {kind: tsst}}\n",
            "events[0].at",
            4,
            "required key is missing",
        ),
        (
            "name: a\nduration: 1 h\nevents:\n"
            "  - {at: 0 min, oxytocin_dose: {route: iv_infusion, rate: 1 IU/min, duration: 1 h}}\n",
            "events[0].oxytocin_dose.rate",
            4,
            "> 0 and <= 0.05 IU/min",
        ),
        (
            "name: a\nduration: 1 h\npopulation: {size: 5, age: {min: 30, max: 20}}\n",
            "population.age.max",
            3,
            "must be >= min (30)",
        ),
        (
            "name: a\nduration: 1 h\npopulation: {size: 5, rs53576: {GG: 1.2, AA: -0.2}}\n",
            "population.rs53576.GG",
            3,
            "between 0 and 1",
        ),
        (
            "name: a\nduration: 1 h\nsubjects: [{sex: female, menopausal: true, "
            "cycle_phase: luteal}]\n",
            "subjects[0].menopausal",
            3,
            "no cycle_phase",
        ),
        (
            "name: a\nduration: 1 h\nsubjects: [{sex: female, gestational_week: 50}]\n",
            "subjects[0].gestational_week",
            3,
            "between 0 and 42 week",
        ),
    ],
)
def test_more_bad_inputs(text: str, field: str, line: int, fragment: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, source="s.yaml")
    assert any(
        issue.field == field and issue.line == line and fragment in issue.message
        for issue in caught.value.issues
    ), caught.value.issues
    assert str(caught.value).startswith("s.yaml:")


def test_bare_number_is_an_error_in_python_too() -> None:
    with pytest.raises(ValidationError, match=r"needs a unit, e.g. '10 min'"):
        Stressor(at=10, kind="tsst")


def test_many_aliases_do_not_blow_up() -> None:
    text = "name: a\nduration: 1 h\nx: &a [1, 2]\n" + "".join(
        f"x{i}: &a{i} [*{'a' if i == 0 else f'a{i - 1}'}, *{'a' if i == 0 else f'a{i - 1}'}]\n"
        for i in range(40)
    )
    with pytest.raises(ScenarioError, match="unknown key 'x'"):
        parse_scenario(text)


# --- documentation ------------------------------------------------------------------------------


def test_docs_contain_the_generated_reference() -> None:
    assert schema_markdown() in DOCS.read_text(encoding="utf-8")


def test_docs_examples_are_valid() -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.DOTALL)
    assert len(blocks) >= 2
    for block in blocks:
        parse_scenario(block, source="docs/scenarios.md")


def test_reference_documents_every_key_and_event_kind() -> None:
    reference = schema_markdown()
    for model in (Scenario, SubjectSpec, PopulationSpec, *event_kinds().values()):
        for key in model.yaml_keys():
            assert f"| `{key}` |" in reference, key
    assert all(f"### `{kind}`" in reference for kind in event_kinds())
    assert f"{MENOPAUSE_AGE:g}" in (PopulationSpec.__doc__ or "")


# --- subject tables -----------------------------------------------------------------------------


def test_subjects_table_columns_and_fill_ins() -> None:
    table = subjects_table(
        [
            SubjectSpec(id="ann", sex="female", age=34, cycle_phase="luteal", estradiol=150),
            SubjectSpec(),
            SubjectSpec(sex="female", age=60),
            SubjectSpec(sex="female", age=60, gestational_week=20),
        ]
    )
    assert tuple(table) == SUBJECT_COLUMNS
    assert list(table["id"]) == ["ann", "s0001", "s0002", "s0003"]
    assert table["sex"].dtype.kind == "U" and table["cycle_phase"].dtype.kind == "U"
    assert list(table["cycle_phase"]) == ["luteal", "", "", ""]
    assert table["menopausal"].dtype == bool
    assert list(table["menopausal"]) == [False, False, True, False]
    assert table["estradiol"][0] == 150.0 and np.isnan(table["estradiol"][1:]).all()
    assert table["age"].dtype == float and list(table["age"]) == [34.0, 30.0, 60.0, 60.0]


def test_scenario_without_subjects_has_one_default_subject() -> None:
    table = scenario_subjects(load_scenario(DATA / "minimal.yaml"), np.random.default_rng(0))
    assert list(table["id"]) == ["s0000"]
    assert (table["sex"][0], table["age"][0], table["rs53576"][0]) == ("male", 30.0, "GG")


def population(**fields: object) -> PopulationSpec:
    return PopulationSpec.model_validate(fields)


def test_same_seed_same_population() -> None:
    spec = population(
        size=500,
        sex={"male": 0.5, "female": 0.5},
        age={"min": 20, "max": 70},
        rs53576={"GG": 0.5, "AG": 0.4, "AA": 0.1},
        magnesium={"mean": 0.85, "sd": 0.1},
    )
    first = sample_population(spec, np.random.default_rng(7))
    second = sample_population(spec, np.random.default_rng(7))
    other = sample_population(spec, np.random.default_rng(8))
    assert tuple(first) == SUBJECT_COLUMNS
    for name in SUBJECT_COLUMNS:
        np.testing.assert_array_equal(first[name], second[name])
    assert not np.array_equal(first["age"], other["age"])


def test_genotype_frequencies_match_the_spec() -> None:
    mix = {"GG": 0.5, "AG": 0.4, "AA": 0.1}
    size = 10_000
    table = sample_population(population(size=size, rs53576=mix), np.random.default_rng(3))
    for genotype, probability in mix.items():
        count = np.count_nonzero(table["rs53576"] == genotype)
        sd = np.sqrt(size * probability * (1 - probability))
        assert abs(count - size * probability) < 4 * sd, genotype


def test_changing_one_distribution_keeps_the_other_draws() -> None:
    mix = {"GG": 0.5, "AG": 0.4, "AA": 0.1}
    young = sample_population(population(size=300, rs53576=mix), np.random.default_rng(1))
    old = sample_population(
        population(size=300, rs53576=mix, age={"mean": 70, "sd": 5}), np.random.default_rng(1)
    )
    np.testing.assert_array_equal(young["rs53576"], old["rs53576"])


def test_addiction_risks_are_drawn_independently_without_changing_earlier_draws() -> None:
    size, spread = 20_000, {"min": 0.0, "max": 1.0}
    plain = sample_population(population(size=size, sex="female"), np.random.default_rng(4))
    risky = sample_population(
        population(
            size=size, sex="female", genetic_vulnerability=spread, environmental_risk=spread
        ),
        np.random.default_rng(4),
    )
    for name in ("age", "cycle_phase", "rs53576"):
        np.testing.assert_array_equal(plain[name], risky[name])
    assert (plain["genetic_vulnerability"] == 0.5).all()
    genetic, environment = risky["genetic_vulnerability"], risky["environmental_risk"]
    assert abs(genetic.mean() - 0.5) < 0.01 and abs(genetic.std() - 12**-0.5) < 0.01
    assert abs(np.corrcoef(genetic, environment)[0, 1]) < 0.03


def test_normal_draws_are_clipped_and_women_get_a_reproductive_state() -> None:
    spec = population(size=20_000, sex="female", age={"mean": 50, "sd": 40})
    table = sample_population(spec, np.random.default_rng(5))
    assert table["age"].min() == 18.0 and table["age"].max() == 100.0
    menopausal = table["age"] >= MENOPAUSE_AGE
    np.testing.assert_array_equal(table["menopausal"], menopausal)
    assert (table["cycle_phase"][menopausal] == "").all()
    phases = table["cycle_phase"][~menopausal]
    assert set(phases) == {"follicular", "ovulatory", "luteal"}
    assert np.isnan(table["estradiol"]).all() and np.isnan(table["gestational_week"]).all()


def test_men_are_never_menopausal_and_have_no_phase() -> None:
    table = sample_population(population(size=100, age=80), np.random.default_rng(0))
    assert not table["menopausal"].any() and (table["cycle_phase"] == "").all()


def test_a_million_subjects() -> None:
    spec = population(size=1_000_000, sex={"male": 0.5, "female": 0.5}, age={"mean": 40, "sd": 12})
    table = sample_population(spec, np.random.default_rng(0))
    assert all(len(column) == 1_000_000 for column in table.values())
    assert table["id"][-1] == "s999999"


def test_every_event_channel_is_read_and_every_kind_drives_something(model) -> None:
    read = {i.name for m in model.submodels for i in m.inputs}
    for key, kind in event_kinds().items():
        assert {c.name for c in kind.channels} <= read, f"{key} drives a channel nothing reads"
        assert set(kind.dosed_states) <= set(model.state_names), key
        drives = bool(kind.channels or kind.dosed_states)
        assert drives != bool(kind.drives_nothing), f"{key} must drive something or say why not"


def test_every_encoded_event_uses_only_what_its_kind_declares() -> None:
    from importlib import resources

    examples = sorted((Path(__file__).parents[1] / "examples").glob("*.yaml"))
    protocols = resources.files("oxysim.experiments") / "protocols"
    texts = [p.read_text() for p in examples] + [
        p.read_text() for p in protocols.iterdir() if p.name.endswith(".yaml")
    ]
    seen = set()
    for text in texts:
        scenario = parse_scenario(text)
        for arm in scenario.arms:
            for event in scenario.arm_events(arm):
                kind = type(event)
                declared = {c.name for c in kind.channels}
                assert {name for name, _ in event.channel_values()} <= declared, kind
                assert {state for _, state, _ in event.doses()} <= set(kind.dosed_states), kind
                seen.add(event.event_type)
    assert len(seen) >= 20
