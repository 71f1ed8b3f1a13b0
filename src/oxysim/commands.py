"""The core commands of ``oxysim`` (run, export-sbml, plot, demo, validate, experiments, params).

Plain functions, registered by :mod:`oxysim.cli` (the whole app) and loaded one at a time by the
entry point (:mod:`oxysim.command_line`). Module imports stay light, so that help is instant:
each command imports what it needs when it runs.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer

from oxysim.evidence.options import EvidenceFloorOption
from oxysim.model.grades import GRADES
from oxysim.terminal import console, fail, progress_bar

if TYPE_CHECKING:
    import networkx as nx

    from oxysim.engine.simulate import SolverMethod, SolverOptions
    from oxysim.scenario import Scenario

#: A compile (or cache load) longer than this is reported apart from the run.
COMPILE_NOTICE_SECONDS = 3.0
DEMO_SCENARIO = Path(__file__).parent / "data" / "demo.yaml"
MARKDOWN_HEADER = (
    "# Validation\n\nWritten by `oxysim validate --markdown docs/validation.md`: every virtual\n"
    "experiment against its published targets, one shared parameter set. Targets, citations and\n"
    "definitions are in `src/oxysim/experiments/targets/`.\n\n"
)


def _load(scenario_path: Path) -> Scenario:
    """The scenario file, validated; exit 2 naming the problem otherwise."""
    from oxysim.scenario import ScenarioError, load_scenario
    from oxysim.system import human_model

    try:
        return load_scenario(scenario_path, known_variables=human_model().variables)
    except ScenarioError as error:
        raise fail(f"invalid scenario\n{error}", 2) from None
    except OSError as error:
        raise fail(f"cannot read {scenario_path}: {error.strerror}", 2) from None


def _solver(method: SolverMethod, threads: int | None) -> SolverOptions:
    """The solver options of a run; exit 2 when ``$OXYSIM_THREADS`` cannot be read."""
    from oxysim.engine.simulate import SolverOptions
    from oxysim.engine.threads import default_threads

    try:
        return SolverOptions(method=method, threads=threads or default_threads())
    except ValueError as error:
        raise fail(str(error), 2) from None


@contextmanager
def failing_cleanly(left: str = "nothing was written") -> Iterator[None]:
    """Turn a refused or stopped run into its message and exit status; ``left`` says what stays.

    Refused (a memory plan over budget, times off the solver's steps): exit 2. Stopped (a state
    out of range): exit 1.
    """
    from oxysim.engine.memory import MemoryPlanError
    from oxysim.engine.simulate import GridError
    from oxysim.engine.status import SimulationError

    try:
        yield
    except (MemoryPlanError, GridError) as error:
        raise fail(f"{error}; {left}", 2) from None
    except SimulationError as error:
        raise fail(f"the run stopped: {error}; {left}", 1) from None


def _simulate_file(
    scenario_path: Path,
    method: SolverMethod,
    threads: int | None = None,
    memory_limit: int | None = None,
) -> tuple[Scenario, Any]:
    from oxysim.engine.simulate import simulate

    scenario = _load(scenario_path)
    solver = _solver(method, threads)
    with progress_bar() as bar, failing_cleanly():
        task = bar.add_task(f"simulating {scenario.name}", total=None)
        results = simulate(
            scenario,
            solver=solver,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
            scenario_text=scenario_path.read_text(),
            memory_limit=memory_limit,
        )
    return scenario, results


def _stream_file(
    scenario_path: Path,
    output: Path,
    method: SolverMethod,
    threads: int | None,
    memory_limit: int | None,
) -> None:
    """Simulate in chunks of subjects sized to the budget, each written to the Zarr store."""
    from oxysim.engine.streaming import plan_chunk_subjects, simulate_chunks
    from oxysim.io.zarr import check_zarr_target, save_zarr_chunks

    if method == "reference":
        raise fail("--solver reference cannot stream: its steps depend on the whole batch", 2)
    try:
        check_zarr_target(output)
    except ValueError as error:
        raise fail(str(error), 2) from None
    solver = _solver(method, threads)
    scenario = _load(scenario_path)
    with failing_cleanly():
        size = plan_chunk_subjects(scenario, solver, memory_limit)
        with progress_bar() as bar:
            task = bar.add_task(f"simulating {scenario.name}", total=None)
            chunks = simulate_chunks(
                scenario,
                size,
                solver=solver,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
                scenario_text=scenario_path.read_text(),
                memory_limit=memory_limit,
            )
            save_zarr_chunks(chunks, output)
    console.print(f"wrote {output} ({scenario.name}, {size} subjects at a time)")


def _print_floor(evidence_floor: str | None) -> None:
    """Say which parameters an evidence floor neutralised, when one was set."""
    if evidence_floor is not None:
        from oxysim.evidence.command import print_floor_summary

        print_floor_summary(evidence_floor)


def memory_budget(memory_limit: str | None) -> int | None:
    """Bytes of ``--memory-limit``; exit 2 naming the accepted units when it cannot be read."""
    if memory_limit is None:
        return None
    from oxysim.engine.memory import parse_memory_size

    try:
        return parse_memory_size(memory_limit)
    except ValueError as error:
        raise fail(f"--memory-limit: {error}", 2) from None


def _summarise(results: Any, variable: str | None) -> None:
    """Print the peak table of ``variable`` (default: the first recorded per subject)."""
    from oxysim.reports import peak_table

    courses = [n for n, v in results.data_vars.items() if {"subject", "time"} <= set(v.dims)]
    if variable is None and not courses:
        return  # summaries or bands only: nothing to tabulate by time
    name = variable or courses[0]
    if name not in results:
        raise fail(f"--summary {name!r} is not recorded; recorded: {list(results.data_vars)}", 2)
    console.print(peak_table(results, name))


def run(
    scenario: Annotated[Path, typer.Argument(help="scenario file (YAML)")],
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="results: .nc, or .zarr to stream subjects in chunks"),
    ],
    plot: Annotated[Path | None, typer.Option(help="also write a plot (.png)")] = None,
    solver: Annotated[
        str, typer.Option(help="compiled (fast), rk4 (NumPy) or reference (SciPy DOP853)")
    ] = "compiled",
    summary: Annotated[str | None, typer.Option(help="variable for the peak table")] = None,
    evidence_floor: EvidenceFloorOption = None,
    threads: Annotated[
        int | None,
        typer.Option(min=1, help="compiled-engine threads [default: $OXYSIM_THREADS or all]"),
    ] = None,
    memory_limit: Annotated[
        str | None,
        typer.Option(
            help="memory the run may plan to use, e.g. 4GB or 512MiB [default: half the "
            "memory available now]"
        ),
    ] = None,
) -> None:
    """Simulate SCENARIO and write labelled results to OUTPUT.

    A .nc file is written in one piece; a .zarr store is written chunk by chunk of subjects,
    as many at a time as the memory budget allows (the results are the same bit for bit).
    """
    from oxysim.engine.simulate import SOLVER_METHODS
    from oxysim.evidence.floor import evidence_floor as evidence_floor_block
    from oxysim.io.netcdf import save_results

    if solver not in SOLVER_METHODS:
        raise fail(f"--solver must be one of {', '.join(SOLVER_METHODS)}, got {solver!r}", 2)
    if output.suffix not in (".nc", ".zarr"):
        raise fail(f"--output must end in .nc or .zarr, got {output}", 2)
    budget = memory_budget(memory_limit)
    if output.suffix == ".zarr":
        if plot is not None or summary is not None:
            raise fail("--plot and --summary need a .nc output (the whole run in memory)", 2)
        with evidence_floor_block(evidence_floor):
            _stream_file(scenario, output, cast("SolverMethod", solver), threads, budget)
        _print_floor(evidence_floor)
        return
    with evidence_floor_block(evidence_floor):
        _, results = _simulate_file(scenario, cast("SolverMethod", solver), threads, budget)
    save_results(results, output)
    if plot is not None:
        from oxysim.plotting import plot_results

        plot_results(results, plot)
    _print_floor(evidence_floor)
    _summarise(results, summary)
    compile_seconds = float(results.attrs.get("compile_seconds", 0.0))
    if compile_seconds > COMPILE_NOTICE_SECONDS:
        console.print(
            f"compiled the engine for this model in {compile_seconds:.0f} s (cached for later runs)"
        )
    console.print(f"wrote {output}" + (f" and {plot}" if plot else ""))


def export_sbml(
    scenario: Annotated[Path, typer.Argument(help="scenario file (YAML)")],
    output: Annotated[Path, typer.Option("--output", "-o", help="SBML file (.xml)")],
    subject: Annotated[
        str | None, typer.Option(help="subject id (default: the scenario's first subject)")
    ] = None,
    arm: Annotated[str | None, typer.Option(help="arm (default: the first)")] = None,
) -> None:
    """Write one subject's model and protocol as SBML Level 3 (needs the [sbml] extra)."""
    from oxysim.io.netcdf import write_atomically
    from oxysim.io.sbml import SBMLExportError
    from oxysim.io.sbml import export_sbml as sbml_text

    loaded = _load(scenario)
    try:
        text = sbml_text(loaded, subject=subject, arm=arm)
    except SBMLExportError as error:
        raise fail(str(error), 2) from None
    write_atomically(output, lambda tmp: tmp.write_text(text))
    console.print(f"wrote {output}")


def plot(
    results_file: Annotated[Path, typer.Argument(help="results file written by 'oxysim run'")],
    output: Annotated[Path, typer.Option("--output", "-o", help="figure file (.png)")],
    variable: Annotated[list[str] | None, typer.Option(help="variable(s) to plot")] = None,
    by: Annotated[
        str | None, typer.Option(help="group subjects by a coordinate, e.g. rs53576")
    ] = None,
    color_by: Annotated[
        str | None,
        typer.Option(help="community results: also draw the network, coloured by this variable"),
    ] = None,
) -> None:
    """Plot a results file: mean and interquartile band per arm.

    For community results: the emergent patterns, and with --color-by the network beside them
    (from the .graphml written with the results).
    """
    from oxysim.community.plots import draw_figures, is_community
    from oxysim.io.netcdf import load_results
    from oxysim.plotting import plot_results

    if not results_file.exists():
        raise fail(f"no such results file: {results_file}", 2)
    results = load_results(results_file)
    try:
        if is_community(results):
            if variable or by:
                raise ValueError("community results take --color-by, not --variable or --by")
            graph = None if color_by is None else _network_of(results_file)
            drawn = draw_figures(results, graph, output, color_by)
        else:
            if color_by is not None:
                raise ValueError("--color-by is for community results (oxysim community)")
            plot_results(results, output, variable, by)
            drawn = [output]
    except ValueError as error:
        raise fail(str(error), 2) from None
    for path in drawn:
        console.print(f"wrote {path}")


def _network_of(results_file: Path) -> nx.Graph[int]:
    """The network written beside community results; ints as its people, as when it was built."""
    import networkx as nx

    graph_file = results_file.with_suffix(".graphml")
    if not graph_file.exists():
        raise ValueError(f"no network beside the results: {graph_file} is missing")
    return nx.read_graphml(graph_file, node_type=int)


def demo(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="results (.nc; default out/demo.nc), figure beside"),
    ] = None,
) -> None:
    """Run the default scenario: a TSST with and without partner support, by rs53576 genotype."""
    from oxysim.io.netcdf import save_results
    from oxysim.output_option import beside, results_path
    from oxysim.plotting import plot_results
    from oxysim.reports import peak_table

    path = results_path(output, "demo")
    _, results = _simulate_file(DEMO_SCENARIO, "compiled")
    figure = beside(path, ".png")
    plot_results(results, figure, ["salivary_cortisol", "csf_oxytocin"], by="rs53576")
    save_results(results, path)
    console.print(peak_table(results, "salivary_cortisol"))
    console.print(f"wrote {path} and {figure}")


def validate(
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
    experiment: Annotated[list[str] | None, typer.Option(help="run only these experiments")] = None,
    markdown: Annotated[Path | None, typer.Option(help="also write the table as Markdown")] = None,
    evidence_floor: EvidenceFloorOption = None,
) -> None:
    """Run every virtual experiment against its published targets.

    Exit 1 if a metric fails that is not a recorded known miss (those are listed with why).
    With --evidence-floor, each metric is shown without and with the floor and the conclusions
    that change are listed; the exit status still judges the run without the floor.
    """
    from oxysim.evidence.command import validate_at_floor
    from oxysim.experiments.base import registered, run_experiment
    from oxysim.io.netcdf import write_atomically
    from oxysim.reports import pass_rates, validation_markdown, validation_table

    known = registered()
    chosen = experiment or list(known)
    unknown = sorted(set(chosen) - set(known))
    if unknown:
        raise fail(f"unknown experiments {unknown}; known: {sorted(known)}", 2)
    if evidence_floor is not None:
        if not validate_at_floor(chosen, evidence_floor, as_json, markdown):
            raise typer.Exit(1)
        return
    results = [r for e in chosen for r in run_experiment(e)]
    if markdown is not None:
        table = validation_markdown(results)
        write_atomically(markdown, lambda tmp: tmp.write_text(MARKDOWN_HEADER + table))
    if as_json:
        print(json.dumps([r.as_dict() for r in results], indent=2))
    else:
        console.print(validation_table(results))
        passed = sum(r.passed for r in results)
        console.print(f"{passed} of {len(results)} metrics within tolerance")
        for line in pass_rates(results):
            console.print(line)
        for r in results:
            if r.status == "known miss":
                console.print(f"known miss {r.experiment}/{r.metric.id}: {r.metric.known_miss}")
            elif r.status == "fixed":
                console.print(f"{r.experiment}/{r.metric.id} now passes: remove its known_miss")
    if not all(r.acceptable for r in results):
        raise typer.Exit(1)


def experiments() -> None:
    """List the virtual experiments with their citations and evidence grade."""
    from oxysim.experiments.base import records

    for record in records().values():
        console.print(f"[bold]{record.id}[/] ({record.reliability}; {', '.join(record.s_ids)})")
        console.print(f"  {record.title}\n  {record.citation}", highlight=False)
        if record.note:
            console.print(f"  [italic]note:[/] {record.note}", highlight=False)


def params(
    grade: Annotated[str | None, typer.Option(help=f"only this grade: {', '.join(GRADES)}")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
) -> None:
    """The parameter ledger: every parameter with its value, unit, source and evidence grade."""
    from oxysim.reports import parameter_table
    from oxysim.system import human_model

    if grade is not None and grade not in GRADES:
        raise fail(f"--grade must be one of {', '.join(GRADES)}, got {grade!r}", 2)
    chosen = [p for p in human_model().parameters if grade is None or p.grade == grade]
    if as_json:
        print(json.dumps([p.__dict__ | {"bounds": list(p.bounds)} for p in chosen], indent=2))
        return
    console.print(parameter_table(chosen, f"oxysim parameters ({len(chosen)})"))


def report(
    results_file: Annotated[
        Path, typer.Argument(help="results file (.nc) of oxysim run or oxysim community")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="report file (.html)")],
    by: Annotated[
        str | None, typer.Option(help="group subjects by a coordinate, e.g. rs53576")
    ] = None,
) -> None:
    """Write one self-contained HTML report of a results file: scenario, courses, evidence.

    The figures are embedded, so the file opens anywhere with nothing fetched: the provenance,
    the scenario, the time courses by arm, the summary table, the evidence grades of the
    mechanisms the scenario exercised and the not-medical-advice note.
    """
    from oxysim.html_report import write_report
    from oxysim.io.netcdf import load_results

    if output.suffix != ".html":
        raise fail(f"--output must end in .html, got {output}", 2)
    if not results_file.exists():
        raise fail(f"no such results file: {results_file}", 2)
    results = load_results(results_file)
    try:
        write_report(results, output, by)
    except ValueError as error:
        raise fail(str(error), 2) from None
    console.print(f"wrote {output}")
