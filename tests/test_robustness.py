"""Odd and broken inputs end as a verified output or a clean error, within the time limit."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pymupdf
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import ROOT, write_text_pdf
from woo_anon.api import Settings
from woo_anon.batch import run_batch
from woo_anon.errors import ExitCode

SETTINGS = Settings(model="blank")
LIMIT = 60


def raw_pdf(objects: list[str], root: int = 1) -> bytes:
    """A hand-written PDF with a correct xref table."""
    out, offsets = b"%PDF-1.7\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root {root} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


CASES = {
    "zero_pages": raw_pdf(["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>"]),
    "cyclic_tree": raw_pdf(["<< /Type /Catalog /Pages 2 0 R >>",
                            "<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]),
    "no_root": b"%PDF-1.4\ntrailer << /Size 1 >>\n%%EOF\n",
    "html": b"<html><body>Geen PDF</body></html>",
    "empty": b"",
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_malformed_inputs_fail_cleanly(tmp_path, case):
    src = tmp_path / f"{case}.pdf"
    src.write_bytes(CASES[case])
    start = time.monotonic()
    [result] = run_batch([str(src)], tmp_path / "out", SETTINGS, jobs=1, timeout=LIMIT)
    assert time.monotonic() - start < LIMIT
    assert result.status == "failed" and result.exit_code == ExitCode.BAD_INPUT, result
    assert result.error.startswith(str(src)) and "\n" not in result.error


def test_huge_page_and_password_protected(tmp_path):
    doc = pymupdf.open()
    page = doc.new_page(width=14400, height=14400)
    page.insert_text((100, 200), "BSN 111222333 op een zeer grote pagina", fontsize=40)
    doc.save(tmp_path / "huge.pdf")
    write_text_pdf(tmp_path / "plain.pdf", "Niets bijzonders.")
    pymupdf.open(tmp_path / "plain.pdf").save(tmp_path / "owner_only.pdf", encryption=pymupdf.PDF_ENCRYPT_AES_128,
                                              owner_pw="eigenaar", user_pw="")
    results = {r.name: r for r in run_batch([str(tmp_path / "huge.pdf"), str(tmp_path / "owner_only.pdf")],
                                            tmp_path / "out", SETTINGS, jobs=1, timeout=LIMIT)}
    assert results["huge.pdf"].status == "verified"
    assert "111222333" not in pymupdf.open(tmp_path / "out" / "huge.pdf")[0].get_text()
    # an owner password only restricts editing: it opens, and the output is not encrypted
    assert results["owner_only.pdf"].status == "verified"
    assert not pymupdf.open(tmp_path / "out" / "owner_only.pdf").is_encrypted


CORPUS = ROOT.parent / "shared" / "corpus" / "weird-pdfs"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus not present")
def test_weird_corpus_never_crashes(tmp_path):
    """Type3 and CID fonts, XFA forms, JavaScript, broken xrefs, loops: verified or clean error."""
    files = sorted(CORPUS.glob("*.pdf"))
    results = run_batch([str(CORPUS)], tmp_path / "out", SETTINGS, jobs=2, timeout=LIMIT)
    assert len(results) == len(files)
    for r in results:
        assert r.status == "verified" or (r.error and r.exit_code in (
            ExitCode.BAD_INPUT, ExitCode.TIMEOUT, ExitCode.VERIFICATION_FAILED)), r
    assert sum(r.status == "verified" for r in results) >= len(files) * 0.6


SAMPLE = (ROOT / "samples" / "brief_besluit_bezwaar.pdf").read_bytes()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, len(SAMPLE) - 1), st.integers(0, 255)), max_size=20),
       st.integers(len(SAMPLE) // 4, len(SAMPLE)))
def test_fuzzed_samples_end_verified_or_clean(tmp_path_factory, flips, cut):
    data = bytearray(SAMPLE[:cut])
    for position, value in flips:
        if position < len(data):
            data[position] = value
    work = tmp_path_factory.mktemp("fuzz")
    src = work / "fuzz.pdf"
    src.write_bytes(bytes(data))
    [result] = run_batch([str(src)], work / "out", SETTINGS, jobs=1, timeout=LIMIT)
    assert result.status == "verified" or (result.error and "\n" not in result.error)
    if result.status == "verified":
        assert pymupdf.open(work / "out" / "fuzz.pdf").page_count >= 1


def _hanging(real):
    """Wrap the runner so that documents named *hangt* hang the way native code does: the
    alarm cannot interrupt them (signals blocked), only the watchdog can."""
    def process(item, *args, **kwargs):
        if "hangt" in item.name:
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM, signal.SIGINT})
            time.sleep(3600)
        return real(item, *args, **kwargs)
    return process


def test_hung_document_is_stopped_and_batch_continues(tmp_path, monkeypatch):
    """A document that hangs where the alarm cannot reach (native code) is killed by the
    watchdog, reported as a timeout, and the other documents are still done. The hang is
    injected through the real worker path: the forked workers inherit the patched runner."""
    from woo_anon import runner

    for name in ("a_gewoon.pdf", "b_hangt.pdf", "c_gewoon.pdf"):
        write_text_pdf(tmp_path / "in" / name, "Uw BSN is 111222333.")
    monkeypatch.setattr(runner, "process", _hanging(runner.process))
    start = time.monotonic()
    results = {r.name: r for r in run_batch([str(tmp_path / "in")], tmp_path / "out", SETTINGS,
                                            jobs=2, timeout=3)}
    assert time.monotonic() - start < 150
    hung = results["b_hangt.pdf"]
    assert hung.status == "failed" and hung.exit_code == ExitCode.TIMEOUT
    assert "b_hangt.pdf" in hung.error and "stopped" in hung.error
    assert results["a_gewoon.pdf"].status == results["c_gewoon.pdf"].status == "verified"
    assert (tmp_path / "out" / "a_gewoon.pdf").exists() and (tmp_path / "out" / "c_gewoon.pdf").exists()
    assert not (tmp_path / "out" / "b_hangt.pdf").exists()
