"""Zarr results, written chunk by chunk into a temporary store moved into place at the end."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

import xarray as xr

#: Zarr format 2: its fixed-width strings (subject ids, categories) are specified and stable.
ZARR_FORMAT = 2


def save_zarr_chunks(chunks: Iterable[xr.Dataset], path: str | os.PathLike[str]) -> Path:
    """Append each Dataset of ``chunks`` along ``subject`` to a Zarr store at ``path``.

    A Dataset without a ``subject`` dimension (the bands of a streamed run) is added to the
    store as it is. The store is built beside ``path`` and replaces it only when every chunk is
    written, so an error leaves nothing half-written (and any earlier store at ``path``
    untouched).
    """
    target = Path(path)
    check_zarr_target(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        for index, chunk in enumerate(chunks):
            if index == 0:
                chunk.to_zarr(temporary, mode="w", zarr_format=ZARR_FORMAT)
            elif "subject" not in chunk.dims:
                chunk.to_zarr(temporary, mode="a", zarr_format=ZARR_FORMAT)
            else:
                chunk.to_zarr(temporary, append_dim="subject", zarr_format=ZARR_FORMAT)
        if target.exists():
            shutil.rmtree(target)
        os.replace(temporary, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            shutil.rmtree(temporary)
    return target


def check_zarr_target(target: Path) -> None:
    """Refuse (``ValueError``) a target that exists and is not a Zarr store: it would be lost."""
    if target.exists() and not (target.is_dir() and (target / ".zgroup").exists()):
        raise ValueError(f"{target} exists and is not a Zarr store; choose another output")


def load_zarr(path: str | os.PathLike[str]) -> xr.Dataset:
    """Open a Zarr store written by :func:`save_zarr_chunks`, lazily (dask-free, on demand)."""
    return xr.open_zarr(path, zarr_format=ZARR_FORMAT, chunks=None)
