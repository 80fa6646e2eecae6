"""The inventarislijst's `datum` is the date the DiWoo metadata gives the same document: one
fallback chain (manifest, e-mail Date, Office creation date, PDF CreationDate, file date)."""

from __future__ import annotations

import csv
import os
import re
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

import pymupdf
import pytest

from woo_anon import redact_request
from woo_anon.diwoo import Options, document_date
from woo_anon.engine import Settings

LINE = "Besluit op het verzoek over de herinrichting van het Stationsplein."


def _pdf(path: Path, created: str = "") -> Path:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 90), LINE, fontsize=11)
    doc.set_metadata({"creationDate": created} if created else {})
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


def _dated(path: Path, day: datetime) -> Path:
    os.utime(path, (day.timestamp(), day.timestamp()))
    return path


def _inventory(outdir: Path) -> dict[str, str]:
    with open(outdir / "inventarislijst.csv", newline="", encoding="utf-8") as handle:
        return {row["documentnaam"]: row["datum"] for row in csv.DictReader(handle, delimiter=";")}


def _diwoo_date(outdir: Path, name: str) -> str:
    text = (outdir / f"{name}.diwoo.xml").read_text(encoding="utf-8")
    return re.search(r"<diwoo:creatiedatum>([^<]+)<", text).group(1)


@pytest.fixture(scope="module")
def request_out(tmp_path_factory) -> Path:
    """No manifest: a PDF with a CreationDate, a PDF without one (file date), an e-mail."""
    folder = tmp_path_factory.mktemp("verzoek")
    _dated(_pdf(folder / "besluit.pdf", "D:20240314101500+01'00'"), datetime(2025, 1, 2, 12))
    _dated(_pdf(folder / "notitie.pdf"), datetime(2023, 6, 7, 12))
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "a@voorbeeld.example", "b@voorbeeld.example", "Plein"
    msg["Date"] = "Tue, 05 Mar 2024 09:30:00 +0100"
    msg.set_content(LINE)
    (folder / "bericht.eml").write_bytes(bytes(msg))
    _dated(folder / "bericht.eml", datetime(2025, 1, 2, 12))
    out = tmp_path_factory.mktemp("uit")
    result = redact_request([folder], out, Settings(model="blank"), jobs=1,
                            diwoo=Options("gm0363"))
    assert result.exit_code == 0, [r.error for r in result.results if r.error]
    return out


@pytest.mark.parametrize("name, expected", [
    ("besluit.pdf", "2024-03-14"),  # the PDF's CreationDate, not the file date
    ("notitie.pdf", "2023-06-07"),  # no CreationDate: the file's date
    ("bericht.eml.pdf", "2024-03-05"),  # the e-mail's Date header
])
def test_inventory_date_is_the_diwoo_date(request_out, name, expected):
    assert _inventory(request_out)[name] == expected
    assert _diwoo_date(request_out, name) == expected


def test_a_manifest_date_wins_and_is_kept_as_given(tmp_path):
    folder = tmp_path / "in"
    _pdf(folder / "besluit.pdf", "D:20240314101500+01'00'")
    (folder / "manifest.csv").write_text("bestandsnaam;datum\nbesluit.pdf;01-02-2024\n",
                                         encoding="utf-8")
    result = redact_request([folder], tmp_path / "out", Settings(model="blank"), jobs=1)
    assert result.exit_code == 0
    assert _inventory(tmp_path / "out")["besluit.pdf"] == "01-02-2024"
    assert document_date({"date": "01-02-2024"}, folder / "besluit.pdf")[1] == "manifest: datum"


def test_a_document_from_a_zip_keeps_the_zip_date(tmp_path):
    """A zip export's member without a date of its own gets the date the zip records for it,
    in the inventarislijst and the DiWoo XML alike (not the day it was unpacked)."""
    import zipfile

    pdf = _pdf(tmp_path / "notitie.pdf")
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(zipfile.ZipInfo("stukken/notitie.pdf", (2022, 5, 6, 12, 0, 0)),
                    pdf.read_bytes())
    out = tmp_path / "out"
    result = redact_request([archive], out, Settings(model="blank"), jobs=1,
                            diwoo=Options("gm0363"))
    assert result.exit_code == 0, [r.error for r in result.results if r.error]
    assert _inventory(out)["notitie.pdf"] == "2022-05-06"
    xml = next(out.rglob("notitie.pdf.diwoo.xml"))
    assert re.search(r"<diwoo:creatiedatum>([^<]+)<", xml.read_text("utf-8")).group(1) == "2022-05-06"
