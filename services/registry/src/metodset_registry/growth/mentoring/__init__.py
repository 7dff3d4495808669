"""Mentoring: pairs and groups of a mentor and young specialists."""
