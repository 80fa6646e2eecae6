"""HTML → tagged PDF (PDF/UA-style) through headless Chromium's print-to-PDF.

Chromium writes a structure tree from the HTML (headings, paragraphs, lists, tables with their
header cells), `/MarkInfo`, `/Lang` from `<html lang>` and the title from `<title>`: what a
screen reader needs, and what PyMuPDF's Story layout cannot write. Nothing is fetched: the page
is a local file whose Content-Security-Policy allows only local images and inline styles,
scripts are blocked by that policy (and removed by the sanitiser), and every network request goes to a proxy that does not exist.
"""

from __future__ import annotations

import html
import os
import shutil
import tempfile
from pathlib import Path

from woo_anon.errors import BadInputError
from woo_anon.intake.subproc import run_converter

LANG = "nl-NL"
TIMEOUT = 120  # seconds for one print (a runaway layout is killed, not waited for)
CSP = ("default-src 'none'; img-src file: data:; style-src 'unsafe-inline'; font-src file: data:")
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "chrome")


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
        out = folder / "uit.pdf"
        _run(_command(exe, folder, source, out), folder, timeout, target.name)
        if not out.is_file() or out.stat().st_size == 0:
            raise BadInputError(f"{target.name}: Chromium wrote no PDF")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(out, target)
    return target


def _command(exe: str, folder: Path, source: Path, out: Path) -> list[str]:
    command = [exe, "--headless", "--disable-gpu", "--no-pdf-header-footer",
               f"--user-data-dir={folder / 'profiel'}", "--no-first-run",
               "--disable-extensions", "--disable-background-networking", "--disable-sync",
               "--disable-default-apps", "--mute-audio",
               "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
               f"--print-to-pdf={out}", source.as_uri()]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.insert(1, "--no-sandbox")  # Chromium refuses to run its sandbox as root
    return command


def _run(command: list[str], home: Path, timeout: float, name: str) -> None:
    run_converter(command, dict(os.environ, HOME=str(home)), timeout,
                  f"{name}: rendering took longer than {timeout:.0f} s")
