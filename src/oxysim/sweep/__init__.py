"""Parameter sweeps: a scenario run over a grid or a seeded sample of its fields and parameters.

:func:`load_sweep` reads a sweep file, :func:`run_sweep` runs its tasks (each point x chunk of
subjects) here or on a Dask cluster and writes one Dataset with the sweep's dimensions.
"""

from oxysim.sweep.points import Sweep as Sweep
from oxysim.sweep.points import load_sweep as load_sweep
from oxysim.sweep.run import run_sweep as run_sweep
