"""One pint registry for oxysim, and the conversions every module shares.

Units are checked at the boundary (scenario files, parameter declarations) and converted to the
canonical unit of each quantity; the integrator then runs on plain floats.

Oxytocin conversions (S2.1):

* molar mass 1007.19 g/mol (C43H66N12O12S2; PubChem CID 439302), so 1 pg/mL = 0.99286 pmol/L;
* 1 IU = 1.68 microgram, the potency of the WHO 4th International Standard for oxytocin
  (about 600 IU/mg); de Groot et al. 1995 (J Pharm Pharmacol 47:571) used 1.71 microgram.
"""

from __future__ import annotations

from functools import lru_cache

import pint

from oxysim.cache import cache_dir

#: pint parses its unit definitions once and keeps them in oxysim's cache folder.
ureg: pint.UnitRegistry = pint.UnitRegistry(
    autoconvert_offset_to_baseunit=True, cache_folder=cache_dir() / "pint"
)
ureg.define("international_unit = [oxytocin_activity] = IU")
ureg.define("percent = 0.01 = %")

OXYTOCIN_MOLAR_MASS_G_PER_MOL = 1007.19
MICROGRAM_PER_IU = 1.68

#: Canonical unit of each physical kind of quantity used in scenario files and parameters.
CANONICAL_UNITS: dict[str, str] = {
    "time": "min",
    "age": "year",
    "oxytocin_dose": "IU",
    "oxytocin_rate": "IU/min",
    "oxytocin_concentration": "pg/mL",
    "cortisol_concentration": "nmol/L",
    "estradiol": "pg/mL",
    "progesterone": "ng/mL",
    "testosterone": "ng/dL",
    "magnesium": "mmol/L",
    "vitamin_c": "umol/L",
    "vitamin_d": "nmol/L",
    "distance": "cm",
}


class UnitError(ValueError):
    """A quantity has the wrong unit or could not be parsed."""


@lru_cache(maxsize=256)
def _unit(text: str) -> pint.Unit:
    return ureg.Unit(text)


def to_canonical(value: str | float | int, unit: str) -> float:
    """Convert ``value`` (a number in ``unit``, or a string such as ``"15 min"``) to ``unit``.

    A bare number is taken to be in ``unit``. Raises :class:`UnitError` naming the expected unit
    when the string cannot be parsed or has an incompatible dimension.
    """
    if isinstance(value, bool):
        raise UnitError(f"expected a quantity in {unit}, got a boolean")
    if isinstance(value, int | float):
        return float(value)
    try:
        quantity: pint.Quantity = ureg.Quantity(str(value).strip())
    except (pint.errors.PintError, ValueError, AttributeError, TypeError) as error:
        raise UnitError(f"cannot read {value!r} as a quantity in {unit}: {error}") from None
    if quantity.unitless:
        return float(quantity.magnitude)
    try:
        return float(quantity.to(_unit(unit)).magnitude)
    except pint.errors.DimensionalityError:
        raise UnitError(
            f"{value!r} has unit '{quantity.units:~}', which cannot be converted to {unit}"
        ) from None


def units_compatible(unit_a: str, unit_b: str) -> bool:
    """True when two unit strings measure the same dimension."""
    return bool(_unit(unit_a).dimensionality == _unit(unit_b).dimensionality)


def iu_to_microgram(amount_iu: float) -> float:
    """Oxytocin mass in microgram for an amount in international units."""
    return amount_iu * MICROGRAM_PER_IU


def pg_per_ml_to_pmol_per_l(concentration: float) -> float:
    """Oxytocin concentration in pmol/L for one in pg/mL (through the molar mass)."""
    return concentration * 1000.0 / OXYTOCIN_MOLAR_MASS_G_PER_MOL


def pmol_per_l_to_pg_per_ml(concentration: float) -> float:
    """Oxytocin concentration in pg/mL for one in pmol/L."""
    return concentration * OXYTOCIN_MOLAR_MASS_G_PER_MOL / 1000.0


def nanomolar_to_pg_per_ml(concentration: float) -> float:
    """Oxytocin concentration in pg/mL for one in nmol/L (receptor affinities are quoted in nM)."""
    return pmol_per_l_to_pg_per_ml(concentration * 1000.0)
