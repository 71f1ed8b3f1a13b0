"""The Trial page's routes: run a virtual trial, its power curve, its winner's curse, downloads.

A trial is checked as ``oxysim trial`` checks it, and its ``scenario:`` is never read as a path:
its file name picks one of the shipped scenario examples (``../social_trust_and_risk.yaml`` is
``social_trust_and_risk``), unless the request carries the scenario's own text. A finished
job's result is a :class:`FinishedTrial`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from oxysim.web.errors import file_issues, floor_field, floor_refusal, refusal
from oxysim.web.figures import png_of
from oxysim.web.job_answers import accepted, download_answer, status_answer
from oxysim.web.jobs import Job, JobQueue, LimitError, Progress
from oxysim.web.runs import work_of

if TYPE_CHECKING:
    import xarray as xr

    from oxysim.scenario import Scenario, ScenarioError
    from oxysim.scenario.base import Loc
    from oxysim.trial.spec import TrialSpec

#: What a finished trial can be downloaded as.
DOWNLOADS = ("trial.nc", "trial.png", "trial.yaml")
#: Bins of the histogram of estimated d at each sample size, as in the figure.
BINS = 40


class TrialText(BaseModel):
    """A trial file's text, as pasted or edited on the page, and the sizes to run."""

    text: str = Field(description="the trial file (YAML)", max_length=60_000)
    scenario_text: str | None = Field(
        None,
        max_length=60_000,
        description="the scenario file to recruit from (YAML); default: the shipped example "
        "that the trial's `scenario:` names by its file name",
    )
    sizes: str | None = Field(
        None,
        max_length=200,
        description="sample sizes as the command line's --n: 49, 20,49,100 or 20:200:20; "
        "default: the file's n",
    )
    evidence_floor: str | None = floor_field()


@dataclass(frozen=True)
class CheckedTrial:
    """A trial ready to run: the file, its scenario narrowed to the trial, the sample sizes."""

    trial: TrialSpec
    scenario: Scenario
    sizes: list[int]


@dataclass(frozen=True)
class FinishedTrial:
    """A trial's results, the size its figure shows, and the notes on its design."""

    results: xr.Dataset
    figure_n: int
    notes: list[str]


def parse_checked(body: TrialText) -> CheckedTrial | JSONResponse:
    """The trial ready to run, or a 422 answer naming each issue's field and line."""
    from oxysim.scenario import ScenarioError
    from oxysim.scenario.loading import read_spec_data, validate_spec
    from oxysim.trial.command import parse_sizes
    from oxysim.trial.pool import narrowed
    from oxysim.trial.spec import TRIAL_FILE_SHAPE, TrialSpec

    refused = floor_refusal(body.evidence_floor)
    if refused is not None:
        return refused
    try:
        data, lines = read_spec_data(body.text, "trial", TRIAL_FILE_SHAPE)
        trial = validate_spec(data, TrialSpec, "trial", lines)
    except ScenarioError as error:
        return file_issues(error)
    scenario = _scenario_of(trial, body.scenario_text, lines)
    if isinstance(scenario, JSONResponse):
        return scenario
    try:
        fitted = narrowed(trial, scenario, "trial")
    except ScenarioError as error:
        return file_issues(_at_lines(error, lines))
    try:
        sizes = parse_sizes(body.sizes, trial.n, trial.smallest_n)
    except ValueError as error:
        return refusal("sizes", str(error))
    if max(sizes) > trial.pool:
        return refusal("sizes", f"the largest size ({max(sizes)}) exceeds the pool ({trial.pool})")
    return CheckedTrial(trial, fitted, sizes)


def _scenario_of(
    trial: TrialSpec, scenario_text: str | None, lines: Mapping[Loc, int]
) -> Scenario | JSONResponse:
    """The scenario sent with the trial, else the shipped example its ``scenario:`` names."""
    from oxysim.scenario import ScenarioError, parse_scenario
    from oxysim.scenario.loading import ScenarioIssue, issue_at
    from oxysim.system import human_model
    from oxysim.web.examples import examples

    shipped = examples("scenario")
    name = Path(trial.scenario).stem
    if scenario_text is None and name not in shipped:
        message = (
            f"{trial.scenario!r} is not a shipped scenario example (GET /api/examples lists "
            "them): name one by its file name, as ../social_trust_and_risk.yaml, or send the "
            "scenario's text as scenario_text"
        )
        return file_issues(ScenarioError([issue_at(("scenario",), lines, message)], "trial"))
    field, text = (
        ("scenario", shipped[name]) if scenario_text is None else ("scenario_text", scenario_text)
    )
    try:
        return parse_scenario(text, field, known_variables=human_model().variables)
    except ScenarioError as error:
        issues = [
            ScenarioIssue(f"{field}.{i.field}" if i.field else field, i.line, i.message)
            for i in error.issues
        ]
        return file_issues(ScenarioError(issues, field))


def _at_lines(error: ScenarioError, lines: Mapping[Loc, int]) -> ScenarioError:
    """``error`` with each issue at the line of its trial field."""
    from oxysim.scenario import ScenarioError
    from oxysim.scenario.loading import issue_at

    issues = [issue_at(tuple(i.field.split(".")), lines, i.message) for i in error.issues]
    return ScenarioError(issues, error.source)


def draws_of(checked: CheckedTrial) -> int:
    """Replicates x sample sizes x pool subjects: what :attr:`Limits.max_trial_draws` bounds."""
    return checked.trial.replicates * len(checked.sizes) * checked.trial.pool


def run_checked(checked: CheckedTrial, progress: Progress) -> FinishedTrial:
    """Simulate the pool (the first half of the progress), then the replicate trials."""
    from oxysim.trial.command import design_notes, figure_size
    from oxysim.trial.pool import simulate_pool
    from oxysim.trial.run import run_trial

    def half(second: int) -> Progress:
        return lambda done, total: progress(500 * second + 500 * done // max(total, 1), 1000)

    trial, scenario, sizes = checked.trial, checked.scenario, checked.sizes
    pool = simulate_pool(trial, scenario, half(0))
    results = run_trial(trial, pool, sizes, half(1))
    return FinishedTrial(results, figure_size(trial, sizes), design_notes(trial, scenario))


def trial_payload(finished: FinishedTrial) -> dict[str, Any]:
    """The power curve, the estimated d at each n (histograms) and the power table's rows.

    The rows are :func:`oxysim.trial.command.power_rows`, the numbers the terminal shows, under
    the columns' definitions; a number that is undefined (no significant trial) is ``null``.
    """
    from oxysim.trial.command import POWER_COLUMNS, power_rows

    results = finished.results
    analytic = results.get("analytic_power")
    return {
        **{key: results.attrs[key] for key in ("title", "outcome", "design", "analysis")},
        "population_d": _number(results.attrs["population_d"]),
        "alpha": results.attrs["alpha"],
        "figure_n": finished.figure_n,
        "n": results.n.values.tolist(),
        "power": [_number(value) for value in results.power.values.tolist()],
        "analytic_power": None
        if analytic is None
        else [_number(value) for value in analytic.values.tolist()],
        "effects": {str(int(n)): _histogram(results.sel(n=n)) for n in results.n.values},
        "columns": POWER_COLUMNS,
        "rows": [
            {column: _number(value) for column, value in row.items()} for row in power_rows(results)
        ],
        "notes": finished.notes,
    }


def _histogram(at_n: xr.Dataset) -> dict[str, Any]:
    """Estimated d of the trials at one n in :data:`BINS` bins, significant and not."""
    d = at_n.d.to_numpy()
    significant = at_n.significant.to_numpy()
    finite = np.isfinite(d)
    edges = np.histogram_bin_edges(d[finite], BINS)
    return {
        "edges": edges.tolist(),
        "significant": np.histogram(d[finite & significant], edges)[0].tolist(),
        "not_significant": np.histogram(d[finite & ~significant], edges)[0].tolist(),
        "not_finite": int((~finite).sum()),
        "mean_d_significant": _number(float(at_n.mean_d_significant)),
    }


def _number(value: float | None) -> float | None:
    """A number as JSON holds it: NaN (undefined) as null."""
    return None if value is None or math.isnan(value) else value


def router(queue: JobQueue) -> APIRouter:
    """The trial routes over ``queue``."""
    routes = APIRouter()

    @routes.post("/api/trials", status_code=202)
    def start_trial(body: TrialText) -> JSONResponse:
        """Queue a virtual trial (or find the cached one): its id and status."""
        checked = parse_checked(body)
        if isinstance(checked, JSONResponse):
            return checked
        draws, limit = draws_of(checked), queue.limits.max_trial_draws
        if draws > limit:
            raise LimitError(
                "max_trial_draws",
                f"the trial draws {draws} subjects (replicates x sizes x pool), over the limit "
                f"max_trial_draws = {limit}; use fewer replicates, sizes or a smaller pool, or "
                "the command line",
                422,
            )
        job = queue.submit(
            "trial",
            body.model_dump_json(exclude={"evidence_floor"}),
            body.evidence_floor,
            work_of(checked.scenario),
            lambda progress: run_checked(checked, progress),
        )
        return accepted(job)

    @routes.get("/api/trials/{key}")
    def trial_status(key: str) -> JSONResponse:
        """A trial's status and progress; when done, its power curve, histograms and table."""
        return status_answer(queue, key, "trial", trial_payload)

    @routes.get("/api/trials/{key}/download/{kind}")
    def download(key: str, kind: str) -> Response:
        """A finished trial as one of :data:`DOWNLOADS`."""
        return download_answer(queue, key, "trial", kind, DOWNLOADS, _download)

    return routes


def _download(job: Job, kind: str) -> Response:
    finished: FinishedTrial = job.result
    if kind == "trial.yaml":
        return Response(TrialText.model_validate_json(job.text).text, media_type="application/yaml")
    if kind == "trial.nc":
        netcdf = finished.results.to_netcdf(engine="h5netcdf")
        return Response(bytes(netcdf), media_type="application/x-netcdf")
    from oxysim.trial.plot import plot_trial

    picture = png_of(lambda path: plot_trial(finished.results, path, finished.figure_n))
    return Response(picture, media_type="image/png")
