"""Municipalities and organisations: the register with its history, links and marks."""
