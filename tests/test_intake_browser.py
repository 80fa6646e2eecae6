"""The Chromium that prints e-mail, text, CSV and HTML renditions: one per worker process for the
whole batch, a time limit per document with a fresh browser after a hang or crash, nothing
fetched, and no Chromium process left behind at the end of a batch or after Ctrl-C.

Processes are found with psutil by their profile folder: the tests point TMPDIR at a folder of
their own, so a neighbour's Chromium is never counted (a short one: Chromium puts a Unix socket
under TMPDIR, and pytest's tmp_path is longer than a socket path may be).
"""

from __future__ import annotations

import http.server
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
import pymupdf
import pytest

from woo_anon.errors import DocumentTimeoutError
from woo_anon.intake import browser, close_converters, render

pytestmark = pytest.mark.skipif(browser.executable() is None,
                                reason="chromium missing (scripts/setup.sh)")
LINE = "Mevrouw Annelies Vormgever belde op 06-31415926 over de Kastanjelaan."


@pytest.fixture(autouse=True)
def own_tmpdir(tmp_path, monkeypatch):  # tmp_path first: pytest reads TMPDIR for it
    """Chromium's profile (and so its command line) lies under this test's folder."""
    close_converters()  # a browser an earlier test started lives elsewhere
    folder = Path(tempfile.mkdtemp(prefix="wa-"))
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr("tempfile.tempdir", None)
    yield folder
    close_converters()
    shutil.rmtree(folder, ignore_errors=True)


def ours(folder: Path) -> list[psutil.Process]:
    """Live processes whose command line names `folder` (Chromium and every helper it starts
    carry its --user-data-dir)."""
    found = []
    for proc in psutil.process_iter(["cmdline", "status"]):
        if proc.info["status"] != psutil.STATUS_ZOMBIE and \
                any(str(folder) in part for part in proc.info["cmdline"] or []):
            found.append(proc)
    return found


def gone(folder: Path, within: float = 15.0) -> bool:
    """True once no process of `folder` is alive (Chromium exits on its own when the process
    that holds its pipe is killed; that takes a moment on a loaded machine)."""
    deadline = time.monotonic() + within
    while ours(folder):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def texts(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (folder / f"notitie{i}.txt").write_text(f"Notitie {i}\n\n{LINE}\n", encoding="utf-8")
    return folder


def browser_pid() -> int:
    return browser._browser.proc.pid


def test_one_browser_prints_every_document_of_a_batch(tmp_path, own_tmpdir):
    inputs = texts(tmp_path / "in", 3)
    pids = set()
    for path in sorted(inputs.iterdir()):
        rendition = render(path, tmp_path / "w" / path.name)[0]
        with pymupdf.open(rendition.pdf) as doc:
            assert "Kastanjelaan" in doc[0].get_text() and doc.is_pdf
        pids.add(browser_pid())
    assert len(pids) == 1
    assert len(ours(own_tmpdir)) >= 1  # kept for the next document
    close_converters()
    assert gone(own_tmpdir, within=0)  # killed at once, helpers included


def test_a_print_over_its_time_limit_kills_the_browser_and_the_next_gets_a_fresh_one(
        tmp_path, own_tmpdir):
    page = browser.page_html(f"<p>{LINE}</p>", "", "Notitie")
    browser.print_pdf(page, tmp_path / "a.pdf")
    first = browser_pid()
    with pytest.raises(DocumentTimeoutError, match="took longer"):
        browser.print_pdf(page, tmp_path / "b.pdf", timeout=0.001)
    assert gone(own_tmpdir, within=0) and not (tmp_path / "b.pdf").exists()
    browser.print_pdf(page, tmp_path / "c.pdf")
    assert browser_pid() != first
    with pymupdf.open(tmp_path / "c.pdf") as doc:
        assert "Kastanjelaan" in doc[0].get_text()


def test_a_browser_that_died_between_documents_is_restarted(tmp_path, own_tmpdir):
    page = browser.page_html(f"<p>{LINE}</p>", "", "Notitie")
    browser.print_pdf(page, tmp_path / "a.pdf")
    os.killpg(browser_pid(), signal.SIGKILL)  # a crash, or the OOM killer
    assert gone(own_tmpdir)
    browser.print_pdf(page, tmp_path / "b.pdf")
    with pymupdf.open(tmp_path / "b.pdf") as doc:
        assert "Kastanjelaan" in doc[0].get_text()


def test_a_long_tmpdir_does_not_stop_the_browser(tmp_path, monkeypatch):
    """Chromium's socket under TMPDIR must fit a socket path (108 bytes); pytest's own
    tmp_path is already longer than that once Chromium adds its folder."""
    long = tmp_path / ("lange-map-" * 6)
    long.mkdir()
    monkeypatch.setenv("TMPDIR", str(long))
    monkeypatch.setattr("tempfile.tempdir", None)
    page = browser.page_html(f"<p>{LINE}</p>", "", "Notitie")
    browser.print_pdf(page, tmp_path / "a.pdf")
    with pymupdf.open(tmp_path / "a.pdf") as doc:
        assert "Kastanjelaan" in doc[0].get_text()


class _Counting(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        _Counting.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_the_browser_fetches_nothing_even_from_a_page_without_the_policy(tmp_path):
    """The sanitiser already drops remote references; behind it, a page that still names a
    server (here one on this machine, counting requests) gets nothing through the dead proxy."""
    server = http.server.HTTPServer(("127.0.0.1", 0), _Counting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    page = (f'<html lang="nl-NL"><head><link rel="stylesheet" href="{base}/s.css"></head><body>'
            f'<p>{LINE}</p><img src="{base}/p.gif"><iframe src="{base}/f"></iframe></body></html>')
    try:
        browser.print_pdf(page, tmp_path / "a.pdf")
    finally:
        server.shutdown()
    assert _Counting.hits == []
    with pymupdf.open(tmp_path / "a.pdf") as doc:
        assert "Kastanjelaan" in doc[0].get_text()


def _redact(inputs: Path, out: Path, jobs: int, tmp: Path) -> subprocess.Popen:
    env = dict(os.environ, TMPDIR=str(tmp))
    return subprocess.Popen([sys.executable, "-m", "woo_anon", "redact", str(inputs), "-o",
                             str(out), "-j", str(jobs)], env=env, start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_batch_leaves_no_browser_behind(tmp_path, own_tmpdir, jobs):
    run = _redact(texts(tmp_path / "in", 3), tmp_path / "out", jobs, own_tmpdir)
    output = run.communicate(timeout=900)[0]
    assert run.returncode == 0, output[-2000:]
    assert len(list((tmp_path / "out").glob("*.pdf"))) == 3
    assert gone(own_tmpdir)


@pytest.mark.parametrize("jobs", [1, 2])
def test_ctrl_c_during_a_batch_leaves_no_browser_behind(tmp_path, own_tmpdir, jobs):
    run = _redact(texts(tmp_path / "in", 40), tmp_path / "out", jobs, own_tmpdir)
    deadline = time.monotonic() + 600
    while not any("--remote-debugging-pipe" in p.info["cmdline"] for p in ours(own_tmpdir)):
        assert run.poll() is None and time.monotonic() < deadline, "no browser started"
        time.sleep(0.1)
    os.killpg(run.pid, signal.SIGINT)  # what Ctrl-C in a terminal sends to the foreground group
    run.communicate(timeout=120)
    assert run.returncode != 0
    assert gone(own_tmpdir)
