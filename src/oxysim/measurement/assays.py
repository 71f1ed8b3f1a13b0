"""The assay catalogue: how published oxytocin studies measure, as data.

Each :class:`Assay` names the model variable it reads, the unit it reports and the pipeline of
steps (:mod:`oxysim.measurement.steps`) that turns a true value into a reported one. Every number
is a graded, sourced :class:`~oxysim.model.parameters.Parameter`, named ``<assay>.<quantity>``.

Scales of the model variables: ``plasma_oxytocin`` is on the extracted-immunoassay scale
(resting 1-10 pg/mL), ``salivary_cortisol`` is taken as true free cortisol (the LC-MS/MS scale).
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from oxysim.measurement.steps import (
    AnalyticNoise,
    Discrete,
    Interference,
    LikertItems,
    Limits,
    Linear,
    Step,
)
from oxysim.model.parameters import Grade, Parameter, grade_rank

Kind = Literal["hormone", "self-report", "behaviour"]

_SALIMETRICS = (
    "Salimetrics HS salivary cortisol EIA: sensitivity < 0.007 ug/dL, standards 0.012-3.000 "
    "ug/dL (salimetrics.com, salivary cortisol technical summary); 1 ug/dL = 27.59 nmol/L"
)
_ENZO = (
    "Enzo (Assay Designs) oxytocin EIA, the kit most human studies use: standards 15.6-1000 "
    "pg/mL, intra- and inter-assay CVs below 15 % (e.g. PLoS One 2012, PMC3515439)"
)
_SZETO = (
    "Szeto A et al. Psychosom Med 2011;73:393-400: unextracted EIA more than 100-fold the "
    "extracted values in the same plasma (n = 39), Spearman rho = -0.10 between them"
)
_SCHAMS = (
    "Schams D. Acta Endocrinol 1983 (oxytocin RIA III, Sep-Pak C18 extraction): limit 0.25 "
    "pg/tube = 0.25-1.0 pg/mL plasma, intra-assay CV 7.9 %, inter-assay CV 10.8-17.3 %"
)


@dataclass(frozen=True)
class Assay:
    """One way of measuring a model variable, as used in published studies."""

    name: str
    variable: str
    variable_unit: str
    unit: str
    kind: Kind
    description: str
    citation: str
    steps: tuple[Step, ...]

    @property
    def parameters(self) -> tuple[Parameter, ...]:
        """Every number the assay uses, in pipeline order."""
        return tuple(p for step in self.steps for p in step.parameters)

    @property
    def grade(self) -> Grade:
        """The weakest evidence grade among the assay's parameters."""
        return max((p.grade for p in self.parameters), key=grade_rank)

    @property
    def noise(self) -> AnalyticNoise | None:
        """The analytic-noise step, if the assay has one."""
        return next((s for s in self.steps if isinstance(s, AnalyticNoise)), None)

    @property
    def limits(self) -> tuple[float, float] | None:
        """The reported range: LLOQ-ULOQ, or a scale's floor and ceiling."""
        for step in self.steps:
            if isinstance(step, Limits):
                return step.lloq.value, step.uloq.value
            if isinstance(step, LikertItems):
                k = step.n_items.value
                return k * step.item_low.value, k * step.item_high.value
            if isinstance(step, Discrete):
                return step.low.value, step.high.value
        return None


def _parameter(
    assay: str,
    quantity: str,
    value: float,
    unit: str,
    description: str,
    grade: Grade,
    bounds: tuple[float, float],
    source: str,
) -> Parameter:
    return Parameter(f"{assay}.{quantity}", value, unit, description, grade, bounds, source)


def _noise(assay: str, unit: str, cv: float, sd: float, grade: Grade, source: str) -> AnalyticNoise:
    """Analytic noise whose CV and SD share one source."""
    return AnalyticNoise(
        _parameter(assay, "cv", cv, "1", "CV of one determination", grade, (0.0, 2.0), source),
        _parameter(
            assay, "sd", sd, unit, "additive SD of one determination", grade, (0.0, 1e4), source
        ),
    )


def _limits(assay: str, unit: str, lloq: float, uloq: float, grade: Grade, source: str) -> Limits:
    """LLOQ and ULOQ that share one source."""
    return Limits(
        _parameter(
            assay, "lloq", lloq, unit, "lower limit of quantification", grade, (0.0, 1e5), source
        ),
        _parameter(
            assay, "uloq", uloq, unit, "upper limit of quantification", grade, (0.0, 1e5), source
        ),
    )


def _salivary_cortisol_immunoassay() -> Assay:
    name = "salivary_cortisol_immunoassay"
    bias_source = (
        "IBL cortisol saliva ELISA against LC-MS/MS in 196 samples of 49 young adults: r = 0.973, "
        "ELISA higher by a mean 3.4 nmol/L (95 % CI 2.9-3.8) (AACC abstract A-030); immunoassays "
        "read above LC-MS/MS, most at low levels, through cortisone cross-reactivity (Miller R et "
        "al. Psychoneuroendocrinology 2013;38:50-7); an ECLIA read 49 % higher (Shin S et al. Ann "
        "Lab Med 2021;41:108-13)"
    )
    return Assay(
        name,
        "salivary_cortisol",
        "nmol/L",
        "nmol/L",
        "hormone",
        "salivary cortisol by competitive ELISA, the usual method of TSST studies",
        "Salimetrics kit; Miller 2013; Hanneman 2011",
        (
            Linear(
                _parameter(
                    name,
                    "scale",
                    1.0,
                    "1",
                    "proportional bias against LC-MS/MS",
                    "human-single",
                    (0.5, 2.0),
                    bias_source,
                ),
                _parameter(
                    name,
                    "offset",
                    3.4,
                    "nmol/L",
                    "additive bias against LC-MS/MS",
                    "human-single",
                    (-10.0, 20.0),
                    bias_source,
                ),
            ),
            _noise(
                name,
                "nmol/L",
                0.07,
                0.0,
                "human-single",
                "Salimetrics kit inserts: intra-assay CV below 4 %, inter-assay CV below 7 %; "
                "Hanneman SK et al. Biol Res Nurs 2011;13:243-50 measured <= 2.5 % and "
                "<= 2.8 %; 7 % covers samples run on different plates",
            ),
            _limits(name, "nmol/L", 0.33, 82.8, "established", _SALIMETRICS),
        ),
    )


def _salivary_cortisol_lcmsms() -> Assay:
    name = "salivary_cortisol_lcmsms"
    return Assay(
        name,
        "salivary_cortisol",
        "nmol/L",
        "nmol/L",
        "hormone",
        "salivary cortisol by LC-MS/MS, the reference method (no cortisone cross-reactivity)",
        "Owen 2010; Endocrine Abstracts 2009;19:P310",
        (
            _noise(
                name,
                "nmol/L",
                0.08,
                0.0,
                "human-single",
                "Owen LJ et al. Ann Clin Biochem 2010;47:131-6: intra- and inter-assay "
                "imprecision better than 9.5 %",
            ),
            _limits(
                name,
                "nmol/L",
                0.5,
                100.0,
                "human-single",
                "LC-MS/MS of salivary cortisol and cortisone: LLOQ 0.5 nmol/L, linear to "
                "100 nmol/L (Endocrine Abstracts 2009;19:P310, Manchester)",
            ),
        ),
    )


def _oxytocin_eia_extracted() -> Assay:
    name = "plasma_oxytocin_eia_extracted"
    return Assay(
        name,
        "plasma_oxytocin",
        "pg/mL",
        "pg/mL",
        "hormone",
        "plasma oxytocin by EIA after solid-phase extraction: the scale of the model variable",
        "Szeto 2011; McCullough 2013",
        (
            _noise(name, "pg/mL", 0.15, 0.0, "human-single", _ENZO),
            _limits(
                name,
                "pg/mL",
                1.0,
                1000.0,
                "assumption",
                "assumption: the kit's 15.6 pg/mL lowest standard over an extraction that "
                "concentrates the sample about 15-fold; Szeto 2011 found 5 % of extracted "
                "samples below detection; samples above the top standard are diluted",
            ),
        ),
    )


def _oxytocin_eia_unextracted() -> Assay:
    name = "plasma_oxytocin_eia_unextracted"
    return Assay(
        name,
        "plasma_oxytocin",
        "pg/mL",
        "pg/mL",
        "hormone",
        "plasma oxytocin by EIA on unextracted plasma: matrix immunoreactivity swamps oxytocin",
        "Szeto 2011; McCullough 2013; Leng & Sabatier 2016",
        (
            Interference(
                _parameter(
                    name,
                    "interference_mean",
                    350.0,
                    "pg/mL",
                    "mean immunoreactivity of unextracted plasma that is not oxytocin",
                    "human-single",
                    (0.0, 5000.0),
                    _SZETO + "; about 100 x the 1-10 pg/mL extracted level (McCullough ME "
                    "et al. Neurosci Biobehav Rev 2013;37:1485-92)",
                ),
                _parameter(
                    name,
                    "interference_cv",
                    0.4,
                    "1",
                    "between-person CV of that immunoreactivity",
                    "assumption",
                    (0.0, 2.0),
                    "assumption: unextracted values spread widely between people and "
                    "track no known oxytocin stimulus (Leng G, Sabatier N. J "
                    "Neuroendocrinol 2016;28:10.1111/jne.12413)",
                ),
            ),
            _noise(name, "pg/mL", 0.15, 0.0, "human-single", _ENZO),
            _limits(name, "pg/mL", 15.6, 1000.0, "human-single", _ENZO),
        ),
    )


def _oxytocin_ria_extracted() -> Assay:
    name = "plasma_oxytocin_ria_extracted"
    return Assay(
        name,
        "plasma_oxytocin",
        "pg/mL",
        "pg/mL",
        "hormone",
        "plasma oxytocin by RIA after extraction, the classical validated method",
        "Schams 1983; McCullough 2013",
        (
            _noise(name, "pg/mL", 0.15, 0.0, "human-single", _SCHAMS),
            _limits(
                name,
                "pg/mL",
                1.0,
                1000.0,
                "human-single",
                _SCHAMS + "; the upper limit assumes high samples are diluted; Szeto "
                "2011's commercial RIA left > 90 % of samples below its detection limit",
            ),
        ),
    )


def _scale_format(
    name: str, n_items: float, item_low: float, item_high: float, source: str
) -> tuple[Parameter, Parameter, Parameter]:
    """The published format of a rating scale: its number of items and their range."""
    return (
        _parameter(
            name, "n_items", n_items, "1", "number of items", "established", (1.0, 100.0), source
        ),
        _parameter(
            name,
            "item_low",
            item_low,
            "1",
            "lowest item rating",
            "established",
            (-10.0, 10.0),
            source,
        ),
        _parameter(
            name,
            "item_high",
            item_high,
            "1",
            "highest item rating",
            "established",
            (1.0, 100.0),
            source,
        ),
    )


def _craving_pacs() -> Assay:
    name = "craving_pacs"
    source = (
        "Penn Alcohol Craving Scale: 5 items rated 0-6, alpha 0.92 (Flannery BA et al. Alcohol "
        "Clin Exp Res 1999;23:1289-95)"
    )
    return Assay(
        name,
        "craving",
        "1",
        "points",
        "self-report",
        "self-reported craving, Penn Alcohol Craving Scale (sum of 5 items, 0-30)",
        "Flannery 1999",
        (
            LikertItems(
                *_scale_format(name, 5.0, 0.0, 6.0, source),
                _parameter(
                    name,
                    "latent_low",
                    0.0,
                    "1",
                    "craving that rates the lowest item",
                    "assumption",
                    (-1.0, 1.0),
                    "assumption: no craving rates 0",
                ),
                _parameter(
                    name,
                    "latent_high",
                    1.0,
                    "1",
                    "craving that rates the highest item",
                    "assumption",
                    (0.0, 2.0),
                    "assumption: maximal craving rates 6",
                ),
                _parameter(
                    name,
                    "response_sd",
                    0.8,
                    "1",
                    "response noise of one item (points)",
                    "assumption",
                    (0.0, 5.0),
                    "assumption: with a between-person item SD of 1.5 points, 5 items "
                    "give alpha about 0.95, near the published 0.92",
                ),
            ),
        ),
    )


def _closeness_ios() -> Assay:
    name = "closeness_ios"
    source = (
        "Inclusion of Other in the Self scale: one pictorial item rated 1-7, 2-week test-retest "
        "r = 0.83 (Aron A, Aron EN, Smollan D. J Pers Soc Psychol 1992;63:596-612)"
    )
    return Assay(
        name,
        "pair_bond_strength",
        "1",
        "points",
        "self-report",
        "self-reported closeness to the partner, Inclusion of Other in the Self (1 item, 1-7)",
        "Aron 1992",
        (
            LikertItems(
                *_scale_format(name, 1.0, 1.0, 7.0, source),
                _parameter(
                    name,
                    "latent_low",
                    0.0,
                    "1",
                    "bond strength that rates 1",
                    "assumption",
                    (-1.0, 1.0),
                    "assumption: no bond rates 1",
                ),
                _parameter(
                    name,
                    "latent_high",
                    1.0,
                    "1",
                    "bond strength that rates 7",
                    "assumption",
                    (0.0, 2.0),
                    "assumption: the strongest bond rates 7",
                ),
                _parameter(
                    name,
                    "response_sd",
                    0.7,
                    "1",
                    "response noise of the item (points)",
                    "assumption",
                    (0.0, 5.0),
                    "assumption: with a between-person SD of 1.5 points it gives a "
                    "test-retest r of about 0.8, near the published 0.83",
                ),
            ),
        ),
    )


def _trust_game_transfer() -> Assay:
    name = "trust_game_transfer"
    design = (
        "Kosfeld M et al. Nature 2005;435:673-6: investors held 12 MU and could transfer 0, 4, 8 "
        "or 12 MU to the trustee"
    )
    return Assay(
        name,
        "investment_fraction",
        "1",
        "MU",
        "behaviour",
        "investor's transfer in the trust game (monetary units, 0/4/8/12 of 12)",
        "Kosfeld 2005",
        (
            Linear(
                _parameter(
                    name,
                    "endowment",
                    12.0,
                    "1",
                    "endowment in monetary units",
                    "established",
                    (1.0, 100.0),
                    design,
                ),
                _parameter(
                    name,
                    "offset",
                    0.0,
                    "1",
                    "transfer at zero investment (MU)",
                    "established",
                    (-10.0, 10.0),
                    design,
                ),
            ),
            _noise(
                name,
                "1",
                0.0,
                2.0,
                "assumption",
                "assumption: decision noise of one transfer, 2 MU (half a step)",
            ),
            Discrete(
                _parameter(
                    name,
                    "step",
                    4.0,
                    "1",
                    "transfer step (MU)",
                    "established",
                    (0.1, 100.0),
                    design,
                ),
                _parameter(
                    name,
                    "low",
                    0.0,
                    "1",
                    "smallest transfer (MU)",
                    "established",
                    (0.0, 100.0),
                    design,
                ),
                _parameter(
                    name,
                    "high",
                    12.0,
                    "1",
                    "largest transfer (MU)",
                    "established",
                    (0.0, 100.0),
                    design,
                ),
            ),
        ),
    )


def _approach_distance() -> Assay:
    name = "approach_distance"
    return Assay(
        name,
        "stop_distance_stranger",
        "cm",
        "cm",
        "behaviour",
        "distance at which the participant stops approaching a stranger, read off the floor",
        "Scheele 2012",
        (
            _noise(
                name,
                "cm",
                0.0,
                3.0,
                "assumption",
                "assumption: reading error and stance of one trial, 3 cm; Scheele R et al. "
                "J Neurosci 2012;32:16074-9 measured the stop distance in cm",
            ),
        ),
    )


_CATALOGUE: dict[str, Assay] = {
    assay.name: assay
    for assay in (
        _salivary_cortisol_immunoassay(),
        _salivary_cortisol_lcmsms(),
        _oxytocin_eia_extracted(),
        _oxytocin_eia_unextracted(),
        _oxytocin_ria_extracted(),
        _craving_pacs(),
        _closeness_ios(),
        _trust_game_transfer(),
        _approach_distance(),
    )
}


def assay_catalogue() -> Mapping[str, Assay]:
    """Every assay by name (read-only)."""
    return types.MappingProxyType(_CATALOGUE)


def get_assay(name: str) -> Assay:
    """The assay called ``name``; a ValueError lists the known names otherwise."""
    try:
        return _CATALOGUE[name]
    except KeyError:
        raise ValueError(
            f"unknown assay {name!r}; choose one of: {', '.join(sorted(_CATALOGUE))}"
        ) from None
