"""The Evidence page's API: the ledger, the validation as `oxysim validate` runs it, the claims."""

from fastapi.testclient import TestClient

from oxysim.experiments.base import records, run_experiment
from oxysim.system import human_model
from oxysim.web.app import create_app
from web_support import finished

FAST = ["iv_terminal_phase", "assay_dependence"]  # a check and a calibration experiment


def _finished(client: TestClient, key: str) -> dict:
    return finished(client, f"/api/evidence/validation/{key}", 120)


def test_the_ledger_and_the_experiments_are_the_models() -> None:
    client = TestClient(create_app())
    ledger = client.get("/api/evidence/parameters").json()
    assert ledger["grades"][0] == "established" and "assumption" in ledger["grades"]
    rows = ledger["parameters"]
    model = human_model()
    assert len(rows) == sum(len(sub.parameters) for sub in model.submodels)
    assert {row["submodel"] for row in rows} == {sub.name for sub in model.submodels}
    assert all(row["origin"] and row["grade"] in ledger["grades"] for row in rows)
    experiments = client.get("/api/evidence/experiments").json()
    assert [e["id"] for e in experiments] == list(records())
    assert {e["set"] for e in experiments} == {"check", "calibration"}


def test_a_validation_gives_the_command_lines_numbers_and_feeds_the_claims() -> None:
    client = TestClient(create_app())
    floor = "human-single"
    started = client.post(
        "/api/evidence/validation", json={"experiments": FAST, "evidence_floor": floor}
    )
    assert started.status_code == 202
    answer = _finished(client, started.json()["id"])
    assert answer["status"] == "done", answer.get("error")
    expected = [r.as_dict() for e in FAST for r in run_experiment(e)]
    rows = answer["rows"]
    assert [(r["experiment"], r["metric"]) for r in rows] == [
        (r["experiment"], r["metric"]) for r in expected
    ]
    for row, plain in zip(rows, expected, strict=True):
        assert row["simulated"] == plain["simulated"] and row["pass"] == plain["pass"]
        assert isinstance(row["pass_at_floor"], bool)
    claims = {
        c["id"]: c
        for c in client.get(f"/api/evidence/claims?evidence_floor={floor}").json()["claims"]
    }
    tested_by_fast_only = [
        c for c in claims.values() if c["experiments"] and set(c["experiments"]) <= set(FAST)
    ]
    for claim in claims.values():
        ran = set(claim["experiments"]) <= set(FAST)
        assert claim["verdict"].startswith("run the validation") != ran, claim
    assert all(not c["verdict"].startswith("run") for c in tested_by_fast_only)
    untested = [c for c in claims.values() if not c["experiments"]]
    assert all(c["verdict"] == "no prediction tested" for c in untested)


def test_bad_evidence_requests_name_the_field() -> None:
    client = TestClient(create_app())
    unknown = client.post("/api/evidence/validation", json={"experiments": ["astrology"]})
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["field"] == "experiments"
    floor = client.get("/api/evidence/claims?evidence_floor=rumour")
    assert floor.status_code == 422 and floor.json()["detail"][0]["field"] == "evidence_floor"
    assert client.get("/api/evidence/validation/0123456789abcdef").status_code == 404
