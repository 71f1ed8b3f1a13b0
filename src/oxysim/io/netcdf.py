"""NetCDF results, written atomically (a temporary file renamed into place)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import xarray as xr


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; move it to ``path`` only if the block succeeds."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(handle)
    try:
        yield Path(temporary)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def write_atomically(path: str | os.PathLike[str], writer: Callable[[Path], object]) -> Path:
    """Call ``writer(temporary_path)`` and move the result to ``path`` when it returns."""
    with atomic_path(path) as temporary:
        writer(temporary)
    return Path(path)


def save_results(results: xr.Dataset, path: str | os.PathLike[str]) -> Path:
    """Write a results Dataset to NetCDF-4 (h5netcdf engine), atomically."""
    return write_atomically(path, lambda tmp: results.to_netcdf(tmp, engine="h5netcdf"))


def load_results(path: str | os.PathLike[str]) -> xr.Dataset:
    """Read a results file written by :func:`save_results` into memory."""
    with xr.open_dataset(path, engine="h5netcdf") as dataset:
        return dataset.load()
