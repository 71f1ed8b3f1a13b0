"""Virtual experiments on OXTR binding and regulation (S2.2, S2.4, S2.5, S3.1)."""

from __future__ import annotations

import numpy as np
import xarray as xr

from oxysim.experiments.analysis import excess, subject_ratio
from oxysim.experiments.base import experiment, run_protocol
from oxysim.model.receptor import affinity_kd
from oxysim.model.submodel import Signals
from oxysim.system import human_model
from oxysim.units import nanomolar_to_pg_per_ml


def _typical_parameters() -> Signals:
    return Signals({p.name: p.value for p in human_model().parameters})


def _at_rest(results: xr.Dataset, variable: str) -> xr.DataArray:
    return results[variable].sel(arm="default", time=0.0)


@experiment("receptor_binding")
def receptor_binding() -> dict[str, float]:
    """Magnesium-dependent affinity (in vitro) and hormone clamps in resting subjects."""
    params = _typical_parameters()
    kd_normal = float(affinity_kd(np.asarray(0.85), params))
    kd_without = float(affinity_kd(np.asarray(0.01), params))
    density = _at_rest(run_protocol("hormone_clamp"), "oxtr_hypothalamus")
    return {
        "kd_normal_magnesium": kd_normal / nanomolar_to_pg_per_ml(1.0),
        "affinity_loss_without_magnesium": kd_without / kd_normal,
        "estradiol_brain_oxtr": subject_ratio(density, "ovulatory_woman", "man"),
        "progesterone_brain_oxtr": subject_ratio(density, "high_progesterone", "low_progesterone"),
    }


@experiment("pitocin_labour_protocol")
def pitocin_labour_protocol() -> dict[str, float]:
    """Uterine OXTR at week 39 vs 15 and the response to one infusion rate (Fuchs 1982/1984)."""
    results = run_protocol("pregnancy_infusion").sel(arm="default")
    density = results.oxtr_uterus.sel(time=0.0)
    response = excess(results.oxtr_signal_uterus, 10.0).sel(time=50.0)
    return {
        "receptor_ratio_term_vs_midpregnancy": subject_ratio(density, "week39", "week15"),
        "response_ratio_term_vs_midpregnancy": subject_ratio(response, "week39", "week15"),
    }


@experiment("synthesis_cofactors")
def synthesis_cofactors() -> dict[str, float]:
    """Vitamin C limits synthesis only when deficient; the vitamin D hypothesis is off."""
    results = run_protocol("hormone_clamp")
    plasma = _at_rest(results, "plasma_oxytocin")
    density = _at_rest(results, "oxtr_hypothalamus")
    return {
        "vitamin_c_deficiency": subject_ratio(plasma, "vitamin_c_5", "vitamin_c_50"),
        "vitamin_c_above_sufficiency": subject_ratio(plasma, "vitamin_c_120", "vitamin_c_50"),
        "vitamin_d_default_off": subject_ratio(density, "vitamin_d_20", "vitamin_d_60"),
    }
