"""Imports every experiment module so that each registers its analysis."""

from oxysim.experiments import addiction as addiction
from oxysim.experiments import bonding as bonding
from oxysim.experiments import community as community
from oxysim.experiments import endocrine as endocrine
from oxysim.experiments import periphery as periphery
from oxysim.experiments import pharmacology as pharmacology
from oxysim.experiments import receptors as receptors
from oxysim.experiments import release as release
from oxysim.experiments import reward as reward
from oxysim.experiments import social as social
from oxysim.experiments import stress as stress
