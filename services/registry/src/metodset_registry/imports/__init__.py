"""The registry's tabular kinds (kinds.py: organisations, staff, bodies, courses, diagnostics), each a column spec
and a batch row handler over its area's use cases, and the xlsx exports of the lists."""
