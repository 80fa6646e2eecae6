"""A generated zaaksysteem export: zip + manifest, nested folders, a corrupt and an encrypted PDF."""

from __future__ import annotations

import csv
import hashlib
import json
import random
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pymupdf
import pytest

from conftest import all_text, compact, write_text_pdf
import synth
from woo_anon.errors import ExitCode

N_GOOD = 48


def cli(*args, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "woo_anon", *args], capture_output=True,
                          text=True, timeout=900, **kw)


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("export")
    src = base / "src"
    rng = random.Random(5)
    rows, secrets = [], {}
    for i in range(N_GOOD):
        folder = f"zaak{i % 4}/{'bijlagen/' if i % 3 == 0 else ''}"
        name = f"{folder}doc{i:02d}.pdf"
        if i % 5 == 0:  # some documents have nothing personal
            text = f"Notitie {i}\n\nHet college bespreekt de begroting van 2025 in de raadszaal."
            secrets[name] = []
        else:
            bsn, iban = synth.bsn(rng), synth.iban(rng)
            text = f"Notitie {i}\n\nDe aanvrager met BSN {bsn} ontvangt het bedrag op {iban}."
            secrets[name] = [bsn, iban]
        write_text_pdf(src / name, text)
        rows.append({"file": name, "document_id": f"DOC-{i:03d}", "title": f"Notitie {i}",
                     "date": "2024-05-01", "zaaknummer": f"Z/24/{100000 + i}",
                     "family_id": f"FAM-{i // 2}"})
    (src / "zaak1" / "kapot.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF")
    pymupdf.open(src / "zaak1" / "doc01.pdf").save(
        src / "zaak2" / "versleuteld.pdf", encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="x", owner_pw="y")
    with open(src / "manifest.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    archive = base / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(src.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(src).as_posix())
    return {"zip": archive, "secrets": secrets, "rows": rows}


def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*.pdf"))}


def test_export_batch_resume_and_inventory(export, tmp_path):
    out = tmp_path / "out"
    proc = cli("redact", str(export["zip"]), "-o", str(out), "-j", "2", "--zip-output", "--model", "blank")
    assert proc.returncode == ExitCode.PARTIAL, proc.stderr
    assert "kapot.pdf" in proc.stderr and "versleuteld.pdf" in proc.stderr
    assert "Traceback" not in proc.stderr
    for name, values in export["secrets"].items():
        text = compact(all_text(out / "export" / name))
        assert all(v not in text for v in values)
        assert "Notitie" in text
    with zipfile.ZipFile(out / "export.zip") as zf:
        assert len([n for n in zf.namelist() if n.endswith(".pdf")]) == N_GOOD
        assert {"manifest.csv", "inventarislijst.csv", "inventarislijst.xlsx", "audit.jsonl"} <= set(zf.namelist())

    with open(out / "inventarislijst.csv", newline="") as handle:
        rows = {r["documentnaam"]: r for r in csv.DictReader(handle, delimiter=";")}
    assert len(rows) == N_GOOD + 2
    for meta in export["rows"]:
        row = rows[meta["title"]]
        assert row["documentID"] == meta["document_id"] and row["zaaknummer"] == meta["zaaknummer"]
        assert row["familyID"] == meta["family_id"] and row["datum"] == meta["date"]
        if export["secrets"][meta["file"]]:
            assert row["beoordeling"] == "Gedeeltelijk openbaar"
            assert row["weigeringsgrond"] == "5.1.1e; 5.1.2e"
        else:
            assert row["beoordeling"] == "Openbaarmaking" and row["weigeringsgrond"] == ""
    assert rows["kapot.pdf"]["beoordeling"] == "Handmatig beoordelen"
    assert "damaged" in rows["kapot.pdf"]["toelichting"]
    assert (out / "inventarislijst.xlsx").stat().st_size > 0

    before = _digest(out / "export")
    again = cli("redact", str(export["zip"]), "-o", str(out), "-j", "2", "--model", "blank")
    assert again.returncode == ExitCode.PARTIAL  # the two bad files still fail
    assert again.stdout.count("skipped") == N_GOOD
    assert _digest(out / "export") == before


def test_killed_run_resumes_to_identical_outputs(export, tmp_path):
    full = tmp_path / "full"
    assert cli("redact", str(export["zip"]), "-o", str(full), "-j", "1", "--model", "blank").returncode == ExitCode.PARTIAL
    part = tmp_path / "part"
    proc = subprocess.Popen([sys.executable, "-m", "woo_anon", "redact", str(export["zip"]), "-o",
                             str(part), "-j", "1", "--model", "blank"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 300
    while time.time() < deadline and len(list((part / "export").rglob("doc*.pdf"))) < 10:
        time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    stopped = time.monotonic()
    _, stderr = proc.communicate(timeout=120)
    assert time.monotonic() - stopped < 15  # a fast stop
    assert proc.returncode == ExitCode.INTERRUPTED, stderr
    assert "interrupted" in stderr and "run again to resume" in stderr
    outputs = {p.relative_to(part).as_posix(): p for p in (part / "export").rglob("*.pdf")}
    assert 0 < len(outputs) < N_GOOD
    assert not list(part.rglob("*.part"))
    # output, audit trail and resume state agree on what is done
    from woo_anon.fsutil import work_dir

    state = [json.loads(l) for l in (work_dir(part) / "state.jsonl").read_text().splitlines()]
    audit = [json.loads(l) for l in (part / "audit.jsonl").read_text().splitlines()]
    verified = {r["document"]: r["output_sha256"] for r in audit
                if r["type"] == "document" and r["status"] == "verified"}
    assert {r["name"] for r in state} == set(outputs) == set(verified)
    for name, path in outputs.items():
        assert hashlib.sha256(path.read_bytes()).hexdigest() == verified[name]
    resumed = cli("redact", str(export["zip"]), "-o", str(part), "-j", "1", "--model", "blank")
    assert resumed.returncode == ExitCode.PARTIAL
    assert "output exists" not in resumed.stderr
    assert resumed.stdout.count("skipped") == len(outputs)
    assert _digest(part / "export") == _digest(full / "export")


def test_propagation_across_the_batch(tmp_path):
    src = tmp_path / "dossier"
    write_text_pdf(src / "brief.pdf", "Geachte mevrouw Wiersma-Oudeboon,\n\nUw melding is ontvangen.")
    # no clue in this sentence that the word is a name ("X belde" would be one since #16)
    write_text_pdf(src / "notitie.pdf", "Notitie: de overlast bij Wiersma-Oudeboon duurt voort.")
    plain = cli("redact", str(src), "-o", str(tmp_path / "a"), "-j", "1", "--model", "blank")
    batch = cli("redact", str(src), "-o", str(tmp_path / "b"), "-j", "2", "--model", "blank", "--propagate-batch")
    assert plain.returncode == batch.returncode == 0, batch.stderr
    assert "Wiersma-Oudeboon" in all_text(tmp_path / "a" / "notitie.pdf")  # no clue in this document
    assert "Wiersma-Oudeboon" not in all_text(tmp_path / "b" / "notitie.pdf")
    assert "duurt voort" in all_text(tmp_path / "b" / "notitie.pdf")
