"""Fitting parameters to time-course data: least squares, intervals, identifiability."""

from oxysim.fitting.data import DataError as DataError
from oxysim.fitting.data import FitData as FitData
from oxysim.fitting.data import read_data as read_data
from oxysim.fitting.fit import FitOptions as FitOptions
from oxysim.fitting.fit import fit_parameters as fit_parameters
