"""The Community page's routes: a community run, its series and network picture, its refusals."""

import io
import time

import pytest
import xarray as xr
from fastapi.testclient import TestClient

from oxysim.community.spec import parse_community
from oxysim.web.app import create_app
from oxysim.web.community_routes import work_of

#: 40 people over 3 days, two arms: about a second.
TOWN = """\
name: small-town
seed: 5
days: 3
people:
  size: 40
  relationship: {partnered: 0.6, single: 0.4}
network: {kind: small_world, degree: 6}
life: {meet: 0.5, stress: 0.2}
arms:
  evenings: {}
  apart: {life: {evening_together: 0}}
"""


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


@pytest.fixture(scope="module")
def town(client: TestClient) -> dict:
    started = client.post("/api/communities", json={"text": TOWN})
    assert started.status_code == 202, started.text
    key = started.json()["id"]
    for _ in range(300):
        answer = client.get(f"/api/communities/{key}").json()
        if answer["status"] in ("done", "failed"):
            return answer
        time.sleep(0.1)
    raise AssertionError("the community did not finish in 30 s")


def test_a_community_gives_each_series_by_arm_and_day(town: dict) -> None:
    assert town["status"] == "done" and town["progress"] == 1.0
    assert town["days"] == [1, 2, 3] and town["arms"] == ["evenings", "apart"]
    warm = town["series"]["warm_replies"]
    assert warm["units"] == "1" and "share of replies" in warm["long_name"]
    assert "salivary_cortisol_tie_correlation" in town["series"]
    for series in town["series"].values():
        assert list(series["by_arm"]) == town["arms"]
        assert all(len(values) == 3 for values in series["by_arm"].values())
    assert {"salivary_cortisol", "expression", "oxytocin"} <= set(town["color_by"])
    assert "warm_replies" not in town["color_by"]  # a series of the network, not of a person


def test_the_network_picture_and_the_downloads(client: TestClient, town: dict) -> None:
    key = town["id"]
    picture = client.get(f"/api/communities/{key}/network.png?color_by=salivary_cortisol")
    assert picture.status_code == 200 and picture.content[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = (int.from_bytes(picture.content[at : at + 4], "big") for at in (16, 20))
    assert width > 400 and height > 300
    wrong = client.get(f"/api/communities/{key}/network.png?color_by=shoe_size")
    (issue,) = wrong.json()["detail"]
    assert wrong.status_code == 422 and issue["field"] == "color_by"
    assert "salivary_cortisol" in issue["message"]
    netcdf = client.get(f"/api/communities/{key}/download/results.nc")
    with xr.open_dataset(io.BytesIO(netcdf.content), engine="h5netcdf") as results:
        assert dict(results.salivary_cortisol.sizes) == {"arm": 2, "person": 40, "day": 3}
    assert client.get(f"/api/communities/{key}/download/community.yaml").text == TOWN
    assert b"<graphml" in client.get(f"/api/communities/{key}/download/network.graphml").content
    emergent = client.get(f"/api/communities/{key}/download/emergent.png")
    assert emergent.headers["content-type"] == "image/png"
    assert client.get(f"/api/communities/{key}/download/secrets.txt").status_code == 404
    assert client.get("/api/communities/0123456789abcdef/network.png").status_code == 404


def test_the_same_community_is_not_recomputed(client: TestClient, town: dict) -> None:
    again = client.post("/api/communities", json={"text": TOWN})
    assert again.json() == {"id": town["id"], "status": "done"}


@pytest.mark.parametrize(
    ("old", "new", "field", "line"),
    [
        ("days: 3", "days: 0", "days", 3),
        ("kind: small_world", "kind: edge_list, edges: /etc/passwd", "network.kind", 7),
        ("life: {meet", "record: [shoe_size]\nlife: {meet", "record[0]", 8),
    ],
    ids=["bad-days", "edge-list", "unknown-record"],
)
def test_a_bad_field_is_named_at_its_line(
    client: TestClient, old: str, new: str, field: str, line: int
) -> None:
    answer = client.post("/api/communities", json={"text": TOWN.replace(old, new)})
    assert answer.status_code == 422
    (issue,) = answer.json()["detail"]
    assert (issue["field"], issue["line"]) == (field, line)
    if field == "network.kind":
        assert "edge lists from files are read by the command line only" in issue["message"]


def test_work_over_the_limit_and_a_bad_floor_are_refused(client: TestClient) -> None:
    assert work_of(parse_community(TOWN, "town")) == 40 * 3 * 417 * 2  # multirate steps a day
    heavy = client.post("/api/communities", json={"text": TOWN.replace("days: 3", "days: 1000")})
    assert heavy.status_code == 422 and heavy.json()["detail"][0]["field"] == "max_work"
    floor = client.post("/api/communities", json={"text": TOWN, "evidence_floor": "rumour"})
    assert floor.status_code == 422 and floor.json()["detail"][0]["field"] == "evidence_floor"
