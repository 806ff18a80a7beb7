"""Odoo's prefork deployment, as the README's "Running it for a larger company"
sets it up, from the virtualenv setup/ builds: worker processes serving the
public pages, and Odoo's gevent process serving the websocket (the chatter and
notifications in the browser)."""

import requests
from odoo_server import (
    free_port,
    gevent_failure,
    running_odoo,
    server_log,
    wait_for_gevent,
    websocket_handshake,
)


def test_workers_serve_the_pages_and_gevent_the_websocket(odoo_server):
    gevent_port = free_port()
    with running_odoo(
        odoo_server["db"],
        workers=2,
        log_name="cm-e2e-prefork",
        extra_args=[f"--gevent-port={gevent_port}"],
        timeout=240,
    ) as url:
        # Without a session (the public API's callers), with -d alone.
        document = requests.get(f"{url}/complaint/api/v1/openapi.json", timeout=60)
        assert document.status_code == 200
        assert "/complaint/api/v1/complaints" in document.json()["paths"]
        assert requests.get(f"{url}/complaint", timeout=60).status_code == 200
        log = server_log("cm-e2e-prefork", url)
        assert wait_for_gevent(gevent_port), gevent_failure(log)
        # "HTTP/1.1 101 SWITCHING PROTOCOLS"
        assert websocket_handshake(gevent_port).split()[1] == "101"
        # On the workers' port the websocket is refused: the proxy must send
        # /websocket to the gevent port (README).
        assert websocket_handshake(int(url.rsplit(":", 1)[1])).split()[1] == "500"
    with open(log, errors="replace") as lines:
        assert "distribution was not found" not in lines.read(), gevent_failure(log)
