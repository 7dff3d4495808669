"""Diagnostics of professional deficits: instruments and a person's results."""
