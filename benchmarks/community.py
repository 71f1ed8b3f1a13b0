"""Speed of ``oxysim community``: multirate days against fine steps, and growth with size.

Each measurement is a whole ``oxysim community`` process (a small world of degree 8, 60 %
partnered, one arm, the default record, full physiology); its wall time and peak resident
memory come from the operating system (``wait4``). Two comparisons, each a ratio measured in
this run so that a busy machine moves both sides together:

- the same community with ``steps: fine`` (1-min steps all day) and ``steps: multirate`` (the
  default: 4-min steps between exchanges, 1-min blocks around them);
- person-days per second at each size, against the smallest.

    python benchmarks/community.py                              # 10^3 and 10^4 people x 30 days
    python benchmarks/community.py --sizes 1000 --days 7 --fine-size 500   # a quick look
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from _process import timed_oxysim

COMMUNITY = """\
name: bench-{size}
seed: 1
days: {days}
steps: {steps}
people: {{size: {size}, sex: {{male: 0.5, female: 0.5}},
          relationship: {{partnered: 0.6, single: 0.4}},
          attachment: {{secure: 0.55, anxious: 0.25, avoidant: 0.2}}}}
network: {{kind: small_world, degree: 8}}
"""


def measure(size: int, days: int, steps: str, folder: Path) -> tuple[float, float]:
    """Wall seconds and peak resident GiB of one community run."""
    path = folder / f"bench_{size}_{days}_{steps}.yaml"
    path.write_text(COMMUNITY.format(size=size, days=days, steps=steps))
    return timed_oxysim(["community", str(path), "-o", str(path.with_suffix(".nc"))])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--fine-size", type=int, default=2_000, help="people in the step check")
    parser.add_argument("--fine-days", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        measure(50, 1, "multirate", folder)  # compile and cache the kernel
        fine, _ = measure(args.fine_size, args.fine_days, "fine", folder)
        multirate, _ = measure(args.fine_size, args.fine_days, "multirate", folder)
        print(
            f"{args.fine_size} people x {args.fine_days} days: fine steps {fine:.1f} s, "
            f"multirate {multirate:.1f} s, speed-up {fine / multirate:.2f}"
        )
        print(f"{'people':>8} {'days':>5} {'seconds':>9} {'peak GiB':>9} {'person-days/s':>14} "
              f"{'ratio':>7}")  # fmt: skip
        reference = None
        for size in args.sizes:
            seconds, peak = measure(size, args.days, "multirate", folder)
            rate = size * args.days / seconds
            reference = reference or rate
            print(
                f"{size:>8} {args.days:>5} {seconds:>9.1f} {peak:>9.2f} {rate:>14.0f} "
                f"{rate / reference:>7.2f}"
            )


if __name__ == "__main__":
    main()
