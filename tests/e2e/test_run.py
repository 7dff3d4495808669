"""`metodset run` (what `make run` starts) from an empty data directory: banner, a working slice, clean stop."""
import os
import random
import re
import signal
import subprocess
import sys
import time

import httpx
import pytest

pytestmark = pytest.mark.e2e


def _free_block(size: int = 4) -> int:
    """A block of free ports below the kernel's ephemeral range (32768+ here), where no outgoing connection
    can take one of them between this check and the services binding them."""
    for _ in range(200):
        base = random.randrange(20000, 32000 - size)
        if all(_is_free(base + i) for i in range(size)):
            return base
    raise RuntimeError("no free block of ports")


def _is_free(port: int) -> bool:
    import socket

    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def test_run_serves_the_stack_and_stops_on_sigterm(tmp_path, infra):
    base = _free_block()
    env = {**os.environ, "METODSET_DATA_DIR": str(tmp_path), "DATABASE_URL": infra.database_url,
           "KAFKA_BOOTSTRAP_SERVERS": infra.bootstrap_servers, "KAFKA_NAMESPACE": f"run{base}"}
    env.pop("PYTEST_CURRENT_TEST", None)
    log = open(tmp_path / "run.log", "w+")  # noqa: SIM115
    proc = subprocess.Popen([sys.executable, "-m", "metodset_tools.cli", "run", "--port-base", str(base)],
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        banner = ""
        for _ in range(600):
            banner = (tmp_path / "run.log").read_text()
            if "Development token" in banner or proc.poll() is not None:
                break
            time.sleep(0.2)
        assert "Development token" in banner, banner[-3000:]
        assert f"http://127.0.0.1:{base}/graphql" in banner and f"http://127.0.0.1:{base + 1}/docs" in banner
        token = re.search(r"^(eyJ[\w-]+\.[\w-]+\.[\w-]+)$", banner, re.M).group(1)
        r = httpx.post(f"http://127.0.0.1:{base}/graphql", json={"query": "{ municipalities { oktmo } }"},
                       headers={"Authorization": f"Bearer {token}"}, timeout=10)
        assert r.status_code == 200 and r.json() == {"data": {"municipalities": []}}
        assert (tmp_path / "keys" / "jwks.json").exists()
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(60)
    assert code == 0
    for port in range(base, base + 4):
        assert _is_free(port)


def test_token_prints_only_the_token(tmp_path):
    out = subprocess.run([sys.executable, "-m", "metodset_tools.cli", "token", "--role", "municipal_methodist",
                          "--municipality", "29701000"], env={**os.environ, "METODSET_DATA_DIR": str(tmp_path)},
                         capture_output=True, text=True, check=True).stdout
    assert re.fullmatch(r"eyJ[\w-]+\.[\w-]+\.[\w-]+\n", out)


def test_token_refuses_a_scope_the_role_needs_but_lacks(tmp_path):
    done = subprocess.run([sys.executable, "-m", "metodset_tools.cli", "token", "--role", "municipal_methodist"],
                          env={**os.environ, "METODSET_DATA_DIR": str(tmp_path)}, capture_output=True, text=True)
    assert done.returncode == 2 and done.stdout == "" and "municipality" in done.stderr
