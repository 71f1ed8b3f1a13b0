"""SBML export: every example exports cleanly, and libRoadRunner reproduces oxysim's runs."""

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from oxysim import load_scenario, parse_scenario, simulate
from oxysim.cli import app
from oxysim.io.sbml import SBMLExportError, export_sbml, infix

libsbml = pytest.importorskip("libsbml")
roadrunner = pytest.importorskip("roadrunner")

EXAMPLES = sorted(Path(__file__).parents[1].joinpath("examples").glob("*.yaml"))
COMPARED = ("salivary_cortisol", "plasma_oxytocin", "csf_oxytocin")
ROUND_TRIPS = {
    "tsst_with_support": """
name: tsst-with-support
duration: 150 min
record_every: 1 min
start_time: "13:30"
subjects: [{id: gg_man, sex: male, rs53576: GG}]
events:
  - {at: 20 min, social_support: {source: partner, duration: 15 min}}
  - {at: 40 min, stressor: {kind: tsst, duration: 15 min}}
record: [salivary_cortisol, plasma_oxytocin, csf_oxytocin]
""",
    "intranasal_dose": """
name: intranasal-dose
duration: 180 min
record_every: 1 min
subjects: [{id: man, sex: male}]
events:
  - {at: 10 min, oxytocin_dose: {route: intranasal, amount: 24 IU}}
record: [salivary_cortisol, plasma_oxytocin, csf_oxytocin]
""",
    "iv_infusion": """
name: iv-infusion
duration: 240 min
record_every: 1 min
subjects: [{id: woman, sex: female}]
events:
  - {at: 30 min, oxytocin_dose: {route: iv_infusion, rate: 0.01 IU/min, duration: 120 min}}
  - {at: 200 min, oxytocin_dose: {route: iv_bolus, amount: 2 IU}}
record: [salivary_cortisol, plasma_oxytocin, csf_oxytocin]
""",
}


def _roadrunner(xml, scenario, selections):
    runner = roadrunner.RoadRunner(xml)
    runner.integrator.relative_tolerance = 1e-9
    runner.integrator.absolute_tolerance = 1e-12
    runner.timeCourseSelections = ["time", *selections]
    points = round(scenario.duration / scenario.record_every) + 1
    return runner.simulate(0.0, scenario.duration, points)


@pytest.mark.parametrize("name", sorted(ROUND_TRIPS))
def test_roadrunner_reproduces_oxysim_from_the_export(name):
    scenario = parse_scenario(ROUND_TRIPS[name])
    ours = simulate(scenario).isel(arm=0, subject=0)
    theirs = _roadrunner(export_sbml(scenario), scenario, COMPARED)
    np.testing.assert_allclose(theirs[:, 0], ours.time.values)
    for column, variable in enumerate(COMPARED, start=1):
        mine = ours[variable].values
        error = np.abs(theirs[:, column] - mine) / np.abs(mine).max()
        assert error.max() < 1e-3, (variable, float(error.max()))
    assert float(ours["plasma_oxytocin"].max()) > 3 * float(ours["plasma_oxytocin"][0])


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_exports_with_no_consistency_errors(example):
    xml = export_sbml(load_scenario(example))
    document = libsbml.readSBMLFromString(xml)
    assert document.getNumErrors(libsbml.LIBSBML_SEV_ERROR) == 0
    model = document.getModel()
    assert model.getLevel() == 3
    assert model.getNumRules() > 100 and model.getNumParameters() > 300
    clearance = model.getParameter("plasma_clearance")
    assert clearance.getConstant() and "Grade:" in clearance.getNotesString()


def test_subject_and_arm_are_chosen_and_checked():
    scenario = load_scenario(EXAMPLES[0].parent / "tsst_support_genotype.yaml")
    with pytest.raises(SBMLExportError, match="--subject: no subject 'nobody'"):
        export_sbml(scenario, subject="nobody")
    with pytest.raises(SBMLExportError, match="--arm: no arm 'x'"):
        export_sbml(scenario, arm="x")


def test_export_sbml_command_writes_the_file(tmp_path):
    output = tmp_path / "model.xml"
    scenario = EXAMPLES[0].parent / "intranasal_vs_placebo.yaml"
    result = CliRunner().invoke(app, ["export-sbml", str(scenario), "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert libsbml.readSBMLFromFile(str(output)).getModel() is not None
    bad = CliRunner().invoke(app, ["export-sbml", str(scenario), "-o", str(output), "--arm", "x"])
    assert bad.exit_code == 2 and "--arm" in bad.output


def test_infix_writes_natural_logs_and_piecewise():
    import sympy

    x, y = sympy.symbols("x y")
    text = infix(sympy.Piecewise((sympy.log(x), x > 0), (sympy.Max(x, y) ** 2, True)))
    assert text == "piecewise(ln(x), (x > 0), pow(max(x, y), 2))"
    ast = libsbml.parseL3Formula(text)
    assert libsbml.formulaToL3String(ast).startswith("piecewise(ln(x)")
