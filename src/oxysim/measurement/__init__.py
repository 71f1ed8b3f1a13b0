"""Measurement models: assays, rating scales and behavioural scores as published studies use them.

``measure(results, "plasma_oxytocin_eia_unextracted", rng)`` turns simulated true values into
what such a study would have recorded, with its bias, noise, limits and censoring.
"""

from oxysim.measurement.assays import Assay as Assay
from oxysim.measurement.assays import assay_catalogue as assay_catalogue
from oxysim.measurement.measure import measure as measure
