"""Ready for the officer and the zaaksysteem (issue #18): manifests, the Python API as an
integrator calls it, shared options for plan and redact, refused grounds, verify against the
wrong plan, help and version, audit run sections, reviewer, library messages, summary width."""

from __future__ import annotations

import csv
import json
import logging
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import all_text, compact, write_text_pdf
from woo_anon.errors import ExitCode, ManifestError
from woo_anon.manifest import read_manifest

BSN = "111222333"


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "woo_anon", *args], capture_output=True,
                          text=True, timeout=600, env=env)


def _rows(path: Path) -> dict[str, dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return {r["documentnaam"]: r for r in csv.DictReader(handle, delimiter=";")}


# --- manifests ---------------------------------------------------------------------------------

DUTCH = "Documentnummer;Titel;Datum;Bestandsnaam;Zaaknummer\nD-1;Besluit op bezwaar;2024-03-01;brief.pdf;Z/24/1\n"


@pytest.mark.parametrize("encoding, text", [
    ("cp1252", DUTCH.replace("Besluit", "Besluit café")),  # Dutch Excel
    ("utf-8-sig", DUTCH),
    ("utf-16", DUTCH.replace(";", ",")),
    ("utf-8", "document id,titel,DATUM,file,onbekend\nD-1,Besluit op bezwaar,2024-03-01,brief.pdf,x\n"),
])
def test_manifest_encodings_separators_and_header_synonyms(tmp_path, caplog, encoding, text):
    path = tmp_path / "manifest.csv"
    path.write_bytes(text.encode(encoding))
    with caplog.at_level(logging.WARNING):
        table = read_manifest(path)
    row = table["brief.pdf"]
    assert row["document_id"] == "D-1" and row["title"].startswith("Besluit")
    assert row["date"] == "2024-03-01"
    if "café" in text:
        assert "café" in row["title"]
    if "onbekend" in text:
        assert "onbekend" in caplog.text  # unknown columns are named, not silently dropped


def test_bad_manifest_is_refused_before_the_batch(tmp_path):
    src = write_text_pdf(tmp_path / "in" / "brief.pdf", f"BSN {BSN}.")
    missing = cli("redact", str(src), "-o", str(tmp_path / "o1"), "--model", "blank", "-j", "1",
                  "--manifest", str(tmp_path / "missing.csv"))
    assert missing.returncode == ExitCode.BAD_INPUT and "missing.csv" in missing.stderr
    assert not (tmp_path / "o1" / "brief.pdf").exists()  # nothing was processed
    (tmp_path / "nofile.csv").write_text("titel;datum\nA;2024\n", encoding="utf-8")
    no_column = cli("redact", str(src), "-o", str(tmp_path / "o2"), "--model", "blank", "-j", "1",
                    "--manifest", str(tmp_path / "nofile.csv"))
    assert no_column.returncode == ExitCode.BAD_INPUT and "file-name column" in no_column.stderr
    assert "Traceback" not in missing.stderr + no_column.stderr
    with pytest.raises(ManifestError):
        read_manifest(tmp_path / "nofile.csv")


# --- the Python API, as a zaaksysteem integration calls it -------------------------------------

def test_zaaksysteem_round_trip_through_the_python_api(tmp_path):
    """Zip export (single top folder, Dutch Excel manifest) in; zip with the redacted documents,
    inventarislijst, audit and the manifest out; per-document results and rows returned."""
    import woo_anon

    src = tmp_path / "src"
    write_text_pdf(src / "brief.pdf", f"Geachte heer, uw BSN is {BSN}. Met vriendelijke groet.")
    write_text_pdf(src / "bijlagen" / "notitie.pdf", "Het college bespreekt de begroting.")
    manifest = ("Documentnummer;Titel;Datum;Bestandsnaam;Zaaknummer\n"
                "D-1;Besluit café;2024-03-01;brief.pdf;Z/24/1\n"
                "D-2;Notitie;2024-03-02;bijlagen/notitie.pdf;Z/24/1\n")
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(src / "brief.pdf", "zaak-24-1/brief.pdf")
        zf.write(src / "bijlagen" / "notitie.pdf", "zaak-24-1/bijlagen/notitie.pdf")
        zf.writestr("zaak-24-1/manifest.csv", manifest.encode("cp1252"))
    seen = []
    result = woo_anon.redact_request([archive], tmp_path / "out", woo_anon.Settings(model="blank"),
                                     progress=seen.append, zip_output=True)
    assert result.exit_code == 0 and len(result.results) == len(seen) == 2
    rows = {r["documentID"]: r for r in result.rows}
    assert rows["D-1"]["beoordeling"] == "Gedeeltelijk openbaar" and rows["D-1"]["weigeringsgrond"] == "5.1.1e"
    assert rows["D-1"]["documentnaam"] == "Besluit café" and rows["D-2"]["beoordeling"] == "Openbaarmaking"
    out_zip = tmp_path / "out" / "export.zip"
    assert out_zip in result.outputs
    with zipfile.ZipFile(out_zip) as zf:
        names = set(zf.namelist())
        assert {"zaak-24-1/brief.pdf", "zaak-24-1/bijlagen/notitie.pdf", "zaak-24-1/manifest.csv",
                "inventarislijst.csv", "inventarislijst.xlsx", "audit.jsonl"} <= names
        published = zf.read("zaak-24-1/brief.pdf")
        (tmp_path / "check.pdf").write_bytes(published)
    assert BSN not in compact(all_text(tmp_path / "check.pdf"))
    assert published != (src / "brief.pdf").read_bytes()


def test_plan_then_apply_takes_the_same_options_as_redact(tmp_path):
    src = write_text_pdf(tmp_path / "in" / "memo.pdf",
                         f"Project Zonnedak: de heer Smits, BSN {BSN}, belde over het project.")
    (tmp_path / "deny.txt").write_text("Zonnedak\n", encoding="utf-8")
    options = ["--model", "blank", "-j", "1", "--deny", str(tmp_path / "deny.txt"), "--no-propagate",
               "--ocr", "never", "--timeout", "60"]
    assert cli("plan", str(src), "-o", str(tmp_path / "plan"), *options).returncode == 0
    applied = cli("apply", str(src), "--plan", str(tmp_path / "plan"), "-o", str(tmp_path / "a"), "-j", "1")
    assert applied.returncode == 0, applied.stderr
    assert cli("redact", str(src), "-o", str(tmp_path / "r"), *options).returncode == 0
    a, r = all_text(tmp_path / "a" / "memo.pdf"), all_text(tmp_path / "r" / "memo.pdf")
    assert a == r and "Zonnedak" not in a
    assert (tmp_path / "a" / "inventarislijst.csv").exists()  # apply writes the inventarislijst too
    planned = json.loads((tmp_path / "plan" / "memo.pdf.plan.json").read_text())
    assert any(p["entity"] == "DENY_LIST" or "Zonnedak" in p.get("text", "") for p in planned["redactions"])


def _plan_and_edit(tmp_path: Path, edit) -> Path:
    src = write_text_pdf(tmp_path / "in" / "brief.pdf", f"Uw BSN is {BSN}. Deze zin blijft leesbaar.")
    assert cli("plan", str(src), "-o", str(tmp_path / "plan"), "--model", "blank", "-j", "1").returncode == 0
    plan_file = tmp_path / "plan" / "brief.pdf.plan.json"
    plan = json.loads(plan_file.read_text())
    edit(plan)
    plan_file.write_text(json.dumps(plan))
    (tmp_path / "plan" / "brief.pdf.review.pdf").unlink()
    return src


def test_unknown_ground_is_refused_with_the_valid_ones(tmp_path):
    def wrong_ground(plan):
        plan["redactions"][0]["ground"] = "5.1.9z"

    src = _plan_and_edit(tmp_path, wrong_ground)
    proc = cli("apply", str(src), "--plan", str(tmp_path / "plan"), "-o", str(tmp_path / "a"), "-j", "1")
    assert proc.returncode == ExitCode.PLAN_MISMATCH, proc.stderr
    assert "5.1.9z" in proc.stderr and "5.1.2e" in proc.stderr and "brief.pdf" in proc.stderr
    assert not (tmp_path / "a" / "brief.pdf").exists()


def test_reviewer_is_recorded_with_reviewed_decisions(tmp_path):
    def keep_first(plan):
        plan["redactions"][0]["status"] = "keep"

    src = _plan_and_edit(tmp_path, keep_first)
    proc = cli("apply", str(src), "--plan", str(tmp_path / "plan"), "-o", str(tmp_path / "a"), "-j", "1",
               "--reviewer", "A. de Vries")
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(l) for l in (tmp_path / "a" / "audit.jsonl").read_text().splitlines()]
    kept = [r for r in records if r["type"] == "kept"]
    assert kept and all(r["reviewer"] == "A. de Vries" for r in kept)
    assert [r for r in records if r["type"] == "run"][0]["reviewer"] == "A. de Vries"


def test_review_screen_stamp_reaches_the_audit(tmp_path):
    """The review screen stamps `reviewer` and `reviewed_at` on each entry it changes; apply
    records that person (not the run's --reviewer) with the decision."""
    def stamped_keep(plan):
        plan["redactions"][0].update(status="keep", reviewer="B. Jansen",
                                     reviewed_at="2026-11-23T08:00:00+00:00")

    src = _plan_and_edit(tmp_path, stamped_keep)
    proc = cli("apply", str(src), "--plan", str(tmp_path / "plan"), "-o", str(tmp_path / "a"), "-j", "1",
               "--reviewer", "A. de Vries")
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(l) for l in (tmp_path / "a" / "audit.jsonl").read_text().splitlines()]
    kept = [r for r in records if r["type"] == "kept"]
    assert kept and all(r["reviewer"] == "B. Jansen" for r in kept)
    assert all(r["reviewed_at"] == "2026-11-23T08:00:00+00:00" for r in kept)


def test_verify_against_another_documents_plan_is_a_mismatch(tmp_path):
    one = write_text_pdf(tmp_path / "in" / "een.pdf", f"Uw BSN is {BSN}.")
    two = write_text_pdf(tmp_path / "in" / "twee.pdf", "Mail k.demir@example.org graag.")
    assert cli("plan", str(tmp_path / "in"), "-o", str(tmp_path / "plan"), "--model", "blank", "-j", "1").returncode == 0
    assert cli("apply", str(tmp_path / "in"), "--plan", str(tmp_path / "plan"), "-o", str(tmp_path / "out"),
               "-j", "1").returncode == 0
    good = cli("verify", str(tmp_path / "out" / "een.pdf"), "--plan", str(tmp_path / "plan" / "een.pdf.plan.json"))
    assert good.returncode == 0 and "een.pdf" in good.stdout
    wrong = cli("verify", str(tmp_path / "out" / "een.pdf"), "--plan", str(tmp_path / "plan" / "twee.pdf.plan.json"))
    assert wrong.returncode == ExitCode.PLAN_MISMATCH, wrong.stderr
    assert "een.pdf" in wrong.stderr and "another document" in wrong.stderr
    assert one.exists() and two.exists()


# --- console: help, version, audit run sections, library messages, summary width ---------------

def test_version_and_help_without_python_types():
    version = cli("--version")
    assert version.returncode == 0 and version.stdout.strip().startswith("woo-anon ")
    for command in ("redact", "plan", "apply"):
        text = cli(command, "--help", env=dict(os.environ, COLUMNS="100")).stdout
        assert "<bool>" not in text and "<list" not in text and "<int>" not in text, text
        assert "[default: 0]" not in text
    assert "--grounds" in cli("plan", "--help").stdout  # plan has redact's options


def test_output_folder_equal_to_input_is_refused(tmp_path):
    write_text_pdf(tmp_path / "same" / "a.pdf", "Tekst.")
    proc = cli("redact", str(tmp_path / "same"), "-o", str(tmp_path / "same"), "--model", "blank")
    assert proc.returncode == ExitCode.BAD_INPUT and "output folder" in proc.stderr


def test_force_starts_a_new_run_section(tmp_path):
    src = write_text_pdf(tmp_path / "in" / "brief.pdf", f"Uw BSN is {BSN}.")
    out = tmp_path / "out"
    assert cli("redact", str(src), "-o", str(out), "--model", "blank", "-j", "1").returncode == 0
    again = cli("redact", str(src), "-o", str(out), "--model", "blank", "-j", "1", "--force")
    assert again.returncode == 0 and "new run section" in again.stderr
    records = [json.loads(l) for l in (out / "audit.jsonl").read_text().splitlines()]
    runs = [r for r in records if r["type"] == "run"]
    assert len(runs) == 2 and runs[1]["force"] and runs[1]["continues_earlier_runs"]
    assert runs[0]["settings_digest"] == runs[1]["settings_digest"]
    docs = [r for r in records if r["type"] == "document"]
    assert [d["run"] for d in docs] == [runs[0]["run"], runs[1]["run"]]


def test_library_errors_are_attributed_to_their_document(tmp_path):
    """MuPDF's own error lines never reach the console bare: each comes with its file name."""
    good = write_text_pdf(tmp_path / "in" / "goed.pdf", f"Uw BSN is {BSN}.")
    data = good.read_bytes()
    broken = data.replace(b"startxref", b"startxref\n999999\n%", 1)  # xref must be repaired
    (tmp_path / "in" / "hersteld.pdf").write_bytes(broken)
    proc = cli("redact", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--model", "blank", "-j", "1")
    assert "MuPDF error" not in proc.stdout
    lines = [l for l in (proc.stdout + proc.stderr).splitlines() if "MuPDF" in l]
    assert all("hersteld.pdf" in l for l in lines), lines


def test_summary_readable_at_80_columns_and_full_report(tmp_path):
    deep = "zaak-2024-000123/correspondentie/inkomend/bijlagen-bij-het-verzoek"
    for name in ("eerste-brief-van-de-aanvrager.pdf", "tweede-brief-van-de-aanvrager.pdf"):
        write_text_pdf(tmp_path / "in" / deep / name, "Tekst zonder gegevens.")
    proc = cli("redact", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--model", "blank", "-j", "1",
               env=dict(os.environ, COLUMNS="80"))
    assert proc.returncode == 0, proc.stderr
    table = [l for l in proc.stdout.splitlines() if l[:1] in "┏┃┡│└"]
    assert table and max(len(l) for l in table) <= 80
    assert "eerste-brief" in proc.stdout and "tweede-brief" in proc.stdout  # told apart
    report = [l for l in proc.stdout.splitlines() if l.startswith("full report: ")][0]
    text = Path(report.split(": ", 1)[1].strip()).read_text(encoding="utf-8")
    assert f"{deep}/eerste-brief-van-de-aanvrager.pdf" in text


def test_xlsx_inventory_is_formatted(tmp_path):
    from openpyxl import load_workbook

    write_text_pdf(tmp_path / "in" / "brief.pdf", f"Uw BSN is {BSN}.")
    assert cli("redact", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--model", "blank", "-j", "1").returncode == 0
    sheet = load_workbook(tmp_path / "out" / "inventarislijst.xlsx").active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    assert sheet["A1"].font.bold and sheet.column_dimensions["B"].width >= len("documentnaam")


def test_manifest_rows_without_a_file_are_reported(tmp_path):
    src = tmp_path / "in"
    write_text_pdf(src / "brief.pdf", f"Uw BSN is {BSN}.")
    (src / "manifest.csv").write_text("bestandsnaam;titel\nbrief.pdf;Brief\nweg.pdf;Verdwenen\n",
                                      encoding="utf-8")
    proc = cli("redact", str(src), "-o", str(tmp_path / "out"), "--model", "blank", "-j", "1")
    assert proc.returncode == 0, proc.stderr
    assert "weg.pdf" in proc.stderr and "not among the inputs" in proc.stderr
    assert _rows(tmp_path / "out" / "inventarislijst.csv")["Brief"]["beoordeling"] == "Gedeeltelijk openbaar"
