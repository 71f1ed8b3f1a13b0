"""The dashboard's server: a FastAPI app over the scenario files, runs and the evidence.

Safe by default: no file paths or code from the client (files are YAML text, read with the
safe loader and validated as on the command line); every request body is bounded; every job's
work is bounded and jobs wait in a bounded queue; every error is a JSON body naming the field
(``{"detail": [{"field", "line", "message"}]}``) or the limit. The page and its one library
(Plotly.js, from the installed ``plotly`` package) are served from here: the page fetches
nothing from anywhere else. The pages' routes are in their own modules.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from oxysim.web import community_routes, evidence_routes, scenario_routes, trial_routes
from oxysim.web.errors import issue_body, refusal
from oxysim.web.examples import KINDS, examples
from oxysim.web.jobs import JobQueue, LimitError
from oxysim.web.limits import Limits

STATIC = Path(str(resources.files("oxysim.web").joinpath("static")))


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
            return JSONResponse(issue_body("body", message), status_code=413)
        return await call_next(request)


def create_app(limits: Limits | None = None) -> FastAPI:
    """The dashboard app, with its own queue of jobs."""
    limits = limits or Limits()
    queue = JobQueue(limits)
    app = FastAPI(
        title="oxysim dashboard",
        description="Simulation output for research and teaching; not medical advice.",
    )
    app.add_middleware(BodyLimit, limit=limits.max_body_bytes)
    app.state.queue = queue

    @app.exception_handler(LimitError)
    async def _over_a_limit(request: Request, error: LimitError) -> JSONResponse:
        return refusal(error.limit, str(error), error.status_code)

    @app.get("/", response_class=HTMLResponse)
    def page() -> HTMLResponse:
        """The dashboard page."""
        return HTMLResponse((STATIC / "index.html").read_text(encoding="utf-8"))

    @app.get("/static/{name}")
    def static(name: str) -> Response:
        """The page's own scripts and style, and Plotly.js; nothing else."""
        if name == "plotly.min.js":
            return FileResponse(_plotly_js(), media_type="text/javascript")
        shipped = {path.name: path for path in STATIC.iterdir()}
        if name not in shipped:
            return refusal("name", f"no such file: {name}", 404)
        return FileResponse(shipped[name])

    @app.get("/api/limits")
    def read_limits() -> dict[str, int]:
        """The limits this server applies."""
        return {name: int(value) for name, value in vars(limits).items()}

    @app.get("/api/examples")
    def example_files(kind: str = "scenario") -> Response:
        """Example files of ``kind`` (scenario, trial or community) by name: their text."""
        if kind not in KINDS:
            return refusal("kind", f"must be one of {', '.join(KINDS)}; got {kind!r}")
        return JSONResponse(examples(kind))

    for routes in (scenario_routes, trial_routes, community_routes):
        app.include_router(routes.router(queue))
    # the validation (minutes for every experiment) has a queue of its own, not to hold up runs
    app.include_router(evidence_routes.router(JobQueue(limits)))
    return app


def _plotly_js() -> Path:
    """Plotly.js as the installed ``plotly`` package ships it (pinned by the ``[web]`` extra)."""
    return Path(str(resources.files("plotly").joinpath("package_data", "plotly.min.js")))
