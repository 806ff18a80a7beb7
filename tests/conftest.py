"""Odoo as a real server on a free loopback port, for the end-to-end tests.

setup/test passes CM_TEST_DB, a database where both addons are installed with
their demo data (the one its Odoo tests just ran on), and CM_ODOO /
CM_ADDONS_PATH from setup/common.sh.
"""

import itertools
import os

import pytest
import requests
from odoo_server import OdooServerError, running_odoo


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
    if not (db and os.environ.get("CM_ODOO")):
        pytest.fail("run through setup/test (CM_TEST_DB and CM_ODOO are not set)")
    try:
        with running_odoo(db) as url:
            yield {"url": url, "db": db}
    except OdooServerError as error:
        pytest.fail(str(error))


@pytest.fixture(scope="session")
def admin(odoo_server):
    return JsonRpc(odoo_server["url"], odoo_server["db"], "admin", "admin")
