"""The local stack looks after itself: restarts a dead service, leaves nothing behind when killed, reports a
taken port, and services wait for PostgreSQL instead of exiting."""
import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import psutil
import pytest

from metodset_tools import devissuer
from metodset_tools.devstack import free_port
from tests.e2e.test_run import _free_block, _is_free
from tests.waiting import eventually

pytestmark = pytest.mark.e2e


def _run(tmp_path: Path, base: int, kafka_port: int, **env) -> tuple[subprocess.Popen, Path]:
    environ = {**os.environ, "METODSET_DATA_DIR": str(tmp_path), **env}
    for name in ("DATABASE_URL", "KAFKA_BOOTSTRAP_SERVERS", "PYTEST_CURRENT_TEST"):
        environ.pop(name, None)
    log = tmp_path / "run.log"
    proc = subprocess.Popen([sys.executable, "-m", "metodset_tools.cli", "run", "--port-base", str(base),
                             "--kafka-port", str(kafka_port)], env=environ, stdout=log.open("w"),
                            stderr=subprocess.STDOUT)
    return proc, log


def _child(proc: subprocess.Popen, module: str) -> psutil.Process:
    return next(c for c in psutil.Process(proc.pid).children() if module in " ".join(c.cmdline()))


async def _ready(url: str) -> bool:
    try:
        async with httpx.AsyncClient(timeout=2) as http:
            return (await http.get(f"{url}/readyz")).status_code == 200
    except httpx.HTTPError:
        return False


async def test_a_killed_service_is_restarted_and_a_killed_run_leaves_no_servers_behind(tmp_path):
    base = _free_block(5)
    kafka_port = base + 4  # below the ephemeral range too: nothing takes it while PostgreSQL starts
    proc, log = _run(tmp_path, base, kafka_port)
    try:
        await eventually(lambda: _says(log, "Development token", proc), limit=180)
        registry = _child(proc, "metodset_registry")
        registry.kill()
        await eventually(lambda: _says(log, "registry exited with code", proc))
        await eventually(lambda: _says(log, "registry started again", proc))
        assert await eventually(lambda: _ready(f"http://127.0.0.1:{base + 1}"), limit=120)
        assert _child(proc, "metodset_registry").pid != registry.pid

        postmaster = int((tmp_path / "postgres" / "postmaster.pid").read_text().split()[0])
        children = psutil.Process(proc.pid).children(recursive=True)
        proc.kill()  # no chance to clean up: the terminal was closed hard
        proc.wait()
        await eventually(lambda: _gone(postmaster, kafka_port, base), limit=60)
        await eventually(lambda: _all_exited(children), limit=60)  # services shut down gracefully
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(60)


async def _says(log: Path, text: str, proc: subprocess.Popen) -> bool:
    content = log.read_text(errors="replace")
    if proc.poll() is not None and text not in content:
        raise AssertionError(f"metodset run exited with {proc.returncode}:\n{content[-3000:]}")
    return text in content


async def _all_exited(processes: list[psutil.Process]) -> bool:
    def running(p: psutil.Process) -> bool:
        try:
            return p.is_running() and p.status() != psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            return False

    return not any(running(p) for p in processes)


async def _gone(postmaster: int, kafka_port: int, base: int) -> bool:
    return not psutil.pid_exists(postmaster) and _is_free(kafka_port) and all(_is_free(base + i) for i in range(4))


def test_a_port_held_by_another_program_is_reported_not_shared(tmp_path):
    base = _free_block()
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", base + 2))
        holder.listen()
        proc, log = _run(tmp_path, base, free_port())
        assert proc.wait(60) == 1
    out = log.read_text()
    assert f"порт {base + 2} (events) занят" in out and "--port-base" in out


class _LatePostgres:
    """A TCP door to the test PostgreSQL that opens only when told: PostgreSQL 'starting later'."""

    def __init__(self, database_url: str):
        parts = urlsplit(database_url)
        socket_dir = parse_qs(parts.query).get("host", [None])[0]
        self.target = ("unix", f"{socket_dir}/.s.PGSQL.{parts.port or 5432}") if socket_dir \
            else ("tcp", (parts.hostname, parts.port or 5432))
        self.port = free_port()
        self.loop = asyncio.new_event_loop()

    def open(self) -> None:
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        asyncio.run_coroutine_threadsafe(asyncio.start_server(self._pipe, "127.0.0.1", self.port), self.loop).result()

    async def _pipe(self, reader, writer):
        kind, where = self.target
        up_reader, up_writer = await (asyncio.open_unix_connection(where) if kind == "unix"
                                      else asyncio.open_connection(*where))

        async def copy(src, dst):
            while data := await src.read(65536):
                dst.write(data)
                await dst.drain()
            dst.close()

        await asyncio.gather(copy(reader, up_writer), copy(up_reader, writer), return_exceptions=True)


async def test_a_service_waits_for_postgresql_that_starts_later_and_gives_up_clearly_when_it_never_does(
        tmp_path, infra, namespace):
    late = _LatePostgres(infra.database_url)
    port = free_port()
    env = {**os.environ, "PORT": str(port), "DATABASE_URL": f"postgresql://postgres@127.0.0.1:{late.port}/postgres",
           "DATABASE_NAME": f"{namespace}_late", "KAFKA_BOOTSTRAP_SERVERS": infra.bootstrap_servers,
           "KAFKA_NAMESPACE": namespace, "JWT_JWKS_FILE": str(devissuer.keys_dir(infra.data_dir) / "jwks.json")}
    log = tmp_path / "registry.log"
    service = subprocess.Popen([sys.executable, "-m", "metodset_registry"], env=env, stdout=log.open("w"),
                               stderr=subprocess.STDOUT)
    try:
        await eventually(lambda: _says(log, "startup.waiting", service))
        assert service.poll() is None
        late.open()
        assert await eventually(lambda: _ready(f"http://127.0.0.1:{port}"), limit=120)
    finally:
        service.terminate()
        service.wait(30)

    never = subprocess.run([sys.executable, "-m", "metodset_registry"], capture_output=True, text=True, timeout=120,
                           env={**env, "DATABASE_URL": f"postgresql://postgres@127.0.0.1:{free_port()}/postgres",
                                "STARTUP_WAIT_SECONDS": "2", "PORT": str(free_port())})
    assert never.returncode != 0
    assert "startup.gave_up" in never.stderr and "PostgreSQL" in never.stderr
