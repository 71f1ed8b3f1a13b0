"""SBML Level 3 export of one subject's model and protocol, from the traced equations.

The export is the same model oxysim integrates (:mod:`oxysim.engine.symbolic`), written for any
SBML tool:

- states are parameters with rate rules, starting where oxysim's burn-in leaves the subject;
- outputs are assignment rules; per-run constants (statics) are initial assignments;
- model parameters and covariates are constant parameters with the subject's values, SBML unit
  definitions, and their description, source and evidence grade in the notes;
- the protocol's channels are piecewise functions of ``time`` (minutes from the start), its
  boluses SBML events, and the circadian clock ``time_of_day`` follows from ``time``.

One arm per file (the first by default). Needs the ``[sbml]`` extra (python-libsbml).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from oxysim.engine.compose import Model
from oxysim.engine.protocol import Schedule, build_schedule
from oxysim.engine.simulate import SolverOptions, prepare_run
from oxysim.engine.symbolic import trace
from oxysim.units import _unit

SBML_LEVEL, SBML_VERSION = 3, 2


class SBMLExportError(ValueError):
    """The export cannot be made (unknown subject or arm, or libsbml refused it)."""


def _libsbml() -> Any:
    try:
        import libsbml
    except ImportError:  # pragma: no cover - the extra is part of the test install
        raise SBMLExportError(
            "SBML export needs python-libsbml: pip install 'oxysim[sbml]'"
        ) from None
    return libsbml


def infix(expr: Any) -> str:
    """``expr`` as an SBML Level 3 infix formula (libsbml's ``parseL3Formula`` syntax)."""
    from sympy.printing.str import StrPrinter

    class L3Printer(StrPrinter):
        def _print_Float(self, e: Any) -> str:  # noqa: N802 (sympy's printer protocol)
            return repr(float(e))

        def _print_Pow(self, e: Any, rational: bool = False) -> str:  # noqa: N802
            return f"pow({self._print(e.base)}, {self._print(e.exp)})"

        def _print_Max(self, e: Any) -> str:  # noqa: N802
            return f"max({', '.join(self._print(a) for a in e.args)})"

        def _print_Min(self, e: Any) -> str:  # noqa: N802
            return f"min({', '.join(self._print(a) for a in e.args)})"

        def _print_log(self, e: Any) -> str:
            return f"ln({self._print(e.args[0])})"

        def _print_Abs(self, e: Any) -> str:  # noqa: N802
            return f"abs({self._print(e.args[0])})"

        def _print_Piecewise(self, e: Any) -> str:  # noqa: N802
            pieces = [f"{self._print(v)}, {self._print(c)}" for v, c in e.args[:-1]]
            return f"piecewise({', '.join(pieces)}, {self._print(e.args[-1][0])})"

        def _print_Or(self, e: Any) -> str:  # noqa: N802
            return "(" + " || ".join(self._print(a) for a in e.args) + ")"

        def _print_And(self, e: Any) -> str:  # noqa: N802
            return "(" + " && ".join(self._print(a) for a in e.args) + ")"

        def _print_Relational(self, e: Any) -> str:  # noqa: N802
            return f"({self._print(e.lhs)} {e.rel_op} {self._print(e.rhs)})"

    return str(L3Printer().doprint(expr))


_BASE_KINDS = {
    "kilogram": "UNIT_KIND_KILOGRAM",
    "meter": "UNIT_KIND_METRE",
    "second": "UNIT_KIND_SECOND",
    "mole": "UNIT_KIND_MOLE",
}


def _unit_id(unit: str) -> str:
    text = unit.replace("/", "_per_").replace("*", "_").replace("^", "").replace("%", "percent")
    return "u_" + "".join(c if c.isalnum() or c == "_" else "_" for c in text)


def _add_unit(model: Any, libsbml: Any, unit: str) -> str:
    """A UnitDefinition for ``unit`` (via pint: SI base units and a multiplier); its id.

    The international unit of oxytocin counts as its mass, 1.68 microgram (oxysim.units).
    """
    from oxysim.units import MICROGRAM_PER_IU, ureg

    if unit in ("1", ""):
        return "dimensionless"
    identifier = _unit_id(unit)
    if model.getUnitDefinition(identifier) is not None:
        return identifier
    base = (1.0 * _unit(unit)).to_base_units()
    magnitude = float(base.magnitude)
    factors = dict(base.units._units)
    if "international_unit" in factors:
        exponent = factors.pop("international_unit")
        magnitude *= (MICROGRAM_PER_IU * 1e-9) ** exponent
        factors["kilogram"] = factors.get("kilogram", 0) + exponent
    definition = model.createUnitDefinition()
    definition.setId(identifier)
    factors = {k: v for k, v in factors.items() if v}
    if not factors:
        factors = {"dimensionless": 1}
    for index, (name, exponent) in enumerate(factors.items()):
        sbml_unit = definition.createUnit()
        kind = _BASE_KINDS.get(str(ureg.Unit(name)), "UNIT_KIND_DIMENSIONLESS")
        sbml_unit.setKind(getattr(libsbml, kind))
        sbml_unit.setExponent(float(exponent))
        sbml_unit.setScale(0)
        sbml_unit.setMultiplier(magnitude ** (1.0 / exponent) if index == 0 else 1.0)
    return identifier


def _notes(text: str) -> str:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<body xmlns="http://www.w3.org/1999/xhtml"><p>{escaped}</p></body>'


def _parameter(
    model: Any, libsbml: Any, name: str, value: float, unit: str, constant: bool, note: str
) -> Any:
    parameter = model.createParameter()
    parameter.setId(name)
    parameter.setValue(float(value))
    parameter.setConstant(constant)
    parameter.setUnits(_add_unit(model, libsbml, unit))
    if note:
        parameter.setNotes(_notes(note))
    return parameter


def _math(libsbml: Any, formula: str, where: str) -> Any:
    ast = libsbml.parseL3Formula(formula)
    if ast is None:
        raise SBMLExportError(
            f"{where}: libsbml cannot read {formula!r}: {libsbml.getLastParseL3Error()}"
        )
    return ast


def _rule(sbml: Any, libsbml: Any, kind: str, name: str, formula: str) -> None:
    """An assignment, rate or initial-assignment rule ``name = formula``."""
    if kind == "initial":
        rule = sbml.createInitialAssignment()
        rule.setSymbol(name)
    else:
        rule = sbml.createAssignmentRule() if kind == "assignment" else sbml.createRateRule()
        rule.setVariable(name)
    rule.setMath(_math(libsbml, formula, name))


def _channel_formula(values: np.ndarray, step: float) -> str:
    """A step-wise constant channel as a piecewise function of ``time`` (0 outside events)."""
    changes = np.flatnonzero(np.diff(np.concatenate([[0.0], values, [0.0]])))
    pieces = []
    for start, stop in zip(changes[:-1], changes[1:], strict=True):
        level = float(values[start])
        if level != 0.0:
            begin, end = float(start * step), float(stop * step)
            pieces.append(f"{level!r}, (time >= {begin!r}) && (time < {end!r})")
    return f"piecewise({', '.join(pieces)}, 0.0)" if pieces else "0.0"


def build_document(
    model: Model,
    values: Mapping[str, float],
    start_state: Mapping[str, float],
    schedule: Schedule,
    step: float,
    start_time_of_day: float,
    name: str,
) -> Any:
    """The SBML document of ``model`` for one subject (``values``: parameters and covariates)."""
    libsbml = _libsbml()
    equations = trace(model)
    document = libsbml.SBMLDocument(SBML_LEVEL, SBML_VERSION)
    sbml = document.createModel()
    sbml.setId("".join(c if c.isalnum() else "_" for c in name) or "oxysim")
    sbml.setName(f"oxysim: {name}")
    minute = sbml.createUnitDefinition()
    minute.setId("minute")
    unit = minute.createUnit()
    unit.setKind(libsbml.UNIT_KIND_SECOND)
    unit.setExponent(1.0)
    unit.setScale(0)
    unit.setMultiplier(60.0)
    sbml.setTimeUnits("minute")
    for parameter in model.parameters:
        note = f"{parameter.description}. Grade: {parameter.grade}. Source: {parameter.source}" + (
            f" Calibrated to: {parameter.calibrated_to}." if parameter.calibrated_to else ""
        )
        _parameter(
            sbml, libsbml, parameter.name, values[parameter.name], parameter.unit, True, note
        )
    variables = model.variables
    channel_names = set(schedule.channels)
    for external in model.external_inputs:
        if external.name in channel_names or external.name == "time_of_day":
            clock = f"({float(start_time_of_day)!r} + time)"
            formula = (
                f"{clock} - 1440 * floor({clock} / 1440)"
                if external.name == "time_of_day"
                else _channel_formula(schedule.channels[external.name], step)
            )
            _parameter(
                sbml, libsbml, external.name, 0.0, external.unit, False, external.description
            )
            _rule(sbml, libsbml, "assignment", external.name, formula)
        else:
            _parameter(
                sbml,
                libsbml,
                external.name,
                values[external.name],
                external.unit,
                True,
                external.description,
            )
    rules = [
        *(("initial", a, 0.0) for a in equations.statics),
        *(("rate", a, start_state[a.name]) for a in equations.rates),
        *(("assignment", a, 0.0) for a in equations.outputs),
    ]
    for kind, assignment, start in rules:
        variable = variables[assignment.name]
        constant = kind == "initial"
        _parameter(
            sbml, libsbml, assignment.name, start, variable.unit, constant, variable.description
        )
        _rule(sbml, libsbml, kind, assignment.name, infix(assignment.expression))
    for index, bolus in enumerate(schedule.boluses):
        event = sbml.createEvent()
        event.setId(f"bolus_{index}")
        event.setUseValuesFromTriggerTime(True)
        trigger = event.createTrigger()
        trigger.setInitialValue(False)
        trigger.setPersistent(True)
        trigger.setMath(_math(libsbml, f"time >= {float(bolus.step * step)!r}", event.getId()))
        change = event.createEventAssignment()
        change.setVariable(bolus.state)
        change.setMath(_math(libsbml, f"{bolus.state} + {bolus.amount!r}", event.getId()))
    return document


def consistency_errors(document: Any) -> list[str]:
    """Libsbml's consistency check (units included): the messages of errors, not warnings."""
    libsbml = _libsbml()
    document.checkConsistency()
    log = document.getErrorLog()
    return [
        log.getError(i).getMessage().strip()
        for i in range(log.getNumErrors())
        if log.getError(i).getSeverity() >= libsbml.LIBSBML_SEV_ERROR
    ]


def export_sbml(scenario: Any, *, subject: str | None = None, arm: str | None = None) -> str:
    """SBML for one subject of ``scenario`` (the first by default) under one arm (the first).

    Raises :class:`SBMLExportError` for an unknown subject or arm, or if libsbml finds errors.
    """
    prepared = prepare_run(scenario, SolverOptions())
    ids = [str(i) for i in np.asarray(prepared.table["id"])]
    if subject is not None and subject not in ids:
        raise SBMLExportError(f"--subject: no subject {subject!r}; subjects: {', '.join(ids[:20])}")
    arms = list(scenario.arms)
    if arm is not None and arm not in arms:
        raise SBMLExportError(f"--arm: no arm {arm!r}; arms: {', '.join(arms)}")
    index = ids.index(subject) if subject is not None else 0
    from oxysim.engine.compiled import CompiledRun
    from oxysim.engine.initial import initial_state

    model, evaluator, grid = prepared.model, prepared.evaluator, prepared.grid
    run = CompiledRun.build(evaluator)
    y0 = initial_state(model, evaluator, scenario.start_time, run.integrate)
    values = {
        name: float(np.broadcast_to(value, (len(ids),))[index])
        for name, value in {**evaluator.constants, **evaluator.params}.items()
    }
    start = {name: float(y0[i, index]) for i, name in enumerate(model.state_names)}
    chosen = arm or arms[0]
    schedule = build_schedule(scenario.arm_events(chosen), grid.n_steps, grid.step)
    document = build_document(
        model,
        values,
        start,
        schedule,
        grid.step,
        scenario.start_time,
        f"{scenario.name} ({ids[index]}, arm {chosen})",
    )
    errors = consistency_errors(document)
    if errors:
        raise SBMLExportError("libsbml found errors: " + "; ".join(errors[:5]))
    return str(_libsbml().writeSBMLToString(document))
