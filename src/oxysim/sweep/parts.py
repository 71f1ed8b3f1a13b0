"""The finished tasks of a sweep on disk: one small NumPy ``.npz`` file each, written atomically.

A part holds one task's Dataset (summaries by arm and subject, and the subjects'
characteristics) as plain arrays, with the dimensions and attributes in a JSON entry. It loads
without pickle. NetCDF would do, but a task's 30 subject columns cost it a third of a second to
write and as much to read, longer than the task of a short scenario takes to run.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import xarray as xr

from oxysim.io.netcdf import write_atomically

#: Key of the JSON layout (names, dimensions, attributes) in a part file.
LAYOUT = "__layout__"


def save_part(dataset: xr.Dataset, path: Path) -> None:
    """Write ``dataset`` (no attributes of its own) to ``path`` atomically."""
    arrays: dict[str, np.ndarray] = {}
    layout = {}
    for index, (name, variable) in enumerate(dataset.variables.items()):
        key = f"v{index}"
        arrays[key] = variable.to_numpy()
        layout[key] = {
            "name": str(name),
            "dims": list(variable.dims),
            "attrs": {k: str(v) for k, v in variable.attrs.items()},
            "data": name in dataset.data_vars,
        }
    arrays[LAYOUT] = np.array(json.dumps(layout))

    def write(temporary: Path) -> None:
        with temporary.open("wb") as stream:
            np.savez(stream, allow_pickle=False, **arrays)

    write_atomically(path, write)


def load_part(path: Path) -> xr.Dataset:
    """The Dataset written by :func:`save_part` at ``path``."""
    with np.load(path, allow_pickle=False) as stored:
        layout = json.loads(str(stored[LAYOUT]))
        data_vars: dict[str, xr.Variable] = {}
        coords: dict[str, xr.Variable] = {}
        for key, entry in layout.items():
            variable = xr.Variable(tuple(entry["dims"]), stored[key], entry["attrs"])
            (data_vars if entry["data"] else coords)[entry["name"]] = variable
    return xr.Dataset(data_vars, coords=coords)
