"""The compiled engine: the traced equations as a numba kernel, cached on disk between runs.

A kernel module (:mod:`oxysim.engine.kernel`) is written to the cache folder once per model
structure, under a name that is a hash of everything it is generated from: the sources of the
sub-model modules and of the generator, the names it reads and records, and the oxysim version.
numba caches its machine code beside it, so a second process neither traces nor compiles.
numba, llvmlite and sympy are imported only when a run first integrates.
"""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import ModuleType

import numpy as np
from numpy.typing import NDArray

from oxysim._version import __version__
from oxysim.cache import cache_dir
from oxysim.engine.compose import Model
from oxysim.engine.kernel import KERNEL_TEMPLATE, LANES, REGISTRY, KernelSpec, n_derived
from oxysim.engine.protocol import TIMED_CHANNELS, Schedule
from oxysim.engine.solvers import Grid, SystemEvaluator
from oxysim.engine.status import NonFiniteStateError
from oxysim.io.netcdf import write_atomically

Array = NDArray[np.float64]
Progress = Callable[[int], None]

#: Subjects per kernel call: the progress bar advances between calls.
SUBJECTS_PER_CALL = 2048


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
        Path(__file__).with_name(f"{name}.py") for name in ("codegen", "kernel", "symbolic")
    )
    for submodel in model.submodels:
        for function in (submodel.outputs_fn, submodel.rates_fn, submodel.static_fn):
            source = inspect.getsourcefile(function)
            if source:
                files.add(Path(source))
    return sorted(files)


def fingerprint(spec: KernelSpec) -> str:
    """Hash of everything the kernel is generated from (its cache key)."""
    digest = hashlib.sha256(__version__.encode())
    digest.update(repr((spec.constants, spec.channels, spec.signals)).encode())
    model = spec.model
    digest.update(repr([(m.name, m.state_names, m.output_names) for m in model.submodels]).encode())
    for path in _source_files(model):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


@lru_cache(maxsize=8)
def kernel(spec: KernelSpec) -> ModuleType:
    """The kernel module for ``spec``, written on first use, then imported."""
    key = fingerprint(spec)
    REGISTRY[key] = spec
    name = f"oxysim_kernel_{key}"
    path = cache_dir() / "kernels" / f"{name}.py"
    if not path.exists():
        source = KERNEL_TEMPLATE.format(
            fingerprint=key,
            n_states=len(spec.model.state_names),
            n_signals=len(spec.signals),
            n_derived=n_derived(key),
            lanes=LANES,
        )
        write_atomically(path, lambda temporary: temporary.write_text(source))
    module_spec = importlib.util.spec_from_file_location(name, path)
    assert module_spec is not None and module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[name] = module
    module_spec.loader.exec_module(module)
    return module


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

    model: Model
    spec: KernelSpec
    module: ModuleType
    constants: Array
    n_subjects: int
    compile_seconds: float = 0.0

    @classmethod
    def build(cls, evaluator: SystemEvaluator) -> CompiledRun:
        """The evaluator's parameters, covariates and statics in blocks; the kernel loaded.

        The protocol's channels are the timed channels of :mod:`oxysim.engine.protocol`.
        """
        model, values = evaluator.model, {**evaluator.constants, **evaluator.params}
        spec = layout(model, tuple(evaluator.constants), TIMED_CHANNELS)
        rows = np.empty((evaluator.n_subjects, len(spec.constants)))
        for column, name in enumerate(spec.constants):
            rows[:, column] = np.asarray(values[name], dtype=float)
        started = time.perf_counter()
        module = kernel(spec)
        _warm_up(module, spec)
        seconds = time.perf_counter() - started
        return cls(model, spec, module, _blocks(rows), evaluator.n_subjects, seconds)

    def integrate(
        self,
        y0: Array,
        schedule: Schedule,
        grid: Grid,
        record: Sequence[str],
        progress: Progress | None = None,
    ) -> dict[str, Array]:
        """RK4 over the grid for every subject; ``{name: (n_records, n_subjects)}``.

        Follows the solver contract of :mod:`oxysim.engine.solvers`; raises
        :class:`NonFiniteStateError` at the first non-finite state.
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
        arguments = (
            table,
            np.array([b.step for b in boluses], dtype=np.int64),
            np.array([state_index[b.state] for b in boluses], dtype=np.int64),
            np.array([b.amount for b in boluses], dtype=float),
            grid.n_steps,
            float(grid.step),
            float(grid.start_time_of_day),
            grid.record_every,
            np.array([index[name] for name in record], dtype=np.int64),
        )
        starts = _blocks(np.asarray(y0, dtype=float).T)
        n_blocks = starts.shape[0]
        out = np.empty((len(grid.record_steps), len(record), n_blocks * LANES))
        per_call = max(SUBJECTS_PER_CALL // LANES, 1)
        for first in range(0, n_blocks, per_call):
            last = min(first + per_call, n_blocks)
            chunk = np.empty((out.shape[0], out.shape[1], (last - first) * LANES))
            status = np.zeros((last - first, 4), dtype=np.int64)
            self.module.integrate(
                starts[first:last], self.constants[first:last], *arguments, chunk, status
            )
            failed = np.flatnonzero(status[:, 0])
            if failed.size:
                block = int(failed[0])
                _, lane, step, state = (int(v) for v in status[block])
                subject = min((first + block) * LANES + lane, self.n_subjects - 1)
                raise NonFiniteStateError(self.model.state_names[state], subject, step)
            out[:, :, first * LANES : last * LANES] = chunk
            if progress is not None:
                progress(round(grid.n_steps * (last - first) / n_blocks))
        return {name: out[:, j, : self.n_subjects] for j, name in enumerate(record)}


def _warm_up(module: ModuleType, spec: KernelSpec) -> None:
    """Compile (or load from numba's cache) with the types of a real run, timed apart."""
    module.integrate(
        np.zeros((0, module.N_STATES, LANES)),
        np.zeros((0, len(spec.constants), LANES)),
        np.zeros((1, len(spec.channels))),
        np.zeros(0, dtype=np.int64),
        np.zeros(0, dtype=np.int64),
        np.zeros(0),
        1,
        1.0,
        0.0,
        1,
        np.zeros(1, dtype=np.int64),
        np.empty((2, 1, 0)),
        np.zeros((0, 4), dtype=np.int64),
    )
