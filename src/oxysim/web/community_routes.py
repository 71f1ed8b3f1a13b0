"""The Community page's routes: run a community, its series, its network picture, downloads.

A community is checked as the command line checks it, and more: its ``record`` names must be
the model's, and edge lists (files named in the file) are refused, so that no path from the
client is ever read. A finished job's result is ``(results, network)``, as
:func:`~oxysim.community.run.simulate_community` returns them.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from oxysim.web.errors import file_issues, floor_field, floor_refusal, refusal
from oxysim.web.figures import png_of
from oxysim.web.job_answers import accepted, download_answer, finished_job, status_answer
from oxysim.web.jobs import Job, JobQueue

if TYPE_CHECKING:
    import xarray as xr

    from oxysim.community.spec import CommunitySpec
    from oxysim.scenario.loading import ScenarioIssue

#: What a finished community can be downloaded as.
DOWNLOADS = ("results.nc", "network.graphml", "community.yaml", "emergent.png")
EDGE_LISTS = (
    "edge lists from files are read by the command line only (oxysim community); here use "
    "small_world, scale_free or groups"
)


class CommunityText(BaseModel):
    """A community file's text, as pasted or edited on the page."""

    text: str = Field(description="the community file (YAML)", max_length=60_000)
    evidence_floor: str | None = floor_field()


def parse_checked(text: str, evidence_floor: str | None) -> CommunitySpec | JSONResponse:
    """The validated community, or a 422 answer naming each issue's field and line."""
    from oxysim.community.spec import parse_community
    from oxysim.scenario import ScenarioError

    refused = floor_refusal(evidence_floor)
    if refused is not None:
        return refused
    try:
        return parse_community(text, "community", _edge_list_issues)
    except ScenarioError as error:
        return file_issues(error)


def _edge_list_issues(data: Mapping[str, Any], lines: Mapping[Any, int]) -> list[ScenarioIssue]:
    from oxysim.scenario.loading import issue_at

    network = data.get("network")
    if isinstance(network, Mapping) and network.get("kind") == "edge_list":
        return [issue_at(("network", "kind"), lines, EDGE_LISTS)]
    return []


def work_of(spec: CommunitySpec) -> int:
    """People x days x integration steps a day x arms: what :attr:`Limits.max_work` bounds."""
    from oxysim.community.day import day_plan

    steps = sum(len(next(iter(s.schedule.channels.values()))) for s in day_plan(spec.steps))
    return spec.people.size * spec.days * steps * len(spec.arms)


def colourable(results: xr.Dataset) -> list[str]:
    """The per-person variables (person x day outputs, and the arms' roles) to colour by."""
    return [str(name) for name, values in results.data_vars.items() if "person" in values.dims]


def series_payload(results: xr.Dataset) -> dict[str, Any]:
    """Days (from 1), arms, each network-level series by arm, and what can colour the network."""
    arms = [str(arm) for arm in results.arm.values]
    series = {
        str(name): {
            "units": values.attrs.get("units", ""),
            "long_name": values.attrs.get("long_name", ""),
            "by_arm": {arm: _json_numbers(values.sel(arm=arm).values) for arm in arms},
        }
        for name, values in results.data_vars.items()
        if values.dims == ("arm", "day")
    }
    return {
        "days": (results.day.values + 1).tolist(),
        "arms": arms,
        "series": series,
        "color_by": colourable(results),
    }


def _json_numbers(values: Any) -> list[float | None]:
    """Numbers as JSON holds them: NaN (a correlation over no ties) as null, a gap in a line."""
    return [None if math.isnan(value) else value for value in values.tolist()]


def router(queue: JobQueue) -> APIRouter:
    """The community routes over ``queue``."""
    routes = APIRouter()

    @routes.post("/api/communities", status_code=202)
    def start_community(body: CommunityText) -> JSONResponse:
        """Queue a community run (or find the cached one): its id and status."""
        from oxysim.community.run import simulate_community

        spec = parse_checked(body.text, body.evidence_floor)
        if isinstance(spec, JSONResponse):
            return spec
        job = queue.submit(
            "community",
            body.text,
            body.evidence_floor,
            work_of(spec),
            lambda progress: simulate_community(spec, text=body.text, progress=progress),
        )
        return accepted(job)

    @routes.get("/api/communities/{key}")
    def community_status(key: str) -> JSONResponse:
        """A community's status and progress; when done, its network-level series by arm."""
        return status_answer(queue, key, "community", lambda result: series_payload(result[0]))

    @routes.get("/api/communities/{key}/network.png")
    def network_picture(key: str, color_by: str = "expression") -> Response:
        """The network, each person coloured by ``color_by`` on the last day, a panel per arm."""
        from oxysim.community.plots import plot_network

        job = finished_job(queue, key, "community")
        if isinstance(job, JSONResponse):
            return job
        results, network = job.result
        allowed = colourable(results)
        if color_by not in allowed:
            message = f"cannot colour by {color_by!r}; one of: {', '.join(allowed)}"
            return refusal("color_by", message)
        picture = png_of(lambda path: plot_network(results, network.graph, path, color_by))
        return Response(picture, media_type="image/png")

    @routes.get("/api/communities/{key}/download/{kind}")
    def download(key: str, kind: str) -> Response:
        """A finished community as one of :data:`DOWNLOADS`."""
        return download_answer(queue, key, "community", kind, DOWNLOADS, _download)

    return routes


def _download(job: Job, kind: str) -> Response:
    results, network = job.result
    if kind == "community.yaml":
        return Response(job.text, media_type="application/yaml")
    if kind == "results.nc":
        return Response(
            bytes(results.to_netcdf(engine="h5netcdf")), media_type="application/x-netcdf"
        )
    if kind == "emergent.png":
        from oxysim.community.plots import plot_emergent

        return Response(png_of(lambda path: plot_emergent(results, path)), media_type="image/png")
    import networkx as nx

    graphml = io.BytesIO()
    nx.write_graphml(network.graph, graphml)
    return Response(graphml.getvalue(), media_type="application/graphml+xml")
