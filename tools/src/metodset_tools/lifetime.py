"""Keeping the local stack's processes tied to it: children die with `metodset run`, what a killed run left
behind is stopped at the next start, and a port held by another program is reported instead of shared."""
from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import socket
import sys
import time
from pathlib import Path

import psutil

STATE = "stack.json"
_PR_SET_PDEATHSIG = 1


class PortTaken(RuntimeError):
    pass


def die_with_parent() -> None:
    """preexec_fn of a child process: the kernel sends it SIGTERM when the process that started it dies."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _owner_of(port: int) -> str:
    with contextlib.suppress(psutil.Error, OSError):
        for conn in psutil.net_connections("tcp"):
            if conn.laddr and conn.laddr.port == port and conn.status == psutil.CONN_LISTEN and conn.pid:
                p = psutil.Process(conn.pid)
                return f" (pid {conn.pid}: {' '.join(p.cmdline())[:120]})"
    return ""


def ensure_free(ports: dict[str, int], host: str = "127.0.0.1") -> None:
    """Refuse to start on a port another program listens on (it would answer in our place)."""
    for what, port in ports.items():
        with socket.socket() as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind((host, port))
            except OSError:
                raise PortTaken(f"порт {port} ({what}) занят другой программой{_owner_of(port)}; "
                                f"выберите другие порты (--port-base, --kafka-port) / port {port} ({what}) "
                                "is taken by another program") from None


def record(data_dir: Path, **state) -> None:
    (data_dir / STATE).write_text(json.dumps({"owner": os.getpid(), **state}))


def forget(data_dir: Path) -> None:
    (data_dir / STATE).unlink(missing_ok=True)


def _alive(pid: int | None, marker: str) -> psutil.Process | None:
    with contextlib.suppress(psutil.Error, TypeError):
        p = psutil.Process(pid)
        if p.status() != psutil.STATUS_ZOMBIE and marker in " ".join(p.cmdline()):
            return p
    return None


def stop_process(p: psutil.Process, sig: int = signal.SIGTERM, timeout: float = 10) -> None:
    with contextlib.suppress(psutil.Error):
        p.send_signal(sig)
        try:
            p.wait(timeout)
        except psutil.TimeoutExpired:
            p.kill()


def stop_postmaster(pgdata: Path) -> bool:
    """Fast shutdown (SIGINT) of a PostgreSQL server running on this data directory, if any."""
    pidfile = Path(pgdata) / "postmaster.pid"
    with contextlib.suppress(OSError, ValueError):
        postmaster = _alive(int(pidfile.read_text().split()[0]), "postgres")
        if postmaster is not None:
            stop_process(postmaster, signal.SIGINT, timeout=30)
            return True
    return False


def stop_leftovers(data_dir: Path, say=print) -> None:
    """Stop the broker and PostgreSQL that an earlier run of this data directory left when it was killed."""
    path = data_dir / STATE
    if not path.exists():
        return
    state = json.loads(path.read_text())
    if _alive(state.get("owner"), "metodset"):
        raise RuntimeError(f"в {data_dir} уже работает metodset (pid {state['owner']}) / "
                           f"another metodset run uses {data_dir}")
    broker = _alive(state.get("broker"), "broker")
    if broker is not None:
        say(f"metodset: stopping the broker a previous run left (pid {broker.pid})")
        stop_process(broker)
    if state.get("pgdata") and stop_postmaster(Path(state["pgdata"])):
        say("metodset: stopped the PostgreSQL a previous run left")
    forget(data_dir)


def reap(parent: int, pgdata: str | None, broker: int | None) -> None:
    """The reaper's life: wait until the parent is gone (SIGTERM from the kernel), then stop what it started."""
    stopping = {"now": False}

    def on_term(*_):
        stopping["now"] = True

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    while not stopping["now"] and os.getppid() == parent:
        time.sleep(0.5)
    if broker and (p := _alive(broker, "broker")):
        stop_process(p)
    if pgdata:
        stop_postmaster(Path(pgdata))


if __name__ == "__main__":
    parent_pid, data, broker_pid = int(sys.argv[1]), sys.argv[2] or None, int(sys.argv[3]) or None
    reap(parent_pid, data, broker_pid)
