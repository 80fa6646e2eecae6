"""What the libraries say reaches the officer as one readable line per message, with the
document it belongs to and without the document's text; pikepdf's start-up chatter not at all."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pymupdf

from woo_anon.runner import library_messages

HIDDEN = "Pietersen"  # a fake surname that sits in a damaged content stream, never shown as text


def damaged_pdf(path: Path, underflows: int = 10) -> Path:
    """A page that draws a line, then restores the graphics state `underflows` times more than
    it saved (MuPDF warns once and then "... repeated N times..."), then has words outside any
    string (MuPDF quotes them as unknown keywords)."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 90), "Besluit op bezwaar", fontsize=12)
    xref = doc.get_new_xref()
    doc.update_object(xref, "<<>>")
    doc.update_stream(xref, b"0 0 m 100 100 l S\n" + b"Q\n" * underflows
                      + f"BT {HIDDEN} Annelies ET\n".encode())
    contents = page.get_contents()
    doc.xref_set_key(page.xref, "Contents", "[" + " ".join(f"{x} 0 R" for x in contents + [xref]) + "]")
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


def test_a_repeated_warning_is_one_line_with_its_count(tmp_path):
    pdf = damaged_pdf(tmp_path / "kapot.pdf", underflows=10)
    with library_messages() as messages:
        with pymupdf.open(pdf) as doc:
            doc[0].get_text()
    underflow = [m for m in messages if "gstate underflow" in m]
    assert underflow == ["MuPDF: gstate underflow in content stream (10×)"], messages
    assert not any("repeated" in m for m in messages)


def test_warnings_do_not_quote_the_document(tmp_path):
    pdf = damaged_pdf(tmp_path / "kapot.pdf")
    with library_messages() as messages:
        with pymupdf.open(pdf) as doc:
            doc[0].get_text()
    keyword = [m for m in messages if "unknown keyword" in m]
    assert keyword == ["MuPDF: syntax error: unknown keyword: '…' (2×)"], messages
    assert not any(HIDDEN in m for m in messages)


def test_the_batch_output_names_the_warning_once_and_no_document_text(tmp_path):
    pdf = damaged_pdf(tmp_path / "in" / "kapot.pdf", underflows=25)
    run = subprocess.run([sys.executable, "-m", "woo_anon", "redact", str(pdf.parent), "-o",
                          str(tmp_path / "out"), "--model", "blank", "-j", "1"],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    lines = [line for line in run.stderr.splitlines() if "gstate underflow" in line]
    assert len(lines) == 1 and "kapot.pdf" in lines[0], run.stderr
    count = int(re.search(r"\((\d+)×\)$", lines[0]).group(1))
    assert count % 25 == 0  # every pass over the page (extract, redact, verify) counts
    assert "repeated" not in run.stderr and HIDDEN not in run.stderr + run.stdout
    assert HIDDEN not in (tmp_path / "out" / "audit.jsonl").read_text(encoding="utf-8")


def test_pikepdf_start_up_line_is_not_logged_and_nothing_else_is_changed():
    code = ("import logging; logging.basicConfig(level=logging.DEBUG)\n"
            "import woo_anon, pikepdf\n"
            "logging.getLogger('pikepdf._core').info('eigen regel')\n"
            "print(logging.getLogger().level, logging.getLogger('pikepdf._core').level)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "logger bridge" not in run.stderr and "eigen regel" in run.stderr
    assert run.stdout.split() == ["10", "0"]  # the user's root level; pikepdf's logger unset
