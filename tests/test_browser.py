"""The dashboard in a real browser: Debian's Chromium driven by Playwright.

The server runs in a thread on a free loopback port. Each test loads the page, acts as a user
and checks what the page shows; every request the page makes is recorded, and none may leave
the server. With ``OXYSIM_SCREENSHOTS=DIR`` the screenshots are also written to DIR (the
README's and docs/dashboard.md's come from ``OXYSIM_SCREENSHOTS=docs``).
"""

from pathlib import Path

import xarray as xr


def _type_scenario(page, text: str) -> None:
    page.fill("#text", text)


def _slide(page, slider: str, value: int) -> None:
    page.eval_on_selector(
        f"#{slider}",
        f"s => {{ s.value = {value}; s.dispatchEvent(new Event('input'));"
        " s.dispatchEvent(new Event('change')); }",
    )


def test_a_bad_field_is_shown_inline_at_its_line(page, screenshot, dashboard_scenario: str) -> None:
    opened, _ = page
    _type_scenario(opened, dashboard_scenario.replace("size: 8", "size: 0"))
    opened.click("#validate")
    issue = opened.locator("#issues li").first
    issue.wait_for()
    assert issue.text_content() == "line 4: population.size: must be between 1 and 1000000 (got 0)"
    screenshot(opened, "error")


def test_edit_run_plot_and_download_without_leaving_the_server(
    page, server: str, screenshot, tmp_path: Path, dashboard_scenario: str
) -> None:
    opened, requests = page
    _type_scenario(opened, dashboard_scenario.replace("size: 8", "size: 12"))
    opened.click("#validate")  # the sliders show the checked file's population
    opened.wait_for_function("document.getElementById('size-shown').textContent === '12'")
    _slide(opened, "size", 8)  # the sliders edit the file, the rest as written
    _slide(opened, "female", 25)
    opened.wait_for_function(
        "document.getElementById('text').value.includes("
        "'population: {size: 8, sex: {male: 0.75, female: 0.25}}')"
    )
    opened.select_option("#event-kind", "music")
    opened.fill("#event-at", "20")
    opened.fill("#event-fields", "{duration: 5 min}")
    opened.select_option("#event-arm", "alone")
    opened.click("#event-add")
    opened.wait_for_function(
        "document.getElementById('text').value"
        ".includes('alone: {events: [{at: 20 min, music: {duration: 5 min}}]}')"
    )
    bars = opened.locator("#timeline .bars .point")
    bars.nth(3).wait_for()  # support: its support and the stressor; alone: stressor and music
    assert bars.count() == 4
    opened.fill("#arm-name", "music_only")
    opened.click("#arm-add")
    opened.wait_for_function("document.getElementById('status').textContent === 'ok: 3 arm(s)'")
    assert "  music_only: {}\n" in opened.input_value("#text")
    bars.nth(4).wait_for()  # the new arm meets the shared stressor
    opened.click("#run")
    opened.wait_for_selector("#plot .main-svg", timeout=60_000)
    legend = opened.locator("#plot .legendtext").all_text_contents()
    assert legend == ["support (n=8)", "alone (n=8)", "music_only (n=8)"]
    header = opened.locator("#summary th").all_text_contents()
    assert header == ["arm", "group", "n", "start", "peak", "rise", "auc"]
    assert opened.locator("#summary tr").count() == 4  # the header and one row per arm
    opened.select_option("#by", "sex")
    opened.wait_for_function(
        "document.querySelectorAll('#plot .legendtext').length > 3", timeout=30_000
    )
    screenshot(opened, "results")
    with opened.expect_download() as downloading:
        opened.click("#downloads a[download='results.nc']")
    saved = tmp_path / "results.nc"
    downloading.value.save_as(saved)
    with xr.open_dataset(saved, engine="h5netcdf") as results:
        assert results.sizes["subject"] == 8 and "salivary_cortisol" in results
    outside = [url for url in requests if not url.startswith(server)]
    assert requests and not outside, outside
