"""What every bench measures beside the platform, in the same run: the spreadsheet library alone, COPY alone
into a temporary table without indexes, and the percentiles the figures are printed with."""
from __future__ import annotations

import io
import time

import asyncpg
from openpyxl import Workbook
from python_calamine import CalamineWorkbook


def workbook(sheet_title: str, captions: list[str] | tuple[str, ...], rows: list[list]) -> bytes:
    """An xlsx file as a user would upload it: one sheet, the template's captions, then the rows."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title)
    sheet.append(list(captions))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def parse_only(data: bytes) -> tuple[float, list[list]]:
    """Seconds python-calamine (the library the imports read with) takes to read the file, and its rows."""
    started = time.perf_counter()
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    return time.perf_counter() - started, rows[1:]


async def copy_only(conn: asyncpg.Connection, table: str, rows: list[list]) -> float:
    """Seconds a COPY of the rows as text takes into a temporary table without indexes or constraints."""
    width = max((len(r) for r in rows), default=0)
    await conn.execute(f"create temporary table {table} (" + ", ".join(f"c{i} text" for i in range(width)) + ")")
    records = [tuple(None if v in ("", None) else str(v) for v in r) + (None,) * (width - len(r)) for r in rows]
    started = time.perf_counter()
    await conn.copy_records_to_table(table, records=records)
    return time.perf_counter() - started


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile of sorted values (nearest rank)."""
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]
