"""The HTML report: self-contained, its numbers the summaries' numbers, its evidence what ran."""

import re
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from oxysim.cli import app
from oxysim.engine.simulate import simulate
from oxysim.html_report import NOTE, exercised_submodels, write_report
from oxysim.io.netcdf import save_results
from oxysim.reports import course_summaries
from oxysim.scenario import parse_scenario

SCENARIO = """\
name: report-check
duration: 90 min
seed: 3
population: {size: 6, sex: {male: 0.5, female: 0.5}}
events:
  - {at: 10 min, stressor: {kind: tsst, duration: 15 min}}
arms:
  oxytocin:
    events: [{at: 0 min, oxytocin_dose: {route: intranasal, amount: 24 IU}}]
  placebo: {}
record: [salivary_cortisol, plasma_oxytocin]
"""


@pytest.fixture(scope="module")
def results_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "run.nc"
    save_results(simulate(parse_scenario(SCENARIO), scenario_text=SCENARIO), path)
    return path


def test_the_report_is_self_contained_and_carries_the_note(
    results_file: Path, tmp_path: Path
) -> None:
    output = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["report", str(results_file), "-o", str(output)])
    assert result.exit_code == 0, result.output
    page = output.read_text()
    links = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert links and all(link.startswith("data:image/png;base64,") for link in links)
    assert NOTE in page and "name: report-check" in page
    for section in ("Provenance", "Scenario", "Time courses", "Summary", "Evidence"):
        assert f"<h2>{section}" in page


def test_the_summary_numbers_are_the_courses_own(results_file: Path) -> None:
    from oxysim.io.netcdf import load_results

    results = load_results(results_file)
    rows = course_summaries(results, "plasma_oxytocin", by="sex")
    sexes = sorted(set(results.sex.values))
    assert [(r["arm"], r["group"]) for r in rows] == [
        (arm, sex) for arm in ("oxytocin", "placebo") for sex in sexes
    ]
    group = results.sex == sexes[0]
    course = results.plasma_oxytocin.sel(arm="oxytocin").where(group, drop=True)
    (first,) = [r for r in rows if r["arm"] == "oxytocin" and r["group"] == sexes[0]]
    np.testing.assert_allclose(first["peak"], course.max("time").mean())
    np.testing.assert_allclose(first["rise"], first["peak"] - course.isel(time=0).mean())
    expected_auc = np.trapezoid(course.mean("subject").values, course.time.values)
    np.testing.assert_allclose(first["auc"], expected_auc, rtol=1e-12)
    dosed = {r["group"]: r["auc"] for r in rows if r["arm"] == "oxytocin"}
    plain = {r["group"]: r["auc"] for r in rows if r["arm"] == "placebo"}
    assert all(dosed[sex] > plain[sex] for sex in dosed)  # the spray shows in the plasma


def test_the_evidence_covers_what_the_scenario_drove_and_not_labour(results_file: Path) -> None:
    from oxysim.io.netcdf import load_results

    names = {sub.name for sub in exercised_submodels(load_results(results_file))}
    assert {"stimuli", "pk", "hpa"} <= names  # the TSST's channel, the nasal depot, cortisol
    assert "periphery" not in names  # no labour, suckling or muscle in this scenario


def test_a_bad_output_or_grouping_is_refused_with_nothing_written(
    results_file: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    wrong = runner.invoke(app, ["report", str(results_file), "-o", str(tmp_path / "r.pdf")])
    assert wrong.exit_code == 2 and "must end in .html" in wrong.output
    grouped = runner.invoke(
        app, ["report", str(results_file), "-o", str(tmp_path / "r.html"), "--by", "eye_colour"]
    )
    assert grouped.exit_code == 2 and "eye_colour" in grouped.output
    assert not list(tmp_path.iterdir())


def test_the_report_of_a_community_shows_what_emerged(tmp_path: Path) -> None:
    from oxysim.community.run import simulate_community
    from oxysim.community.spec import CommunitySpec

    spec = {"name": "pair-town", "seed": 1, "days": 2, "people": {"size": 10}}
    results, _ = simulate_community(CommunitySpec.model_validate(spec), text="name: pair-town")
    sections = write_report(results, tmp_path / "town.html")
    assert sections == ["Provenance", "Community file", "What emerged"]
    assert "name: pair-town" in (tmp_path / "town.html").read_text()
