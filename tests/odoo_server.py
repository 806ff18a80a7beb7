"""Odoo run as a real server on a free loopback port: for the end-to-end tests
(tests/conftest.py) and the benchmark (tests/bench/bench.py).

Needs CM_ODOO and CM_ADDONS_PATH from setup/common.sh.
"""

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager

import requests


class OdooServerError(RuntimeError):
    pass


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_odoo(db, workers=0, log_name="cm-e2e", extra_args=(), timeout=120):
    """Yield the URL of Odoo serving ``db``; stop it on exit."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    path = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"{log_name}-{port}.log")
    with open(path, "w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                os.path.join(os.environ["CM_ODOO"], "odoo-bin"),
                f"--addons-path={os.environ['CM_ADDONS_PATH']}",
                "-d",
                db,
                f"--db-filter=^{db}$",
                "--http-interface=127.0.0.1",
                f"--http-port={port}",
                f"--workers={workers}",
                "--max-cron-threads=0",
                "--log-level=warn",
                *extra_args,
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + timeout
            while True:
                if process.poll() is not None:
                    raise OdooServerError(f"Odoo exited with {process.returncode}; see {path}")
                try:
                    if requests.get(f"{url}/web/health", timeout=5).status_code == 200:
                        break
                except (requests.ConnectionError, requests.Timeout):
                    # Not listening yet, or still loading its registry (a busy
                    # machine): ask again until the deadline.
                    pass
                if time.monotonic() > deadline:
                    raise OdooServerError(
                        f"Odoo did not answer on {url} within {timeout} s; see {path}"
                    )
                time.sleep(0.5)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
