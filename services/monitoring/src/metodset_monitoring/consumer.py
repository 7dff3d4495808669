"""Monitoring's one consumer of the other services' topics: the facts behind the indicators (the organisations
it knows among them), the municipalities' names and the support cases, each record fetched, parsed and
deduplicated once.

The name keys the consumer group and the inbox: a new name reads the topics again from the beginning, which
the three projections take (they merge by version or insert once). Until 2026-11 they were three consumers
(monitoring.organisations, monitoring.facts, monitoring.support_cases); those groups can be deleted."""
from metodset_kit.consumer import combined

from .facts_projection import FACTS
from .projection import MUNICIPALITY_NAMES
from .support.projection import SUPPORT_CASES

CONSUMER = combined("monitoring.projections", [MUNICIPALITY_NAMES, FACTS, SUPPORT_CASES])
