import pytest

from oxysim.units import (
    MICROGRAM_PER_IU,
    OXYTOCIN_MOLAR_MASS_G_PER_MOL,
    UnitError,
    iu_to_microgram,
    nanomolar_to_pg_per_ml,
    pg_per_ml_to_pmol_per_l,
    pmol_per_l_to_pg_per_ml,
    to_canonical,
    units_compatible,
)


def test_oxytocin_constants_match_published_values():
    assert abs(OXYTOCIN_MOLAR_MASS_G_PER_MOL - 1007.19) < 1e-9
    assert abs(MICROGRAM_PER_IU - 1.68) < 1e-12


def test_one_pg_per_ml_is_1000_over_molar_mass_pmol_per_l():
    assert pg_per_ml_to_pmol_per_l(1.0) == pytest.approx(1000.0 / 1007.19, rel=1e-12)
    assert pg_per_ml_to_pmol_per_l(1.0) == pytest.approx(0.99286, abs=1e-5)


@pytest.mark.parametrize("pg_per_ml", [0.1, 1.0, 7.5, 336.0])
def test_pg_per_ml_and_pmol_per_l_round_trip(pg_per_ml):
    assert pmol_per_l_to_pg_per_ml(pg_per_ml_to_pmol_per_l(pg_per_ml)) == pytest.approx(
        pg_per_ml, rel=1e-12
    )


@pytest.mark.parametrize(("iu", "microgram"), [(1.0, 1.68), (24.0, 40.32), (0.5, 0.84)])
def test_iu_to_microgram_uses_1_68_ug_per_iu(iu, microgram):
    assert iu_to_microgram(iu) == pytest.approx(microgram, rel=1e-12)


def test_one_nanomolar_is_molar_mass_pg_per_ml():
    assert nanomolar_to_pg_per_ml(1.0) == pytest.approx(1007.19, rel=1e-12)
    assert nanomolar_to_pg_per_ml(1.5) == pytest.approx(1510.785, rel=1e-12)


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("1 h", "min", 60.0),
        ("90 s", "min", 1.5),
        ("15 min", "min", 15.0),
        ("2 day", "min", 2880.0),
        ("20 mIU/min", "IU/min", 0.02),
        ("1 nmol/L", "pmol/L", 1000.0),
        ("0.9 mmol/L", "mmol/L", 0.9),
    ],
)
def test_to_canonical_converts_strings(text, unit, expected):
    assert to_canonical(text, unit) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("value", [42, 42.0])
def test_to_canonical_takes_bare_numbers_in_the_target_unit(value):
    assert to_canonical(value, "min") == 42.0


@pytest.mark.parametrize(
    ("text", "unit"), [("5 kg", "min"), ("3 min", "pg/mL"), ("1 IU", "ug"), ("2 L", "IU")]
)
def test_to_canonical_rejects_wrong_dimension_naming_the_unit(text, unit):
    with pytest.raises(UnitError, match=unit.replace("/", ".")):
        to_canonical(text, unit)


@pytest.mark.parametrize("value", ["ten minutes", "15 flurbs", True])
def test_to_canonical_rejects_unreadable_values(value):
    with pytest.raises(UnitError):
        to_canonical(value, "min")


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("pg/mL", "ng/L", True),
        ("pg/mL", "min", False),
        ("IU/min", "mIU/h", True),
        ("IU", "ug", False),
    ],
)
def test_units_compatible_compares_dimensions(a, b, same):
    assert units_compatible(a, b) is same
