"""The memory plan of a run: what it will hold, checked against a budget before anything runs.

A run holds, at its peak, every arm's records twice (the engine's buffers and the labelled
Dataset built from them; a run keeping no per-subject time course, one window of records at a
time), one arm's protocol (each timed channel on every step), the working state of the
integration (every model variable of every subject, a few times over for the RK4 stages), and
the counts behind its bands (:mod:`oxysim.bands`; at most its ``WORST_CASE_BINS`` per record).
All are 8-byte numbers. The SciPy reference solver also keeps its dense interpolants, which are
not counted: use it for small runs. The estimate is made from the scenario alone, before
subjects are drawn, so that a run that cannot fit is refused at once, with what would make it
fit.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

from oxysim.bands import WORST_CASE_BINS
from oxysim.engine.protocol import TIMED_CHANNELS
from oxysim.summaries import WINDOW_RECORDS

#: Bytes of one stored value (float64).
VALUE_BYTES = 8
#: Copies of the records alive at the peak: the engine's buffers and the Dataset's arrays.
RECORD_COPIES = 2
#: Copies of every model variable per subject during a step (state, four RK4 stages, signals).
WORKING_COPIES = 8
#: Share of the machine's available memory a run may plan to use by default.
DEFAULT_SHARE = 0.5
#: Units accepted by ``--memory-limit``, in bytes.
UNITS = {
    "B": 1,
    "KB": 10**3,
    "MB": 10**6,
    "GB": 10**9,
    "TB": 10**12,
    "KIB": 2**10,
    "MIB": 2**20,
    "GIB": 2**30,
    "TIB": 2**40,
}
_SIZE = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*([A-Za-z]*)\s*$")


class MemoryPlanError(ValueError):
    """A run whose estimated memory exceeds the budget; the message says how to shrink it."""


@dataclass(frozen=True)
class MemoryEstimate:
    """Bytes a run will hold at its peak, by part."""

    subjects: int
    arms: int
    records: int
    recorded_variables: int
    steps: int
    record_bytes: int
    protocol_bytes: int
    working_bytes: int
    band_bytes: int = 0

    @property
    def total(self) -> int:
        """The whole estimate, in bytes."""
        return self.record_bytes + self.protocol_bytes + self.working_bytes + self.band_bytes

    @property
    def shared_bytes(self) -> int:
        """Bytes that do not grow with the subjects integrated together (protocol, bands)."""
        return self.protocol_bytes + self.band_bytes

    @property
    def per_subject(self) -> float:
        """Bytes that grow with each subject integrated together (records and working state)."""
        return (self.record_bytes + self.working_bytes) / self.subjects


def format_bytes(size: float) -> str:
    """``size`` bytes in the largest binary unit that keeps it at or above 1 (``3.2 GiB``)."""
    for unit in ("TiB", "GiB", "MiB", "KiB"):
        scale = UNITS[unit.upper()]
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size:.0f} B"


def parse_memory_size(text: str) -> int:
    """Bytes of a size such as ``4GB``, ``512 MiB`` or ``1000000`` (bytes); ValueError otherwise."""
    match = _SIZE.match(text)
    unit = match.group(2).upper() if match else ""
    if match is None or (unit and unit not in UNITS):
        allowed = ", ".join(sorted({u for u in UNITS if u != "B"}, key=UNITS.__getitem__))
        raise ValueError(f"memory size must be a number with a unit ({allowed}), got {text!r}")
    size = float(match.group(1)) * UNITS[unit or "B"]
    if size <= 0:
        raise ValueError(f"memory size must be positive, got {text!r}")
    return int(size)


def available_memory() -> int:
    """Bytes of memory available to new work (``MemAvailable`` on Linux, else physical pages)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")


def default_budget() -> int:
    """The default budget: a safe share of the memory available now."""
    return int(DEFAULT_SHARE * available_memory())


def scenario_size(scenario: Any) -> int:
    """Number of subjects of ``scenario``: its population's size, its subjects, or one."""
    population = scenario.population
    return population.size if population is not None else len(scenario.subjects or [None])


def estimate_memory(
    scenario: Any,
    step: float,
    n_variables: int,
    default_record: int,
    subjects_at_once: int | None = None,
    windowed: bool = False,
) -> MemoryEstimate:
    """Estimate the peak memory of simulating ``scenario`` at ``step`` minutes (module docstring).

    ``n_variables`` is the number of variables of the model (states, outputs and inputs);
    ``default_record`` the number recorded when the scenario lists none; ``subjects_at_once``
    the subjects integrated together (a chunk of a streamed run), all by default. A
    ``windowed`` run (summaries only) holds one window of records at a time.
    """
    subjects = min(subjects_at_once or scenario_size(scenario), scenario_size(scenario))
    arms = len(scenario.arms)
    steps = max(1, round(scenario.duration / step))
    all_records = int(scenario.duration // scenario.record_every) + 1
    records = min(all_records, WINDOW_RECORDS + 1) if windowed else all_records
    recorded = len(scenario.integrated_record) or default_record
    return MemoryEstimate(
        subjects=subjects,
        arms=arms,
        records=records,
        recorded_variables=recorded,
        steps=steps,
        record_bytes=RECORD_COPIES * arms * recorded * subjects * records * VALUE_BYTES,
        protocol_bytes=len(TIMED_CHANNELS) * steps * VALUE_BYTES,
        working_bytes=WORKING_COPIES * n_variables * subjects * VALUE_BYTES,
        band_bytes=arms * len(scenario.bands) * all_records * WORST_CASE_BINS * VALUE_BYTES,
    )


def check_memory(estimate: MemoryEstimate, budget: int) -> None:
    """Raise :class:`MemoryPlanError` when ``estimate`` exceeds ``budget``, with ways to shrink."""
    if estimate.total <= budget:
        return
    per_record = estimate.record_bytes / max(estimate.records, 1)
    hints = [
        f"record fewer variables ({estimate.recorded_variables} now, in `record` and `summaries`)",
        f"record less often (`record_every`: {estimate.records} records per subject now)",
        f"simulate fewer subjects ({estimate.subjects} now) or arms ({estimate.arms})",
        "or stream the subjects in chunks to a Zarr store (`oxysim run ... -o OUT.zarr`)",
    ]
    room = budget - estimate.shared_bytes - estimate.working_bytes
    if estimate.record_bytes > room > 0:
        fitting = max(int(room // max(per_record, 1)), 1)
        hints.append(f"at most about {fitting} records per subject would fit as recorded now")
    raise MemoryPlanError(
        f"this run needs about {format_bytes(estimate.total)} (records "
        f"{format_bytes(estimate.record_bytes)}, protocol {format_bytes(estimate.protocol_bytes)}, "
        f"working state {format_bytes(estimate.working_bytes)}"
        + (f", bands {format_bytes(estimate.band_bytes)}" if estimate.band_bytes else "")
        + ") but the memory budget is "
        f"{format_bytes(budget)} (set it with --memory-limit); shrink it about "
        f"{estimate.total / budget:.1f}-fold: " + "; ".join(hints)
    )
