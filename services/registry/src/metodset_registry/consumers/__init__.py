"""The registry's consumers of other services' topics."""
