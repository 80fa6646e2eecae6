"""End to end on real PDFs: redact → reopen → nothing planned is extractable."""

from __future__ import annotations

import json
import random
import socket
import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest

from conftest import ROOT, all_text, compact, page_texts, write_text_pdf
import synth
from woo_anon.audit import AuditLog
from woo_anon.api import redact_file
from woo_anon.errors import ExitCode


def two_lines(path: Path, first: str, second: str) -> Path:
    """A page where text wraps from one line to the next (as an IBAN at a line end does)."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), first, fontsize=11)
    page.insert_text((72, 114), second, fontsize=11)
    doc.save(path)
    return path


def _redact(engine, src: Path, outdir: Path):
    audit = AuditLog(outdir)
    return redact_file(engine, src, src.name, outdir, audit), outdir / src.name


def test_identifiers_removed_rest_kept(engine, tmp_path, rng):
    bsn, iban = synth.bsn(rng), synth.iban(rng)
    text = (f"Betreft: aanvraag bijzondere bijstand\n\nUw BSN is {bsn}. Wij maken het bedrag over op "
            f"{synth.iban_spaced(iban)}. U kunt bellen met 06-12345678 of mailen naar "
            "p.dekker@example.nl. Zaaknummer Z/24/123456 blijft leesbaar.")
    src = write_text_pdf(tmp_path / "in" / "brief.pdf", text)
    before = src.read_bytes()
    result, out = _redact(engine, src, tmp_path / "out")
    assert result.status == "verified", result.error
    text_out = compact(all_text(out))
    for secret in (bsn, iban, "0612345678", "p.dekker@example.nl"):
        assert compact(secret) not in text_out.replace("-", "") and secret not in text_out
    assert "Zaaknummer" in text_out and "Z/24/123456" in text_out and "bijzondere" in text_out
    assert "5.1.1e" in text_out and "5.1.2e" in text_out
    assert src.read_bytes() == before  # the input is never modified


def test_wrapped_iban_gets_a_box_per_line(engine, tmp_path, rng):
    iban = synth.iban(rng)
    src = two_lines(tmp_path / "wrap.pdf", f"Rekeningnummer {iban[:8]}",
                    f"{iban[8:]} ten name van de aanvrager.")
    _, plan = engine.plan(src, "wrap.pdf")
    ibans = [r for r in plan.to_apply() if r.entity == "IBAN_CODE"]
    assert len(ibans) == 1 and len(ibans[0].boxes) == 2
    result, out = _redact(engine, src, tmp_path / "out")
    assert result.status == "verified"
    text = all_text(out)
    assert iban[:8] not in text and iban[8:] not in text and "ten name van" in text


def test_rotated_page(engine, tmp_path, rng):
    bsn = synth.bsn(rng)
    src = write_text_pdf(tmp_path / "rot.pdf", "Voorblad zonder gegevens.",
                         f"Burgerservicenummer: {bsn}\nOverige tekst blijft staan.", rotate={1: 90})
    result, out = _redact(engine, src, tmp_path / "out")
    assert result.status == "verified"
    texts = page_texts(out)
    assert bsn not in compact(texts[1]) and "Overige tekst blijft staan." in texts[1]
    assert "5.1.1e" in texts[1]
    with pymupdf.open(out) as doc:
        assert doc[1].rotation == 90


def test_image_pixels_under_box_removed(engine, tmp_path, rng):
    """Text drawn over an image: the pixels under the box are blanked in the image itself."""
    bsn = synth.bsn(rng)
    doc = pymupdf.open()
    page = doc.new_page()
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 200, 60), False)
    pix.set_rect(pix.irect, (200, 30, 30))
    page.insert_image(pymupdf.Rect(60, 80, 460, 130), pixmap=pix, keep_proportion=False)
    page.insert_text((72, 110), f"BSN {bsn}", fontsize=14)
    src = tmp_path / "img.pdf"
    doc.save(src)
    result, out = _redact(engine, src, tmp_path / "out")
    assert result.status == "verified"
    with pymupdf.open(out) as red:
        xref = red[0].get_images()[0][0]
        img = pymupdf.Pixmap(red, xref)
        # some pixels of the red image were changed (blanked) under the BSN box
        changed = sum(1 for x in range(0, img.width, 2) for y in range(0, img.height, 2)
                      if img.pixel(x, y)[:3] != (200, 30, 30))
        assert changed > 0


def test_audit_one_record_per_box_no_plaintext(engine, tmp_path, rng):
    iban, bsn = synth.iban(rng), synth.bsn(rng)
    src = two_lines(tmp_path / "audit.pdf", f"BSN {bsn} en rekening {iban[:8]}",
                    f"{iban[8:]} en mail naar k.demir@example.org graag.")
    _, plan = engine.plan(src, "audit.pdf")
    result, out = _redact(engine, src, tmp_path / "out")
    lines = (tmp_path / "out" / "audit.jsonl").read_text().splitlines()
    records = [json.loads(line) for line in lines]
    boxes = [r for r in records if r["type"] == "redaction"]
    assert len(boxes) == sum(len(r.boxes) for r in plan.to_apply())
    summary = [r for r in records if r["type"] == "document"]
    assert len(summary) == 1 and summary[0]["status"] == "verified"
    for r in boxes:
        for key in ("document", "input_sha256", "output_sha256", "page", "box", "entity",
                    "ground", "recognizer", "score", "tool_version", "value_hash"):
            assert key in r
    raw = "\n".join(lines)
    for secret in (bsn, iban, iban[:8], iban[8:], "k.demir@example.org", "demir"):
        assert secret not in raw
    grounds = {r["entity"]: r["ground"] for r in boxes}
    assert grounds["NL_BSN"] == "5.1.1e" and grounds["IBAN_CODE"] == "5.1.2e"


def test_detection_without_network(monkeypatch):
    """presidio's e-mail recogniser must not try to download the public suffix list."""
    def refuse(*args, **kwargs):
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    from woo_anon.detect import Detector
    from woo_anon.model import Page

    detector = Detector.create("blank")
    text = "Mail j.jansen@gemeente-voorbeeld.nl of bel 020-1234567."
    spans = detector.detect_page(Page(1, text, (), ()))
    assert {"EMAIL_ADDRESS", "PHONE_NUMBER"} <= {s.entity for s in spans}


# --- the command line: exit codes and one-line errors -------------------------------------

def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "woo_anon", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=600)


@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("bad")
    good = write_text_pdf(base / "good.pdf", "Geachte heer Jansen, uw BSN is 111222333.")
    (base / "notes.pdf").write_text("this is not a pdf at all")
    data = good.read_bytes()
    (base / "truncated.pdf").write_bytes(data[: len(data) // 3])
    doc = pymupdf.open(good)
    doc.save(base / "encrypted.pdf", encryption=pymupdf.PDF_ENCRYPT_AES_256,
             user_pw="geheim", owner_pw="geheim2")
    (base / "empty").mkdir()
    return {"good": good, "notpdf": base / "notes.pdf", "truncated": base / "truncated.pdf",
            "encrypted": base / "encrypted.pdf", "empty": base / "empty"}


@pytest.mark.parametrize("case, message", [
    ("notpdf", "not a PDF"), ("truncated", "damaged"), ("encrypted", "encrypted"),
    ("empty", "no PDF files")])
def test_bad_input_exit_code_and_message(bad_inputs, tmp_path, case, message):
    proc = run_cli("redact", str(bad_inputs[case]), "-o", str(tmp_path / "o"), "--model", "blank", "-j", "1")
    assert proc.returncode == ExitCode.BAD_INPUT, proc.stderr
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert bad_inputs[case].name in proc.stderr


def test_batch_continues_after_bad_file(bad_inputs, tmp_path):
    out = tmp_path / "o"
    proc = run_cli("redact", str(bad_inputs["notpdf"]), str(bad_inputs["good"]), "-o", str(out),
                   "--model", "blank", "-j", "1")
    assert proc.returncode == ExitCode.PARTIAL
    assert (out / "good.pdf").exists() and not (out / "notes.pdf").exists()
    assert "Traceback" not in proc.stderr


def test_output_exists_needs_force(bad_inputs, tmp_path):
    out = tmp_path / "o"
    (out).mkdir()
    (out / "good.pdf").write_bytes(b"%PDF-1.4 placeholder")
    proc = run_cli("redact", str(bad_inputs["good"]), "-o", str(out), "--model", "blank", "-j", "1")
    assert proc.returncode == ExitCode.OUTPUT_EXISTS and "--force" in proc.stderr
    proc = run_cli("redact", str(bad_inputs["good"]), "-o", str(out), "--model", "blank", "-j", "1", "--force")
    assert proc.returncode == ExitCode.OK, proc.stdout + proc.stderr
    assert "111222333" not in compact(all_text(out / "good.pdf"))


def test_samples_folder_summary(tmp_path):
    proc = run_cli("redact", str(ROOT / "samples"), "-o", str(tmp_path / "out"), "-j", "2")
    assert proc.returncode == ExitCode.OK, proc.stdout + proc.stderr
    for name in ("brief_besluit_bezwaar.pdf", "email_woo_verzoek.pdf", "notulen_wijkoverleg.pdf",
                 "tabel_subsidies.pdf"):
        assert name in proc.stdout and (tmp_path / "out" / name).exists()
    assert "5.1.2e" in proc.stdout and "verified" in proc.stdout


def test_birth_date_column_in_table(engine, tmp_path):
    src = synth.write_table_pdf(tmp_path / "tabel.pdf", "Deelnemers", ["Naam", "Geboortedatum", "Datum aanmelding"],
                                [["P. Jansen", "12-03-1980", "01-02-2024"], ["K. Bakker", "3 mei 1975", "05-02-2024"]],
                                [120, 120, 120])
    result, out = _redact(engine, src, tmp_path / "out")
    assert result.status == "verified"
    text = all_text(out)
    assert "12-03-1980" not in text and "3 mei 1975" not in text
    assert "01-02-2024" in text and "05-02-2024" in text and "Geboortedatum" in text


def test_every_identifier_form_removed_lookalikes_kept(engine, tmp_path, rng):
    bsn = synth.bsn(rng)
    iban = synth.iban(rng)
    secrets = [bsn, f"{bsn[:3]}.{bsn[3:6]}.{bsn[6:]}", synth.iban_spaced(iban), "GB82WEST12345698765432",
               "06-12345678", "+31 (0)20 123 4567", "0031 6 1234 5678", "k.yilmaz[at]ziggo.nl",
               "Kerkstraat 12a", "1234 AB Zwolle", "12-BDF-3", "NW92BD1K4", "5123456789",
               "NL000099998B57", "4111 1111 1111 1111", "192.168.10.20", "12-03-1980"]
    lookalikes = ["Z/24/123456", "EUR 1.250,00", "10.2.3.4", "14 020", "info@zwolle.nl",
                  "factuurnummer " + synth.bsn(rng), "3 mei 2024", "2024-0113"]
    text = f"""Gegevens aanvrager
BSN: {secrets[0]}, ook genoteerd als burgerservicenummer {secrets[1]}.
IBAN {secrets[2]} en buitenlandse rekening {secrets[3]}.
Telefoon {secrets[4]}, {secrets[5]} of {secrets[6]}; mail {secrets[7]}.
Adres: {secrets[8]}, {secrets[9]}. Kenteken {secrets[10]}.
Paspoortnummer {secrets[11]}, rijbewijsnummer {secrets[12]}, btw-id {secrets[13]}.
Creditcard {secrets[14]}, ip-adres {secrets[15]}, geboren op {secrets[16]}.

Zaak {lookalikes[0]}, bedrag {lookalikes[1]}, versie {lookalikes[2]}, bel {lookalikes[3]} of
mail {lookalikes[4]}; {lookalikes[5]}; besluit van {lookalikes[6]}; factuur {lookalikes[7]}."""
    src = write_text_pdf(tmp_path / "ids.pdf", text)
    result, out = _redact(engine, src, tmp_path / "out")
    assert result.status == "verified", result.error
    flat = compact(all_text(out))
    for value in secrets:
        assert compact(value) not in flat, value
    for value in lookalikes:
        assert compact(value) in flat, value
