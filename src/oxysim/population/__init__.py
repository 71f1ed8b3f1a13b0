"""Populations of simulated subjects, as columns of numpy arrays."""

from oxysim.population.presets import population_presets as population_presets
from oxysim.population.presets import preset_names as preset_names
from oxysim.population.sampling import SUBJECT_COLUMNS as SUBJECT_COLUMNS
from oxysim.population.sampling import default_ids as default_ids
from oxysim.population.sampling import sample_population as sample_population
from oxysim.population.sampling import scenario_subjects as scenario_subjects
from oxysim.population.sampling import subjects_table as subjects_table
