from metodset_kit.service import serve

from .app import MonitoringSettings

serve("metodset_monitoring.app:app", MonitoringSettings)
