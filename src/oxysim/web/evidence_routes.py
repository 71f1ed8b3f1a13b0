"""The Evidence page's routes: the parameter ledger, the validation table and the claims check.

The validation runs the virtual experiments in the server's queue, each once per evidence
floor and process (:func:`oxysim.evidence.compare.run_cached`); the claims check reads those
runs, so a claim gets its verdict once the experiments testing it have run without and with
the floor. The numbers are those of ``oxysim validate`` and ``oxysim claims``.
"""

from __future__ import annotations

import threading
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from oxysim.evidence.compare import Outcome, run_cached
from oxysim.model.grades import GRADES
from oxysim.web.errors import floor_field, floor_refusal, refusal
from oxysim.web.job_answers import accepted, status_answer
from oxysim.web.jobs import JobQueue, Progress

#: The (experiment, floor) runs this process has finished, for the claims check.
_FINISHED: set[tuple[str, str | None]] = set()
_FINISHING = threading.Lock()


class ValidationRequest(BaseModel):
    """Which experiments to run (all when none are named), and under which evidence floor."""

    experiments: list[str] | None = Field(
        None, description="experiment ids (GET /api/evidence/experiments); all by default"
    )
    evidence_floor: str | None = floor_field()


def parameter_ledger() -> list[dict[str, Any]]:
    """Every parameter of the model with its sub-model, value, unit, grade and origin."""
    from oxysim.reports import parameter_origin
    from oxysim.system import human_model

    return [
        {
            "submodel": sub.name,
            "name": p.name,
            "value": p.value,
            "unit": p.unit,
            "grade": p.grade,
            "origin": parameter_origin(p),
            "description": p.description,
        }
        for sub in human_model().submodels
        for p in sub.parameters
    ]


def experiment_list() -> list[dict[str, Any]]:
    """Every virtual experiment's record: id, title, citation, set, domain, S-ids, metrics."""
    from oxysim.experiments.base import records

    return [
        {
            "id": r.id,
            "title": r.title,
            "citation": r.citation,
            "set": r.set,
            "domain": r.domain,
            "s_ids": list(r.s_ids),
            "metrics": len(r.metrics),
        }
        for r in records().values()
    ]


def _run(experiment: str, floor: str | None) -> Outcome:
    outcome = run_cached(experiment, floor)
    with _FINISHING:
        _FINISHED.add((experiment, floor))
    return outcome


def _validate(ids: list[str], floor: str | None, progress: Progress) -> list[dict[str, Any]]:
    """Each metric of the experiments: its row of ``oxysim validate --json`` (at the floor too)."""
    floors = [None] if floor is None else [None, floor]
    rows = []
    for index, experiment in enumerate(ids):
        baseline, *floored = (_run(experiment, f) for f in floors)
        if isinstance(baseline, str):
            raise RuntimeError(f"experiment {experiment} failed: {baseline}")
        for position, result in enumerate(baseline):
            row = result.as_dict()
            if floored:
                at_floor = floored[0]
                metric = None if isinstance(at_floor, str) else at_floor[position]
                row["simulated_at_floor"] = None if metric is None else metric.simulated
                row["pass_at_floor"] = metric is not None and metric.passed
                row["error_at_floor"] = at_floor if isinstance(at_floor, str) else ""
            rows.append(row)
        progress(index + 1, len(ids))
    return rows


def _claims(floor: str) -> list[dict[str, Any]]:
    """Every seed claim: its grades and sub-models, and its verdict once its experiments ran."""
    from oxysim.evidence.claims import check_claims, implementing, seed_claims
    from oxysim.evidence.compare import experiments_for
    from oxysim.model.parameters import grade_rank
    from oxysim.system import human_model

    model = human_model()
    with _FINISHING:
        finished = set(_FINISHED)
    answer = []
    for claim in seed_claims():
        experiments = experiments_for(claim.id)
        ready = all((e, f) in finished for e in experiments for f in (None, floor))
        submodels, parameters = implementing(model, claim.id)
        grades = sorted((p.grade for p in parameters), key=grade_rank)
        verdict = (
            check_claims(model, floor, [claim])[0].verdict
            if ready
            else f"run the validation at this floor: {len(experiments)} experiment(s) test it"
        )
        answer.append(
            {
                "id": claim.id,
                "seed": claim.seed,
                "claim": claim.text,
                "submodels": list(submodels),
                "weakest": grades[-1] if grades else None,
                "strongest": grades[0] if grades else None,
                "experiments": experiments,
                "verdict": verdict,
            }
        )
    return answer


def router(queue: JobQueue) -> APIRouter:
    """The evidence routes over ``queue``."""
    routes = APIRouter()

    @routes.get("/api/evidence/parameters")
    def parameters() -> JSONResponse:
        """The parameter ledger, with the grades from strongest to weakest."""
        return JSONResponse({"grades": list(GRADES), "parameters": parameter_ledger()})

    @routes.get("/api/evidence/experiments")
    def experiments() -> JSONResponse:
        """The virtual experiments' records."""
        return JSONResponse(experiment_list())

    @routes.post("/api/evidence/validation", status_code=202)
    def start_validation(body: ValidationRequest) -> JSONResponse:
        """Queue a run of the experiments (or find the cached one): its id and status."""
        from oxysim.experiments.base import registered

        refused = floor_refusal(body.evidence_floor)
        if refused is not None:
            return refused
        known = registered()
        ids = list(dict.fromkeys(body.experiments)) if body.experiments else list(known)
        unknown = [e for e in ids if e not in known]
        if unknown:
            message = f"unknown experiment {unknown[0]!r}; see GET /api/evidence/experiments"
            return refusal("experiments", message)
        floor = body.evidence_floor
        job = queue.submit(
            "validation", ",".join(ids), floor, 0, lambda progress: _validate(ids, floor, progress)
        )
        return accepted(job)

    @routes.get("/api/evidence/validation/{key}")
    def validation(key: str) -> JSONResponse:
        """A validation's status; when done, one row per metric (and its pass rates)."""
        return status_answer(queue, key, "validation", lambda rows: {"rows": rows})

    @routes.get("/api/evidence/claims")
    def claims(evidence_floor: str = "human-single") -> JSONResponse:
        """The claims check at ``evidence_floor``: verdicts for claims whose experiments ran."""
        refused = floor_refusal(evidence_floor)
        if refused is not None:
            return refused
        return JSONResponse({"evidence_floor": evidence_floor, "claims": _claims(evidence_floor)})

    return routes
