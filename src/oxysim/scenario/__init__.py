"""Scenario files: what to simulate, read from YAML into validated, frozen models."""

from oxysim.scenario.distributions import Normal as Normal
from oxysim.scenario.distributions import Uniform as Uniform
from oxysim.scenario.events import Event as Event
from oxysim.scenario.events import EventBase as EventBase
from oxysim.scenario.events import Meditation as Meditation
from oxysim.scenario.events import Music as Music
from oxysim.scenario.events import OxytocinDose as OxytocinDose
from oxysim.scenario.events import Placebo as Placebo
from oxysim.scenario.events import RoutedEvent as RoutedEvent
from oxysim.scenario.events import SocialSupport as SocialSupport
from oxysim.scenario.events import Stressor as Stressor
from oxysim.scenario.events import Touch as Touch
from oxysim.scenario.events import WarmBath as WarmBath
from oxysim.scenario.events import event_kinds as event_kinds
from oxysim.scenario.loading import ScenarioError as ScenarioError
from oxysim.scenario.loading import ScenarioIssue as ScenarioIssue
from oxysim.scenario.loading import load_scenario as load_scenario
from oxysim.scenario.loading import parse_scenario as parse_scenario
from oxysim.scenario.reference import schema_markdown as schema_markdown
from oxysim.scenario.schema import Arm as Arm
from oxysim.scenario.schema import Scenario as Scenario
from oxysim.scenario.subjects import PopulationSpec as PopulationSpec
from oxysim.scenario.subjects import SubjectSpec as SubjectSpec
