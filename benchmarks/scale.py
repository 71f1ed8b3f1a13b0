"""Throughput and peak memory of streamed runs, the speed-up from threads and from Dask workers.

Each measurement is a whole ``oxysim run`` process (24 h, 1-min step, a TSST, three summaries,
no time courses kept) writing a Zarr store; its wall time and peak resident memory come from the
operating system (``wait4``). A summaries-only run of 30 days is set against one of a day: its
memory should not grow. Throughput is printed as a ratio to the smallest run, measured in
the same invocation, so that a busy machine moves all figures together. The sweep measurement
runs ``oxysim sweep`` (6 points of the same scenario, chunks of 500 subjects) on a Dask
LocalCluster of 1 worker and of every core, and prints the ratio.

    python benchmarks/scale.py                       # 10^3, 10^4, 10^5 subjects; 1 vs 2 threads
    python benchmarks/scale.py --sizes 1000000 --memory-limit 2GB   # the million-subject run
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from _process import timed_oxysim

SCENARIO = """\
name: scale-{size}
duration: {hours} h
record_every: 1 min
seed: 7
population: {{size: {size}, sex: {{male: 0.5, female: 0.5}}, age: {{mean: 35, sd: 10}}}}
events: [{{at: 600 min, stressor: {{kind: tsst, duration: 15 min}}}}]
summaries: [peak_salivary_cortisol, auc_plasma_oxytocin, rise_salivary_cortisol]
"""


SWEEP = """\
name: scale-sweep
scenario: scale_{size}.yaml
chunk_subjects: 500
grid:
  sex: {{field: population.sex, values: [male, female]}}
  tsst_minutes: {{field: "events[0].stressor.duration", values: [10 min, 15 min, 20 min]}}
"""


def measure(
    size: int, threads: int, memory_limit: str, folder: Path, days: int = 1
) -> tuple[float, float]:
    """Wall seconds and peak resident GiB of one ``oxysim run`` of ``size`` subjects."""
    scenario = _scenario(size, folder, days)
    output = folder / f"scale_{size}_{threads}_{days}.zarr"
    arguments = ["run", str(scenario), "-o", str(output), "--threads", str(threads)]
    return _timed(arguments, memory_limit)


def measure_sweep(size: int, workers: int, memory_limit: str, folder: Path) -> float:
    """Wall seconds of ``oxysim sweep`` of 6 points x ``size`` subjects on ``workers`` workers."""
    _scenario(size, folder)
    sweep = folder / "scale_sweep.yaml"
    sweep.write_text(SWEEP.format(size=size))
    output = folder / f"scale_sweep_{workers}.nc"
    arguments = ["sweep", str(sweep), "-o", str(output), "--workers", str(workers)]
    return _timed(arguments, memory_limit)[0]


def _scenario(size: int, folder: Path, days: int = 1) -> Path:
    scenario = folder / (f"scale_{size}.yaml" if days == 1 else f"scale_{size}_{days}d.yaml")
    scenario.write_text(SCENARIO.format(size=size, hours=24 * days))
    return scenario


def _timed(arguments: list[str], memory_limit: str) -> tuple[float, float]:
    """Wall seconds and peak resident GiB of ``oxysim ARGUMENTS --memory-limit ...``."""
    return timed_oxysim([*arguments, "--memory-limit", memory_limit])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--memory-limit", default="2GB")
    parser.add_argument("--scaling-size", type=int, default=10_000)
    parser.add_argument("--sweep-size", type=int, default=2_000, help="subjects per sweep point")
    parser.add_argument("--duration-size", type=int, default=1_000)
    parser.add_argument("--duration-days", type=int, default=30)
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        measure(args.sizes[0], cores, args.memory_limit, folder)  # compile and cache the kernel
        print(
            f"{'subjects':>10} {'seconds':>9} {'peak GiB':>9} {'subject-days/s':>15} {'ratio':>7}"
        )
        reference = None
        for size in args.sizes:
            seconds, peak = measure(size, cores, args.memory_limit, folder)
            rate = size / seconds
            reference = reference or rate
            print(f"{size:>10} {seconds:>9.1f} {peak:>9.2f} {rate:>15.0f} {rate / reference:>7.2f}")
        one, _ = measure(args.scaling_size, 1, args.memory_limit, folder)
        many, _ = measure(args.scaling_size, cores, args.memory_limit, folder)
        print(
            f"{args.scaling_size} subjects: 1 thread {one:.1f} s, {cores} threads {many:.1f} s, "
            f"speed-up {one / many:.2f}"
        )
        day, day_peak = measure(args.duration_size, cores, args.memory_limit, folder)
        days = args.duration_days
        long, long_peak = measure(args.duration_size, cores, args.memory_limit, folder, days)
        print(
            f"{args.duration_size} subjects, summaries only: 1 day {day:.1f} s and "
            f"{day_peak:.2f} GiB, {days} days {long:.1f} s and {long_peak:.2f} GiB "
            f"(time x{long / day:.1f}, memory x{long_peak / day_peak:.2f})"
        )
        one = measure_sweep(args.sweep_size, 1, args.memory_limit, folder)
        many = measure_sweep(args.sweep_size, cores, args.memory_limit, folder)
        print(
            f"sweep of 6 x {args.sweep_size} subjects: 1 Dask worker {one:.1f} s, {cores} workers "
            f"{many:.1f} s, speed-up {one / many:.2f}"
        )


if __name__ == "__main__":
    main()
