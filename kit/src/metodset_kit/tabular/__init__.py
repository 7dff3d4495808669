"""The one import/export mechanism of every service: a kind declares its columns and a batch row handler;
the kit reads xlsx/csv against them, reports every bad row, runs the import as a job, writes templates,
reports and exports (see columns.py for the declaration, jobs.py and api.py for the machinery)."""
from .columns import Catalogue, Column, ColumnType, Kind, Outcome, Row, RowError

__all__ = ["Catalogue", "Column", "ColumnType", "Kind", "Outcome", "Row", "RowError"]
