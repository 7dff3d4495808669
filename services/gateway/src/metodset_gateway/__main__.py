from metodset_kit.service import serve

from .app import GatewaySettings

serve("metodset_gateway.app:app", GatewaySettings)
