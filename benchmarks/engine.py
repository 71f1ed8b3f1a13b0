"""Engine benchmark: 10 000 subjects x 24 h with 1-min records, fast path vs SciPy reference.

Each path runs in its own process (so peak memory is its own) on one thread. The reference path
(SciPy DOP853, the accuracy reference) is run on fewer subjects and reported per subject-hour; the
printed ratio compares throughput measured in this same run. Goal for the fast path on one core:
<= 10 s and < 2 GB.

    python benchmarks/engine.py [--subjects 10000] [--reference-subjects 100]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import resource
import time

SCENARIO = """
name: benchmark-day
duration: 24 h
record_every: 1 min
start_time: "08:00"
seed: 1
population:
  size: {size}
  sex: {{male: 0.5, female: 0.5}}
  age: {{mean: 40, sd: 12}}
  rs53576: {{GG: 0.42, AG: 0.46, AA: 0.12}}
events:
  - {{at: 60 min, social_support: {{source: partner, duration: 10 min}}}}
  - {{at: 360 min, stressor: {{kind: tsst, duration: 15 min}}}}
  - {{at: 600 min, oxytocin_dose: {{route: intranasal, amount: 24 IU}}}}
  - {{at: 900 min, touch: {{kind: massage}}}}
record: [salivary_cortisol, plasma_oxytocin, csf_oxytocin]
"""


def _run(method: str, size: int, queue: mp.Queue) -> None:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from oxysim import SolverOptions, parse_scenario, simulate

    scenario = parse_scenario(SCENARIO.format(size=size))
    start, start_cpu = time.perf_counter(), time.process_time()
    results = simulate(scenario, solver=SolverOptions(method=method))
    elapsed, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    queue.put((elapsed, cpu, peak_mib, int(results.sizes["subject"])))


def measure(method: str, size: int) -> tuple[float, float, float, int]:
    """Wall and CPU time (s), peak memory (MiB) and subject count of one run in a fresh process.

    The CPU time is the steadier number on a shared machine.
    """
    context = mp.get_context("spawn")
    queue: mp.Queue = context.Queue()
    process = context.Process(target=_run, args=(method, size, queue))
    process.start()
    outcome = queue.get()
    process.join()
    return outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=10_000)
    parser.add_argument("--reference-subjects", type=int, default=100)
    args = parser.parse_args()
    hours = 24.0
    rows = []
    for method, size in (("rk4", args.subjects), ("reference", args.reference_subjects)):
        elapsed, cpu, peak, n = measure(method, size)
        rows.append((method, n, elapsed, cpu, n * hours / elapsed, peak))
    print(
        f"{'path':<10} {'subjects':>9} {'wall s':>8} {'cpu s':>8} "
        f"{'subject-h/s':>12} {'peak MiB':>9}"
    )
    for method, n, elapsed, cpu, rate, peak in rows:
        print(f"{method:<10} {n:>9} {elapsed:>8.2f} {cpu:>8.2f} {rate:>12.0f} {peak:>9.0f}")
    fast, reference = rows
    print(f"throughput ratio fast/reference: {fast[4] / reference[4]:.1f}x")
    print(
        f"fast path goal (<= 10 s, < 2048 MiB for 10 000 subjects x 24 h): "
        f"{'met' if fast[2] <= 10 and fast[5] < 2048 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
