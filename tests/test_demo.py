from pathlib import Path

import xarray as xr
from typer.testing import CliRunner

from oxysim.cli import app


def test_demo_writes_results_plot_and_genotype_table(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["demo", "-o", str(tmp_path / "demo.nc")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "demo.png").stat().st_size > 20_000
    with xr.open_dataset(tmp_path / "demo.nc", engine="h5netcdf") as ds:
        rise = ds.salivary_cortisol.max("time") - ds.salivary_cortisol.isel(time=0)
        by = rise.groupby("rs53576").mean()
        buffering = 1 - by.sel(arm="support") / by.sel(arm="alone")
        assert float(buffering.sel(rs53576="GG")) > 0.15
        assert float(buffering.sel(rs53576="AA")) < 0.15
    for genotype in ("GG", "AG", "AA"):
        assert genotype in result.output
