"""Nutrient status under supplements: magnesium, vitamin C and vitamin D (S2.4).

Each nutrient starts at the subject's own level (covariates ``baseline_*``). A ``nutrient`` event
adds its dose to a body store of the supplement, which turns over with its own half-life. The
serum level rises from baseline toward a homeostatic ceiling as the store fills,
``level = baseline + (ceiling - baseline) * store / (store + half_store)``, so a deficient person
gains more than a replete one and no dose pushes the level past the ceiling (renal thresholds for
magnesium and ascorbate; 25(OH)D keeps rising over the range of usual doses). The release
sub-model reads vitamin C (oxytocin amidation), the receptor sub-model magnesium (OXTR affinity)
and vitamin D (the OXTR-transcription hypothesis). Doses act at once: gut absorption (hours) is
not modelled.

Sources: Levine M et al. PNAS 1996;93:3704-9 (ascorbate pharmacokinetics, plasma saturation);
Heaney RP et al. Am J Clin Nutr 2003;77:204-10 (25(OH)D response to daily cholecalciferol);
Jones G. Am J Clin Nutr 2008;88:582S-6S (25(OH)D half-life); Zhang X et al. J Nutr
2016;146:2307-14 (serum magnesium after supplementation).
"""

from __future__ import annotations

from collections.abc import Mapping

from oxysim.model import ops
from oxysim.model.motifs import MINUTES_PER_DAY, rate_from_half_life
from oxysim.model.ops import Value
from oxysim.model.parameters import Parameter
from oxysim.model.submodel import Signals, SubModel, Variable

_TARGET = "nutrient_repletion"

#: For each ``nutrient`` kind: the serum unit, and the dose unit (the store's unit).
NUTRIENT_UNITS: Mapping[str, tuple[str, str]] = {
    "magnesium": ("mmol/L", "mg"),
    "vitamin_c": ("umol/L", "mg"),
    "vitamin_d": ("nmol/L", "ug"),
}
#: The store state a dose of each nutrient is added to.
NUTRIENT_STORES: Mapping[str, str] = {name: f"{name}_store" for name in NUTRIENT_UNITS}

PARAMETERS = (
    Parameter(
        "magnesium_store_half_life",
        14.0,
        "d",
        "turnover half-life of supplemented magnesium",
        "assumption",
        (1.0, 120.0),
        source="assumption: serum magnesium settles over weeks of supplementation (Zhang 2016)",
    ),
    Parameter(
        "magnesium_ceiling",
        1.0,
        "mmol/L",
        "serum magnesium that supplements approach but do not pass (renal threshold)",
        "assumption",
        (0.85, 1.5),
        source="assumption: the kidney excretes magnesium above about 1 mmol/L",
    ),
    Parameter(
        "magnesium_half_store",
        12000.0,
        "mg",
        "supplemented magnesium store giving half the rise toward the ceiling",
        "assumption",
        (100.0, 1e6),
        calibrated_to=_TARGET,
        source="chosen so 300 mg/day raises a replete person's serum magnesium by about 0.05 "
        "mmol/L (Zhang 2016: modest rises, larger when low)",
    ),
    Parameter(
        "vitamin_c_store_half_life",
        0.33,
        "d",
        "turnover half-life of supplemented ascorbate in plasma",
        "human-single",
        (0.02, 20.0),
        source="plasma returns to its pre-dose level within about a day at replete intakes "
        "(Levine 1996)",
    ),
    Parameter(
        "vitamin_c_ceiling",
        80.0,
        "umol/L",
        "plasma ascorbate at saturation",
        "human-single",
        (50.0, 150.0),
        source="plasma saturates near 70-80 umol/L with oral doses of 400 mg/day and more "
        "(Levine 1996)",
    ),
    Parameter(
        "vitamin_c_half_store",
        50.0,
        "mg",
        "supplemented ascorbate store giving half the rise toward saturation",
        "human-single",
        (1.0, 5000.0),
        calibrated_to=_TARGET,
        source="chosen so 500 mg/day brings a replete person near saturation (Levine 1996)",
    ),
    Parameter(
        "vitamin_d_store_half_life",
        25.0,
        "d",
        "turnover half-life of supplemented vitamin D (tissue stores and 25(OH)D)",
        "established",
        (5.0, 90.0),
        source="25(OH)D half-life about 15 days, lengthened by fat stores; steady state after "
        "about 3 months of daily dosing (Jones 2008; Heaney 2003)",
    ),
    Parameter(
        "vitamin_d_ceiling",
        300.0,
        "nmol/L",
        "25(OH)D that supplements approach but do not pass",
        "assumption",
        (150.0, 600.0),
        source="assumption: hydroxylation saturates; toxicity is reported above about 375 nmol/L",
    ),
    Parameter(
        "vitamin_d_half_store",
        11000.0,
        "ug",
        "supplemented vitamin D store giving half the rise toward the ceiling",
        "established",
        (100.0, 1e6),
        calibrated_to=_TARGET,
        source="chosen so 25 ug (1000 IU)/day raises 25(OH)D by about 0.7 nmol/L per ug/day "
        "at steady state (Heaney 2003)",
    ),
)


def _level(v: Signals, p: Signals, nutrient: str) -> Value:
    """Serum level of one nutrient from the baseline and the supplement store."""
    baseline = v[f"baseline_{nutrient}"]
    store = ops.maximum(v[NUTRIENT_STORES[nutrient]], 0.0)
    headroom = ops.maximum(p[f"{nutrient}_ceiling"] - baseline, 0.0)
    return baseline + headroom * store / (store + p[f"{nutrient}_half_store"])


def _outputs(v: Signals, p: Signals) -> dict[str, Value]:
    return {nutrient: _level(v, p, nutrient) for nutrient in NUTRIENT_UNITS}


def _rates(v: Signals, p: Signals) -> dict[str, Value]:
    return {
        store: -rate_from_half_life(p[f"{nutrient}_store_half_life"] * MINUTES_PER_DAY) * v[store]
        for nutrient, store in NUTRIENT_STORES.items()
    }


def _resting(v: Signals, p: Signals) -> dict[str, Value]:
    zero = ops.zeros_like(v.baseline_magnesium)
    return {store: zero for store in NUTRIENT_STORES.values()}


NUTRIENTS = SubModel(
    name="nutrients",
    description=__doc__.split("\n")[0],
    s_ids=("S2.4",),
    states=tuple(
        Variable(store, NUTRIENT_UNITS[nutrient][1], f"supplemented {nutrient} in the body")
        for nutrient, store in NUTRIENT_STORES.items()
    ),
    outputs=(
        Variable("magnesium", "mmol/L", "serum magnesium"),
        Variable("vitamin_c", "umol/L", "plasma ascorbate"),
        Variable("vitamin_d", "nmol/L", "serum 25(OH)D"),
    ),
    inputs=tuple(
        Variable(f"baseline_{nutrient}", unit, f"the subject's own {nutrient} level")
        for nutrient, (unit, _) in NUTRIENT_UNITS.items()
    ),
    parameters=PARAMETERS,
    outputs_fn=_outputs,
    rates_fn=_rates,
    resting_state_fn=_resting,
    max_step=120.0,
)
