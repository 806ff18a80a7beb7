"""Odoo run as a real server on a free loopback port: for the end-to-end tests
(tests/conftest.py) and the benchmarks (tests/bench/bench.py, scaleout.py).

Needs CM_ODOO and CM_ADDONS_PATH from setup/common.sh.
"""

import base64
import os
import re
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


def odoo_command(db, *args):
    """``odoo-bin`` on ``db`` with the addons, then ``args``. The database is
    named with ``-d`` alone, no ``--db-filter``: Odoo then exposes that one
    database without listing the server's databases at each request that has
    no session (the public JSON endpoint's), as a one-database deployment
    would be set up."""
    return [
        sys.executable,
        os.path.join(os.environ["CM_ODOO"], "odoo-bin"),
        f"--addons-path={os.environ['CM_ADDONS_PATH']}",
        "-d",
        db,
        *args,
    ]


def server_log(log_name, url):
    """The log file of the server :func:`running_odoo` started at ``url``."""
    port = url.rsplit(":", 1)[1]
    return os.path.join(os.environ.get("TMPDIR", "/tmp"), f"{log_name}-{port}.log")


@contextmanager
def odoo_process(command, log_path):
    """Yield the Odoo process running ``command``, its output in ``log_path``;
    stop it on exit (killed if it has not stopped within 30 s)."""
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()


@contextmanager
def running_odoo(db, workers=0, log_name="cm-e2e", extra_args=(), timeout=120):
    """Yield the URL of Odoo serving ``db``; stop it on exit."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    path = server_log(log_name, url)
    command = odoo_command(
        db,
        "--http-interface=127.0.0.1",
        f"--http-port={port}",
        f"--workers={workers}",
        "--max-cron-threads=0",
        "--log-level=warn",
        *extra_args,
    )
    with odoo_process(command, path) as process:
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


def websocket_handshake(port):
    """The status line a websocket handshake gets on ``port``."""
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        f"GET /websocket?version=18.0-3 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Origin: http://127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
            sock.sendall(request.encode())
            return sock.recv(200).decode(errors="replace").split("\r\n", 1)[0]
    except OSError as error:
        return f"no answer ({error})"


def gevent_failure(log_path):
    """Why Odoo's gevent process did not start (the exception in the log) and
    how many times it failed so far: the prefork master starts it again as soon
    as it dies, which takes CPU from the workers."""
    failures = []
    with open(log_path, errors="replace") as log_file:
        for line in log_file:
            if re.match(r"[\w.]+(Error|Exception|NotFound): ", line):
                failures.append(line.strip())
    if not failures:
        return "no error in the log"
    return f"{failures[0]}; {len(failures)} failures since Odoo started"


GEVENT_WAIT = 45


def wait_for_gevent(port, timeout=GEVENT_WAIT):
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2):
                return True
        except OSError:
            time.sleep(0.5)
    return False
