"""oxysim against libRoadRunner on the same model: oxysim's own SBML export.

The same subjects (each with their own parameter values, covariates, per-run constants and
burned-in start), the same 24 h protocol and the same 1-min outputs of three variables. RoadRunner
is loaded once, then per subject: ``resetAll``, ``setValues``, ``simulate`` (CVODE at its default
tolerances). oxysim runs the batch with its compiled engine. Both on one core. Printed: load and
compile times apart, throughputs, their ratio, and the number of subjects at which oxysim
overtakes RoadRunner. Goal: >= 10x RoadRunner's throughput at 10 000 subjects.

    python benchmarks/vs_roadrunner.py [--subjects 1000,10000]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator

os.environ.setdefault("OXYSIM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import time  # noqa: E402

import numpy as np  # noqa: E402

from engine import SCENARIO as DAY  # noqa: E402  (the engine benchmark's day, 24 h)
from oxysim import parse_scenario, simulate  # noqa: E402
from oxysim.engine.compiled import CompiledRun  # noqa: E402
from oxysim.engine.initial import initial_state  # noqa: E402
from oxysim.engine.protocol import TIMED_CHANNELS  # noqa: E402
from oxysim.engine.simulate import SolverOptions, prepare_run  # noqa: E402
from oxysim.io.sbml import export_sbml  # noqa: E402

SCENARIO = DAY.replace("{hours}", "24")

RECORDED = ["salivary_cortisol", "plasma_oxytocin", "csf_oxytocin"]


def subject_values(scenario, limit: int) -> tuple[list[str], np.ndarray]:
    """Per-subject values RoadRunner must be given: parameters, covariates, statics, start."""
    prepared = prepare_run(scenario, SolverOptions())
    model, evaluator = prepared.model, prepared.evaluator
    run = CompiledRun.build(evaluator)
    y0 = initial_state(model, evaluator, scenario.start_time, run.integrate)
    n = y0.shape[1]
    channels = set(TIMED_CHANNELS) | {"time_of_day"}
    constants = {**evaluator.constants, **evaluator.params}
    names = [k for k in constants if k not in channels]
    columns = [np.broadcast_to(np.asarray(constants[k], dtype=float), (n,)) for k in names]
    columns += list(y0)
    return names + list(model.state_names), np.column_stack(columns)[:limit]


@contextlib.contextmanager
def solver_warnings() -> Iterator[list[int]]:
    """Keep CVODE's warnings (SUNDIALS writes them to file descriptors 1 and 2) off the terminal.

    Yields a list that receives the number of warnings once the block ends.
    """
    count: list[int] = []
    sys.stdout.flush()
    with tempfile.TemporaryFile(mode="w+") as capture:
        saved = [os.dup(1), os.dup(2)]
        for descriptor in (1, 2):
            os.dup2(capture.fileno(), descriptor)
        try:
            yield count
        finally:
            for descriptor, original in zip((1, 2), saved, strict=True):
                os.dup2(original, descriptor)
                os.close(original)
            capture.seek(0)
            count.append(sum("[WARNING]" in line for line in capture))


def roadrunner_run(scenario, n: int) -> tuple[float, float, float]:
    """Load time, run time and the part of it in ``simulate`` (s) over the first ``n`` subjects."""
    import roadrunner

    roadrunner.Logger.disableLogging()
    xml = export_sbml(scenario)
    started = time.perf_counter()
    runner = roadrunner.RoadRunner(xml)
    runner.timeCourseSelections = ["time", *RECORDED]
    load = time.perf_counter() - started
    names, table = subject_values(scenario, n)
    points = round(scenario.duration / scenario.record_every) + 1
    started = time.perf_counter()
    simulating = 0.0
    for row in table:
        runner.resetAll()
        runner.setValues(names, row)
        before = time.perf_counter()
        runner.simulate(0.0, scenario.duration, points)
        simulating += time.perf_counter() - before
    return load, time.perf_counter() - started, simulating


def oxysim_run(scenario) -> tuple[float, float]:
    """Compile (or cache load) time and run time (s) of one oxysim batch."""
    started = time.perf_counter()
    results = simulate(scenario, solver=SolverOptions())
    return float(results.attrs["compile_seconds"]), time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", default="1000,10000")
    parser.add_argument(
        "--roadrunner-subjects",
        type=int,
        default=0,
        help="RoadRunner subjects per size (default: all of them)",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.subjects.split(",")]
    trace_started = time.perf_counter()
    oxysim_run(parse_scenario(SCENARIO.format(size=1)))  # warm the kernel cache
    first = time.perf_counter() - trace_started
    print(f"oxysim first run (trace, compile or cache load): {first:.1f} s")
    small = {}
    for n in (1, 10, 100):
        small[n] = oxysim_run(parse_scenario(SCENARIO.format(size=n)))[1]
    print(f"{'subjects':>9} {'oxysim s':>9} {'roadrunner s':>13} {'rr load s':>10} {'ratio':>7}")
    per_subject_rr = None
    for n in sizes:
        scenario = parse_scenario(SCENARIO.format(size=n))
        compile_s, ours = oxysim_run(scenario)
        measured = min(n, args.roadrunner_subjects or n)
        with solver_warnings() as warnings:
            load, theirs, in_simulate = roadrunner_run(scenario, measured)
        theirs *= n / measured
        in_simulate *= n / measured
        per_subject_rr = theirs / n
        print(f"{n:>9} {ours:>9.2f} {theirs:>13.2f} {load:>10.2f} {theirs / ours:>6.1f}x")
        print(
            f"          (oxysim compile/cache load {compile_s:.2f} s, included; RoadRunner "
            f"measured on {measured} subjects, {in_simulate:.2f} s of its time in simulate, "
            f"{warnings[0]} CVODE warnings at the protocol's discontinuities, not shown)"
        )
    if per_subject_rr:
        overtakes = next((n for n, s in sorted(small.items()) if s < per_subject_rr * n), None)
        print(
            f"RoadRunner: {per_subject_rr * 1000:.2f} ms per subject-day; oxysim overtakes it "
            f"from {overtakes or '>100'} subjects (oxysim at 1/10/100: "
            + ", ".join(f"{s:.2f} s" for s in small.values())
            + ")"
        )


if __name__ == "__main__":
    main()
