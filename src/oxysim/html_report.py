"""One self-contained HTML file from a results file: what was run, what came out, on what evidence.

The report holds, with nothing fetched when it is opened (the figures are embedded PNGs, the
style inline): the not-medical-advice note, the provenance, the scenario file, the time courses
by arm, the summary table (start, peak, rise and AUC per arm and group, with their definitions),
and the evidence behind the mechanisms the scenario exercised: each sub-model that reads a
channel the scenario's events drive, holds a state they dose, or produces a recorded variable,
with its seed claims (S-ids), the grades of its parameters and the ledger of them.
Community results get their emergent figure instead of courses and summaries.
"""

from __future__ import annotations

import base64
import html
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

import xarray as xr

from oxysim.io.netcdf import write_atomically
from oxysim.model.grades import GRADES
from oxysim.model.submodel import SubModel
from oxysim.reports import SUMMARY_COLUMNS, course_names, course_summaries, parameter_origin

NOTE = (
    "Simulation output for research and teaching. It is not medical advice: do not use it to "
    "decide on any treatment, dose or diagnosis."
)
PROVENANCE = (
    "oxysim_version", "parameter_hash", "seed", "created", "solver", "solver_step_min",
    "between_subject_variability", "evidence_floor", "neutralised_parameters",
)  # fmt: skip
STYLE = """
body { font-family: system-ui, sans-serif; max-width: 72rem; margin: 2rem auto; color: #222;
       line-height: 1.4; padding: 0 1rem; }
.note { background: #fff4d6; border-left: 4px solid #d9a400; padding: 0.6rem 1rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.2rem 0.5rem; text-align: left; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
pre { background: #f6f6f6; padding: 0.8rem; overflow-x: auto; font-size: 0.85rem; }
img { max-width: 100%; }
"""


def write_report(
    results: xr.Dataset, path: str | os.PathLike[str], by: str | None = None
) -> list[str]:
    """Write the report of ``results`` to ``path`` atomically; the titles of its sections."""
    from oxysim.community.plots import is_community

    sections = [("Provenance", _provenance(results))]
    if is_community(results):
        sections += [
            ("Community file", _pre(results.attrs.get("community", ""))),
            ("What emerged", _figure(lambda png: _community_figure(results, png))),
        ]
    else:
        sections += [
            ("Scenario", _pre(results.attrs.get("scenario", ""))),
            ("Time courses", _figure(lambda png: _course_figure(results, png, by))),
            ("Summary", _summaries(results, by)),
            ("Evidence behind the mechanisms exercised", _evidence(results)),
        ]
    title = html.escape(str(results.attrs.get("title", "oxysim results")))
    body = "".join(f"<h2>{name}</h2>\n{content}\n" for name, content in sections)
    page = (
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{title}</h1>\n"
        f'<p class="note">{html.escape(NOTE)}</p>\n{body}</body>\n</html>\n'
    )
    write_atomically(path, lambda temporary: Path(temporary).write_text(page, encoding="utf-8"))
    return [name for name, _ in sections]


def _provenance(results: xr.Dataset) -> str:
    rows = [(name, results.attrs[name]) for name in PROVENANCE if name in results.attrs]
    return _table(("field", "value"), [(name, str(value) or "none") for name, value in rows])


def _pre(text: str) -> str:
    return f"<pre>{html.escape(text)}</pre>" if text else "<p>not recorded with the results</p>"


def _figure(draw: Callable[[Path], object]) -> str:
    """A figure drawn to a temporary PNG, embedded as a data URL."""
    with tempfile.TemporaryDirectory() as folder:
        png = Path(folder) / "figure.png"
        draw(png)
        encoded = base64.b64encode(png.read_bytes()).decode("ascii")
    return f'<img alt="figure" src="data:image/png;base64,{encoded}">'


def _course_figure(results: xr.Dataset, png: Path, by: str | None) -> None:
    from oxysim.plotting import plot_results

    plot_results(results, png, course_names(results), by)


def _community_figure(results: xr.Dataset, png: Path) -> None:
    from oxysim.community.plots import plot_emergent

    plot_emergent(results, png)


def _summaries(results: xr.Dataset, by: str | None) -> str:
    parts = [
        "<p>"
        + "; ".join(f"<b>{name}</b>: {html.escape(text)}" for name, text in SUMMARY_COLUMNS.items())
        + ".</p>"
    ]
    for variable in course_names(results):
        if "subject" not in results[variable].dims:
            continue
        unit = html.escape(str(results[variable].attrs.get("units", "")))
        rows = [
            (row["arm"], row["group"], row["n"], *(f"{row[c]:.4g}" for c in SUMMARY_COLUMNS))
            for row in course_summaries(results, variable, by)
        ]
        parts.append(f"<h3>{html.escape(variable)} [{unit}]</h3>")
        parts.append(_table(("arm", by or "group", "n", *SUMMARY_COLUMNS), rows))
    return "\n".join(parts)


def exercised_submodels(results: xr.Dataset) -> list[SubModel]:
    """The sub-models the results' scenario drove or read: channels, dosed states, records."""
    from oxysim.scenario import parse_scenario
    from oxysim.system import human_model

    model = human_model()
    scenario = parse_scenario(results.attrs["scenario"], "the results' scenario")
    events = [*scenario.events, *(e for arm in scenario.arms.values() for e in arm.events)]
    driven: set[str] = set()
    for event in events:
        driven.update(name for name, _ in event.channel_values())
        driven.update(state for _, state, _ in event.doses())
    driven.discard("time_of_day")
    recorded = set(course_names(results))
    return [
        sub
        for sub in model.submodels
        if driven & (set(sub.input_names) | set(sub.state_names))
        or recorded & (set(sub.state_names) | set(sub.output_names))
    ]


def _evidence(results: xr.Dataset) -> str:
    if "scenario" not in results.attrs:
        return "<p>the scenario is not recorded with the results</p>"
    parts = [
        "<p>Grades, strongest first: " + ", ".join(GRADES) + ". "
        "See docs/evidence.md and <code>oxysim params</code> for the whole ledger.</p>"
    ]
    exercised = exercised_submodels(results)
    rows = []
    for sub in exercised:
        counts = Counter(str(p.grade) for p in sub.parameters)
        rows.append(
            (
                sub.name,
                ", ".join(sub.s_ids),
                "; ".join(f"{grade} {counts[grade]}" for grade in GRADES if counts[grade]),
            )
        )
    parts.append(_table(("sub-model", "seed claims", "parameters by grade"), rows))
    for sub in exercised:
        ledger = [
            (p.name, f"{p.value:g}", p.unit, p.grade, parameter_origin(p)) for p in sub.parameters
        ]
        parts.append(
            f"<details><summary>{html.escape(sub.name)}: {len(ledger)} parameters</summary>"
            + _table(("name", "value", "unit", "grade", "source / calibrated to"), ledger)
            + "</details>"
        )
    return "\n".join(parts)


def _table(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    head = "".join(f"<th>{html.escape(str(cell))}</th>" for cell in header)
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="number">{html.escape(str(cell))}</td>'
            if isinstance(cell, int | float) or _numeric(str(cell))
            else f"<td>{html.escape(str(cell))}</td>"
            for cell in row
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
