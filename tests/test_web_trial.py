"""The Trial page's routes: a virtual trial's power, winner's curse and table, and its refusals."""

import io
import re

import numpy as np
import pytest
import xarray as xr
from fastapi.testclient import TestClient

import web_support
from oxysim.trial.command import POWER_COLUMNS
from oxysim.trial.pool import simulate_pool, trial_scenario
from oxysim.trial.run import run_trial
from oxysim.trial.spec import load_trial
from oxysim.web.app import create_app
from oxysim.web.examples import examples, examples_folder
from oxysim.web.limits import Limits

REPLICATES = 200
SIZES = [10, 30, 60]


def _with(text: str, **fields: object) -> str:
    """``text`` with top-level ``fields`` set (each must be written in it)."""
    for key, value in fields.items():
        text, count = re.subn(rf"^{key}: .*$", f"{key}: {value}", text, flags=re.MULTILINE)
        assert count == 1, key
    return text


#: The crossover example, small: 200 trials from a pool of 200; its power rises clearly with n.
SMALL = _with(examples("trial")["oxytocin_tsst_crossover"], replicates=REPLICATES, pool=200)


def _line(text: str, written: str) -> int:
    """The 1-based line of ``text`` on which ``written`` is."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if written in line)


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


def _finished(client: TestClient, key: str) -> dict:
    return web_support.finished(client, f"/api/trials/{key}", 30)


@pytest.fixture(scope="module")
def finished(client: TestClient) -> tuple[str, dict]:
    started = client.post("/api/trials", json={"text": SMALL, "sizes": "10,30,60"})
    assert started.status_code == 202, started.text
    key = started.json()["id"]
    return key, _finished(client, key)


def test_power_rises_with_n_and_each_histogram_holds_every_trial(finished) -> None:
    _, answer = finished
    assert answer["status"] == "done" and answer["progress"] == 1.0, answer
    assert answer["n"] == SIZES and answer["figure_n"] == 30 and answer["alpha"] == 0.05
    power = np.array(answer["power"])
    assert np.all((power >= 0) & (power <= 1))
    # a share of 200 trials has a standard error of at most 0.035; a difference of two, 0.05
    assert np.all(np.diff(power) > -0.1) and power[-1] > power[0] + 0.3
    assert answer["analytic_power"] is None  # a crossover has no closed form here
    for n, shown in zip(SIZES, power, strict=True):
        effects = answer["effects"][str(n)]
        significant, missed = sum(effects["significant"]), sum(effects["not_significant"])
        assert significant + missed + effects["not_finite"] == REPLICATES
        assert significant == round(shown * REPLICATES)
        assert len(effects["edges"]) == len(effects["significant"]) + 1 == 41


def test_the_table_holds_the_numbers_of_the_results(client: TestClient, finished) -> None:
    key, answer = finished
    assert answer["columns"] == POWER_COLUMNS
    assert "signed" in answer["columns"]["mean d | significant"]
    netcdf = client.get(f"/api/trials/{key}/download/trial.nc").content
    with xr.open_dataset(io.BytesIO(netcdf), engine="h5netcdf") as results:
        assert answer["population_d"] == pytest.approx(results.attrs["population_d"])
        for index, row in enumerate(answer["rows"]):
            at_n = results.isel(n=index)
            d, significant = at_n.d.to_numpy(), at_n.significant.to_numpy()
            assert row["n"] == SIZES[index] and row["power"] == pytest.approx(significant.mean())
            assert row["median d"] == pytest.approx(np.nanmedian(d))
            signed = d[significant].mean()  # the sign kept: the effect reported, not its size
            assert row["mean d | significant"] == pytest.approx(signed)
            assert answer["effects"][str(SIZES[index])]["mean_d_significant"] == pytest.approx(
                signed
            )
            size = np.abs(d[significant]).mean() / abs(results.attrs["population_d"])
            assert row["exaggeration"] == pytest.approx(size)
            wrong = np.mean(np.sign(d[significant]) != np.sign(results.attrs["population_d"]))
            assert row["sign errors"] == pytest.approx(wrong)
            assert row["analytic power"] is None


def test_the_trial_is_the_command_lines_and_is_cached(client: TestClient, finished) -> None:
    key, _ = finished
    path = examples_folder() / "trials" / "oxytocin_tsst_crossover.yaml"
    spec = load_trial(path).model_copy(update={"replicates": REPLICATES, "pool": 200})
    expected = run_trial(spec, simulate_pool(spec, trial_scenario(spec, path)), SIZES)
    netcdf = client.get(f"/api/trials/{key}/download/trial.nc").content
    with xr.open_dataset(io.BytesIO(netcdf), engine="h5netcdf") as results:
        np.testing.assert_array_equal(results.d, expected.d)
        np.testing.assert_array_equal(results.power, expected.power)
    again = client.post("/api/trials", json={"text": SMALL, "sizes": "10,30,60"}).json()
    assert again == {"id": key, "status": "done"}
    assert client.get(f"/api/trials/{key}/download/trial.yaml").text == SMALL
    figure = client.get(f"/api/trials/{key}/download/trial.png")
    assert figure.content.startswith(b"\x89PNG") and len(figure.content) > 10_000
    assert client.get(f"/api/trials/{key}/download/secrets.txt").status_code == 404
    assert client.get("/api/trials/0123456789abcdef").status_code == 404


@pytest.mark.parametrize(
    ("replace", "by", "field", "message"),
    [
        ("n: 30", "n: 2", "n", "must be between 4 and 100000 (got 2)"),
        ("arms: [placebo, oxytocin]", "arms: [placebo, vasopressin]", "arms", "vasopressin"),
        ("120 min]", "900 min]", "outcome.times", "after the scenario's end"),
    ],
)
def test_a_bad_field_is_named_at_its_line(
    client: TestClient, replace: str, by: str, field: str, message: str
) -> None:
    bad = SMALL.replace(replace, by)
    answer = client.post("/api/trials", json={"text": bad})
    assert answer.status_code == 422
    (issue,) = answer.json()["detail"]
    assert (
        issue["field"] == field and issue["line"] == _line(bad, by) and message in issue["message"]
    )


def test_bad_sizes_and_floor_are_named(client: TestClient) -> None:
    for sizes, message in (("ten", "a range start:stop:step"), ("300", "exceeds the pool (200)")):
        answer = client.post("/api/trials", json={"text": SMALL, "sizes": sizes})
        assert answer.status_code == 422 and answer.json()["detail"][0]["field"] == "sizes"
        assert message in answer.json()["detail"][0]["message"]
    floor = client.post("/api/trials", json={"text": SMALL, "evidence_floor": "rumour"})
    assert floor.status_code == 422 and floor.json()["detail"][0]["field"] == "evidence_floor"


@pytest.mark.parametrize("path", ["/etc/hosts", "../../../etc/passwd.yaml", "pk.yaml"])
def test_only_a_shipped_scenario_is_read(client: TestClient, path: str) -> None:
    outside = SMALL.replace("../intranasal_vs_placebo.yaml", path)
    answer = client.post("/api/trials", json={"text": outside})
    assert answer.status_code == 422
    (issue,) = answer.json()["detail"]
    assert issue["field"] == "scenario" and issue["line"] == _line(outside, "scenario:")
    assert "not a shipped scenario example" in issue["message"]


def test_a_scenario_sent_with_the_trial_is_checked_as_a_file(client: TestClient) -> None:
    outside = SMALL.replace("../intranasal_vs_placebo.yaml", "/nowhere/mine.yaml")
    scenario = examples("scenario")["intranasal_vs_placebo"]
    bad = _with(scenario, duration="-5 min")
    answer = client.post("/api/trials", json={"text": outside, "scenario_text": bad})
    (issue,) = answer.json()["detail"]
    assert issue["field"] == "scenario_text.duration" and issue["line"] == _line(
        bad, "duration: -5 min"
    )
    small = _with(scenario, duration="130 min")  # the trial's last sample is at 120 min
    sent = client.post("/api/trials", json={"text": outside, "scenario_text": small, "sizes": "10"})
    assert sent.status_code == 202, sent.text
    assert _finished(client, sent.json()["id"])["n"] == [10]


def test_work_over_a_limit_is_refused_naming_it() -> None:
    for limits, limit in (
        (Limits(max_work=1_000), "max_work"),
        (Limits(max_trial_draws=1_000), "max_trial_draws"),
    ):
        answer = TestClient(create_app(limits)).post("/api/trials", json={"text": SMALL})
        assert answer.status_code == 422
        (issue,) = answer.json()["detail"]
        assert issue["field"] == limit and f"{limit} = 1000" in issue["message"]
