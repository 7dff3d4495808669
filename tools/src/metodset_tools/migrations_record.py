"""The record of published migrations: each migration's checksum as first committed.

A migration that a database has applied must never change (the service refuses to start on such a
database), so a changed checksum fails `make test` here instead of a production start. New migrations are
added to the record with `metodset migrations --record`; recorded lines are never rewritten.
"""
from __future__ import annotations

from pathlib import Path

from metodset_kit.db import Migration, migrations_in

COMPONENTS = {"kit": "metodset_kit", "registry": "metodset_registry", "events": "metodset_events",
              "monitoring": "metodset_monitoring"}
RECORD = Path("deploy/migrations.sha256")


def all_migrations() -> list[Migration]:
    return [m for component, package in COMPONENTS.items() for m in migrations_in(component, package)]


def key(m: Migration) -> str:
    return f"{m.component}/{m.version:03d}_{m.name}.sql"


def read(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    pairs = (line.split() for line in path.read_text("utf-8").splitlines() if line.strip())
    return {name: checksum for checksum, name in pairs}


def problems(path: Path) -> list[str]:
    recorded = read(path)
    found = {key(m): m.checksum for m in all_migrations()}
    out = [f"{name}: changed after it was published (checksum {found[name][:12]}…, recorded "
           f"{checksum[:12]}…); add a new migration instead" for name, checksum in recorded.items()
           if name in found and found[name] != checksum]
    out += [f"{name}: published, but the file is gone" for name in recorded if name not in found]
    out += [f"{name}: not in {path}; run `metodset migrations --record`" for name in found if name not in recorded]
    return out


def record(path: Path) -> list[str]:
    """Append the migrations not yet recorded; return their names."""
    recorded = read(path)
    new = [m for m in all_migrations() if key(m) not in recorded]
    with path.open("a", encoding="utf-8") as f:
        for m in new:
            f.write(f"{m.checksum}  {key(m)}\n")
    return [key(m) for m in new]
