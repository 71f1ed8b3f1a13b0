"""Evidence floor and claims check: which conclusions rest on weak evidence.

The claims check (:mod:`oxysim.evidence.claims`) runs the virtual experiments and is imported on
its own, so that the engine can read the floor without importing the experiments.
"""

from oxysim.evidence.floor import current_floor as current_floor
from oxysim.evidence.floor import evidence_floor as evidence_floor
from oxysim.evidence.floor import kept_parameters as kept_parameters
from oxysim.evidence.floor import neutralised_parameters as neutralised_parameters
