"""Engine benchmark: 10 000 subjects x 24 h with 1-min records, compiled vs NumPy vs SciPy.

Every measurement is a whole ``oxysim run`` process (import, burn-in, integration, writing the
NetCDF file), timed from outside, on one thread, with its own peak memory. The compiled path runs
twice: cold (an empty kernel cache, so tracing and compiling are paid) and warm. The NumPy RK4
and the SciPy reference run on fewer subjects; throughputs (subject-hours per second) and their
ratios are measured in this same run; the compiled path is also timed on every core. Goals on
one core: warm <= 10 s, cold <= 20 s, < 2 GB; one subject x 3 h warm <= 3 s; ``oxysim --help``
<= 0.5 s.

    python benchmarks/engine.py [--subjects 10000] [--numpy-subjects 1000]
                                [--reference-subjects 50]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SCENARIO = """
name: benchmark-day
duration: {hours} h
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
  - {{at: 120 min, stressor: {{kind: tsst, duration: 15 min}}}}
  - {{at: 140 min, oxytocin_dose: {{route: intranasal, amount: 24 IU}}}}
  - {{at: 150 min, touch: {{kind: massage}}}}
record: [salivary_cortisol, plasma_oxytocin, csf_oxytocin]
"""
OXYSIM = str(Path(sys.executable).with_name("oxysim"))


def whole_process(arguments: list[str], cache: str, threads: int = 1) -> tuple[float, float]:
    """Wall time (s) and peak memory (MiB) of one ``oxysim`` process on ``threads`` threads."""
    environment = {
        **os.environ,
        "OXYSIM_CACHE_DIR": cache,
        "OXYSIM_THREADS": str(threads),
        "OMP_NUM_THREADS": "1",
    }
    start = time.perf_counter()
    process = subprocess.Popen(
        [OXYSIM, *arguments], env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if status:
        raise SystemExit(f"oxysim {' '.join(arguments)} failed: {process.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024.0


def run(
    folder: Path, size: int, hours: float, solver: str, cache: str, threads: int = 1
) -> tuple[float, float]:
    """Time ``oxysim run`` of ``size`` subjects for ``hours`` with ``solver``."""
    scenario = folder / f"bench_{size}_{hours:g}.yaml"
    scenario.write_text(SCENARIO.format(size=size, hours=hours))
    output = folder / f"bench_{size}_{solver}.nc"
    arguments = ["run", str(scenario), "-o", str(output), "--solver", solver]
    return whole_process(arguments, cache, threads)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=10_000)
    parser.add_argument("--numpy-subjects", type=int, default=1_000)
    parser.add_argument("--reference-subjects", type=int, default=50)
    args = parser.parse_args()
    hours = 24.0
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        cold_cache, warm_cache = str(folder / "cold"), str(folder / "warm")
        rows = [
            (
                "compiled, cold",
                args.subjects,
                *run(folder, args.subjects, hours, "compiled", cold_cache),
            ),
            (
                "compiled, warm",
                args.subjects,
                *run(folder, args.subjects, hours, "compiled", cold_cache),
            ),
            (
                "numpy rk4",
                args.numpy_subjects,
                *run(folder, args.numpy_subjects, hours, "rk4", warm_cache),
            ),
            (
                "scipy dop853",
                args.reference_subjects,
                *run(folder, args.reference_subjects, hours, "reference", warm_cache),
            ),
        ]
        cores = os.cpu_count() or 1
        threaded = run(folder, args.subjects, hours, "compiled", cold_cache, cores)
        small = run(folder, 1, 3.0, "compiled", cold_cache)
        help_time, _ = whole_process(["--help"], cold_cache)
    print(f"{'path':<16} {'subjects':>9} {'wall s':>8} {'subject-h/s':>12} {'peak MiB':>9}")
    for path, n, elapsed, peak in rows:
        print(f"{path:<16} {n:>9} {elapsed:>8.2f} {n * hours / elapsed:>12.0f} {peak:>9.0f}")
    rate = {path: n * hours / elapsed for path, n, elapsed, _ in rows}
    for slower in ("numpy rk4", "scipy dop853"):
        ratio = rate["compiled, warm"] / rate[slower]
        print(f"throughput compiled (warm) / {slower}: {ratio:.1f}x")
    print(f"compiled, warm, {cores} threads: {threaded[0]:.2f} s, {threaded[1]:.0f} MiB")
    print(f"one subject x 3 h, whole process (warm): {small[0]:.2f} s (goal <= 3 s)")
    print(f"oxysim --help: {help_time:.2f} s (goal <= 0.5 s)")
    cold, warm = rows[0], rows[1]
    met = warm[2] <= 10 and cold[2] <= 20 and max(cold[3], warm[3]) < 2048
    verdict = "met" if met else "NOT met"
    print(f"{args.subjects} x 24 h goal (warm <= 10 s, cold <= 20 s, < 2048 MiB): {verdict}")


if __name__ == "__main__":
    main()
