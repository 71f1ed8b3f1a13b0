"""The Scenario and Results pages' routes: check a scenario, run it, its bands, its downloads."""

from __future__ import annotations

import io
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from oxysim.reports import course_names
from oxysim.scenario import Scenario
from oxysim.web.errors import file_issues, floor_field, floor_refusal, issue_body, refusal
from oxysim.web.figures import png_of
from oxysim.web.job_answers import accepted, download_answer, status_answer
from oxysim.web.jobs import Job, JobQueue
from oxysim.web.runs import band_payload, work_of

#: What a finished run can be downloaded as.
DOWNLOADS = ("results.nc", "results.csv", "results.png", "scenario.yaml", "model.sbml")
GROUPINGS = ("sex", "rs53576", "attachment")


class ScenarioText(BaseModel):
    """A scenario file's text, as pasted or edited on the page."""

    text: str = Field(description="the scenario file (YAML)", max_length=60_000)
    evidence_floor: str | None = floor_field()


class Edit(BaseModel):
    """A change of one field of a scenario file, made by a form control."""

    text: str = Field(description="the scenario file (YAML)", max_length=60_000)
    path: str = Field(
        description="the field, as a dotted path (population.size)",
        pattern=r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$",
        max_length=200,
    )
    value: Any = Field(None, description="the new value (with `append`: the item to add)")
    value_yaml: str | None = Field(
        None, max_length=2_000, description="the value written as YAML, instead of `value`"
    )
    append: bool = Field(False, description="add `value` to the list at `path` instead")


def parse_checked(text: str, evidence_floor: str | None) -> Scenario | JSONResponse:
    """The validated scenario, or a 422 answer naming each issue's field and line."""
    from oxysim.scenario import ScenarioError, parse_scenario
    from oxysim.system import human_model

    refused = floor_refusal(evidence_floor)
    if refused is not None:
        return refused
    try:
        return parse_scenario(text, "scenario", known_variables=human_model().variables)
    except ScenarioError as error:
        return file_issues(error)


def timeline(scenario: Scenario) -> dict[str, list[dict[str, Any]]]:
    """Each arm's events (shared and its own) by start: kind, start, end and a label."""
    return {
        arm: [
            {
                "kind": event.event_type,
                "at": event.at,
                "end": event.end,
                "label": _label(event),
            }
            for event in scenario.arm_events(arm)
        ]
        for arm in scenario.arms
    }


def _shares(scenario: Scenario) -> dict[str, float] | None:
    """What the page's sliders show: the population's size, share of women and of rs53576 GG."""
    population = scenario.population
    if population is None:
        return None
    return {
        "size": population.size,
        "female": population.sex.get("female", 0.0),
        "gg": population.rs53576.get("GG", 0.0),
    }


def _label(event: Any) -> str:
    kind = getattr(event, "kind", None) or getattr(event, "source", None)
    named = f"{event.event_type} ({kind})" if isinstance(kind, str) else event.event_type
    return f"{named}, {event.at:g}-{event.end:g} min"


def router(queue: JobQueue) -> APIRouter:
    """The scenario routes over ``queue``."""
    routes = APIRouter()

    @routes.post("/api/validate")
    def validate(body: ScenarioText) -> JSONResponse:
        """Validate a scenario: ``{"ok": true}`` or 422 with each issue's field and line."""
        scenario = parse_checked(body.text, body.evidence_floor)
        if isinstance(scenario, JSONResponse):
            return scenario
        return JSONResponse(
            {
                "ok": True,
                "name": scenario.name,
                "arms": list(scenario.arms),
                "duration": scenario.duration,
                "timeline": timeline(scenario),
                "population": _shares(scenario),
            }
        )

    @routes.get("/api/event-kinds")
    def event_kinds() -> JSONResponse:
        """Every event kind of scenario files: its keys and what it is."""
        from oxysim.scenario.events import event_kinds as kinds

        return JSONResponse(
            {
                name: {"keys": cls.yaml_keys(), "description": (cls.__doc__ or "").split("\n")[0]}
                for name, cls in kinds().items()
            }
        )

    @routes.post("/api/edit")
    def edit(body: Edit) -> JSONResponse:
        """The file with one field set (or one item added to a list), the rest as written."""
        from oxysim.web.yaml_edit import EditError, append_item, read_value, set_field

        change = append_item if body.append else set_field
        try:
            value = body.value if body.value_yaml is None else read_value(body.value_yaml)
            return JSONResponse({"text": change(body.text, body.path, value)})
        except EditError as error:
            return JSONResponse(issue_body(error.field, str(error), error.line), status_code=422)

    @routes.post("/api/runs", status_code=202)
    def start_run(body: ScenarioText) -> JSONResponse:
        """Queue a run (or find the cached one): its id and status."""
        from oxysim.engine.simulate import simulate

        scenario = parse_checked(body.text, body.evidence_floor)
        if isinstance(scenario, JSONResponse):
            return scenario
        job = queue.submit(
            "scenario",
            body.text,
            body.evidence_floor,
            work_of(scenario),
            lambda progress: simulate(scenario, progress=progress, scenario_text=body.text),
        )
        return accepted(job)

    @routes.get("/api/runs/{key}")
    def run_status(key: str, by: str | None = None) -> JSONResponse:
        """A run's status and progress; when done, its courses by arm (and ``by`` group)."""

        def bands(results: Any) -> dict[str, Any] | JSONResponse:
            if by is not None and by not in results.coords:
                return refusal("by", f"cannot group by {by!r}; try one of {', '.join(GROUPINGS)}")
            return band_payload(results, by)

        return status_answer(queue, key, "run", bands)

    @routes.get("/api/runs/{key}/download/{kind}")
    def download(key: str, kind: str) -> Response:
        """A finished run as one of :data:`DOWNLOADS`."""
        return download_answer(queue, key, "run", kind, DOWNLOADS, _download)

    return routes


def _download(job: Job, kind: str) -> Response:
    results = job.result
    if kind == "scenario.yaml":
        return Response(job.text, media_type="application/yaml")
    if kind == "results.nc":
        return Response(
            bytes(results.to_netcdf(engine="h5netcdf")), media_type="application/x-netcdf"
        )
    if kind == "results.png":
        from oxysim.plotting import plot_results

        return Response(png_of(lambda path: plot_results(results, path)), media_type="image/png")
    if kind == "model.sbml":
        return _sbml(job)
    buffer = io.StringIO()
    results[course_names(results)].to_dataframe().to_csv(buffer)
    return Response(buffer.getvalue(), media_type="text/csv")


def _sbml(job: Job) -> Response:
    """The first subject's model and protocol of the first arm, as ``oxysim export-sbml`` writes."""
    try:
        from oxysim.io.sbml import SBMLExportError, export_sbml
    except ImportError as error:
        return refusal("kind", f"SBML needs the [sbml] extra: {error}", 404)
    scenario = parse_checked(job.text, None)
    assert not isinstance(scenario, JSONResponse)  # it was checked before it ran
    from oxysim.evidence.floor import evidence_floor

    try:
        with evidence_floor(job.evidence_floor):
            text = export_sbml(scenario)
    except SBMLExportError as error:
        return refusal("kind", str(error))
    return Response(text, media_type="application/sbml+xml")
