"""The Community page in a real browser: a small community run, its series and its network."""


def test_a_small_community_runs_and_draws_without_leaving_the_server(
    page, server: str, screenshot
) -> None:
    opened, requests = page
    opened.goto(server + "/#community")
    opened.wait_for_function("document.getElementById('community-text').value.length > 0")
    assert opened.input_value("#community-example") == "couples_and_meetings"
    opened.fill("#community-size", "30")
    opened.dispatch_event("#community-size", "change")  # the inputs edit the file
    opened.wait_for_function("/size: 30\\n/.test(document.getElementById('community-text').value)")
    opened.fill("#community-days", "3")
    opened.dispatch_event("#community-days", "change")
    opened.wait_for_function("/days: 3\\n/.test(document.getElementById('community-text').value)")
    opened.click("#community-run")
    opened.wait_for_selector("#community-plot .main-svg", timeout=60_000)
    legend = opened.locator("#community-plot .legendtext").all_text_contents()
    assert legend == ["evenings", "apart"]
    opened.wait_for_function(
        "document.getElementById('community-network').complete"
        " && document.getElementById('community-network').naturalWidth > 0",
        timeout=30_000,
    )
    opened.select_option("#community-color-by", "expression")
    opened.wait_for_function(
        "document.getElementById('community-network').src.endsWith('color_by=expression')"
        " && document.getElementById('community-network').naturalWidth > 0",
        timeout=30_000,
    )
    screenshot(opened, "community")
    assert opened.locator("#community-downloads a").count() == 4
    assert not opened.locator("#community-issues li").count()
    outside = [url for url in requests if not url.startswith(server)]
    assert requests and not outside, outside
