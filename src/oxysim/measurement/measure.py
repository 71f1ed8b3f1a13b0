"""Apply an assay to simulated values: what a study would have recorded."""

from __future__ import annotations

import numpy as np
import xarray as xr

from oxysim.measurement.assays import Assay, get_assay


def _true_values(values: xr.DataArray | xr.Dataset, assay: Assay) -> xr.DataArray:
    """The variable the assay reads, checked for name and unit."""
    if isinstance(values, xr.Dataset):
        if assay.variable not in values.data_vars:
            raise ValueError(
                f"assay {assay.name!r} reads variable {assay.variable!r}, which the dataset "
                f"lacks; it has: {', '.join(sorted(map(str, values.data_vars)))}"
            )
        values = values[assay.variable]
    if values.name is not None and values.name != assay.variable:
        raise ValueError(
            f"assay {assay.name!r} reads variable {assay.variable!r}, got {values.name!r}"
        )
    unit = values.attrs.get("units")
    if unit is not None and unit != assay.variable_unit:
        raise ValueError(
            f"assay {assay.name!r} reads {assay.variable!r} in {assay.variable_unit!r}, "
            f"got {unit!r}"
        )
    return values


def measure(
    values: xr.DataArray | xr.Dataset, assay: str, rng: np.random.Generator
) -> xr.DataArray:
    """Measure true model values with the assay called ``assay``.

    Parameters
    ----------
    values
        Simulated results (a Dataset holding the assay's variable) or the variable itself.
    assay
        A name from :func:`~oxysim.measurement.assays.assay_catalogue`.
    rng
        The only source of randomness: the same generator state gives the same output.

    Returns
    -------
    xarray.DataArray
        The reported values with the input's dims and coords, a boolean ``censored``
        coordinate (value set to a limit: LLOQ, ULOQ, scale floor or ceiling), and attrs
        ``units`` (the reported unit), ``assay`` and ``variable``.
    """
    spec = get_assay(assay)
    true = _true_values(values, spec)
    shared_axis = true.get_axis_num("time") if "time" in true.dims else None
    reported = true.to_numpy().astype(float)
    censored = np.zeros(reported.shape, dtype=bool)
    for step in spec.steps:
        reading = step.apply(reported, rng, shared_axis)
        reported, censored = reading.values, censored | reading.censored
    result = true.copy(data=reported)
    result.name = spec.name
    result.attrs = {
        "units": spec.unit,
        "long_name": spec.description,
        "assay": spec.name,
        "variable": spec.variable,
    }
    return result.assign_coords(censored=(true.dims, censored))
