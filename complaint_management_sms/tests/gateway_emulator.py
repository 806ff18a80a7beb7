"""A loopback HTTP server that speaks the Kavenegar and SMS.ir protocols, for
the tests: real sockets, real HTTP, the providers' paths, auth, fields,
answers, error codes and delays."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

KAVENEGAR_KEY = "4B6F6E67-KAVE-NEGAR-TEST-KEY0000"
SMSIR_KEY = "smsir-test-key-0123456789abcdef"


class GatewayEmulator:
    """Start with ``start()``; every request is recorded in ``requests``.

    ``script`` holds what the next send calls do, one item per call:
    ``("ok",)``, ``("http", 503)``, ``("status", 418)`` (the provider's own
    error code), ``("delay", seconds)`` (answer late, after sending),
    ``("close",)`` (drop the connection without an answer)."""

    def __init__(self):
        self.requests = []
        self.script = []
        self.sent = []  # (provider, number, text, message id)
        self.statuses = {}  # message id -> provider's status code
        self._local_ids = {}
        self._next_id = 8792343
        self._lock = threading.Lock()
        self.server = None

    # ------------------------------------------------------------ control
    def start(self):
        emulator = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                emulator._handle(self, "GET")

            def do_POST(self):
                emulator._handle(self, "POST")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def sends(self, provider):
        return [r for r in self.requests if r["provider"] == provider and r["kind"] == "send"]

    # ------------------------------------------------------------ serving
    def _handle(self, handler, method):
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        path = urlsplit(handler.path)
        record = {
            "method": method,
            "path": path.path,
            "query": parse_qs(path.query),
            "headers": dict(handler.headers),
            "body": raw,
        }
        if path.path.startswith("/v1/send") and not path.path.startswith("/v1/send.json"):
            record["provider"] = "smsir"
            self._smsir(handler, record, method, path.path)
        else:
            record["provider"] = "kavenegar"
            self._kavenegar(handler, record, path.path)

    def _reply(self, handler, status, payload):
        body = json.dumps(payload, ensure_ascii=False).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def _next_action(self):
        with self._lock:
            return self.script.pop(0) if self.script else ("ok",)

    def _kavenegar(self, handler, record, path):
        parts = path.strip("/").split("/")  # v1, key, sms, method.json
        if len(parts) != 4 or parts[0] != "v1" or parts[2] != "sms":
            return self._reply(handler, 404, {"return": {"status": 404, "message": "not found"}})
        key, method = parts[1], parts[3]
        form = {k: v[0] for k, v in parse_qs(record["body"].decode()).items()}
        form.update({k: v[0] for k, v in record["query"].items()})
        record["form"] = form
        record["kind"] = "send" if method == "send.json" else "status"
        with self._lock:
            self.requests.append(record)
        if key != KAVENEGAR_KEY:
            return self._reply(
                handler, 403, {"return": {"status": 403, "message": "key"}, "entries": None}
            )
        if method == "status.json":
            entries = [
                {"messageid": int(mid), "status": self.statuses.get(mid, 1), "statustext": ""}
                for mid in form.get("messageid", "").split(",")
                if mid
            ]
            return self._reply(
                handler, 200, {"return": {"status": 200, "message": "OK"}, "entries": entries}
            )
        if method != "send.json":
            return self._reply(handler, 404, {"return": {"status": 404, "message": "method"}})
        receptors = form.get("receptor", "").split(",")
        local_ids = form.get("localid", "").split(",") if form.get("localid") else []
        if len(receptors) > 200:
            return self._reply(
                handler, 414, {"return": {"status": 414, "message": "too many"}, "entries": None}
            )
        action = self._next_action()
        if action[0] == "http":
            return self._reply(
                handler, action[1], {"return": {"status": action[1], "message": "error"}}
            )
        if action[0] == "status":
            return self._reply(
                handler,
                action[1],
                {"return": {"status": action[1], "message": "error"}, "entries": None},
            )
        if action[0] == "close":
            handler.close_connection = True
            return None
        entries = []
        for index, receptor in enumerate(receptors):
            local_id = local_ids[index] if index < len(local_ids) else None
            with self._lock:
                if local_id and local_id in self._local_ids:
                    # Documented: a known localid is not sent again; its record comes back.
                    entries.append(self._local_ids[local_id])
                    continue
                self._next_id += 1
                entry = {
                    "messageid": self._next_id,
                    "message": form.get("message"),
                    "status": 1,
                    "statustext": "در صف ارسال",
                    "sender": form.get("sender", "10004346"),
                    "receptor": receptor,
                    "date": int(time.time()),
                    "cost": 120,
                }
                if local_id:
                    self._local_ids[local_id] = entry
                self.sent.append(("kavenegar", receptor, form.get("message"), str(self._next_id)))
            entries.append(entry)
        if action[0] == "delay":
            time.sleep(action[1])  # accepted, but the answer comes too late
        return self._reply(
            handler, 200, {"return": {"status": 200, "message": "تایید شد"}, "entries": entries}
        )

    def _smsir(self, handler, record, method, path):
        record["kind"] = "send" if path == "/v1/send/bulk" else "status"
        try:
            record["json"] = json.loads(record["body"] or b"null")
        except ValueError:
            record["json"] = None
        with self._lock:
            self.requests.append(record)
        if record["headers"].get("X-API-KEY") != SMSIR_KEY:
            return self._reply(
                handler, 401, {"status": 10, "message": "کلید نامعتبر", "data": None}
            )
        if method == "GET":
            message_id = path.rsplit("/", 1)[-1]
            state = self.statuses.get(message_id)
            return self._reply(
                handler,
                200,
                {
                    "status": 1,
                    "message": "موفق",
                    "data": {"messageId": int(message_id), "deliveryState": state},
                },
            )
        body = record["json"] or {}
        mobiles = body.get("mobiles") or []
        if len(mobiles) > 100:
            return self._reply(handler, 400, {"status": 105, "message": "too many", "data": None})
        action = self._next_action()
        if action[0] == "http":
            return self._reply(handler, action[1], {"status": 0, "message": "error", "data": None})
        if action[0] == "status":
            return self._reply(
                handler, 400, {"status": action[1], "message": "error", "data": None}
            )
        if action[0] == "close":
            handler.close_connection = True
            return None
        ids = []
        for mobile in mobiles:
            with self._lock:
                self._next_id += 1
                ids.append(self._next_id)
                self.sent.append(("smsir", mobile, body.get("messageText"), str(self._next_id)))
        if action[0] == "delay":
            time.sleep(action[1])
        if action[0] == "garbage":  # sent, but the answer is not the API's
            body = b"<html>Bad Gateway</html>"
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html")
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
            return None
        return self._reply(
            handler,
            200,
            {
                "status": 1,
                "message": "موفق",
                "data": {
                    "packId": "7e1e3f5a-0000-4a4b-9c9d-1234",
                    "messageIds": ids,
                    "cost": 1.0 * len(ids),
                },
            },
        )
