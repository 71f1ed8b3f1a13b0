"""Global sensitivity analysis (Morris, Sobol) of model outputs over declared parameter bounds."""

from oxysim.sensitivity.analysis import sensitivity_analysis as sensitivity_analysis
from oxysim.sensitivity.factors import Factor as Factor
from oxysim.sensitivity.factors import select_factors as select_factors
from oxysim.sensitivity.sampling import SensitivityOptions as SensitivityOptions
