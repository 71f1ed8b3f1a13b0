"""The dashboard server: pages from itself only, errors naming the field, limits, cached runs."""

import io
import re

import pytest
import xarray as xr
from fastapi.testclient import TestClient

from oxysim.web.app import create_app
from oxysim.web.command import _is_loopback
from oxysim.web.limits import Limits
from oxysim.web.runs import work_of
from web_support import finished


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


def _finished(client: TestClient, key: str, query: str = "") -> dict:
    return finished(client, f"/api/runs/{key}{query}")


def test_the_page_loads_only_from_the_server(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "not medical advice" in page.text
    sources = [s for s in re.findall(r'(?:src|href)="([^"]+)"', page.text) if s[0] != "#"]
    assert sources and all(source.startswith("/static/") for source in sources)
    for source in sources:
        assert client.get(source).status_code == 200, source
    for script in ("app.js", "evidence.js", "trial.js", "community.js"):
        # the scripts fetch nothing from elsewhere
        assert not re.search(r"https?://", client.get(f"/static/{script}").text), script
    assert len(client.get("/static/plotly.min.js").content) > 1_000_000


def test_a_bad_field_is_named_at_its_line(client: TestClient, dashboard_scenario: str) -> None:
    bad = dashboard_scenario.replace("size: 8", "size: -4")
    answer = client.post("/api/validate", json={"text": bad})
    assert answer.status_code == 422
    (issue,) = answer.json()["detail"]
    assert issue["field"] == "population.size" and issue["line"] == 4
    assert issue["message"] == "must be between 1 and 1000000 (got -4)"
    ok = client.post("/api/validate", json={"text": dashboard_scenario}).json()
    assert (ok["ok"], ok["name"], ok["arms"], ok["duration"]) == (
        True,
        "dashboard-check",
        ["support", "alone"],
        30.0,
    )
    support, alone = ok["timeline"]["support"], ok["timeline"]["alone"]
    assert [(e["kind"], e["at"], e["end"]) for e in support] == [
        ("social_support", 0.0, 5.0),
        ("stressor", 5.0, 15.0),
    ]
    assert [e["label"] for e in alone] == ["stressor (tsst), 5-15 min"]
    assert ok["population"] == {"size": 8, "female": 0.5, "gg": 1.0}  # what the sliders show


def test_form_edits_change_one_field_and_keep_the_rest(
    client: TestClient, dashboard_scenario: str
) -> None:
    def edit(text: str, **change: object) -> str:
        answer = client.post("/api/edit", json={"text": text, **change})
        assert answer.status_code == 200, answer.text
        return answer.json()["text"]

    commented = "# my notes\n" + dashboard_scenario
    text = edit(commented, path="population.sex", value={"male": 0.2, "female": 0.8})
    assert text == commented.replace("{male: 0.5, female: 0.5}", "{male: 0.2, female: 0.8}")
    text = edit(text, path="population.rs53576", value={"GG": 0.5, "AG": 0.4, "AA": 0.1})
    assert "population: {size: 8, sex: {male: 0.2, female: 0.8}, rs53576: {GG: 0.5," in text
    text = edit(text, path="arms.alone.events", append=True, value_yaml="{at: 1 min, music: {}}")
    assert "  alone: {events: [{at: 1 min, music: {}}]}\n" in text
    block = "name: b\nevents:\n  - {at: 0 min, music: {}}\nrecord: [plasma_oxytocin]\n"
    added = edit(block, path="events", append=True, value={"at": "5 min", "dance": {}})
    assert added == block.replace("{}}\n", "{}}\n  - {at: 5 min, dance: {}}\n", 1)
    from oxysim.scenario import parse_scenario

    scenario = parse_scenario(text)
    assert scenario.population is not None and len(scenario.arms["alone"].events) == 1
    wrong = client.post("/api/edit", json={"text": text, "path": "name.first", "value": 1})
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["field"] == "name"
    broken = client.post("/api/edit", json={"text": "a: [\n", "path": "a", "value": 1})
    assert broken.json()["detail"][0] == {
        "field": "text",
        "line": 2,
        "message": "not YAML yet: expected the node content, but found '<stream end>'",
    }
    kinds = client.get("/api/event-kinds").json()
    assert "kind" in kinds["stressor"]["keys"] and "at" not in kinds["stressor"]["keys"]


def test_a_run_gives_bands_by_arm_and_group_and_is_cached(
    client: TestClient, dashboard_scenario: str
) -> None:
    started = client.post("/api/runs", json={"text": dashboard_scenario})
    assert started.status_code == 202
    key = started.json()["id"]
    answer = _finished(client, key)
    assert answer["status"] == "done" and answer["progress"] == 1.0
    cortisol = answer["courses"]["salivary_cortisol"]
    assert cortisol["units"] == "nmol/L"
    assert [line["arm"] for line in cortisol["lines"]] == ["support", "alone"]
    for line in cortisol["lines"]:
        assert len(line["mean"]) == len(answer["time"]) == 31 and line["n"] == 8
        assert all(low <= high for low, high in zip(line["q25"], line["q75"], strict=True))
    summary = cortisol["summary"]
    assert [row["arm"] for row in summary] == ["support", "alone"]
    assert {"start", "peak", "rise", "auc"} <= set(answer["summary_columns"])
    for row, line in zip(summary, cortisol["lines"], strict=True):
        assert row["start"] == pytest.approx(line["mean"][0])  # the same subjects, one number
        assert row["rise"] == pytest.approx(row["peak"] - row["start"])
    again = client.post("/api/runs", json={"text": dashboard_scenario}).json()
    assert again == {"id": key, "status": "done"}  # the same scenario is not recomputed
    grouped = client.get(f"/api/runs/{key}?by=rs53576").json()
    groups = {line["group"] for line in grouped["courses"]["plasma_oxytocin"]["lines"]}
    assert groups and groups <= {"GG", "AG", "AA"}
    wrong = client.get(f"/api/runs/{key}?by=shoe_size")
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["field"] == "by"


def test_downloads_open_as_the_results(client: TestClient, dashboard_scenario: str) -> None:
    key = client.post("/api/runs", json={"text": dashboard_scenario}).json()["id"]
    _finished(client, key)
    netcdf = client.get(f"/api/runs/{key}/download/results.nc")
    with xr.open_dataset(io.BytesIO(netcdf.content), engine="h5netcdf") as results:
        assert results.sizes["subject"] == 8 and list(results.arm.values) == ["support", "alone"]
        assert results.attrs["scenario"] == dashboard_scenario
    table = client.get(f"/api/runs/{key}/download/results.csv").text
    assert table.splitlines()[0].startswith("arm,subject,time,salivary_cortisol")
    assert client.get(f"/api/runs/{key}/download/scenario.yaml").text == dashboard_scenario
    assert client.get(f"/api/runs/{key}/download/secrets.txt").status_code == 404


def test_limits_are_named_in_the_refusal(dashboard_scenario: str) -> None:
    small = TestClient(create_app(Limits(max_body_bytes=2_000, max_work=100, max_queued=0)))
    big = small.post("/api/validate", json={"text": "#" * 5_000})
    assert big.status_code == 413 and "max_body_bytes = 2000" in big.json()["detail"][0]["message"]
    heavy = small.post("/api/runs", json={"text": dashboard_scenario})
    assert heavy.status_code == 422 and heavy.json()["detail"][0]["field"] == "max_work"
    assert "subjects x steps x arms" in heavy.json()["detail"][0]["message"]
    queued = TestClient(create_app(Limits(max_queued=0))).post(
        "/api/runs", json={"text": dashboard_scenario}
    )
    assert queued.status_code == 429 and queued.json()["detail"][0]["field"] == "max_queued"


def test_the_work_of_a_scenario_is_subjects_steps_and_arms(dashboard_scenario: str) -> None:
    from oxysim.scenario import parse_scenario

    assert work_of(parse_scenario(dashboard_scenario)) == 8 * 30 * 2


def test_no_file_outside_the_shipped_ones_and_a_bad_floor_is_named(
    client: TestClient, dashboard_scenario: str
) -> None:
    for name in ("..%2Fapp.py", "app.py", "runs.py"):
        assert client.get(f"/static/{name}").status_code == 404
    floor = client.post("/api/runs", json={"text": dashboard_scenario, "evidence_floor": "rumour"})
    assert floor.status_code == 422 and floor.json()["detail"][0]["field"] == "evidence_floor"
    assert client.get("/api/runs/0123456789abcdef").status_code == 404


def test_only_loopback_is_quiet() -> None:
    assert _is_loopback("127.0.0.1") and _is_loopback("::1") and _is_loopback("localhost")
    assert not _is_loopback("0.0.0.0") and not _is_loopback("192.168.1.5")
