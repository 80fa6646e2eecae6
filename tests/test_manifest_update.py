"""#18: the zip round trip returns an updated manifest (manifest-woo-anon.csv): the export's
manifest rows with output file, beoordeling, weigeringsgrond and status, for the zaaksysteem."""

from __future__ import annotations

import csv
import io
import zipfile

import woo_anon
from conftest import write_text_pdf

BSN = "111222333"


def test_zip_round_trip_carries_an_updated_manifest(tmp_path):
    src = tmp_path / "src"
    write_text_pdf(src / "brief.pdf", f"Geachte heer, uw BSN is {BSN}. Met vriendelijke groet.")
    write_text_pdf(src / "bijlagen" / "notitie.pdf", "Het college bespreekt de begroting.")
    manifest = ("Documentnummer;Titel;Bestandsnaam;Zaaknummer\n"
                "D-1;Besluit café;brief.pdf;Z/24/1\n"
                "D-2;Notitie;bijlagen/notitie.pdf;Z/24/1\n")
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(src / "brief.pdf", "zaak-24-1/brief.pdf")
        zf.write(src / "bijlagen" / "notitie.pdf", "zaak-24-1/bijlagen/notitie.pdf")
        zf.writestr("zaak-24-1/manifest.csv", manifest.encode("cp1252"))
    result = woo_anon.redact_request([archive], tmp_path / "out", woo_anon.Settings(model="blank"),
                                     zip_output=True)
    assert result.exit_code == 0
    with zipfile.ZipFile(tmp_path / "out" / "export.zip") as zf:
        assert "zaak-24-1/manifest.csv" in zf.namelist()  # the original, as it was
        text = zf.read("manifest-woo-anon.csv").decode("utf-8")
    rows = {r["Documentnummer"]: r for r in csv.DictReader(io.StringIO(text), delimiter=";")}
    assert rows["D-1"]["Titel"] == "Besluit café" and rows["D-1"]["Zaaknummer"] == "Z/24/1"
    assert rows["D-1"]["woo_anon_beoordeling"] == "Gedeeltelijk openbaar"
    assert rows["D-1"]["woo_anon_weigeringsgrond"] == "5.1.1e"
    assert rows["D-1"]["woo_anon_bestand"] == "brief.pdf" and rows["D-1"]["woo_anon_status"] == "verified"
    assert rows["D-2"]["woo_anon_beoordeling"] == "Openbaarmaking"
    assert rows["D-2"]["woo_anon_weigeringsgrond"] == ""
