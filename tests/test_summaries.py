import numpy as np
import pytest
import xarray as xr

from oxysim.summaries import STATISTICS, summarise
from oxysim.units import units_compatible


@pytest.fixture
def ramp() -> xr.Dataset:
    """Cortisol rising 10 -> 30 nmol/L over 0-10 min, then falling to 20 at 20 min."""
    time = np.arange(0.0, 21.0)
    course = np.where(time <= 10, 10 + 2 * time, 30 - (time - 10))
    scale = np.array([[1.0, 2.0], [0.5, 1.0]])  # arm, subject
    data = scale[:, :, None] * course[None, None, :]
    cortisol = xr.Variable(
        ("arm", "subject", "time"), data, {"units": "nmol/L", "long_name": "salivary cortisol"}
    )
    return xr.Dataset(
        {"salivary_cortisol": cortisol},
        coords={"arm": ["alone", "support"], "subject": ["s0", "s1"], "time": time},
    )


@pytest.mark.parametrize(
    ("statistic", "expected"),
    [
        ("peak", 30.0),
        ("min", 10.0),
        ("final", 20.0),
        ("baseline", 10.0),
        ("rise", 20.0),
        ("auc", 200.0 + 250.0),  # trapezoids: (10+30)/2*10 + (30+20)/2*10
        ("mean", 450.0 / 20.0),
    ],
)
def test_summary_of_a_known_time_course(ramp: xr.Dataset, statistic: str, expected: float) -> None:
    summary = summarise(ramp, f"{statistic}_salivary_cortisol")
    assert summary.dims == ("arm", "subject")
    np.testing.assert_allclose(summary.values, expected * np.array([[1.0, 2.0], [0.5, 1.0]]))
    assert summary.name == f"{statistic}_salivary_cortisol"


def test_units_in_attrs(ramp: xr.Dataset) -> None:
    assert summarise(ramp, "peak_salivary_cortisol").attrs["units"] == "nmol/L"
    auc_unit = summarise(ramp, "auc_salivary_cortisol").attrs["units"]
    assert units_compatible(auc_unit, "nmol*min/L")
    assert not units_compatible(auc_unit, "nmol/L")


def test_one_time_point_mean_is_the_value(ramp: xr.Dataset) -> None:
    single = ramp.isel(time=[3])
    np.testing.assert_allclose(summarise(single, "mean_salivary_cortisol").values[0, 0], 16.0)


@pytest.mark.parametrize(
    "name", ["top_salivary_cortisol", "peak_happiness", "peak", "salivary_cortisol", "peak_"]
)
def test_bad_name_lists_forms_and_variables(ramp: xr.Dataset, name: str) -> None:
    with pytest.raises(ValueError, match="allowed forms") as error:
        summarise(ramp, name)
    message = str(error.value)
    assert repr(name) in message
    assert "salivary_cortisol" in message.split("recorded variables:")[1]
    assert all(f"{s}_<variable>" in message for s in STATISTICS)
