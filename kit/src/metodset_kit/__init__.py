"""Shared kit of every Metodset service: settings, database, outbox/relay/inbox, broker, telemetry, auth."""
