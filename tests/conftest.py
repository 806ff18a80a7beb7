"""Odoo as a real server on a free loopback port, for the end-to-end tests.

setup/test passes CM_TEST_DB, a database where both addons are installed with
their demo data (the one its Odoo tests just ran on), and CM_ODOO /
CM_ADDONS_PATH from setup/common.sh.
"""

import itertools
import os
import socket
import subprocess
import sys
import time

import pytest
import requests


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class JsonRpc:
    """The external JSON-RPC API (/jsonrpc), as any integration would use it."""

    _ids = itertools.count(1)

    def __init__(self, url, db, login, password):
        self.url, self.db = url, db
        self.uid = self.call("common", "authenticate", db, login, password, {})
        assert self.uid, f"cannot log in as {login}"
        self.password = password

    def call(self, service, method, *args):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"service": service, "method": method, "args": args},
            "id": next(self._ids),
        }
        response = requests.post(f"{self.url}/jsonrpc", json=payload, timeout=120)
        response.raise_for_status()
        body = response.json()
        if "error" in body:
            raise RpcError(body["error"])
        return body["result"]

    def __call__(self, model, method, *args, **kwargs):
        return self.call(
            "object", "execute_kw", self.db, self.uid, self.password, model, method, args, kwargs
        )


class RpcError(Exception):
    def __init__(self, error):
        data = error.get("data", {})
        self.name = data.get("name", "")
        self.message = data.get("message", error.get("message", ""))
        super().__init__(f"{self.name}: {self.message}")


@pytest.fixture(scope="session")
def odoo_server():
    db = os.environ.get("CM_TEST_DB")
    odoo_dir = os.environ.get("CM_ODOO")
    if not (db and odoo_dir):
        pytest.fail("run through setup/test (CM_TEST_DB and CM_ODOO are not set)")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = open(os.path.join(os.environ.get("TMPDIR", "/tmp"), f"cm-e2e-{port}.log"), "w")  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable,
            os.path.join(odoo_dir, "odoo-bin"),
            f"--addons-path={os.environ['CM_ADDONS_PATH']}",
            "-d",
            db,
            f"--db-filter=^{db}$",
            "--http-interface=127.0.0.1",
            f"--http-port={port}",
            "--max-cron-threads=0",
            "--log-level=warn",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                pytest.fail(f"Odoo exited with {process.returncode}; see {log.name}")
            try:
                if requests.get(f"{url}/web/health", timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"Odoo did not answer on {url} within 120 s; see {log.name}")
            time.sleep(0.5)
        yield {"url": url, "db": db}
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session")
def admin(odoo_server):
    return JsonRpc(odoo_server["url"], odoo_server["db"], "admin", "admin")
