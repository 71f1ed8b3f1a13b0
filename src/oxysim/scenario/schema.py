"""A scenario: how long to simulate, whom, what happens when, and the arms to compare."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from oxysim.scenario.base import Problem, SpecModel, validation_error
from oxysim.scenario.events import Event, EventItem
from oxysim.scenario.quantities import (
    MAX_DURATION_MIN,
    ClockTime,
    Count,
    format_number,
    time,
)
from oxysim.scenario.subjects import PopulationSpec, SubjectSpec
from oxysim.summaries import summary_variables

#: Name of the single arm of a scenario that lists no arms.
DEFAULT_ARM = "default"


def _identifier(name: str) -> str:
    """Return ``name`` when it is a Python-style identifier, so it can name outputs and columns."""
    if not name.isidentifier():
        raise ValueError(
            f"arm names are identifiers (letters, digits and _, not starting with a digit); "
            f"got '{name}'"
        )
    return name


def _empty_if_null(value: Any) -> Any:
    """Read ``alone:`` (a null value) as an arm with nothing added."""
    return {} if value is None else value


class Arm(SpecModel):
    """One condition of the experiment: its own events, added to the shared ones."""

    description: str = Field("", description="free text")
    events: tuple[EventItem, ...] = Field((), description="events of this arm only")


class Scenario(SpecModel):
    """The top level of a scenario file."""

    name: str = Field(min_length=1, description="short name, used for output files")
    description: str = Field("", description="free text")
    duration: Annotated[float, time(gt=0, le=MAX_DURATION_MIN)] = Field(
        description="simulated time, from t = 0"
    )
    record_every: Annotated[float, time(gt=0)] = Field(
        "1 min", validate_default=True, description="interval between recorded samples, <= duration"
    )
    step: Annotated[float, time(ge=0.01, le=4)] | None = Field(
        None,
        description="integration step (RK4); default 1 min, or `record_every` when finer. "
        "Longer steps (up to 4 min) suit multi-day runs without suckling or fast expressions",
    )
    start_time: Annotated[float, ClockTime()] = Field(
        "14:00", validate_default=True, description="clock time at t = 0, for circadian rhythms"
    )
    seed: Annotated[int, Count(ge=0)] = Field(0, description="random seed; same seed, same result")
    population: PopulationSpec | None = Field(
        None, description="a sampled population; not together with `subjects`"
    )
    subjects: tuple[SubjectSpec, ...] | None = Field(
        None,
        description="explicit subjects; not together with `population`; with neither, one "
        "subject with every default",
    )
    events: tuple[EventItem, ...] = Field((), description="events shared by every arm")
    arms: dict[
        Annotated[str, AfterValidator(_identifier)], Annotated[Arm, BeforeValidator(_empty_if_null)]
    ] = Field(
        default_factory=lambda: {DEFAULT_ARM: Arm()},
        description=f"arm name -> arm; default: one arm named `{DEFAULT_ARM}`",
    )
    record: tuple[str, ...] = Field(
        (),
        description="variables to record over time; default: the model's standard outputs, or "
        "none when `summaries` or `bands` are given",
    )
    summaries: tuple[str, ...] = Field(
        (),
        description="per-subject summaries `<statistic>_<variable>` (peak, min, mean, final, "
        "auc, baseline, rise; e.g. `peak_salivary_cortisol`), computed as the run goes: "
        "without `record`, memory does not grow with the duration",
    )

    bands: tuple[str, ...] = Field(
        (),
        description="variables kept over time as per-arm quantile bands over subjects "
        "(5, 25, 50, 75 and 95 %, within about 1 %) instead of one course per subject",
    )

    @property
    def integrated_record(self) -> tuple[str, ...]:
        """Variables recorded while integrating: those kept, and those summaries and bands need."""
        needed = (*self.record, *summary_variables(self.summaries), *self.bands)
        return tuple(dict.fromkeys(needed))

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        problems = [
            *self._subject_problems(),
            *_timing_problems(("events",), self.events, self.duration),
            *(
                problem
                for name, arm in self.arms.items()
                for problem in _timing_problems(("arms", name, "events"), arm.events, self.duration)
            ),
        ]
        if self.record_every > self.duration:
            problems.append(
                Problem(
                    ("record_every",),
                    f"must be <= duration ({format_number(self.duration)} min) "
                    f"(got {format_number(self.record_every)} min)",
                    self.record_every,
                )
            )
        if not self.arms:
            problems.append(Problem(("arms",), "needs at least one arm, e.g. `control: {}`", {}))
        if problems:
            raise validation_error("Scenario", problems)
        return self

    def _subject_problems(self) -> list[Problem]:
        """List problems: no subjects, subjects and a population, or a repeated subject id."""
        if self.subjects is None:
            return []
        if not self.subjects:
            message = "needs at least one subject; leave `subjects` out for one default subject"
            return [Problem(("subjects",), message, [])]
        if self.population is not None:
            message = "give either `population` or `subjects`, not both"
            return [Problem(("subjects",), message, None, "population_and_subjects")]
        counts = Counter(subject.id for subject in self.subjects if subject.id is not None)
        return [
            Problem(("subjects", index, "id"), f"id '{subject.id}' is used twice", subject.id)
            for index, subject in enumerate(self.subjects)
            if subject.id is not None and counts[subject.id] > 1
        ]

    def arm_events(self, arm_name: str) -> tuple[Event, ...]:
        """Return the shared events and those of arm ``arm_name``, sorted by start time."""
        if arm_name not in self.arms:
            raise KeyError(f"no arm '{arm_name}'; arms: {', '.join(self.arms)}")
        events = (*self.events, *self.arms[arm_name].events)
        return tuple(sorted(events, key=lambda event: event.at))


def _timing_problems(
    prefix: tuple[str, ...], events: Sequence[Event], duration: float
) -> list[Problem]:
    """List the events that start or end after the scenario's ``duration``."""
    problems = []
    for index, event in enumerate(events):
        if event.at > duration:
            message = (
                f"must be between 0 and the scenario's duration, {format_number(duration)} min "
                f"(got {format_number(event.at)} min)"
            )
            problems.append(Problem((*prefix, index, "at"), message, event.at))
        elif event.end > duration:
            message = (
                f"the event ends at {format_number(event.end)} min, after the scenario's duration "
                f"({format_number(duration)} min); it can last at most "
                f"{format_number(duration - event.at)} min"
            )
            loc: tuple[str | int, ...] = (*prefix, index, event.event_type, "duration")
            problems.append(Problem(loc, message, event.end - event.at))
    return problems
