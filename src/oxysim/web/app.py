"""The dashboard's server: a FastAPI app over the scenario files, runs and the evidence.

Safe by default: no file paths or code from the client (scenarios are YAML text, read with the
safe loader and validated like files on the command line); every request body is bounded;
every run's work is bounded and runs wait in a bounded queue; every error is a JSON body naming
the field (``{"detail": [{"field", "line", "message"}]}``) or the limit. The page and its one
library (Plotly.js, from the installed ``plotly`` package) are served from here: the page
fetches nothing from anywhere else.
"""

from __future__ import annotations

import io
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from oxysim.model.grades import GRADES
from oxysim.reports import course_names
from oxysim.web.limits import Limits
from oxysim.web.runs import LimitError, RunQueue, band_payload

STATIC = Path(str(resources.files("oxysim.web").joinpath("static")))


class ScenarioText(BaseModel):
    """A scenario file's text, as pasted or edited on the page."""

    text: str = Field(description="the scenario file (YAML)", max_length=60_000)
    evidence_floor: str | None = Field(
        None, description=f"switch off mechanisms below this grade: {', '.join(GRADES)}"
    )


def _issues(field: str, message: str, line: int | None = None) -> dict[str, Any]:
    return {"detail": [{"field": field, "line": line, "message": message}]}


class BodyLimit(BaseHTTPMiddleware):
    """Refuse a request whose body is over :attr:`Limits.max_body_bytes` (413, limit named)."""

    def __init__(self, app: Any, limit: int) -> None:
        super().__init__(app)
        self.limit = limit

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        """Check the declared length, then the bytes actually sent."""
        declared = request.headers.get("content-length")
        too_big = declared is not None and (not declared.isdigit() or int(declared) > self.limit)
        if not too_big and request.method in ("POST", "PUT", "PATCH"):
            too_big = len(await request.body()) > self.limit
        if too_big:
            message = f"the request body is over the limit max_body_bytes = {self.limit}"
            return JSONResponse(_issues("body", message), status_code=413)
        return await call_next(request)


def create_app(limits: Limits | None = None) -> FastAPI:
    """The dashboard app, with its own queue of runs."""
    limits = limits or Limits()
    queue = RunQueue(limits)
    app = FastAPI(
        title="oxysim dashboard",
        description="Simulation output for research and teaching; not medical advice.",
    )
    app.add_middleware(BodyLimit, limit=limits.max_body_bytes)
    app.state.queue = queue

    @app.exception_handler(LimitError)
    async def _over_a_limit(request: Request, error: LimitError) -> JSONResponse:
        return JSONResponse(_issues(error.limit, str(error)), status_code=error.status_code)

    @app.get("/", response_class=HTMLResponse)
    def page() -> HTMLResponse:
        """The dashboard page."""
        return HTMLResponse((STATIC / "index.html").read_text(encoding="utf-8"))

    @app.get("/static/{name}")
    def static(name: str) -> Response:
        """The page's own script and style, and Plotly.js; nothing else."""
        if name == "plotly.min.js":
            return FileResponse(_plotly_js(), media_type="text/javascript")
        shipped = {path.name: path for path in STATIC.iterdir()}
        if name not in shipped:
            return JSONResponse(_issues("name", f"no such file: {name}"), status_code=404)
        return FileResponse(shipped[name])

    @app.get("/api/limits")
    def read_limits() -> dict[str, int]:
        """The limits this server applies."""
        return {name: int(value) for name, value in vars(limits).items()}

    @app.get("/api/examples")
    def examples() -> dict[str, str]:
        """Example scenarios by name: their text."""
        from oxysim.commands import DEMO_SCENARIO

        return {"demo": DEMO_SCENARIO.read_text(encoding="utf-8")}

    @app.post("/api/validate")
    def validate(body: ScenarioText) -> JSONResponse:
        """Validate a scenario: ``{"ok": true}`` or 422 with each issue's field and line."""
        scenario = _parse(body)
        if isinstance(scenario, JSONResponse):
            return scenario
        return JSONResponse({"ok": True, "name": scenario.name, "arms": list(scenario.arms)})

    @app.post("/api/runs", status_code=202)
    def start_run(body: ScenarioText) -> JSONResponse:
        """Queue a run (or find the cached one): its id and status."""
        scenario = _parse(body)
        if isinstance(scenario, JSONResponse):
            return scenario
        run = queue.submit(scenario, body.text, body.evidence_floor)
        return JSONResponse({"id": run.key, "status": run.status}, status_code=202)

    @app.get("/api/runs/{key}")
    def run_status(key: str, by: str | None = None) -> JSONResponse:
        """A run's status and progress; when done, its courses by arm (and ``by`` group)."""
        run = queue.get(key)
        if run is None:
            return JSONResponse(_issues("id", f"no run {key!r} on this server"), status_code=404)
        answer: dict[str, Any] = {"id": key, "status": run.status, "progress": run.progress()}
        if run.status == "failed":
            answer["error"] = run.error
        if run.status == "done" and run.results is not None:
            if by is not None and by not in run.results.coords:
                groups = ["sex", "rs53576", "attachment"]
                message = f"cannot group by {by!r}; try one of {', '.join(groups)}"
                return JSONResponse(_issues("by", message), status_code=422)
            answer |= band_payload(run.results, by)
        return JSONResponse(answer)

    @app.get("/api/runs/{key}/download/{kind}")
    def download(key: str, kind: str) -> Response:
        """A finished run as ``results.nc``, ``results.csv`` or ``scenario.yaml``."""
        run = queue.get(key)
        if run is None or run.results is None:
            return JSONResponse(_issues("id", f"no finished run {key!r}"), status_code=404)
        if kind == "scenario.yaml":
            return Response(run.text, media_type="application/yaml")
        if kind == "results.nc":
            data = run.results.to_netcdf(engine="h5netcdf")
            return Response(bytes(data), media_type="application/x-netcdf")
        if kind == "results.csv":
            buffer = io.StringIO()
            run.results[course_names(run.results)].to_dataframe().to_csv(buffer)
            return Response(buffer.getvalue(), media_type="text/csv")
        kinds = "results.nc, results.csv, scenario.yaml"
        return JSONResponse(_issues("kind", f"downloads: {kinds}"), status_code=404)

    return app


def _parse(body: ScenarioText) -> Any:
    """The validated scenario, or a 422 JSON response listing each issue at its field and line."""
    from oxysim.scenario import ScenarioError, parse_scenario
    from oxysim.system import human_model

    if body.evidence_floor is not None and body.evidence_floor not in GRADES:
        message = f"must be one of {', '.join(GRADES)}; got {body.evidence_floor!r}"
        return JSONResponse(_issues("evidence_floor", message), status_code=422)
    try:
        return parse_scenario(body.text, "scenario", known_variables=human_model().variables)
    except ScenarioError as error:
        detail = [
            {"field": issue.field, "line": issue.line, "message": issue.message}
            for issue in error.issues
        ]
        return JSONResponse({"detail": detail}, status_code=422)


def _plotly_js() -> Path:
    """Plotly.js as the installed ``plotly`` package ships it (pinned by the ``[web]`` extra)."""
    return Path(str(resources.files("plotly").joinpath("package_data", "plotly.min.js")))
