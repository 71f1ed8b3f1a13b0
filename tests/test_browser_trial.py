"""The Trial page in a real browser: edit an example trial, run it, read its plots and table."""

from oxysim.trial.command import POWER_COLUMNS


def test_run_a_trial_and_see_power_and_the_winners_curse(page, server: str, screenshot) -> None:
    opened, requests = page
    opened.goto(server + "/#trial")
    opened.wait_for_function("document.getElementById('trial-text').value.includes('walum')")
    text = opened.input_value("#trial-text")
    opened.fill("#trial-text", text.replace("n: 49", "n: 2"))
    opened.click("#trial-run")
    issue = opened.locator("#trial-issues li").first
    issue.wait_for()
    assert issue.text_content() == "line 10: n: must be between 4 and 100000 (got 2)"
    small = text.replace("replicates: 2000", "replicates: 200").replace("pool: 2000", "pool: 200")
    opened.fill("#trial-text", small)
    opened.fill("#trial-sizes", "20,49,100")
    opened.click("#trial-run")
    opened.wait_for_selector("#trial-effects .main-svg", timeout=60_000)
    assert opened.locator("#trial-issues li").count() == 0
    power = opened.locator("#trial-power .legendtext").all_text_contents()
    assert power == ["simulated", "t-test, analytic"]
    effects = opened.locator("#trial-effects .legendtext").all_text_contents()
    assert effects[:2] == ["not significant", "significant"]
    assert effects[2].startswith("population d = ")
    assert effects[3].startswith("mean d | significant = ")
    assert opened.locator("#trial-effects .xtitle").text_content() == (
        "estimated d in 200 trials of n = 49"  # the file's n, as in the figure
    )
    assert opened.locator("#trial-table th").all_text_contents() == list(POWER_COLUMNS)
    assert opened.locator("#trial-table tr").count() == 4  # the header and one row per n
    opened.select_option("#trial-n", "100")
    opened.wait_for_function(
        "document.querySelector('#trial-effects .xtitle').textContent.endsWith('n = 100')"
    )
    links = opened.locator("#trial-downloads a").all_text_contents()
    assert links == ["trial.nc", "trial.png", "trial.yaml"]
    screenshot(opened, "trial")
    outside = [url for url in requests if not url.startswith(server)]
    assert requests and not outside, outside
