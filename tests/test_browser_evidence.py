"""The Evidence page in Chromium: the ledger filtered, one experiment validated, the claims."""

from oxysim.evidence.claims import seed_claims
from oxysim.system import human_model


def test_filter_the_ledger_validate_and_read_the_claims(page, server: str, screenshot) -> None:
    opened, requests = page
    opened.goto(server + "/#evidence")
    opened.wait_for_function("document.querySelectorAll('#ledger-table tr').length > 1")
    total = len(human_model().parameters)
    assumptions = sum(p.grade == "assumption" for p in human_model().parameters)
    opened.select_option("#ledger-grade", "assumption")
    assert opened.text_content("#ledger-count") == f"{assumptions} of {total} parameters"
    assert opened.locator("#ledger-table tr").count() == assumptions + 1
    grades = opened.locator("#ledger-table td:nth-child(5)").all_text_contents()
    assert set(grades) == {"assumption"}
    opened.select_option("#ledger-grade", "")
    opened.select_option("#floor", "human-single")  # the header's switch
    opened.wait_for_function(
        "document.getElementById('claims-floor').textContent === 'human-single'"
    )
    opened.select_option("#experiment", "iv_terminal_phase")
    opened.click("#validate-one")
    opened.wait_for_function(
        "document.getElementById('pass-rates').textContent.startsWith('check set:')",
        timeout=60_000,
    )
    header = opened.locator("#validation-table th").all_text_contents()
    assert header[-2:] == ["simulated_at_floor", "pass_at_floor"]
    assert opened.locator("#validation-table td:first-child").all_text_contents()[0] == (
        "iv_terminal_phase"
    )
    assert opened.locator("#claims-table tr").count() == len(seed_claims()) + 1
    opened.select_option("#ledger-submodel", "hpa")
    opened.select_option("#ledger-grade", "human-single")
    screenshot(opened, "evidence")
    assert not [url for url in requests if not url.startswith(server)]
