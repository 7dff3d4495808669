from metodset_kit.service import serve

from .app import EventsSettings

serve("metodset_events.app:app", EventsSettings)
