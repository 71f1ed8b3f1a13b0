"""Command-line pieces of the evidence floor: the ``--evidence-floor`` option and ``claims``.

Any command can take the floor with one parameter and one ``with`` block::

    def trial(..., evidence_floor: EvidenceFloorOption = None) -> None:
        with evidence_floor_block(evidence_floor):
            ...  # every simulate() inside runs at the floor

A grade that is not one of :data:`~oxysim.model.parameters.GRADES` exits with code 2 and the list.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from oxysim.evidence.claims import check_claims
from oxysim.evidence.compare import ExperimentFailed, compare_experiments
from oxysim.evidence.floor import evidence_floor as evidence_floor_block
from oxysim.evidence.options import EvidenceFloorOption, validated_floor
from oxysim.evidence.report import (
    claims_markdown,
    claims_table,
    comparison_markdown,
    comparison_table,
    floor_parameters_markdown,
    floor_summary,
)
from oxysim.io.netcdf import write_atomically
from oxysim.model.parameters import GRADES
from oxysim.system import human_model
from oxysim.terminal import console, fail

__all__ = [
    "EvidenceFloorOption",
    "claims",
    "evidence_floor_block",
    "print_floor_summary",
    "validate_at_floor",
    "validated_floor",
]
WORKERS = min(os.cpu_count() or 1, 8)

VALIDATION_HEADER = """# Validation at evidence floor {floor}

Written by `oxysim validate --evidence-floor {floor} --markdown FILE`: every virtual experiment
without and with the floor (every mechanism graded below `{floor}` switched off, see
docs/evidence.md); "changed" marks the conclusions (within tolerance or not) that change.

"""
CLAIMS_HEADER = """# Claims check

Written by `oxysim claims --floor {floor} --markdown docs/claims.md`. Every seed claim (S-id of
the mission) with the model parts that implement it, the weakest and strongest evidence grade
among them, the virtual experiments that test it, and whether the model's prediction survives
an evidence floor of `{floor}`: every mechanism graded below it is switched off (see
[evidence.md](evidence.md)) and the experiments are run again. Model output for research and
teaching, not medical advice.

"""


@contextmanager
def _broken_experiment_exits() -> Iterator[None]:
    """Turn an experiment failing without the floor into ``error: ...`` and exit code 1.

    Such a failure is a broken model, not bad input and not a conclusion of the floor.
    """
    try:
        yield
    except ExperimentFailed as error:
        raise fail(str(error), 1) from None


def claims(
    floor: Annotated[
        str,
        typer.Option(help=f"evidence floor: {', '.join(GRADES)}", callback=validated_floor),
    ] = "human-single",
    markdown: Annotated[Path | None, typer.Option(help="also write the report as Markdown")] = None,
    workers: Annotated[
        int, typer.Option(min=1, help="processes running the experiments (default: CPUs, max 8)")
    ] = WORKERS,
) -> None:
    """Check every seed claim (S-id): its evidence grades and whether it survives a floor.

    The experiments testing each claim run without and with the evidence floor.
    """
    model = human_model()
    with _broken_experiment_exits():
        checks = check_claims(model, floor, workers=workers)
    console.print(claims_table(checks, floor))
    survived = sum(c.verdict == "survives" for c in checks)
    tested = sum(bool(c.comparisons) for c in checks)
    console.print(f"{survived} of {tested} tested claims survive the floor {floor}")
    if markdown is not None:
        text = (
            CLAIMS_HEADER.format(floor=floor)
            + claims_markdown(checks, floor)
            + f"\n### Parameters at the floor {floor}\n\n"
            + floor_parameters_markdown(model.parameters, floor)
        )
        write_atomically(markdown, lambda tmp: tmp.write_text(text))
        console.print(f"wrote {markdown}")


def print_floor_summary(floor: str | None) -> None:
    """Say which parameters a floor neutralises and keeps (nothing without a floor)."""
    if floor is not None:
        console.print(floor_summary(human_model().parameters, floor), highlight=False)


def validate_at_floor(
    experiment_ids: Sequence[str], floor: str, as_json: bool, markdown: Path | None
) -> bool:
    """Run the experiments without and with ``floor`` and report the conclusions that change.

    Returns True when every metric is acceptable without the floor (the floor itself decides no
    exit status: it is expected to break predictions that rest on weak evidence). An experiment
    that fails without the floor exits with code 1.
    """
    with _broken_experiment_exits():
        comparisons = compare_experiments(experiment_ids, floor, WORKERS)
    if markdown is not None:
        text = VALIDATION_HEADER.format(floor=floor) + comparison_markdown(comparisons)
        write_atomically(markdown, lambda tmp: tmp.write_text(text))
    changed = [c for c in comparisons if c.changed]
    if as_json:
        print(json.dumps([c.as_dict() for c in comparisons], indent=2))
    else:
        console.print(comparison_table(comparisons, floor))
        print_floor_summary(floor)
        console.print(
            f"conclusions that change at floor {floor}: {len(changed)} of "
            f"{len(comparisons)} metrics"
        )
        for c in changed:
            console.print(
                f"  {c.baseline.experiment}/{c.baseline.metric.id}: "
                f"{'pass -> fail' if c.baseline.passed else 'fail -> pass'}",
                highlight=False,
            )
    return all(c.baseline.acceptable for c in comparisons)
