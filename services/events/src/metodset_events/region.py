"""The region's time zone: sessions are stored in UTC, while months of plans, certificate dates and calendar
feeds are the region's local ones. The setting REGION_TIMEZONE (EventsSettings.region_timezone) names it."""
from __future__ import annotations

import os
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Europe/Moscow"


def zone() -> ZoneInfo:
    """For code that runs without the app's settings at hand (plan-versus-fact); reads the same variable."""
    return ZoneInfo(os.environ.get("REGION_TIMEZONE", DEFAULT_TIMEZONE))
