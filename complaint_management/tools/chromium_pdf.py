"""Print HTML documents to PDF with headless Chromium.

Debian's wkhtmltopdf is built on an unpatched Qt: it cannot print Odoo's header and
footer (the letterhead is lost), and its old WebKit clips and overprints mixed
Persian/Latin lines. Chromium shapes and lays out right-to-left text like the
browser the users read the HTML report in; the setup already installs it.

Chromium is driven through its DevTools protocol over a pipe
(``--remote-debugging-pipe``: no port, no extra library), because only
``Page.printToPDF`` takes the paper size and margins of Odoo's paper formats."""

import base64
import contextlib
import json
import os
import resource
import select
import shutil
import subprocess
import tempfile
import time

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
MM_PER_INCH = 25.4


class ChromiumError(Exception):
    pass


def chromium_bin():
    """The Chromium executable on the PATH, or None."""
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def _lift_memory_limit():
    """Odoo caps its own address space (``limit_memory_hard``) and a child
    inherits the cap; Chromium reserves far more address space than it uses
    and dies under it."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


class ChromiumPrinter:
    """One headless Chromium for a series of documents::

    with ChromiumPrinter() as printer:
        pdf = printer.print_pdf(html, {"width": 210, "height": 297, "top": 40, ...})
    """

    def __init__(self, timeout=120):
        self.timeout = timeout
        self._process = None
        self._tmp = None
        self._buffer = b""
        self._next_id = 0

    # ------------------------------------------------------------ lifecycle
    def __enter__(self):
        binary = chromium_bin()
        if not binary:
            raise ChromiumError("Chromium is not installed")
        self._tmp = tempfile.TemporaryDirectory(prefix="cm-chromium-")
        to_chromium_read, self._to_chromium = os.pipe()
        self._from_chromium, from_chromium_write = os.pipe()
        args = [
            "--headless",
            "--remote-debugging-pipe",
            "--disable-gpu",
            "--disable-extensions",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--no-first-run",
            "--no-default-browser-check",
            "--hide-scrollbars",
            f"--user-data-dir={os.path.join(self._tmp.name, 'profile')}",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.append("--no-sandbox")  # Chromium refuses its sandbox as root
        # The protocol runs on the child's file descriptors 3 (in) and 4 (out); bash,
        # not sh: dash cannot redirect descriptors above 9.
        # Through spare descriptors first: the pipe's own may be 3 or 4 already.
        script = (
            f'exec "$0" "$@" 100<&{to_chromium_read} 101>&{from_chromium_write} '
            "3<&100 4>&101 100<&- 101>&-"
        )
        for fd in {to_chromium_read, from_chromium_write} - {3, 4}:
            script += f" {fd}<&-"
        self._process = subprocess.Popen(
            ["/bin/bash", "-c", script, binary, *args, "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(to_chromium_read, from_chromium_write),
            preexec_fn=_lift_memory_limit,  # noqa: PLW1509
        )
        os.close(to_chromium_read)
        os.close(from_chromium_write)
        try:
            target = self._call("Target.createTarget", url="about:blank")["targetId"]
            self._session = self._call("Target.attachToTarget", targetId=target, flatten=True)[
                "sessionId"
            ]
            self._call("Page.enable", session=True)
        except Exception:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc):
        if self._process:
            with contextlib.suppress(OSError):  # already gone
                self._send("Browser.close")
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            os.close(self._to_chromium)
            os.close(self._from_chromium)
            self._process = None
        if self._tmp:
            self._tmp.cleanup()
            self._tmp = None
        return False

    # ------------------------------------------------------------ protocol
    def _send(self, method, session=False, **params):
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self._session
        os.write(self._to_chromium, json.dumps(message).encode() + b"\0")
        return self._next_id

    def _receive(self, deadline):
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ChromiumError(f"Chromium did not answer within {self.timeout} s")
            ready, _w, _x = select.select([self._from_chromium], [], [], remaining)
            if ready:
                chunk = os.read(self._from_chromium, 1 << 16)
                if not chunk:
                    raise ChromiumError("Chromium stopped")
                self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def _call(self, method, session=False, **params):
        deadline = time.monotonic() + self.timeout
        message_id = self._send(method, session=session, **params)
        while True:
            message = self._receive(deadline)
            if message.get("id") == message_id:
                if "error" in message:
                    raise ChromiumError(message["error"].get("message", str(message["error"])))
                return message.get("result", {})

    # ------------------------------------------------------------ printing
    def _open(self, html):
        """Load ``html`` (a whole document; its stylesheets are fetched as a
        browser would) and wait for its fonts."""
        deadline = time.monotonic() + self.timeout
        path = os.path.join(self._tmp.name, f"document-{self._next_id}.html")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(html)
        navigation = self._send("Page.navigate", session=True, url="file://" + path)
        answered = loaded = False
        while not (answered and loaded):
            message = self._receive(deadline)
            if message.get("id") == navigation:
                if "error" in message or message.get("result", {}).get("errorText"):
                    raise ChromiumError(f"Chromium could not open the report: {message}")
                answered = True
            elif message.get("method") == "Page.loadEventFired":
                loaded = True
        self._call(
            "Runtime.evaluate",
            session=True,
            expression="document.fonts.ready.then(() => true)",
            awaitPromise=True,
        )

    def evaluate(self, html, expression):
        """The JSON value of a JavaScript ``expression`` in ``html`` laid out."""
        self._open(html)
        result = self._call(
            "Runtime.evaluate", session=True, expression=expression, returnByValue=True
        )
        if "exceptionDetails" in result:
            raise ChromiumError(str(result["exceptionDetails"]))
        return result["result"].get("value")

    def print_pdf(self, html, paper):
        """The PDF of ``html`` on ``paper``: width, height, top, right, bottom,
        left in mm."""
        self._open(html)
        result = self._call(
            "Page.printToPDF",
            session=True,
            paperWidth=paper["width"] / MM_PER_INCH,
            paperHeight=paper["height"] / MM_PER_INCH,
            marginTop=paper.get("top", 0) / MM_PER_INCH,
            marginBottom=paper.get("bottom", 0) / MM_PER_INCH,
            marginLeft=paper.get("left", 0) / MM_PER_INCH,
            marginRight=paper.get("right", 0) / MM_PER_INCH,
            printBackground=True,
            preferCSSPageSize=False,
        )
        return base64.b64decode(result["data"])
