"""What one request to the dashboard may ask for: body size, work per run, runs at once.

Every limit is a number a client can read (``GET /api/limits``) and is named in the 4xx answer
that refuses a request over it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Bounds on each request and on the server's work."""

    #: Largest request body, in bytes (a scenario file is a few kB).
    max_body_bytes: int = 64_000
    #: Largest run: subjects x integration steps x arms (300 subjects x 3 h x 2 arms is 108 000).
    max_work: int = 20_000_000
    #: Largest virtual trial's resampling: replicates x sample sizes x pool subjects, as each
    #: replicate orders the whole pool (2000 x 20 sizes x a pool of 2000 is 80 million, seconds).
    max_trial_draws: int = 400_000_000
    #: Runs computing at once; more wait in the queue.
    workers: int = 1
    #: Runs waiting or computing at most; a run beyond is refused (429).
    max_queued: int = 4
    #: Finished runs kept for views and downloads (the oldest is dropped first).
    cached_runs: int = 16
