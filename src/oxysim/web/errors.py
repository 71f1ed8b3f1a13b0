"""The dashboard's error bodies: ``{"detail": [{"field", "line", "message"}]}``, as JSON."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

from oxysim.scenario import ScenarioError


def issue_body(field: str, message: str, line: int | None = None) -> dict[str, Any]:
    """One issue, as the body of an error answer."""
    return {"detail": [{"field": field, "line": line, "message": message}]}


def refusal(field: str, message: str, status_code: int = 422) -> JSONResponse:
    """An error answer naming ``field``."""
    return JSONResponse(issue_body(field, message), status_code=status_code)


def file_issues(error: ScenarioError) -> JSONResponse:
    """A 422 listing each issue of a file at its field and line, as the command line does."""
    detail = [
        {"field": issue.field, "line": issue.line, "message": issue.message}
        for issue in error.issues
    ]
    return JSONResponse({"detail": detail}, status_code=422)


def floor_field() -> Any:
    """The ``evidence_floor`` field every request that runs the model takes."""
    from pydantic import Field

    from oxysim.model.grades import GRADES

    return Field(None, description=f"switch off mechanisms below this grade: {', '.join(GRADES)}")


def floor_refusal(evidence_floor: str | None) -> JSONResponse | None:
    """A 422 naming ``evidence_floor`` when it is not a grade; ``None`` when it is fine."""
    from oxysim.model.grades import GRADES

    if evidence_floor is None or evidence_floor in GRADES:
        return None
    return refusal("evidence_floor", f"must be one of {', '.join(GRADES)}; got {evidence_floor!r}")
