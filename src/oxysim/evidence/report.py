"""Tables of the evidence floor.

The claims check, each metric without and with the floor, and which parameters the floor
neutralises or keeps.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.table import Table

from oxysim.evidence.claims import ClaimCheck
from oxysim.evidence.compare import MetricComparison
from oxysim.evidence.floor import below_floor, kept_parameters, neutralised_parameters
from oxysim.experiments.base import records
from oxysim.model.parameters import Parameter

_CLAIM_WIDTH = 90


def _short(text: str, width: int = _CLAIM_WIDTH) -> str:
    """``text`` cut at a word boundary to about ``width`` characters."""
    if len(text) <= width:
        return text
    return text[:width].rsplit(" ", 1)[0] + " …"


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _grades(check: ClaimCheck) -> str:
    grades = check.grades
    if grades is None:
        return "—"
    weakest, strongest = grades
    return weakest if weakest == strongest else f"{weakest} – {strongest}"


def _below(check: ClaimCheck, floor: str) -> str:
    """How many implementing parameters lie below the floor: neutralised / kept structural."""
    weak = [p for p in check.parameters if below_floor(p, floor)]
    neutral = sum(p.neutral is not None for p in weak)
    return f"{neutral} / {len(weak) - neutral}"


def _number(value: float) -> str:
    """Three significant digits; a vanished effect of -0.0 prints as 0."""
    return f"{value + 0.0:.3g}"


def _value(comparison: MetricComparison, floored: bool) -> str:
    if not floored:
        return _number(comparison.baseline.simulated)
    if comparison.floored is None:
        return f"error ({comparison.error})"
    return _number(comparison.floored.simulated)


def _status(comparison: MetricComparison, floored: bool) -> str:
    if not floored:
        return "pass" if comparison.baseline.passed else "fail"
    return "pass" if comparison.survives else "fail"


def _tolerance(comparison: MetricComparison) -> str:
    m = comparison.baseline.metric
    unit = "" if m.unit == "1" else f" {m.unit}"
    return f"[{m.low:g}, {m.high:g}]{unit}"


def claims_table(checks: Sequence[ClaimCheck], floor: str) -> Table:
    """The claims check for the terminal: one row per S-id."""
    table = Table(title=f"oxysim claims check at evidence floor {floor}")
    for column in ("S-id", "claim", "grades (weakest – strongest)", "experiments", "at floor"):
        table.add_column(column, overflow="fold")
    for c in checks:
        table.add_row(
            c.claim.id,
            _short(c.claim.text, 60),
            _grades(c),
            ", ".join(c.experiments) or "—",
            c.verdict,
        )
    return table


def claims_markdown(checks: Sequence[ClaimCheck], floor: str) -> str:
    """The claims table and the metric table behind it, as Markdown."""
    lines = [
        f"| S-id | claim | sub-models | parameters | grades (weakest – strongest) "
        f"| below {floor}: neutralised / kept | experiments | prediction at floor {floor} |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for c in checks:
        lines.append(
            f"| {c.claim.id} | {_cell(_short(c.claim.text))} | {', '.join(c.submodels) or '—'} "
            f"| {len(c.parameters)} | {_grades(c)} | {_below(c, floor)} "
            f"| {', '.join(f'`{e}`' for e in c.experiments) or '—'} | {c.verdict} |"
        )
    seen = list({id(m): m for c in checks for m in c.comparisons}.values())
    lines += ["", f"### Metrics without and with the floor {floor}", ""]
    lines += comparison_markdown(seen).splitlines()
    return "\n".join(lines) + "\n"


def comparison_markdown(comparisons: Iterable[MetricComparison]) -> str:
    """Each metric's simulated value and pass/fail without and with the floor, as Markdown."""
    lines = [
        "| experiment | metric | S-ids | tolerance | simulated | at floor | pass | pass at floor "
        "| changed |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for m in comparisons:
        ids = ", ".join(records()[m.baseline.experiment].s_ids)
        lines.append(
            f"| {m.baseline.experiment} | {_cell(m.baseline.metric.name)} | {ids} "
            f"| {_tolerance(m)} | {_value(m, False)} | {_cell(_value(m, True))} "
            f"| {_status(m, False)} | {_status(m, True)} | {'**yes**' if m.changed else 'no'} |"
        )
    return "\n".join(lines) + "\n"


def comparison_table(comparisons: Iterable[MetricComparison], floor: str) -> Table:
    """Each metric without and with the floor for the terminal; changed conclusions marked."""
    table = Table(title=f"oxysim validation without and with evidence floor {floor}")
    for column in ("experiment", "metric", "tolerance", "simulated", "at floor", "pass", "changed"):
        table.add_column(column, overflow="fold")
    for m in comparisons:
        table.add_row(
            m.baseline.experiment,
            m.baseline.metric.name,
            _tolerance(m),
            _value(m, False),
            _value(m, True),
            f"{_status(m, False)} -> {_status(m, True)}",
            "[bold red]yes[/]" if m.changed else "no",
        )
    return table


def floor_parameters_markdown(parameters: Sequence[Parameter], floor: str) -> str:
    """The parameters a floor neutralises (value -> neutral) and those it keeps (structural)."""
    neutral = neutralised_parameters(parameters, floor)
    lines = [
        f"Neutralised at floor {floor} ({len(neutral)}):",
        "",
        "| parameter | grade | value | neutral |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {p.name} | {p.grade} | {p.value:g} | {p.neutral:g} |"
        for p in parameters
        if p.name in neutral and p.neutral is not None
    ]
    kept = kept_parameters(parameters, floor)
    lines += [
        "",
        f"Kept below floor {floor} (structural, no neutral value) ({len(kept)}): "
        + ", ".join(f"{p.name} ({p.grade})" for p in kept)
        + ".",
    ]
    return "\n".join(lines) + "\n"


def floor_summary(parameters: Sequence[Parameter], floor: str) -> str:
    """One line: how many parameters the floor neutralises and how many it keeps."""
    neutral = neutralised_parameters(parameters, floor)
    kept = kept_parameters(parameters, floor)
    return (
        f"evidence floor {floor}: {len(neutral)} parameters neutralised "
        f"({', '.join(sorted(neutral)) or 'none'}); {len(kept)} below the floor kept "
        "(structural, no neutral value)"
    )
