"""Events: things that happen to the simulated subject at a time ``at`` in the scenario.

In a scenario file an event is a mapping with ``at`` and exactly one event-kind key, whose value
holds that kind's fields::

    {at: 10 min, stressor: {kind: tsst, duration: 15 min}}

In Python each kind is a frozen model with the fields flattened (``Stressor(at=10.0, ...)``), a
class-level ``event_type`` (the YAML key) and a ``duration`` in minutes (0 for an instantaneous
event).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, get_args

from pydantic import Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from oxysim.model.endocrine import THERAPY_DEPOTS
from oxysim.model.nutrients import NUTRIENT_STORES, NUTRIENT_UNITS
from oxysim.model.pk import DOSE_TARGETS
from oxysim.model.submodel import Variable
from oxysim.scenario.base import FieldSyntax, Problem, SpecModel, find_metadata, validation_error
from oxysim.scenario.quantities import Count, Quantity, format_number, number, time

StressorKind = Literal["tsst", "placebo_tsst", "conflict", "generic"]
SupportSource = Literal["partner", "friend", "stranger"]
TouchKind = Literal["hug", "massage", "hand_holding"]
Route = Literal["intranasal", "iv_bolus", "iv_infusion", "subcutaneous"]
MeditationKind = Literal["compassion", "mindfulness"]
Partner = Literal["partner", "stranger", "group"]
GroupType = Literal["ingroup", "outgroup"]
AntagonistSite = Literal["central", "peripheral", "both"]
StimulationMode = Literal["activate", "silence"]
NaturalRewardKind = Literal["food", "drink", "sucrose"]
DrugSubstance = Literal["alcohol", "cocaine", "methamphetamine", "opioid", "nicotine"]
TherapyKind = Literal[
    "testosterone_cypionate",
    "testosterone_cream",
    "progesterone",
    "anastrozole",
    "gonadorelin",
    "gh_peptide",
]
NutrientKind = Literal["magnesium", "vitamin_c", "vitamin_d"]

_LASTING = time(gt=0)
_AMOUNT = Quantity("IU", gt=0, example="24 IU")
_RATE = Quantity("IU/min", gt=0, le=0.05, example="20 mIU/min")

#: Largest oxytocin amount per administration route, in IU.
MAX_AMOUNT_IU: Mapping[str, float] = {"intranasal": 100.0, "iv_bolus": 10.0, "subcutaneous": 20.0}


ChannelValues = list[tuple[str, float]]
#: A dose: when (min), the state it is added to, and the amount in the state's unit.
Dose = tuple[float, str, float]


def _switch(name: str, description: str) -> tuple[Variable, ...]:
    """A dimensionless protocol channel (1 while the event lasts)."""
    return (Variable(name, "1", description),)


def _per_source(prefix: str, description: str) -> tuple[Variable, ...]:
    """One dimensionless channel per kind of person (``{prefix}_partner``, ...)."""
    return tuple(
        Variable(
            f"{prefix}_{who}",
            "1",
            description.format(f"the {who}" if who == "partner" else f"a {who}"),
        )
        for who in get_args(SupportSource)
    )


class EventBase(SpecModel):
    """Fields shared by every event kind.

    Each kind declares here, once, what it does to the model: the protocol ``channels`` it
    drives while it lasts (:meth:`channel_values`) and the ``dosed_states`` it adds doses to
    (:meth:`doses`). The protocol's channel list, the scenario reference and the coverage test
    (every channel read by a sub-model, every kind driving something) derive from these.
    """

    #: The YAML key of this event kind.
    event_type: ClassVar[str]
    #: Default duration in minutes for each value of the ``kind`` field, where it has one.
    duration_by_kind: ClassVar[Mapping[str, float]] = {}
    #: Protocol channels this kind can drive while it lasts.
    channels: ClassVar[tuple[Variable, ...]] = ()
    #: Model states this kind adds doses to.
    dosed_states: ClassVar[tuple[str, ...]] = ()
    #: Why this kind drives nothing (only a control may); empty for every other kind.
    drives_nothing: ClassVar[str] = ""
    #: Channels are held from ``at`` to the end of the scenario instead of for ``duration``.
    held_to_end: ClassVar[bool] = False
    #: Largest value of a channel of this kind when events overlap (``None``: no limit).
    channel_cap: ClassVar[float | None] = None

    at: Annotated[float, time(ge=0)] = Field(
        description="when the event starts, from the beginning of the scenario; written beside "
        "the event kind, not inside it"
    )
    if TYPE_CHECKING:
        #: Minutes the event lasts, 0 when instantaneous; declared by each kind.
        duration: float

    @classmethod
    def yaml_keys(cls) -> list[str]:
        """Return the keys inside the event-kind mapping (``at`` is written beside it)."""
        return [key for key in super().yaml_keys() if key != "at"]

    @property
    def end(self) -> float:
        """When the event is over, in minutes from the beginning of the scenario."""
        return self.at + self.duration

    def channel_values(self) -> ChannelValues:
        """The channels this event holds while it lasts, and their values."""
        return []

    def doses(self) -> list[Dose]:
        """The doses this event gives."""
        return []

    @model_validator(mode="before")
    @classmethod
    def _default_duration_by_kind(cls, data: Any) -> Any:
        """Fill in the default duration of the given ``kind`` when none is written."""
        if not isinstance(data, Mapping) or "duration" in data:
            return data
        kind = data.get("kind")
        if not isinstance(kind, str) or kind not in cls.duration_by_kind:
            return data
        return {**data, "duration": f"{format_number(cls.duration_by_kind[kind])} min"}


class SwitchedEvent(EventBase):
    """An event that holds its one channel at 1 while it lasts (a session, a burst, a feed)."""

    def channel_values(self) -> ChannelValues:
        """The event's channel, on while it lasts."""
        return [(self.channels[0].name, 1.0)]


class Stressor(EventBase):
    """A psychosocial stressor: a TSST or its placebo version, a couple conflict, or generic."""

    event_type: ClassVar[str] = "stressor"
    channels: ClassVar[tuple[Variable, ...]] = (
        Variable("stress_tsst", "1", "Trier Social Stress Test in progress (intensity)"),
        Variable(
            "stress_placebo_tsst", "1", "the TSST's tasks without an evaluating panel (intensity)"
        ),
        Variable("stress_conflict", "1", "couple conflict discussion in progress (intensity)"),
        Variable("stress_generic", "1", "other acute stressor in progress (intensity)"),
    )
    duration_by_kind: ClassVar[Mapping[str, float]] = {
        "tsst": 15.0,
        "placebo_tsst": 15.0,
        "conflict": 10.0,
        "generic": 10.0,
    }

    kind: StressorKind = Field(description="which stressor")
    intensity: Annotated[float, number(ge=0, le=3)] = Field(
        1.0, description="strength relative to a standard TSST (1)"
    )
    # The 0.0 is never kept: validation fills in the kind's default from duration_by_kind.
    duration: Annotated[float, _LASTING] = Field(0.0, description="how long the stressor lasts")

    def channel_values(self) -> ChannelValues:
        """The stressor's channel at its intensity."""
        return [(f"stress_{self.kind}", float(self.intensity))]


class ObservingStress(EventBase):
    """Watching someone else go through a stressor: empathic stress (Engert 2014)."""

    event_type: ClassVar[str] = "observing_stress"
    channels: ClassVar[tuple[Variable, ...]] = _per_source(
        "observed_stress", "watching {} under stress"
    )

    of: SupportSource = Field(description="whom the person watches")
    intensity: Annotated[float, number(ge=0, le=3)] = Field(
        1.0, description="strength of the watched stressor relative to a standard TSST (1)"
    )
    duration: Annotated[float, _LASTING] = Field(15.0, description="how long the person watches")

    def channel_values(self) -> ChannelValues:
        """The channel of whom is watched, at the watched stressor's intensity."""
        return [(f"observed_stress_{self.of}", float(self.intensity))]


class SocialSupport(EventBase):
    """Supportive company during or before a challenge."""

    event_type: ClassVar[str] = "social_support"
    channels: ClassVar[tuple[Variable, ...]] = _per_source("support", "supportive company of {}")

    source: SupportSource = Field(description="who gives the support")
    duration: Annotated[float, _LASTING] = Field(10.0, description="how long the support lasts")

    def channel_values(self) -> ChannelValues:
        """The support channel of the source."""
        return [(f"support_{self.source}", 1.0)]


class Touch(EventBase):
    """Affectionate touch from a partner."""

    event_type: ClassVar[str] = "touch"
    channels: ClassVar[tuple[Variable, ...]] = (
        Variable("touch_hug", "1", "hug or warm partner contact"),
        Variable("touch_massage", "1", "massage"),
        Variable("touch_hand_holding", "1", "holding hands"),
    )
    duration_by_kind: ClassVar[Mapping[str, float]] = {
        "hug": 1.0,
        "massage": 15.0,
        "hand_holding": 10.0,
    }

    kind: TouchKind = Field(description="which kind of touch")
    # The 0.0 is never kept: validation fills in the kind's default from duration_by_kind.
    duration: Annotated[float, _LASTING] = Field(0.0, description="how long the touch lasts")

    def channel_values(self) -> ChannelValues:
        """The channel of the kind of touch."""
        return [(f"touch_{self.kind}", 1.0)]


_INFUSION = frozenset({"iv_infusion"})


class RoutedEvent(EventBase):
    """Something given by a route; an infusion lasts, the other routes are instantaneous."""

    #: Keys that depend on the route: written for the routes listed, left out for the others.
    keys_by_route: ClassVar[Mapping[str, frozenset[str]]] = {"duration": _INFUSION}

    route: Route = Field("intranasal", description="how it is given")
    duration: Annotated[float, time(ge=0)] = Field(
        0.0, description="length of the infusion; 0 for an instantaneous route"
    )

    def _problems(self) -> list[Problem]:
        """List the route's rule breaches: keys needed but missing, or written but unused."""
        names = self.field_names_by_key()
        given = {key for key, name in names.items() if name in self.model_fields_set}
        values = self.model_dump(by_alias=True)
        problems = []
        for key, routes in self.keys_by_route.items():
            if self.route in routes and key not in given:
                quantity = find_metadata(type(self).model_fields[names[key]], Quantity)
                message = f"route '{self.route}' needs `{key}`" + (
                    f", {quantity.expected()}" if quantity is not None else ""
                )
                problems.append(Problem((key,), message, None, "required"))
            elif self.route not in routes and key in given:
                message = f"`{key}` is not used with route '{self.route}'"
                problems.append(Problem((key,), message, values[key], "not_allowed"))
        if self.route in _INFUSION and "duration" in given and self.duration <= 0:
            message = f"must be > 0 min for an infusion (got {format_number(self.duration)} min)"
            problems.append(Problem(("duration",), message, self.duration))
        return problems

    @model_validator(mode="after")
    def _route_keys(self) -> RoutedEvent:
        problems = self._problems()
        if problems:
            raise validation_error(type(self).__name__, problems)
        return self


class OxytocinDose(RoutedEvent):
    """Synthetic oxytocin: an intranasal spray, an IV bolus or infusion, or an injection."""

    event_type: ClassVar[str] = "oxytocin_dose"
    channels: ClassVar[tuple[Variable, ...]] = (
        Variable("iv_infusion_rate", "IU/min", "intravenous oxytocin infusion rate"),
    )
    dosed_states: ClassVar[tuple[str, ...]] = tuple(state for state, _ in DOSE_TARGETS.values())
    keys_by_route: ClassVar[Mapping[str, frozenset[str]]] = {
        **RoutedEvent.keys_by_route,
        "amount": frozenset(MAX_AMOUNT_IU),
        "rate": _INFUSION,
    }

    route: Route = Field(description="how the oxytocin is given")
    amount_iu: Annotated[float, _AMOUNT] = Field(
        0.0,
        alias="amount",
        description="amount given; at most "
        + ", ".join(f"{format_number(m)} IU {route}" for route, m in MAX_AMOUNT_IU.items()),
    )
    rate_iu_per_min: Annotated[float, _RATE] = Field(0.0, alias="rate", description="infusion rate")

    def _problems(self) -> list[Problem]:
        """Add the largest amount of the route to the route rules."""
        problems = super()._problems()
        limit = MAX_AMOUNT_IU.get(self.route)
        if limit is None or "amount_iu" not in self.model_fields_set:
            return problems
        problem = replace(_AMOUNT, le=limit).range_problem(self.amount_iu)
        if problem is not None:
            message = f"{problem} for route '{self.route}' (got {format_number(self.amount_iu)} IU)"
            problems.append(Problem(("amount",), message, self.amount_iu))
        return problems

    def channel_values(self) -> ChannelValues:
        """An infusion holds its rate; other routes give a dose."""
        return (
            [("iv_infusion_rate", float(self.rate_iu_per_min))] if self.route in _INFUSION else []
        )

    def doses(self) -> list[Dose]:
        """A bolus or depot dose into the route's compartment (microgram or ng of oxytocin)."""
        if self.route not in DOSE_TARGETS:
            return []
        state, per_iu = DOSE_TARGETS[self.route]
        return [(self.at, state, float(self.amount_iu) * per_iu)]


class Placebo(RoutedEvent):
    """An administration without oxytocin, for blinded comparisons."""

    event_type: ClassVar[str] = "placebo"
    drives_nothing: ClassVar[str] = "the control of a blinded comparison: it contains no drug"


class Meditation(SwitchedEvent):
    """A guided meditation session."""

    event_type: ClassVar[str] = "meditation"
    channels: ClassVar[tuple[Variable, ...]] = _switch("meditation", "meditation in progress")

    kind: MeditationKind = Field("compassion", description="which practice")
    duration: Annotated[float, _LASTING] = Field(20.0, description="length of the session")


class Music(SwitchedEvent):
    """Listening to calm music."""

    event_type: ClassVar[str] = "music"
    channels: ClassVar[tuple[Variable, ...]] = _switch("music", "listening to music")

    duration: Annotated[float, _LASTING] = Field(20.0, description="how long the music plays")


class WarmBath(SwitchedEvent):
    """A warm bath."""

    event_type: ClassVar[str] = "warm_bath"
    channels: ClassVar[tuple[Variable, ...]] = _switch("warm_bath", "warm bath")

    duration: Annotated[float, _LASTING] = Field(20.0, description="time in the bath")


class Dance(SwitchedEvent):
    """Dancing with a partner to music."""

    event_type: ClassVar[str] = "dance"
    channels: ClassVar[tuple[Variable, ...]] = _switch("dance", "partner dance")

    duration: Annotated[float, _LASTING] = Field(30.0, description="length of the dance")


class PetContact(SwitchedEvent):
    """Stroking and talking to one's own dog."""

    event_type: ClassVar[str] = "pet_contact"
    channels: ClassVar[tuple[Variable, ...]] = _switch("pet_contact", "stroking one's own dog")

    duration: Annotated[float, _LASTING] = Field(10.0, description="how long the contact lasts")


class DeepBreathing(SwitchedEvent):
    """Slow, deep breathing (about six breaths a minute)."""

    event_type: ClassVar[str] = "deep_breathing"
    channels: ClassVar[tuple[Variable, ...]] = _switch("deep_breathing", "slow deep breathing")

    duration: Annotated[float, _LASTING] = Field(10.0, description="length of the exercise")


class SocialInteraction(EventBase):
    """Time spent with someone: the partner, a stranger, or a group (own group or another)."""

    event_type: ClassVar[str] = "social_interaction"
    channels: ClassVar[tuple[Variable, ...]] = (
        Variable("social_partner", "1", "time with the partner"),
        Variable("social_stranger", "1", "time with a stranger"),
        Variable("social_ingroup", "1", "time with the own group"),
        Variable("social_outgroup", "1", "time with another group"),
    )

    def channel_values(self) -> ChannelValues:
        """The channel of whom the time is spent with (the group's type for a group)."""
        return [(f"social_{self.group if self.with_ == 'group' else self.with_}", 1.0)]

    with_: Partner = Field(alias="with", description="with whom")
    group: GroupType = Field(
        "ingroup", description="for `with: group`: the subject's own group or another"
    )
    duration: Annotated[float, _LASTING] = Field(10.0, description="how long it lasts")


class AmbiguousExpression(EventBase):
    """Another person's facial expression, possibly ambiguous or only beginning to form (S4.4)."""

    event_type: ClassVar[str] = "ambiguous_expression"
    channels: ClassVar[tuple[Variable, ...]] = (
        Variable("expression_valence", "1", "valence of an expression being shown (-1..1)"),
        Variable("expression_formation", "1", "how far that expression has formed (0..1)"),
    )

    def channel_values(self) -> ChannelValues:
        """The expression's valence and formation."""
        return [
            ("expression_valence", float(self.valence)),
            ("expression_formation", float(self.formation)),
        ]

    valence: Annotated[float, number(ge=-1, le=1)] = Field(
        0.0, description="from a scowl (-1) through neutral (0) to a smile (1)"
    )
    formation: Annotated[float, number(ge=0, le=1)] = Field(
        0.5, description="how far the expression has formed: inchoate (0) to full (1)"
    )
    duration: Annotated[float, _LASTING] = Field(1.0, description="how long it is shown")


class Mating(SwitchedEvent):
    """Mating (animal protocols such as prairie-vole cohabitation)."""

    event_type: ClassVar[str] = "mating"
    channels: ClassVar[tuple[Variable, ...]] = _switch("mating", "mating in progress")

    duration: Annotated[float, _LASTING] = Field(10.0, description="length of the mating bout")


class SexualActivity(SwitchedEvent):
    """Sexual activity before orgasm."""

    event_type: ClassVar[str] = "sexual_activity"
    channels: ClassVar[tuple[Variable, ...]] = _switch(
        "sexual_activity", "sexual activity in progress"
    )

    duration: Annotated[float, _LASTING] = Field(15.0, description="how long it lasts")


class Orgasm(SwitchedEvent):
    """Orgasm or ejaculation: a brief burst of oxytocin release."""

    event_type: ClassVar[str] = "orgasm"
    channels: ClassVar[tuple[Variable, ...]] = _switch("orgasm", "orgasm (a one-minute burst)")

    duration: Annotated[float, _LASTING] = Field(1.0, description="length of the burst")


class Suckling(SwitchedEvent):
    """An infant suckling at the breast (milk-ejection reflex)."""

    event_type: ClassVar[str] = "suckling"
    channels: ClassVar[tuple[Variable, ...]] = _switch("suckling", "an infant suckling")

    duration: Annotated[float, _LASTING] = Field(15.0, description="length of the feed")


class Labour(SwitchedEvent):
    """Spontaneous labour in progress (its own drive to the uterus, beside oxytocin)."""

    event_type: ClassVar[str] = "labour"
    channels: ClassVar[tuple[Variable, ...]] = _switch("labour", "spontaneous labour in progress")

    duration: Annotated[float, _LASTING] = Field(480.0, description="how long labour lasts")


class MuscleInjury(EventBase):
    """An acute muscle injury, repaired over days by satellite cells (S3.6)."""

    event_type: ClassVar[str] = "muscle_injury"
    dosed_states: ClassVar[tuple[str, ...]] = ("muscle_damage",)

    def doses(self) -> list[Dose]:
        """The injury adds its severity to the muscle damage."""
        return [(self.at, "muscle_damage", float(self.severity))]

    severity: Annotated[float, number(ge=0.001, le=1)] = Field(
        0.5, description="fraction of the muscle damaged"
    )
    duration: ClassVar[float] = 0.0  # type: ignore[misc]  # instantaneous: not a field


class OxtrAntagonist(EventBase):
    """An oxytocin-receptor antagonist (e.g. atosiban) that blocks a fraction of receptors."""

    event_type: ClassVar[str] = "oxtr_antagonist"
    channels: ClassVar[tuple[Variable, ...]] = (
        Variable("oxtr_antagonist_central", "1", "fraction of brain OXTR blocked"),
        Variable("oxtr_antagonist_peripheral", "1", "fraction of peripheral OXTR blocked"),
    )
    channel_cap: ClassVar[float | None] = 1.0

    def channel_values(self) -> ChannelValues:
        """The blockade at each site it acts on."""
        sites = ("central", "peripheral") if self.site == "both" else (self.site,)
        return [(f"oxtr_antagonist_{site}", float(self.blockade)) for site in sites]

    site: AntagonistSite = Field("both", description="brain, periphery, or both")
    blockade: Annotated[float, number(ge=0.001, le=1)] = Field(
        0.9, description="fraction of receptors blocked while it acts"
    )
    duration: Annotated[float, _LASTING] = Field(60.0, description="how long it acts")


class PvnVtaStimulation(EventBase):
    """Optogenetic activation or silencing of PVN oxytocin terminals in the VTA (Hung 2017)."""

    event_type: ClassVar[str] = "pvn_vta_stimulation"
    channels: ClassVar[tuple[Variable, ...]] = (
        Variable("pvn_vta_activation", "1", "optogenetic activation of PVN->VTA terminals"),
        Variable("pvn_vta_silencing", "1", "optogenetic silencing of PVN->VTA terminals"),
    )

    def channel_values(self) -> ChannelValues:
        """Activation or silencing of the tract."""
        return [("pvn_vta_activation" if self.mode == "activate" else "pvn_vta_silencing", 1.0)]

    mode: StimulationMode = Field("activate", description="activate or silence the tract")
    duration: Annotated[float, _LASTING] = Field(10.0, description="how long the light is on")


class SupportGroup(SwitchedEvent):
    """A peer support-group meeting (S1.6)."""

    event_type: ClassVar[str] = "support_group"
    channels: ClassVar[tuple[Variable, ...]] = _switch("support_group", "a support-group meeting")

    duration: Annotated[float, _LASTING] = Field(60.0, description="length of the meeting")


class NaturalReward(EventBase):
    """A non-social reward such as food or a sweet drink (the control for social reward)."""

    event_type: ClassVar[str] = "natural_reward"
    channels: ClassVar[tuple[Variable, ...]] = _switch(
        "natural_reward", "a non-social reward (food, drink)"
    )

    def channel_values(self) -> ChannelValues:
        """The event's channel, on while it lasts."""
        return [("natural_reward", 1.0)]

    kind: NaturalRewardKind = Field("food", description="which reward")
    duration: Annotated[float, _LASTING] = Field(5.0, description="how long it lasts")


class Drug(EventBase):
    """Taking a drug of abuse: a number of standard doses over a short time."""

    event_type: ClassVar[str] = "drug"
    channels: ClassVar[tuple[Variable, ...]] = tuple(
        Variable(f"drug_{s}", "1/min", f"{s} taken, standard doses per minute")
        for s in get_args(DrugSubstance)
    )

    def channel_values(self) -> ChannelValues:
        """The dose spread evenly over the time it is taken."""
        return [(f"drug_{self.substance}", float(self.dose) / float(self.duration))]

    substance: DrugSubstance = Field(description="which drug")
    dose: Annotated[float, number(ge=0.001, le=20)] = Field(
        1.0, description="standard doses (a drink, a line, a hit)"
    )
    duration: Annotated[float, _LASTING] = Field(5.0, description="time over which it is taken")


class DrugCue(EventBase):
    """A cue associated with drug use (paraphernalia, a place, a smell)."""

    event_type: ClassVar[str] = "drug_cue"
    channels: ClassVar[tuple[Variable, ...]] = _switch("drug_cue", "a drug cue present")

    def channel_values(self) -> ChannelValues:
        """The event's channel, on while it lasts."""
        return [("drug_cue", 1.0)]

    duration: Annotated[float, _LASTING] = Field(5.0, description="how long the cue is present")


class Withdrawal(EventBase):
    """The start of abstinence: no more drug from here to the end of the scenario."""

    event_type: ClassVar[str] = "withdrawal"
    channels: ClassVar[tuple[Variable, ...]] = _switch(
        "abstinence", "1 after the start of abstinence (withdrawal event)"
    )
    held_to_end: ClassVar[bool] = True
    channel_cap: ClassVar[float | None] = 1.0

    def channel_values(self) -> ChannelValues:
        """Abstinence, from the event to the end of the scenario."""
        return [("abstinence", 1.0)]

    duration: ClassVar[float] = 0.0  # type: ignore[misc]  # instantaneous: not a field


_DOSE = Quantity("mg", gt=0, example="100 mg")

#: Largest single dose of each hormone therapy and nutrient, in mg.
MAX_DOSE_MG: Mapping[str, float] = {
    "testosterone_cypionate": 400.0,
    "testosterone_cream": 50.0,
    "progesterone": 400.0,
    "anastrozole": 10.0,
    "gonadorelin": 1.0,
    "gh_peptide": 2.0,
    "magnesium": 1000.0,
    "vitamin_c": 10000.0,
    "vitamin_d": 1.25,
}


class ScheduledDose(EventBase):
    """A dose repeated ``times`` times, ``every`` apart, from ``at``; each dose is instantaneous."""

    if TYPE_CHECKING:
        #: Which therapy or nutrient, and one dose in mg; declared by each kind.
        kind: str
        dose_mg: float
    every: Annotated[float, time(gt=0)] = Field(1440.0, description="interval between doses")
    times: Annotated[int, Count(ge=1, le=1000)] = Field(1, description="number of doses")

    @property  # type: ignore[misc]  # derived from every and times, not a field
    def duration(self) -> float:
        """Minutes from the first dose to the last."""
        return (self.times - 1) * self.every

    #: For each ``kind``: the state a dose is added to, and the state's mass unit.
    depots: ClassVar[Mapping[str, tuple[str, str]]] = {}

    @property
    def dose_times(self) -> list[float]:
        """When each dose is given, in minutes from the beginning of the scenario."""
        return [self.at + i * self.every for i in range(self.times)]

    def doses(self) -> list[Dose]:
        """Each dose into the kind's depot, in the depot's unit (mg or ug)."""
        state, unit = self.depots[self.kind]
        amount = float(self.dose_mg) * {"mg": 1.0, "ug": 1000.0}[unit]
        return [(at, state, amount) for at in self.dose_times]

    @model_validator(mode="after")
    def _dose_limit(self) -> ScheduledDose:
        kind = self.kind
        problem = replace(_DOSE, le=MAX_DOSE_MG[kind]).range_problem(self.dose_mg)
        if problem is not None:
            message = f"{problem} for {kind} (got {format_number(self.dose_mg)} mg)"
            raise validation_error(type(self).__name__, [Problem(("dose",), message, self.dose_mg)])
        return self


def _dose_field(kinds: Any) -> Any:
    """The ``dose`` field of a scheduled-dose kind, its description naming each kind's limit."""
    limits = ", ".join(f"{format_number(MAX_DOSE_MG[k])} mg {k}" for k in get_args(kinds))
    return Field(alias="dose", description=f"one dose, as a mass (mg or ug); at most {limits}")


class HormoneTherapy(ScheduledDose):
    """A hormone-protocol dose (S2.7): testosterone, progesterone, anastrozole, GH peptides."""

    event_type: ClassVar[str] = "hormone_therapy"
    dosed_states: ClassVar[tuple[str, ...]] = tuple(s for s, _ in THERAPY_DEPOTS.values())
    depots: ClassVar[Mapping[str, tuple[str, str]]] = THERAPY_DEPOTS

    kind: TherapyKind = Field(
        description="testosterone_cypionate (intramuscular), testosterone_cream (transdermal), "
        "progesterone (oral micronised), anastrozole (oral), gonadorelin (injection), "
        "gh_peptide (a GH secretagogue such as sermorelin, injection)"
    )
    dose_mg: Annotated[float, _DOSE] = _dose_field(TherapyKind)


class Nutrient(ScheduledDose):
    """A supplement dose (S2.4): magnesium (elemental), vitamin C, or vitamin D3."""

    event_type: ClassVar[str] = "nutrient"
    dosed_states: ClassVar[tuple[str, ...]] = tuple(NUTRIENT_STORES.values())
    depots: ClassVar[Mapping[str, tuple[str, str]]] = {
        kind: (NUTRIENT_STORES[kind], unit) for kind, (_, unit) in NUTRIENT_UNITS.items()
    }

    kind: NutrientKind = Field(
        description="magnesium (elemental mass), vitamin_c, or vitamin_d (cholecalciferol; "
        "write micrograms: 1000 IU = 25 ug)"
    )
    dose_mg: Annotated[float, _DOSE] = _dose_field(NutrientKind)


#: Any event.
Event = (
    Stressor
    | ObservingStress
    | SocialSupport
    | Touch
    | OxytocinDose
    | Placebo
    | Meditation
    | Music
    | WarmBath
    | Dance
    | PetContact
    | DeepBreathing
    | SocialInteraction
    | AmbiguousExpression
    | Mating
    | SexualActivity
    | Orgasm
    | Suckling
    | Labour
    | MuscleInjury
    | OxtrAntagonist
    | PvnVtaStimulation
    | SupportGroup
    | NaturalReward
    | Drug
    | DrugCue
    | Withdrawal
    | HormoneTherapy
    | Nutrient
)

_EVENT_CLASSES: tuple[type[EventBase], ...] = (
    Stressor,
    ObservingStress,
    SocialSupport,
    Touch,
    OxytocinDose,
    Placebo,
    Meditation,
    Music,
    WarmBath,
    Dance,
    PetContact,
    DeepBreathing,
    SocialInteraction,
    AmbiguousExpression,
    Mating,
    SexualActivity,
    Orgasm,
    Suckling,
    Labour,
    MuscleInjury,
    OxtrAntagonist,
    PvnVtaStimulation,
    SupportGroup,
    NaturalReward,
    Drug,
    DrugCue,
    Withdrawal,
    HormoneTherapy,
    Nutrient,
)


def event_kinds() -> dict[str, type[EventBase]]:
    """Map each YAML event-kind key to its model class, in documentation order."""
    return {cls.event_type: cls for cls in _EVENT_CLASSES}


@dataclass(frozen=True)
class EventSyntax(FieldSyntax):
    """Reads the YAML form ``{at: 10 min, stressor: {...}}`` into an event model.

    Error locations follow the YAML: ``at`` stays where it was written and the kind's fields are
    under the kind key, e.g. ``("stressor", "duration")``.
    """

    def validate(self, value: Any) -> EventBase:
        """Return the event model for one YAML event mapping; pass an event model through."""
        if isinstance(value, EventBase):
            return value
        if not isinstance(value, Mapping):
            raise PydanticCustomError(
                "event_shape", "an event is a mapping such as {at: 10 min, music: {}}"
            )
        kinds = event_kinds()
        keys = [key for key in value if key != "at"]
        unknown = [
            Problem(
                (str(key),),
                f"unknown event kind '{key}'; event kinds: {', '.join(kinds)}",
                value[key],
                "unknown_key",
            )
            for key in keys
            if key not in kinds
        ]
        if unknown:
            raise validation_error("Event", unknown)
        if len(keys) != 1:
            raise PydanticCustomError(
                "event_kind_count",
                f"an event has `at` and exactly one event kind; this one has {len(keys)}"
                + (f": {', '.join(keys)}" if keys else f" (event kinds: {', '.join(kinds)})"),
            )
        return _parse_body(kinds[keys[0]], keys[0], value)

    def describe(self) -> str:
        """Describe the accepted form, in Markdown."""
        return "[event](#events): `at` and one event kind"


def _parse_body(cls: type[EventBase], kind: str, value: Mapping[str, Any]) -> EventBase:
    """Validate the kind's fields together with ``at``, reporting errors where they were written."""
    body = value[kind] if value[kind] is not None else {}
    if not isinstance(body, Mapping):
        raise validation_error(
            cls.__name__,
            [Problem((kind,), f"must be a mapping of {kind} fields (or empty)", body, "body_type")],
        )
    if "at" in body:
        raise validation_error(
            cls.__name__,
            [
                Problem(
                    (kind, "at"),
                    "`at` goes beside the event kind, not inside it",
                    body["at"],
                    "misplaced_at",
                )
            ],
        )
    data = {**body, "at": value["at"]} if "at" in value else dict(body)
    try:
        return cls.model_validate(data)
    except ValidationError as error:
        raise validation_error(
            cls.__name__,
            (
                Problem.from_detail(detail, () if detail["loc"][:1] == ("at",) else (kind,))
                for detail in error.errors()
            ),
        ) from None


#: An event field of a scenario or an arm, read from the YAML form.
EventItem = Annotated[Event, EventSyntax()]
