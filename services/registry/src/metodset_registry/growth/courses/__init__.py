"""Upgrade courses and attestation categories of a person."""
