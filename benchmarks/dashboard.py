"""Speed of the dashboard in Debian's Chromium: the page, a 300-subject 3-h run's plot, a regroup.

The server runs in this process on a free loopback port; Playwright drives ``/usr/bin/chromium``.
Each round opens a fresh page and times, from the page's own clock of events:

- *page ready*: from navigation until the scenario file is shown (Plotly.js, 3.5 MB, is loaded
  after that, so the page does not wait for it);
- *plot*: from clicking Run (2 s after the page is ready) until the courses are drawn, for 300
  subjects x 3 h x 2 arms, each round a new seed (so not a cached run); the first round also
  compiles the engine;
- *regroup*: grouping the finished run by sex (the run is not recomputed).

The goals (issue 14): the page under 1 s, the plot under 3 s once the engine is compiled.

    python benchmarks/dashboard.py
"""

from __future__ import annotations

import socket
import threading
import time

import uvicorn
from playwright.sync_api import sync_playwright

from oxysim.web.app import create_app

SCENARIO = """name: timing
duration: 180 min
seed: SEED
population: {size: 300, sex: {male: 0.5, female: 0.5}}
events: [{at: 30 min, stressor: {kind: tsst, duration: 15 min}}]
arms:
  support: {events: [{at: 20 min, social_support: {source: partner, duration: 10 min}}]}
  alone: {}
record: [salivary_cortisol, plasma_oxytocin]
"""


def main(rounds: int = 3) -> None:
    """Print the three times of each round."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for round_ in range(rounds):
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            start = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}/")
            page.wait_for_function("document.getElementById('text').value.length > 0")
            ready = time.perf_counter() - start
            time.sleep(2)
            page.fill("#text", SCENARIO.replace("SEED", str(round_)))
            start = time.perf_counter()
            page.click("#run")
            page.wait_for_selector("#plot .main-svg .scatterlayer .trace", timeout=60_000)
            plotted = time.perf_counter() - start
            start = time.perf_counter()
            page.select_option("#by", "sex")
            page.wait_for_function("document.querySelectorAll('#plot .legendtext').length > 2")
            regrouped = time.perf_counter() - start
            print(
                f"round {round_}: page ready {ready:.2f} s (goal < 1), 300 x 3 h plot "
                f"{plotted:.2f} s (goal < 3), regroup {regrouped:.2f} s"
            )
            page.close()
        browser.close()
    server.should_exit = True


if __name__ == "__main__":
    main()
