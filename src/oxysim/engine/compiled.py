"""The compiled engine: the traced equations as machine code, cached on disk between runs.

The kernel (:mod:`oxysim.engine.kernel`) is compiled once per model structure and CPU, and its
object code is written to the cache folder under a name that is a hash of everything it comes
from: the sources of the sub-model modules and of the generator, the names it reads and records,
the compiler, the CPU and the oxysim version. A later process links the cached object code in
milliseconds; it neither traces the equations (sympy) nor compiles. llvmlite is imported only
when a run first integrates. At most :data:`KEPT_KERNELS` kernels are kept, the least recently
used go first.
"""

from __future__ import annotations

import hashlib
import inspect
import os
import shutil
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from oxysim._version import __version__
from oxysim.cache import cache_dir
from oxysim.engine.compose import Model
from oxysim.engine.kernel import (
    LANES,
    NEGATIVE,
    Kernel,
    KernelSpec,
    compile_kernel,
    compile_target,
    emit_kernel,
)
from oxysim.engine.protocol import TIMED_CHANNELS, Schedule
from oxysim.engine.solvers import Grid, SystemEvaluator
from oxysim.engine.status import InvalidStateError, lower_bounds
from oxysim.engine.threads import default_threads
from oxysim.io.netcdf import write_atomically

Array = NDArray[np.float64]
Progress = Callable[[int], None]

#: Subjects per round of kernel calls: the progress bar advances between rounds.
SUBJECTS_PER_CALL = 2048
#: Compiled kernels kept in the cache folder.
KEPT_KERNELS = 16


def layout(model: Model, covariates: Sequence[str], channels: Sequence[str]) -> KernelSpec:
    """Parameters, then covariates and statics per subject; channels per step; signals."""
    statics = tuple(v.name for v in model.statics)
    per_subject = tuple(n for n in covariates if n not in statics) + statics
    constants = tuple(p.name for p in model.parameters) + per_subject
    signals = (
        model.state_names
        + tuple(v.name for v in model.outputs)
        + per_subject
        + tuple(channels)
        + ("time_of_day",)
    )
    return KernelSpec(model, constants, tuple(channels), signals)


def _source_files(model: Model) -> list[Path]:
    """Files the equations come from: the model package and every sub-model function's module."""
    files = set((Path(__file__).parents[1] / "model").glob("*.py"))
    files.add(Path(__file__).parents[1] / "units.py")
    files.update(
        Path(__file__).with_name(f"{name}.py") for name in ("codegen", "kernel", "loop", "symbolic")
    )
    for submodel in model.submodels:
        for function in (submodel.outputs_fn, submodel.rates_fn, submodel.static_fn):
            source = inspect.getsourcefile(function)
            if source:
                files.add(Path(source))
    return sorted(files)


def model_source_hash(model: Model) -> str:
    """Hash of the model's structure and of the source its equations come from."""
    digest = hashlib.sha256(
        repr([(m.name, m.state_names, m.output_names) for m in model.submodels]).encode()
    )
    for path in _source_files(model):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def fingerprint(spec: KernelSpec) -> str:
    """Hash of everything the kernel is generated from (its cache key)."""
    digest = hashlib.sha256(__version__.encode())
    digest.update(compile_target().encode())
    digest.update(repr((spec.constants, spec.channels, spec.signals)).encode())
    digest.update(model_source_hash(spec.model).encode())
    return digest.hexdigest()[:20]


@lru_cache(maxsize=8)
def kernel(spec: KernelSpec) -> Kernel:
    """The kernel for ``spec``: its cached object code linked in, compiled first if need be."""
    folder = cache_dir() / "kernels"
    path = folder / f"oxysim_kernel_{fingerprint(spec)}.o"
    if path.exists():
        os.utime(path)
    else:
        code = compile_kernel(emit_kernel(spec, path.stem))
        write_atomically(path, lambda temporary: temporary.write_bytes(code))
        _prune(folder)
    return Kernel(path.read_bytes())


def _prune(folder: Path) -> None:
    """Keep the :data:`KEPT_KERNELS` most recently used kernels (and nothing from older engines)."""
    shutil.rmtree(folder / "__pycache__", ignore_errors=True)
    for legacy in folder.glob("oxysim_kernel_*.py"):
        legacy.unlink(missing_ok=True)
    kernels = sorted(folder.glob("oxysim_kernel_*.o"), key=lambda p: p.stat().st_mtime)
    for old in kernels[:-KEPT_KERNELS]:
        old.unlink(missing_ok=True)


def _blocks(rows: Array) -> Array:
    """(subjects, columns) as (blocks, columns, LANES).

    The last block is padded with copies of the last subject: a real subject's values, so the
    padding lanes cannot go non-finite on their own.
    """
    n_subjects = rows.shape[0]
    padded = -(-n_subjects // LANES) * LANES
    filled = np.concatenate([rows, np.repeat(rows[-1:], padded - n_subjects, axis=0)])
    return np.ascontiguousarray(filled.reshape(-1, LANES, rows.shape[1]).transpose(0, 2, 1))


@dataclass
class CompiledRun:
    """Inputs of one kernel run, laid out once per scenario and shared by its arms."""

    spec: KernelSpec
    kernel: Kernel
    constants: Array
    n_subjects: int
    threads: int
    compile_seconds: float = 0.0

    @property
    def model(self) -> Model:
        """The model the kernel was generated from."""
        return self.spec.model

    @classmethod
    def build(cls, evaluator: SystemEvaluator, threads: int | None = None) -> CompiledRun:
        """The evaluator's parameters, covariates and statics in blocks; the kernel loaded.

        The protocol's channels are the timed channels of :mod:`oxysim.engine.protocol`;
        ``threads`` by default :func:`default_threads`.
        """
        model, values = evaluator.model, {**evaluator.constants, **evaluator.params}
        spec = layout(model, tuple(evaluator.constants), TIMED_CHANNELS)
        rows = np.empty((evaluator.n_subjects, len(spec.constants)))
        for column, name in enumerate(spec.constants):
            rows[:, column] = np.asarray(values[name], dtype=float)
        started = time.perf_counter()
        loaded = kernel(spec)
        seconds = time.perf_counter() - started
        return cls(
            spec, loaded, _blocks(rows), evaluator.n_subjects, threads or default_threads(), seconds
        )

    def with_values(self, values: Mapping[str, Array]) -> CompiledRun:
        """The same run with some per-subject constants replaced (the kernel is shared).

        ``values`` maps constant names (covariates, such as channel gains) to one value per
        subject; a name the kernel does not read raises ``KeyError``.
        """
        constants = self.constants.copy()
        columns = {name: i for i, name in enumerate(self.spec.constants)}
        for name, column in values.items():
            if name not in columns:
                raise KeyError(f"{name!r} is not a constant of this kernel")
            full = np.broadcast_to(np.asarray(column, dtype=float), (self.n_subjects,))
            constants[:, columns[name], :] = _blocks(full[:, None])[:, 0, :]
        return replace(self, constants=constants)

    def integrate(
        self,
        y0: Array,
        schedule: Schedule,
        grid: Grid,
        record: Sequence[str],
        progress: Progress | None = None,
        end_state: Array | None = None,
    ) -> dict[str, Array]:
        """RK4 over the grid for every subject; ``{name: (n_records, n_subjects)}``.

        Follows the solver contract of :mod:`oxysim.engine.solvers` (``end_state`` receives the
        final state); raises :class:`InvalidStateError` at the first state that is not finite or
        is negative.
        """
        index = {name: i for i, name in enumerate(self.spec.signals)}
        unknown = [name for name in record if name not in index]
        if unknown:
            raise KeyError(f"cannot record {unknown}: not a variable of the model")
        table = np.ascontiguousarray(
            np.column_stack([schedule.channels[n] for n in self.spec.channels]), dtype=float
        )
        boluses = sorted(schedule.boluses, key=lambda bolus: bolus.step)
        state_index = {name: i for i, name in enumerate(self.model.state_names)}
        bolus_arrays = (
            np.array([b.step for b in boluses], dtype=np.int64),
            np.array([state_index[b.state] for b in boluses], dtype=np.int64),
            np.array([b.amount for b in boluses], dtype=float),
        )
        starts = _blocks(np.asarray(y0, dtype=float).T)
        n_blocks = starts.shape[0]
        out = np.empty((len(record), n_blocks * LANES, len(grid.record_steps)))
        status = np.zeros((n_blocks, 4), dtype=np.int64)
        recorded = np.array([index[name] for name in record], dtype=np.int64)
        lower = lower_bounds(self.model.states)
        timing = (grid.n_steps, float(grid.step), float(grid.start_time_of_day), grid.record_every)

        def run(blocks: tuple[int, int]) -> None:
            self.kernel.integrate(
                starts,
                self.constants,
                table,
                bolus_arrays,
                timing,
                recorded,
                out,
                lower,
                status,
                blocks,
            )

        per_call = max(SUBJECTS_PER_CALL // LANES, 1)
        with ThreadPoolExecutor(self.threads) as pool:
            for first in range(0, n_blocks, per_call):
                last = min(first + per_call, n_blocks)
                list(pool.map(run, _shares(first, last, self.threads)))
                self._check(status[first:last], first)
                if progress is not None:
                    progress(round(grid.n_steps * (last - first) / n_blocks))
        if end_state is not None:  # each finished block wrote its final state over its start
            n_states = len(self.model.state_names)
            end_state[...] = starts.transpose(1, 0, 2).reshape(n_states, -1)[:, : self.n_subjects]
        # (n_records, n_subjects) views of (subject, time) arrays: see _dataset in simulate
        return {name: out[j, : self.n_subjects].T for j, name in enumerate(record)}

    def _check(self, status: NDArray[np.int64], first: int) -> None:
        """Raise :class:`InvalidStateError` for the first block that stopped early."""
        failed = np.flatnonzero(status[:, 0])
        if failed.size:
            block = int(failed[0])
            why, lane, step, state = (int(v) for v in status[block])
            subject = min((first + block) * LANES + lane, self.n_subjects - 1)
            name = self.model.state_names[state]
            raise InvalidStateError(name, subject, step, negative=why == NEGATIVE)


def _shares(first: int, last: int, threads: int) -> list[tuple[int, int]]:
    """``[first, last)`` cut into at most ``threads`` contiguous ranges of blocks."""
    edges = np.linspace(first, last, min(threads, last - first) + 1).round().astype(int)
    return [(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:], strict=True) if b > a]
