"""Subject covariates: turn a subject table into the numeric inputs the model reads.

Hormones a scenario leaves unset are filled with typical values for the subject's sex, menstrual
phase, menopause or week of pregnancy. The tables below are the defaults, each with its source.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from oxysim.model.submodel import Variable

#: Typical serum hormones: (estradiol pg/mL, progesterone ng/mL, testosterone ng/dL).
#: Sources: Stricker R et al. Clin Chem Lab Med 2006;44:883-7 (cycle phases); Orwoll 2006 and
#: Travison 2017 (men); Rothman MS et al. Steroids 2011;76:177-82 (postmenopausal).
TYPICAL_HORMONES: dict[str, tuple[float, float, float]] = {
    "male": (25.0, 0.5, 600.0),
    "follicular": (60.0, 0.5, 30.0),
    "ovulatory": (250.0, 1.5, 35.0),
    "luteal": (130.0, 12.0, 30.0),
    "menopausal": (10.0, 0.3, 20.0),
}

#: Maternal estradiol (pg/mL) and progesterone (ng/mL) by week of pregnancy, smoothed from
#: Tulchinsky D et al. Am J Obstet Gynecol 1972;112:1095-100 and third-trimester reference ranges
#: (progesterone 99-342 ng/mL; estradiol 6-12 ng/mL at term).
PREGNANCY_WEEKS = np.array([0.0, 6.0, 10.0, 15.0, 20.0, 25.0, 30.0, 35.0, 40.0, 42.0])
PREGNANCY_ESTRADIOL = np.array(
    [100.0, 700.0, 1500.0, 3000.0, 5000.0, 6500.0, 8000.0, 10000.0, 12000.0, 12500.0]
)
PREGNANCY_PROGESTERONE = np.array([10.0, 20.0, 30.0, 40.0, 60.0, 80.0, 110.0, 140.0, 170.0, 175.0])

COVARIATES: tuple[Variable, ...] = (
    Variable("is_female", "1", "1 for women, 0 for men"),
    Variable("age", "year", "age"),
    Variable("rs53576_g_alleles", "1", "number of G alleles at OXTR rs53576 (GG=2, AG=1, AA=0)"),
    Variable("baseline_estradiol", "pg/mL", "serum estradiol without therapy or supplements"),
    Variable("baseline_progesterone", "ng/mL", "serum progesterone without therapy or supplements"),
    Variable(
        "baseline_testosterone", "ng/dL", "serum total testosterone without therapy or supplements"
    ),
    Variable("baseline_magnesium", "mmol/L", "serum magnesium without therapy or supplements"),
    Variable("baseline_vitamin_c", "umol/L", "plasma ascorbate without therapy or supplements"),
    Variable("baseline_vitamin_d", "nmol/L", "serum 25(OH)D without therapy or supplements"),
    Variable("chronic_stress", "1", "chronic stress load, 0-1"),
    Variable("is_partnered", "1", "1 when in a romantic relationship"),
    Variable("uses_hormonal_contraception", "1", "1 when taking a combined oral contraceptive"),
    Variable("attachment_anxiety", "1", "attachment anxiety, ECR scale 1-7"),
    Variable("attachment_avoidance", "1", "attachment avoidance, ECR scale 1-7"),
    Variable("addiction_current", "1", "1 with a current substance dependence"),
    Variable("addiction_past", "1", "1 with a past (abstinent) substance dependence"),
    Variable("genetic_vulnerability", "1", "genetic predisposition to addiction, 0-1"),
    Variable("environmental_risk", "1", "environmental risk of addiction, 0-1"),
)

#: Typical ECR attachment anxiety and avoidance (1-7) for each attachment style, used when a
#: subject's scores are not given. Assumption placed on the ECR norms (Brennan KA, Clark CL,
#: Shaver PR 1998, in Simpson & Rholes eds, Attachment theory and close relationships: anxiety
#: about 3.6 +/- 1.1, avoidance about 2.9 +/- 1.1 in students); secure low on both.
TYPICAL_ATTACHMENT_SCORES: dict[str, tuple[float, float]] = {
    "secure": (2.6, 2.3),
    "anxious": (4.8, 3.0),
    "avoidant": (3.0, 4.5),
}

#: Subject fields that are the subject's own level of a hormone or nutrient: the model reads them
#: as ``baseline_<name>``, from which therapy and supplement events move the serum level.
#: Addiction risks (S1.2): subject characteristics, 0-1, drawn per person in populations.
ADDICTION_RISKS = ("genetic_vulnerability", "environmental_risk")
BASELINE_LEVELS = (
    "estradiol",
    "progesterone",
    "testosterone",
    "magnesium",
    "vitamin_c",
    "vitamin_d",
)

_G_ALLELES = {"GG": 2.0, "AG": 1.0, "AA": 0.0}


def reproductive_state(table: Mapping[str, np.ndarray]) -> np.ndarray:
    """Key into :data:`TYPICAL_HORMONES` for each subject."""
    female = np.asarray(table["sex"]) == "female"
    menopausal = np.asarray(table["menopausal"], dtype=bool)
    phase = np.asarray(table["cycle_phase"]).astype(str)
    phase = np.where(np.isin(phase, ("follicular", "ovulatory", "luteal")), phase, "follicular")
    return np.where(female, np.where(menopausal, "menopausal", phase), "male")


def typical_hormones(table: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Default estradiol, progesterone and testosterone for each subject of ``table``."""
    state = reproductive_state(table)
    lookup = {}
    for index, name in enumerate(("estradiol", "progesterone", "testosterone")):
        values = {key: levels[index] for key, levels in TYPICAL_HORMONES.items()}
        lookup[name] = np.vectorize(values.__getitem__, otypes=[float])(state)
    weeks = np.asarray(table["gestational_week"], dtype=float)
    pregnant = np.isfinite(weeks)
    if pregnant.any():
        lookup["estradiol"][pregnant] = np.interp(
            weeks[pregnant], PREGNANCY_WEEKS, PREGNANCY_ESTRADIOL
        )
        lookup["progesterone"][pregnant] = np.interp(
            weeks[pregnant], PREGNANCY_WEEKS, PREGNANCY_PROGESTERONE
        )
    return lookup


def covariate_inputs(table: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Numeric covariates (see :data:`COVARIATES`), one array per name, one value per subject."""
    genotype = np.asarray(table["rs53576"])
    out = {
        "is_female": (np.asarray(table["sex"]) == "female").astype(float),
        "age": np.asarray(table["age"], dtype=float),
        "rs53576_g_alleles": np.vectorize(_G_ALLELES.__getitem__, otypes=[float])(genotype),
    }
    for hormone, fallback in typical_hormones(table).items():
        given = np.asarray(table[hormone], dtype=float)
        out[f"baseline_{hormone}"] = np.where(np.isfinite(given), given, fallback)
    for name in ("magnesium", "vitamin_c", "vitamin_d"):
        out[f"baseline_{name}"] = np.asarray(table[name], dtype=float)
    out["chronic_stress"] = np.asarray(table["chronic_stress"], dtype=float)
    out["is_partnered"] = (np.asarray(table["relationship"]) == "partnered").astype(float)
    out["uses_hormonal_contraception"] = np.asarray(table["hormonal_contraception"], dtype=float)
    style = np.asarray(table["attachment"])
    for index, name in enumerate(("attachment_anxiety", "attachment_avoidance")):
        typical = np.vectorize(lambda s, i=index: TYPICAL_ATTACHMENT_SCORES[s][i], otypes=[float])
        given = np.asarray(table[name], dtype=float)
        out[name] = np.where(np.isfinite(given), given, typical(style))
    history = np.asarray(table["addiction_history"])
    out["addiction_current"] = (history == "current").astype(float)
    out["addiction_past"] = (history == "past").astype(float)
    for name in ADDICTION_RISKS:
        out[name] = np.asarray(table[name], dtype=float)
    return out
