"""HTML → tagged PDF (PDF/UA-style) through headless Chromium's print-to-PDF.

Chromium writes a structure tree from the HTML (headings, paragraphs, lists, tables with their
header cells), `/MarkInfo`, `/Lang` from `<html lang>` and the title from `<title>`: what a
screen reader needs, and what PyMuPDF's Story layout cannot write. Nothing is fetched: the page
is a local file whose Content-Security-Policy allows only local images and inline styles,
scripts are blocked by that policy (and removed by the sanitiser), and every network request goes
to a proxy that does not exist.

One Chromium serves a whole batch (per worker process): starting it costs seconds of CPU, a
print milliseconds. It is driven over its DevTools pipe (`--remote-debugging-pipe`, the
Chrome DevTools Protocol; no port is opened) and runs in its own process group, so that group is
killed as a whole: after a print that overran its time limit or failed, on Ctrl-C, the
document's own time limit, and at exit. A worker that is killed outright closes the pipe, and
Chromium exits when its pipe closes. Each document gets a fresh browser context (no cache,
cookies or storage shared between documents).
"""

from __future__ import annotations

import atexit
import base64
import fcntl
import html
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from woo_anon.errors import BadInputError, DocumentTimeoutError
from woo_anon.intake.subproc import wait_group_gone

LANG = "nl-NL"
TIMEOUT = 120  # seconds for one print (a runaway layout is killed, not waited for)
START_TIMEOUT = 60  # seconds for Chromium to start and answer on its pipe
SOCKET_ROOM = 50  # longest TMPDIR under which Chromium's socket path still fits
CSP = ("default-src 'none'; img-src file: data:; style-src 'unsafe-inline'; font-src file: data:")
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "chrome")
PRINT = {"printBackground": True, "preferCSSPageSize": True, "displayHeaderFooter": False,
         "generateTaggedPDF": True, "transferMode": "ReturnAsBase64"}


def executable() -> str | None:
    """The Chromium executable (`$WOO_ANON_CHROMIUM`, else the first on PATH), or None."""
    override = os.environ.get("WOO_ANON_CHROMIUM")
    if override:
        return override if Path(override).is_file() else None
    return next((found for name in CANDIDATES if (found := shutil.which(name))), None)


def page_html(body: str, css: str, title: str, landscape: bool = False) -> str:
    """A complete, self-contained HTML page for `body` (an HTML fragment)."""
    size = "A4 landscape" if landscape else "A4"
    return (f'<!DOCTYPE html><html lang="{LANG}"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            f"<title>{html.escape(title)}</title>"
            f"<style>@page {{ size: {size}; margin: 50pt; }}\n{css}</style></head>"
            f"<body>{body}</body></html>")


def print_pdf(page: str, target: Path, images: tuple[tuple[str, bytes], ...] = (),
              timeout: float = TIMEOUT) -> Path:
    """Print a complete HTML page (see `page_html`) to a tagged PDF at `target`.

    `images` are (name, bytes) pairs the page refers to by name (written next to the page).
    Raises BadInputError when Chromium is missing or fails, DocumentTimeoutError on a timeout.
    """
    exe = executable()
    if exe is None:
        raise BadInputError("Chromium is not installed (run scripts/setup.sh): "
                            "no tagged PDF rendition")
    with tempfile.TemporaryDirectory(prefix="woo-anon-print-") as work:
        folder = Path(work)
        for name, data in images:
            (folder / name).write_bytes(data)
        source = folder / "pagina.html"
        source.write_text(page, encoding="utf-8")
        data = _print(exe, source.as_uri(), timeout, target.name)
        if not data:
            raise BadInputError(f"{target.name}: Chromium wrote no PDF")
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        partial.write_bytes(data)
        partial.replace(target)
    return target


def close() -> None:
    """Stop this process's Chromium and its helpers (the next print starts a fresh one)."""
    global _browser
    with _lock:
        if _browser is not None:
            _browser.kill()
            _browser = None


class ChromiumError(Exception):
    """Chromium stopped or answered with an error."""


class Browser:
    """One headless Chromium in its own process group, driven over its DevTools pipe."""

    def __init__(self, exe: str) -> None:
        self.home = _home()
        theirs_in, self.writer = os.pipe()  # Chromium reads commands on its fd 3
        self.reader, theirs_out = os.pipe()  # and writes answers on its fd 4
        # above 4, so that moving them to 3 and 4 in the child cannot overwrite one another
        high = (fcntl.fcntl(theirs_in, fcntl.F_DUPFD_CLOEXEC, 10),
                fcntl.fcntl(theirs_out, fcntl.F_DUPFD_CLOEXEC, 10))
        os.close(theirs_in)
        os.close(theirs_out)
        self.buffer, self.scanned, self.events, self.last_id = bytearray(), 0, [], 0
        try:  # close_fds=False: Python's own descriptors are not inheritable anyway (PEP 446)
            self.proc = subprocess.Popen(
                self._command(exe), preexec_fn=lambda: (os.dup2(high[0], 3), os.dup2(high[1], 4)),
                close_fds=False, start_new_session=True, stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                env=dict(os.environ, HOME=str(self.home), TMPDIR=str(self.home)))
        finally:
            os.close(high[0])
            os.close(high[1])
        self.owner = os.getpid()
        self.poller = select.poll()  # not select(): a descriptor above 1023 is fine too
        self.poller.register(self.reader, select.POLLIN)
        try:
            self.call("Browser.getVersion", deadline=time.monotonic() + START_TIMEOUT)
        except BaseException:
            self.kill()
            raise

    def _command(self, exe: str) -> list[str]:
        command = [exe, "--headless", "--remote-debugging-pipe", "--disable-gpu",
                   f"--user-data-dir={self.home / 'profiel'}", "--no-first-run",
                   "--disable-extensions", "--disable-background-networking", "--disable-sync",
                   "--disable-default-apps", "--mute-audio", "--no-default-browser-check",
                   "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                   "about:blank"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.insert(1, "--no-sandbox")  # Chromium refuses to run its sandbox as root
        return command

    def alive(self) -> bool:
        """True while the Chromium process runs."""
        return self.proc.poll() is None

    def print(self, url: str, timeout: float) -> bytes:
        """The PDF Chromium prints of `url` in a fresh browser context."""
        deadline = time.monotonic() + timeout
        context = self.call("Target.createBrowserContext", deadline=deadline)["browserContextId"]
        target = self.call("Target.createTarget", {"url": "about:blank",
                                                   "browserContextId": context},
                           deadline=deadline)["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True},
                            deadline=deadline)["sessionId"]
        self.call("Page.enable", session=session, deadline=deadline)
        self.events.clear()
        answer = self.call("Page.navigate", {"url": url}, session=session, deadline=deadline)
        if answer.get("errorText"):
            raise ChromiumError(f"page not loaded: {answer['errorText']}")
        self.event("Page.loadEventFired", session, deadline)
        data = self.call("Page.printToPDF", PRINT, session=session, deadline=deadline)["data"]
        self.call("Target.disposeBrowserContext", {"browserContextId": context},
                  deadline=deadline)
        return base64.b64decode(data)

    def call(self, method: str, params: dict | None = None, session: str | None = None,
             deadline: float = 0.0) -> dict:
        """Send one DevTools command and wait for its answer (events are kept meanwhile)."""
        self.last_id += 1
        message = {"id": self.last_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        payload = json.dumps(message).encode() + b"\0"
        while payload:
            payload = payload[os.write(self.writer, payload):]
        while True:
            answer = self._next(deadline)
            if answer.get("id") == self.last_id:
                if "error" in answer:
                    raise ChromiumError(f"{method}: {answer['error'].get('message', '')}")
                return answer.get("result", {})
            if "method" in answer:
                self.events.append(answer)

    def event(self, method: str, session: str, deadline: float) -> dict:
        """Wait for the event `method` of `session`."""
        while True:
            for event in self.events:
                if event["method"] == method and event.get("sessionId") == session:
                    return event
            self.events.append(self._next(deadline))

    def _next(self, deadline: float) -> dict:
        while (end := self.buffer.find(b"\0", self.scanned)) < 0:
            self.scanned = len(self.buffer)  # a large PDF arrives in many reads: scan each once
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            if not self.poller.poll(left * 1000):
                continue
            chunk = os.read(self.reader, 1 << 20)
            if not chunk:
                raise ChromiumError("Chromium stopped")
            self.buffer += chunk
        message = bytes(self.buffer[:end])
        del self.buffer[:end + 1]
        self.scanned = 0
        return json.loads(message)

    def kill(self) -> None:
        """Kill Chromium's whole process group and remove its profile."""
        if self.owner == os.getpid():
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait()
            wait_group_gone(self.proc.pid)  # its helpers are not our children
            shutil.rmtree(self.home, ignore_errors=True)
        self.forget()

    def forget(self) -> None:
        """Close this process's ends of the pipe (a forked child does this for the parent's)."""
        for fd in (self.reader, self.writer):
            try:
                os.close(fd)
            except OSError:
                pass


def _home() -> Path:
    """A new folder for Chromium's profile and temporary files (removed with it). Chromium puts
    a Unix socket in its TMPDIR and does not start when that path is longer than a socket path
    may be (108 bytes): under a long TMPDIR the folder goes to /tmp."""
    base = tempfile.gettempdir()
    if len(base) > SOCKET_ROOM and os.path.isdir("/tmp"):
        base = "/tmp"
    return Path(tempfile.mkdtemp(prefix="woo-anon-chromium-", dir=base))


_browser: Browser | None = None
_lock = threading.RLock()


def _print(exe: str, url: str, timeout: float, name: str) -> bytes:
    global _browser
    with _lock:
        try:
            if _browser is None or not _browser.alive():
                close()
                _browser = Browser(exe)
                _finish_with_worker()
            return _browser.print(url, timeout)
        except TimeoutError:
            close()
            raise DocumentTimeoutError(f"{name}: rendering took longer than {timeout:.0f} s") \
                from None
        except (ChromiumError, OSError, ValueError, KeyError) as error:
            close()
            raise BadInputError(f"{name}: Chromium failed ({error})") from None
        except BaseException:  # the document's own time limit (SIGALRM) or Ctrl-C: no orphans
            close()
            raise


def _finish_with_worker() -> None:
    """Close the browser when a multiprocessing worker ends (it skips atexit handlers)."""
    from multiprocessing import parent_process, util

    if parent_process() is not None:
        util.Finalize(None, close, exitpriority=10)


def _after_fork_in_child() -> None:
    global _browser, _lock
    _lock = threading.RLock()
    if _browser is not None:
        _browser.forget()  # the parent's browser stays the parent's
        _browser = None


atexit.register(close)
os.register_at_fork(after_in_child=_after_fork_in_child)
