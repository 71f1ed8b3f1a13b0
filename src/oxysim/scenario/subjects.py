"""Who is simulated: one explicit subject (:class:`SubjectSpec`) or a population to sample.

Concentrations (estradiol, magnesium, ...) are conventionally written as bare numbers, so a bare
number is read in the canonical unit shown; a string with a unit (``"0.9 mmol/L"``) is converted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import Field, StrictBool, ValidationInfo, field_validator, model_validator
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

from oxysim.scenario.base import SpecModel
from oxysim.scenario.distributions import Categorical, Distribution, Normal, Uniform
from oxysim.scenario.quantities import Count, Quantity, number
from oxysim.units import CANONICAL_UNITS

Sex = Literal["male", "female"]
Genotype = Literal["GG", "AG", "AA"]
Attachment = Literal["secure", "anxious", "avoidant"]
CyclePhase = Literal["follicular", "ovulatory", "luteal"]
Species = Literal["human", "mouse", "prairie_vole", "montane_vole"]
AddictionHistory = Literal["none", "past", "current"]
Substance = Literal["none", "alcohol", "cocaine", "methamphetamine", "opioid", "nicotine"]
Relationship = Literal["single", "partnered"]

#: Allowed age in years for each species (adult humans; rodents from weaning to old age).
AGE_RANGE: dict[str, tuple[float, float]] = {
    "human": (18.0, 100.0),
    "mouse": (0.05, 3.5),
    "prairie_vole": (0.05, 3.5),
    "montane_vole": (0.05, 3.5),
}

#: Median age at natural menopause in years (an assumption used to fill in ``menopausal``).
MENOPAUSE_AGE = 51.0
#: Largest population that may be sampled.
MAX_POPULATION = 1_000_000


def _concentration(kind: str, upper: float, example: float, lower: float = 0.0) -> Quantity:
    """Make a concentration quantity that accepts a bare number in its canonical unit."""
    unit = CANONICAL_UNITS[kind]
    return Quantity(unit, ge=lower, le=upper, unit_required=False, example=f"{example:g} {unit}")


#: Age in years; the allowed range depends on the species (:data:`AGE_RANGE`).
AGE = Quantity(CANONICAL_UNITS["age"], ge=0, unit_required=False, example="30 year")
GESTATIONAL_WEEK = Quantity("week", ge=0, le=42, unit_required=False, example="20 week")
ESTRADIOL = _concentration("estradiol", 50_000, 150)
PROGESTERONE = _concentration("progesterone", 500, 10)
TESTOSTERONE = _concentration("testosterone", 1_500, 500)
MAGNESIUM = _concentration("magnesium", 2.0, 0.85, lower=0.2)
VITAMIN_C = _concentration("vitamin_c", 200, 50)
VITAMIN_D = _concentration("vitamin_d", 300, 60)
CHRONIC_STRESS = number(ge=0, le=1)
#: Experiences in Close Relationships scale (1-7), for attachment anxiety and avoidance.
ECR_SCORE = Quantity("", ge=1, le=7, unit_required=False)


def _check_ages(ages: list[float], species: str) -> None:
    """Raise a field error if an age lies outside the range of ``species``."""
    low, high = AGE_RANGE[species]
    bad = [age for age in ages if not low <= age <= high]
    if bad:
        raise PydanticCustomError(
            "age_for_species",
            "must be between {low} and {high} year for species {species} (got {value})",
            {"low": f"{low:g}", "high": f"{high:g}", "species": species, "value": f"{bad[0]:g}"},
        )


class SubjectSpec(SpecModel):
    """One simulated person. Every key is optional.

    ``cycle_phase``, ``menopausal`` and ``gestational_week`` apply to women only; a menopausal
    woman has no cycle phase, and a pregnant one (``gestational_week``) neither a cycle phase nor
    menopause. Hormone levels left out are filled in by the model with a value typical for the
    subject's sex, age and phase.
    """

    id: str | None = Field(
        None, min_length=1, description="name of the subject in the results; default `s0000`, ..."
    )
    species: Species = Field(
        "human", description="species; each has its own parameter values where they differ"
    )
    sex: Sex = Field("male", description="sex")
    age: Annotated[float, AGE] = Field(
        30.0, description="age in years: 18-100 for humans, 0.05-3.5 for mice and voles"
    )
    relationship: Relationship = Field("single", description="in a romantic relationship or not")
    rs53576: Genotype = Field("GG", description="genotype of the oxytocin receptor SNP rs53576")
    attachment: Attachment = Field("secure", description="adult attachment style")
    cycle_phase: CyclePhase | None = Field(
        None, description="menstrual cycle phase; women only, not with menopause or pregnancy"
    )
    menopausal: StrictBool | None = Field(
        None,
        description="`true` after menopause; women only; when left out, women aged "
        f"{MENOPAUSE_AGE:g} or more without a cycle phase or pregnancy count as menopausal",
    )
    gestational_week: Annotated[float, GESTATIONAL_WEEK] | None = Field(
        None, description="week of pregnancy; women only, not with cycle_phase or menopause"
    )
    hormonal_contraception: StrictBool = Field(
        False,
        description="takes a combined oral contraceptive (ethinylestradiol); women only, not "
        "with menopause or pregnancy",
    )
    estradiol: Annotated[float, ESTRADIOL] | None = Field(
        None, description="serum estradiol; left out: typical for sex, age and phase"
    )
    progesterone: Annotated[float, PROGESTERONE] | None = Field(
        None, description="serum progesterone; left out: typical for sex, age and phase"
    )
    testosterone: Annotated[float, TESTOSTERONE] | None = Field(
        None, description="serum testosterone; left out: typical for sex, age and phase"
    )
    magnesium: Annotated[float, MAGNESIUM] = Field(0.85, description="serum magnesium")
    vitamin_c: Annotated[float, VITAMIN_C] = Field(50.0, description="plasma vitamin C")
    vitamin_d: Annotated[float, VITAMIN_D] = Field(
        60.0, description="serum 25-hydroxyvitamin D, 25(OH)D"
    )
    chronic_stress: Annotated[float, CHRONIC_STRESS] = Field(
        0.0, description="chronic stress load, from none (0) to severe (1)"
    )
    attachment_anxiety: Annotated[float, ECR_SCORE] | None = Field(
        None,
        description="attachment anxiety on the ECR scale (1-7); left out: typical for the style",
    )
    attachment_avoidance: Annotated[float, ECR_SCORE] | None = Field(
        None,
        description="attachment avoidance on the ECR scale (1-7); left out: typical for the style",
    )
    addiction_history: AddictionHistory = Field(
        "none", description="substance dependence: never, in the past (abstinent), or current"
    )
    substance: Substance = Field("none", description="the substance of that dependence")
    genetic_vulnerability: Annotated[float, CHRONIC_STRESS] = Field(
        0.5, description="genetic predisposition to addiction, 0-1 (0.5 = population average)"
    )
    environmental_risk: Annotated[float, CHRONIC_STRESS] = Field(
        0.5, description="environmental risk of addiction, 0-1 (0.5 = population average)"
    )

    @field_validator("age")
    @classmethod
    def _age_for_species(cls, value: float, info: ValidationInfo) -> float:
        _check_ages([value], info.data.get("species", "human"))
        return value

    @field_validator("cycle_phase", "menopausal", "gestational_week")
    @classmethod
    def _women_only(cls, value: Any, info: ValidationInfo) -> Any:
        if value is not None and info.data.get("sex") == "male":
            raise PydanticCustomError("women_only", "applies to women only (sex: female)")
        return value

    @field_validator("menopausal")
    @classmethod
    def _menopause_ends_cycle(cls, value: bool | None, info: ValidationInfo) -> bool | None:
        if value and info.data.get("cycle_phase") is not None:
            raise PydanticCustomError(
                "menopause_with_cycle", "a menopausal woman has no cycle_phase; give only one"
            )
        return value

    @field_validator("hormonal_contraception")
    @classmethod
    def _contraception_of_cycling_women(cls, value: bool, info: ValidationInfo) -> bool:
        if value and info.data.get("sex") == "male":
            raise PydanticCustomError("women_only", "applies to women only (sex: female)")
        if value and (info.data.get("menopausal") or info.data.get("gestational_week") is not None):
            raise PydanticCustomError(
                "contraception_state",
                "hormonal contraception does not go with menopause or pregnancy; give only one",
            )
        return value

    @field_validator("gestational_week")
    @classmethod
    def _pregnancy_excludes_cycle(cls, value: float | None, info: ValidationInfo) -> float | None:
        if value is not None and (
            info.data.get("cycle_phase") is not None or info.data.get("menopausal")
        ):
            raise PydanticCustomError(
                "pregnancy_with_cycle",
                "a pregnant woman has neither a cycle_phase nor menopause; give only one",
            )
        return value


def _like_subject(name: str) -> Any:
    """Field of the population defaulting to, and described like, the subject's field ``name``."""
    subject_field: FieldInfo = SubjectSpec.model_fields[name]
    return Field(
        subject_field.default, validate_default=True, description=subject_field.description
    )


def _presets() -> Any:
    """The preset module, imported on use: :mod:`oxysim.population` imports this module."""
    from oxysim.population import presets

    return presets


class PopulationSpec(SpecModel):
    """A population of ``size`` subjects, sampled key by key from the distributions given.

    Keys left out take the single subject's default for every subject, or the preset's when a
    ``preset`` is named (`european`, `east_asian`, `african`; see docs/populations.md); keys given
    beside a preset override its values. Women aged 51 or more (the median age at natural
    menopause; an assumption) are menopausal; younger women get a cycle phase drawn uniformly
    from follicular, ovulatory and luteal. With ``hormone_variability`` (the default with a
    preset) each subject's estradiol, progesterone and testosterone is drawn log-normally around
    the typical level for sex, menopause and cycle phase, with sourced spreads; otherwise
    hormone levels are left to the model's typical values.
    """

    size: Annotated[int, Count(ge=1, le=MAX_POPULATION)] = Field(description="number of subjects")
    preset: str | None = Field(
        None,
        min_length=1,
        description="named population whose rs53576, sex, age and attachment distributions "
        "fill the keys not given (docs/populations.md)",
    )
    hormone_variability: StrictBool = Field(
        False,
        description="draw each subject's estradiol, progesterone and testosterone log-normally "
        "around the typical level; default `true` with a `preset`, `false` without",
    )

    @model_validator(mode="before")
    @classmethod
    def _fill_from_preset(cls, data: Any) -> Any:
        """Put the named preset's values under the keys the scenario leaves out."""
        presets = _presets().population_presets()
        name = data.get("preset") if isinstance(data, Mapping) else None
        if not isinstance(name, str) or name not in presets:
            return data
        return {**presets[name].population_fields(), **data}

    @field_validator("preset")
    @classmethod
    def _known_preset(cls, value: str | None) -> str | None:
        names = _presets().preset_names()
        if value is not None and value not in names:
            raise PydanticCustomError(
                "unknown_preset",
                "unknown population preset '{value}'; expected one of {names}",
                {"value": value, "names": ", ".join(names)},
            )
        return value

    species: Species = _like_subject("species")
    sex: Annotated[dict[str, float], Categorical.of(Sex)] = _like_subject("sex")
    age: Annotated[float | Normal | Uniform, Distribution(AGE, uniform=True)] = _like_subject("age")
    rs53576: Annotated[dict[str, float], Categorical.of(Genotype)] = _like_subject("rs53576")
    attachment: Annotated[dict[str, float], Categorical.of(Attachment)] = _like_subject(
        "attachment"
    )
    relationship: Annotated[dict[str, float], Categorical.of(Relationship)] = _like_subject(
        "relationship"
    )
    hormonal_contraception: Annotated[float, CHRONIC_STRESS] = Field(
        0.0,
        description="share of the women with a menstrual cycle (not menopausal) who take a "
        "combined oral contraceptive, 0-1",
    )

    @field_validator("age")
    @classmethod
    def _age_for_species(cls, value: float | Normal | Uniform, info: ValidationInfo) -> Any:
        """Check a fixed age, a normal mean or a uniform range against the species' ages."""
        if isinstance(value, Normal):
            checked = [value.mean]
        elif isinstance(value, Uniform):
            checked = [value.min, value.max]
        else:
            checked = [value]
        _check_ages(checked, info.data.get("species", "human"))
        return value

    magnesium: Annotated[float | Normal, Distribution(MAGNESIUM)] = _like_subject("magnesium")
    vitamin_c: Annotated[float | Normal, Distribution(VITAMIN_C)] = _like_subject("vitamin_c")
    vitamin_d: Annotated[float | Normal, Distribution(VITAMIN_D)] = _like_subject("vitamin_d")
    chronic_stress: Annotated[float | Normal, Distribution(CHRONIC_STRESS)] = _like_subject(
        "chronic_stress"
    )
    genetic_vulnerability: Annotated[
        float | Normal | Uniform, Distribution(CHRONIC_STRESS, uniform=True)
    ] = _like_subject("genetic_vulnerability")
    environmental_risk: Annotated[
        float | Normal | Uniform, Distribution(CHRONIC_STRESS, uniform=True)
    ] = _like_subject("environmental_risk")
    addiction_history: Annotated[dict[str, float], Categorical.of(AddictionHistory)] = (
        _like_subject("addiction_history")
    )
    substance: Substance = Field(
        "none", description="the substance of the dependence, for those with an addiction history"
    )
