import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from oxysim.engine.compose import Model
from oxysim.model.submodel import Signals
from oxysim.population.covariates import covariate_inputs
from oxysim.population.sampling import subjects_table
from oxysim.population.variability import parameter_values
from oxysim.scenario import Scenario, SubjectSpec, parse_scenario
from oxysim.system import human_model

if "PYTEST_XDIST_WORKER" in os.environ:
    # one pytest worker per core already: the compiled engine runs each worker's batches on one
    # thread (tests that compare thread counts set them explicitly)
    os.environ.setdefault("OXYSIM_THREADS", "1")


@pytest.fixture(scope="session")
def model() -> Model:
    return human_model()


@pytest.fixture(scope="session")
def make_scenario() -> Callable[..., Scenario]:
    def make(**fields: Any) -> Scenario:
        return parse_scenario(yaml.safe_dump({"name": "test", **fields}, sort_keys=False))

    return make


@pytest.fixture(scope="session")
def typical_params(model: Model) -> Callable[[int], Signals]:
    def params(n_subjects: int = 1) -> Signals:
        return parameter_values(model.parameters, n_subjects, None)

    return params


@pytest.fixture(scope="session")
def covariates_of(model: Model) -> Callable[..., dict[str, np.ndarray]]:
    """Covariates of the given subjects, with their serum hormone and nutrient levels at rest."""
    levels = [m for m in model.submodels if m.name in ("endocrine", "nutrients")]

    def covariates(*subjects: SubjectSpec) -> dict[str, np.ndarray]:
        signals = Signals(covariate_inputs(subjects_table(subjects or (SubjectSpec(),))))
        params = parameter_values(model.parameters, len(signals["age"]), None)
        for submodel in levels:
            signals.update(submodel.resting_state_fn(signals, params))
            signals.update(submodel.outputs_fn(signals, params))
        return dict(signals)

    return covariates


#: A small two-arm scenario for the dashboard's tests: 8 subjects, 30 min, 1-min records.
DASHBOARD_SCENARIO = """\
name: dashboard-check
duration: 30 min
seed: 2
population: {size: 8, sex: {male: 0.5, female: 0.5}}
events: [{at: 5 min, stressor: {kind: tsst, duration: 10 min}}]
arms:
  support: {events: [{at: 0 min, social_support: {source: partner, duration: 5 min}}]}
  alone: {}
record: [salivary_cortisol, plasma_oxytocin]
"""


@pytest.fixture(scope="session")
def dashboard_scenario() -> str:
    """The text of :data:`DASHBOARD_SCENARIO`."""
    return DASHBOARD_SCENARIO


# --- the dashboard in a real browser (tests/test_browser*.py) ---

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests share one worker, and skip off CI where Debian's chromium is missing."""
    missing = not Path(CHROMIUM).exists() and not os.environ.get("CI")
    for item in items:
        if item.module is not None and item.module.__name__.startswith("test_browser"):
            item.add_marker(pytest.mark.xdist_group("browser"))
            if missing:
                item.add_marker(
                    pytest.mark.skip(reason="Debian's chromium is not installed (make test does)")
                )


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The dashboard on a free loopback port, in a thread; its address."""
    import uvicorn

    from oxysim.web.app import create_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    for _ in range(200):
        if running.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, driven by Playwright (never a downloaded browser)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[tuple[Any, list[str]]]:
    """A fresh page on the dashboard, and every URL it requests."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    requests: list[str] = []
    opened.on("request", lambda request: requests.append(request.url))
    opened.goto(server + "/")
    opened.wait_for_function("document.getElementById('text').value.length > 0")
    yield opened, requests
    context.close()


@pytest.fixture
def screenshot(tmp_path: Path) -> Callable[[Any, str], None]:
    """Save a page's screenshot as ``dashboard_NAME.png``; also to ``$OXYSIM_SCREENSHOTS``."""

    def take(page: Any, name: str) -> None:
        path = tmp_path / f"dashboard_{name}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000
        folder = os.environ.get("OXYSIM_SCREENSHOTS")
        if folder:
            shutil.copy(path, Path(folder) / path.name)

    return take
