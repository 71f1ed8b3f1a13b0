"""The dashboard in a real browser: Debian's Chromium driven by Playwright.

The server runs in a thread on a free loopback port. Each test loads the page, acts as a user
and checks what the page shows; every request the page makes is recorded, and none may leave
the server. With ``OXYSIM_SCREENSHOTS=DIR`` the screenshots are also written to DIR (the
README's and docs/dashboard.md's come from ``OXYSIM_SCREENSHOTS=docs``).
"""

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import xarray as xr

playwright = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and not os.environ.get("CI"),
        reason="Debian's chromium is not installed (make test installs it)",
    ),
    pytest.mark.xdist_group("browser"),
]


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
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
def browser() -> Iterator[object]:
    with playwright.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser, server: str) -> Iterator[tuple[object, list[str]]]:
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    requests: list[str] = []
    opened.on("request", lambda request: requests.append(request.url))
    opened.goto(server + "/")
    opened.wait_for_function("document.getElementById('text').value.length > 0")
    yield opened, requests
    context.close()


def _screenshot(page, name: str, tmp_path: Path) -> None:
    path = tmp_path / f"dashboard_{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    folder = os.environ.get("OXYSIM_SCREENSHOTS")
    if folder:
        shutil.copy(path, Path(folder) / path.name)


def _type_scenario(page, text: str) -> None:
    page.fill("#text", text)


def test_a_bad_field_is_shown_inline_at_its_line(
    page, tmp_path: Path, dashboard_scenario: str
) -> None:
    opened, _ = page
    _type_scenario(opened, dashboard_scenario.replace("size: 8", "size: 0"))
    opened.click("#validate")
    issue = opened.locator("#issues li").first
    issue.wait_for()
    assert issue.text_content() == "line 4: population.size: must be between 1 and 1000000 (got 0)"
    _screenshot(opened, "error", tmp_path)


def test_edit_run_plot_and_download_without_leaving_the_server(
    page, server: str, tmp_path: Path, dashboard_scenario: str
) -> None:
    opened, requests = page
    _type_scenario(opened, dashboard_scenario.replace("size: 8", "size: 12"))
    opened.eval_on_selector(
        "#size", "slider => { slider.value = 8; slider.dispatchEvent(new Event('input')); }"
    )
    assert "population: {size: 8," in opened.input_value("#text")  # the slider edits the file
    opened.click("#run")
    opened.wait_for_selector("#plot .main-svg", timeout=60_000)
    legend = opened.locator("#plot .legendtext").all_text_contents()
    assert legend == ["support (n=8)", "alone (n=8)"]
    header = opened.locator("#summary th").all_text_contents()
    assert header == ["arm", "group", "n", "start", "peak", "rise", "auc"]
    assert opened.locator("#summary tr").count() == 3  # the header and one row per arm
    opened.select_option("#by", "sex")
    opened.wait_for_function(
        "document.querySelectorAll('#plot .legendtext').length > 2", timeout=30_000
    )
    _screenshot(opened, "results", tmp_path)
    with opened.expect_download() as downloading:
        opened.click("#downloads a[download='results.nc']")
    saved = tmp_path / "results.nc"
    downloading.value.save_as(saved)
    with xr.open_dataset(saved, engine="h5netcdf") as results:
        assert results.sizes["subject"] == 8 and "salivary_cortisol" in results
    outside = [url for url in requests if not url.startswith(server)]
    assert requests and not outside, outside
