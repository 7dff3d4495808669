from metodset_kit.service import serve

from .app import RegistrySettings

serve("metodset_registry.app:app", RegistrySettings)
