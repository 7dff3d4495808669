"""Metodset's public contract: CloudEvents envelope and the published event types.

Other regional systems build on these topics; every change here is checked against the published
schemas in `contracts/published/` (see `metodset_contracts.compat`).
"""
from .catalogue import EVENT_TYPES, TOPICS, EventType, event_type, parse_event
from .envelope import CloudEvent

__all__ = ["EVENT_TYPES", "TOPICS", "CloudEvent", "EventType", "event_type", "parse_event"]
