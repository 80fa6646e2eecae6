"""Publication outputs (issue #19): DiWoo metadata, text renditions, PDF/UA checks.

Every test works on real PDFs: written here with PyMuPDF (fake data), the samples, or a tagged
public document from ../shared/corpus. Redaction goes through the real redact + verify code.
"""

from __future__ import annotations

import hashlib
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pymupdf
import pytest
from stdnum import iban as std_iban

from conftest import ROOT, compact
from woo_anon import diwoo, publication, rendition
from woo_anon.errors import BadInputError, VerificationError
from woo_anon.extract import extract_document, normalise, open_pdf
from woo_anon.model import Decision, DocumentResult, Span
from woo_anon.plan import build_plan
from woo_anon.pseudonyms import Dossier
from woo_anon.redact import redact_document, save_verified

NS = {"d": diwoo.NS, "s": publication.SITEMAP_NS}
KERN = "https://identifier.overheid.nl/tooi/def/thes/kern/"
TAGGED = ROOT.parent / "shared" / "corpus" / "real-pdfs" / "heerlen_Lijst-ingekomen-stukken-jan-2025.pdf"
GROUND = {"PERSON": "5.1.2e", "NL_BSN": "5.1.1e", "EMAIL_ADDRESS": "5.1.2e"}
BSN = "111222333"  # passes the 11-proef; not a real person's number


def fake_iban() -> str:
    bban = "INGB0123456789"
    return "NL" + std_iban.calc_check_digits("NL00" + bban) + bban


def write_pdf(path: Path, *lines: str, hidden: str = "") -> Path:
    """A one-page letter; `hidden` is written as invisible text (render mode 3)."""
    doc = pymupdf.open()
    page = doc.new_page()
    for i, line in enumerate(lines):
        page.insert_text((72, 90 + 16 * i), line, fontsize=11)
    if hidden:
        page.insert_text((72, 400), hidden, fontsize=11, render_mode=3)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


def planned(path: Path, values: dict[str, str]):
    """Document + plan that redact every occurrence of `values` (value -> entity), through the
    real planner (character offsets -> boxes)."""
    document = extract_document(path, path.name)
    decisions = []
    for page in document.pages:
        for value, entity in values.items():
            for m in re.finditer(re.escape(value), page.text):
                span = Span(page.number, m.start(), m.end(), value, entity, 1.0, "test")
                decisions.append(Decision(span, "redact", GROUND[entity], "test"))
    return document, build_plan(document, decisions)


def publish(src: Path, plan, target: Path) -> Path:
    """Redact and verify with the real code (as the runner does)."""
    doc = open_pdf(src)
    try:
        normalise(doc)
        redact_document(doc, plan)
        target.parent.mkdir(parents=True, exist_ok=True)
        save_verified(doc, target, plan)
    finally:
        doc.close()
    return target


# --- DiWoo ------------------------------------------------------------------------------------

MANIFEST = {  # as woo_anon.manifest.read_manifest gives it (canonical column names)
    "mail.pdf": {"document_id": "DOC-1", "title": "E-mail Woo-verzoek", "date": "12-03-2024",
                 "zaaknummer": "Z-2024-042", "family_id": "DOC-1", "handeling": "ontvangst"},
    "bijlage.pdf": {"document_id": "DOC-2", "title": "Bijlage bij e-mail",
                    "date": "2024-03-11", "zaaknummer": "Z-2024-042", "family_id": "DOC-1"},
    "notitie.pdf": {"document_id": "DOC-3", "title": "Notitie", "date": "2024-02-01",
                    "zaaknummer": "Z-2024-042"},
}


@pytest.fixture()
def published(tmp_path):
    """Three redacted documents (a mail, its attachment, a note) and their results."""
    results = []
    for name in MANIFEST:
        src = write_pdf(tmp_path / "in" / name, f"Behandelaar Jan Pietersen, BSN {BSN}.")
        document, plan = planned(src, {"Jan Pietersen": "PERSON", BSN: "NL_BSN"})
        out = publish(src, plan, tmp_path / "out" / name)
        results.append(DocumentResult(name, "verified", 1, {"5.1.1e": 1, "5.1.2e": 1}, str(out)))
    return tmp_path / "out", results


def test_diwoo_files_validate_with_required_fields(published):
    outdir, results = published
    options = diwoo.Options("gm0363", besluit="WOO-BESLUIT-2024-7")
    outcomes = publication.export(results, outdir, MANIFEST, options, ("inventarislijst.csv",))
    assert [o.error for o in outcomes] == [None, None, None]
    for outcome in outcomes:
        text = outcome.path.read_text(encoding="utf-8")
        assert diwoo.schema().is_valid(text)
        root = ET.fromstring(text)
        assert root.find("d:DiWoo/d:publisher", NS).get("resource") == \
            "https://identifier.overheid.nl/tooi/id/gemeente/gm0363"
        category = root.find(".//d:informatiecategorie", NS)
        assert category.get("resource") == KERN + "c_3baef532"
        assert category.text == "Woo-verzoeken en -besluiten"
        handeling = root.find(".//d:soortHandeling", NS)
        assert handeling.get("resource") in {KERN + "c_e1ec050e", KERN + "c_dfcee535", KERN + "c_641ecd76"}
        assert root.find(".//d:isPartOf", NS).text == "WOO-BESLUIT-2024-7"
        assert root.find(".//d:format", NS).text == "PDF"
        assert root.find(".//d:language", NS).get("resource").endswith("/NLD")
        assert "Z-2024-042" in [i.text for i in root.iterfind(".//d:identifier", NS)]
    mail = ET.parse(outdir / "mail.pdf.diwoo.xml").getroot()
    assert mail.find(".//d:soortHandeling", NS).text == "ontvangst"
    assert mail.find(".//d:creatiedatum", NS).text == "2024-03-12"
    relation = mail.find(".//d:documentrelatie", NS)
    assert relation.find("d:role", NS).get("resource") == KERN + "c_05f4a5f3"  # heeft bijlage
    assert relation.find("d:relation", NS).text == "DOC-2"
    assert ET.parse(outdir / "notitie.pdf.diwoo.xml").getroot().find(".//d:documentrelatie", NS) is None


def test_attachment_relation_from_intake_family_id(published):
    """The intake names an attachment's family by the mail's source name ("mail.eml"); the
    mail's own documentID then comes from its output name."""
    outdir, results = published
    manifest = {"mail.pdf": {"date": "2024-03-12", "source_name": "mail.eml"},
                "bijlage.pdf": {"date": "2024-03-12", "family_id": "mail.eml"},
                "notitie.pdf": {"date": "2024-03-12"}}
    outcomes = publication.export(results, outdir, manifest, diwoo.Options("gm0363"))
    assert [o.error for o in outcomes] == [None, None, None]
    mail = ET.parse(outdir / "mail.pdf.diwoo.xml").getroot()
    assert [r.text for r in mail.iterfind(".//d:relation", NS)] == ["bijlage"]


def test_sitemap_lists_documents_and_inventarislijst(published):
    outdir, results = published
    publication.export(results, outdir, MANIFEST, diwoo.Options("gm0363", base_url="https://woo.example.nl/b7"),
                 ("inventarislijst.csv", "inventarislijst.xlsx"))
    root = ET.parse(outdir / publication.SITEMAP).getroot()
    locs = [u.find("s:loc", NS).text for u in root.iterfind("s:url", NS)]
    assert locs == [f"https://woo.example.nl/b7/{n}" for n in
                    ("bijlage.pdf", "mail.pdf", "notitie.pdf", "inventarislijst.csv", "inventarislijst.xlsx")]
    for embedded in root.iterfind("s:url/d:Document", NS):
        assert diwoo.schema().is_valid(ET.tostring(embedded, encoding="unicode"))


def test_breaking_a_required_field_fails_validation(published):
    outdir, results = published
    meta = publication.metas(results, MANIFEST, diwoo.Options("gm0363"))[0]
    element = diwoo.document_xml(meta, diwoo.organisation("gm0363"))
    assert diwoo.validate(element) is None
    titles = element.find("d:DiWoo/d:titelcollectie", NS)
    titles.remove(titles.find("d:officieleTitel", NS))
    assert "officieleTitel" in diwoo.validate(element)
    element = diwoo.document_xml(meta, diwoo.organisation("gm0363"))
    element.find(".//d:soortHandeling", NS).set("resource", KERN + "anonimiseren")
    assert diwoo.validate(element) is not None


def test_invalid_metadata_is_an_error_for_that_document_only(published):
    outdir, results = published
    manifest = dict(MANIFEST, **{"notitie.pdf": dict(MANIFEST["notitie.pdf"], handeling="anonimiseren")})
    outcomes = {o.name: o for o in publication.export(results, outdir, manifest, diwoo.Options("gm0363"))}
    assert "anonimiseren" in outcomes["notitie.pdf"].error and "notitie.pdf" in outcomes["notitie.pdf"].error
    assert not (outdir / "notitie.pdf.diwoo.xml").exists()
    assert outcomes["mail.pdf"].error is None and (outdir / "mail.pdf.diwoo.xml").exists()
    marked = {r.name: r for r in publication.mark_failures(results, list(outcomes.values()))}
    assert marked["notitie.pdf"].status == "failed" and marked["notitie.pdf"].exit_code == 3
    assert marked["mail.pdf"].status == "verified"
    sitemap = (outdir / publication.SITEMAP).read_text()
    assert "mail.pdf" in sitemap and "notitie.pdf" not in sitemap
    undated = dict(MANIFEST, **{"mail.pdf": dict(MANIFEST["mail.pdf"], date="")})
    outcomes = {o.name: o for o in publication.export(results, outdir, undated, diwoo.Options("gm0363"))}
    assert "datum" in outcomes["mail.pdf"].error


def test_title_naming_a_redacted_value_is_refused(tmp_path):
    """A file name is the default title; one that names the person redacted inside is not
    published (the check uses the audit trail's keyed hashes, no plaintext)."""
    from woo_anon.api import redact_file
    from woo_anon.audit import AuditLog
    from woo_anon.api import Engine, Settings

    deny = tmp_path / "deny.txt"
    deny.write_text("Pietersen\n", encoding="utf-8")
    engine = Engine(Settings(model="blank", deny_files=(str(deny),)))
    outdir = tmp_path / "out"
    results = []
    for name in ("bezwaar Pietersen.pdf", "bezwaar 12.pdf"):
        src = write_pdf(tmp_path / "in" / name, "Bezwaar van de heer Pietersen tegen het besluit.")
        results.append(redact_file(engine, src, name, outdir, AuditLog(outdir)))
    assert [r.status for r in results] == ["verified", "verified"]
    manifest = {r.name: {"date": "2024-05-01"} for r in results}
    outcomes = {o.name: o for o in publication.export(results, outdir, manifest, diwoo.Options("gm0363"))}
    assert "title names a value redacted" in outcomes["bezwaar Pietersen.pdf"].error
    assert outcomes["bezwaar 12.pdf"].error is None


def test_unknown_publisher_is_a_clear_error():
    with pytest.raises(BadInputError, match="gm9999"):
        diwoo.organisation("gm9999")
    assert diwoo.organisation("gm0363")[1] == "gemeente Amsterdam"


# --- text renditions ----------------------------------------------------------------------------

def test_text_rendition_has_ground_markers_and_no_planned_values(engine, tmp_path):
    iban = fake_iban()
    src = write_pdf(tmp_path / "in" / "brief.pdf", "Betreft: aanvraag bijzondere bijstand",
                    f"Uw BSN is {BSN}. Het bedrag gaat naar {iban}.",
                    "Mail naar p.dekker@example.nl of bel 06-12345678.",
                    "Zaaknummer Z/24/123456 blijft leesbaar.")
    document, plan = engine.plan(src, "brief.pdf")
    out = publish(src, plan, tmp_path / "out" / "brief.pdf")
    txt, js = rendition.write(document, plan, out, tmp_path / "out", "ground")
    text = txt.read_text(encoding="utf-8")
    assert "[5.1.1e]" in text and "[5.1.2e]" in text
    assert "Zaaknummer Z/24/123456 blijft leesbaar." in text and "bijzondere bijstand" in text
    for value in [r.text for r in plan.to_apply()] + [BSN, iban, "p.dekker@example.nl", "0612345678"]:
        assert compact(value) not in compact(text).replace("-", "")
    data = json.loads(js.read_text(encoding="utf-8"))
    assert data["operator"] == "ground" and [p["page"] for p in data["pages"]] == [1]
    page = data["pages"][0]
    assert page["text"] == text
    assert {page["text"][r["start"]:r["end"]] for r in page["replacements"]} == {"[5.1.1e]", "[5.1.2e]"}
    assert BSN not in js.read_text(encoding="utf-8") and document.sha256 not in js.read_text()
    assert data["pdf_sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()


def test_text_rendition_leaves_out_hidden_text_the_pdf_scrubbed(tmp_path):
    src = write_pdf(tmp_path / "in" / "a.pdf", "Gesprek met Jan Pietersen over de vergunning.",
                    hidden="verborgen laag Karel Zwijnsberg")
    document, plan = planned(src, {"Jan Pietersen": "PERSON"})
    assert "Zwijnsberg" in "".join(p.text for p in document.pages)  # detection saw it
    out = publish(src, plan, tmp_path / "out" / "a.pdf")
    assert "Zwijnsberg" not in "".join(p.get_text() for p in pymupdf.open(out))
    txt, _ = rendition.write(document, plan, out, tmp_path / "out")
    assert "Zwijnsberg" not in txt.read_text() and "over de vergunning" in txt.read_text()


@pytest.mark.parametrize("rotation", [90, 270])
def test_text_rendition_on_a_rotated_cropped_page(tmp_path, rotation):
    src = write_pdf(tmp_path / "in" / "a.pdf", "Gesprek met Jan Pietersen over de vergunning.",
                    "Tweede regel blijft staan.")
    with pymupdf.open(src) as doc:
        doc[0].set_rotation(rotation)
        doc[0].set_cropbox(pymupdf.Rect(10, 10, 500, 700))
        doc.saveIncr()
    document, plan = planned(src, {"Jan Pietersen": "PERSON"})
    out = publish(src, plan, tmp_path / "out" / "a.pdf")
    text = rendition.write(document, plan, out, tmp_path / "out")[0].read_text()
    assert text == "Gesprek met [5.1.2e] over de vergunning.\nTweede regel blijft staan."


def test_text_rendition_with_a_readable_planned_value_fails(tmp_path):
    """A plan whose box misses its value (a reviewer dragged it away) on a PDF that still shows
    the value: the rendition check catches it and writes nothing."""
    src = write_pdf(tmp_path / "in" / "a.pdf", "Gesprek met Jan Pietersen over de vergunning.")
    document, plan = planned(src, {"Jan Pietersen": "PERSON"})
    out = publish(src, replace(plan, redactions=()), tmp_path / "out" / "a.pdf")
    (r,) = plan.redactions
    moved = replace(plan, redactions=(replace(r, boxes=((300, 700, 320, 710),)),))
    with pytest.raises(VerificationError, match="text rendition"):
        rendition.write(document, moved, out, tmp_path / "out")
    assert not (tmp_path / "out" / "a.pdf.txt").exists() and out.exists()
    with pytest.raises(VerificationError):  # the runner's step withdraws the PDF as well
        rendition.publish_text(document, moved, out, tmp_path / "out", "ground")
    assert not out.exists()


def test_pseudonyms_consistent_across_documents_of_a_dossier(tmp_path):
    outdir = tmp_path / "out"
    texts = {}
    for name, lines in {"a.pdf": ("Jan Pietersen sprak met Karel de Wit.",),
                        "b.pdf": ("Karel de Wit belde later Jan Pietersen terug.",)}.items():
        src = write_pdf(tmp_path / "in" / name, *lines)
        document, plan = planned(src, {"Jan Pietersen": "PERSON", "Karel de Wit": "PERSON"})
        out = publish(src, plan, outdir / name)
        texts[name] = rendition.write(document, plan, out, outdir, "pseudonym")[0].read_text()
    assert texts["a.pdf"].strip() == "[Persoon 1] sprak met [Persoon 2]."
    assert texts["b.pdf"].strip() == "[Persoon 2] belde later [Persoon 1] terug."
    table = Dossier(outdir).table_path
    assert outdir not in table.parents  # kept in the work folder: OUTDIR gets published
    assert "Pietersen" not in table.read_text() and "pietersen" not in table.read_text()


def test_keyed_hash_depends_on_the_dossier_key(tmp_path, monkeypatch):
    monkeypatch.setenv("WOO_ANON_TEXT_KEY", "sleutel-een")
    first = Dossier(tmp_path).digest("Jan Pietersen")
    assert Dossier(tmp_path).digest("jan   pietersen") == first  # spacing and case normalised
    monkeypatch.setenv("WOO_ANON_TEXT_KEY", "sleutel-twee")
    assert Dossier(tmp_path).digest("Jan Pietersen") != first
    monkeypatch.delenv("WOO_ANON_TEXT_KEY")
    own, other = Dossier(tmp_path / "d1").digest("x"), Dossier(tmp_path / "d2").digest("x")
    assert own != other  # a random key per output folder, never an unsalted hash
    assert own not in hashlib.sha256(b"x").hexdigest()


def test_hash_rendition_replaces_with_ground_and_digest(tmp_path):
    src = write_pdf(tmp_path / "in" / "a.pdf", "Gesprek met Jan Pietersen en Jan Pietersen.")
    document, plan = planned(src, {"Jan Pietersen": "PERSON"})
    out = publish(src, plan, tmp_path / "out" / "a.pdf")
    text = rendition.write(document, plan, out, tmp_path / "out", "hash")[0].read_text()
    digests = re.findall(r"\[5\.1\.2e ([0-9a-f]{16})\]", text)
    assert len(digests) == 2 and digests[0] == digests[1] and "Pietersen" not in text


# --- accessibility (pdfua) ----------------------------------------------------------------------

def _rules(path: Path) -> set[str]:
    import pdfua

    return {f.rule_id for f in pdfua.validate(str(path)).findings if f.severity.name == "ERROR"}


def test_redaction_adds_no_pdfua_errors_on_the_samples(engine, tmp_path):
    """pdfua's machine-checkable PDF/UA-1 subset: an output has no error its input did not
    have, and every output declares its language."""
    from woo_anon.api import redact_file
    from woo_anon.audit import AuditLog

    samples = sorted((ROOT / "samples").glob("*.pdf"))
    assert samples
    for src in samples:
        result = redact_file(engine, src, src.name, tmp_path, AuditLog(tmp_path))
        assert result.status == "verified", result.error
        out = tmp_path / src.name
        assert _rules(out) <= _rules(src), src.name
        assert "UA-06-001" not in _rules(out)  # /Lang present


@pytest.mark.skipif(not TAGGED.exists(), reason="../shared/corpus not beside the checkout")
def test_tagged_input_keeps_its_structure_tree(tmp_path):
    document, plan = planned(TAGGED, {})
    first = next(p for p in document.pages if p.text.strip())
    word = re.search(r"[A-Z][a-z]{4,}", first.text)
    document, plan = planned(TAGGED, {word.group(): "PERSON"})
    assert plan.to_apply()
    out = publish(TAGGED, plan, tmp_path / "tagged.pdf")
    with pymupdf.open(out) as doc:
        catalog = doc.pdf_catalog()
        assert doc.xref_get_key(catalog, "StructTreeRoot")[0] == "xref"
        assert "true" in doc.xref_get_key(catalog, "MarkInfo")[1]
    assert not {"UA-01-005", "UA-01-002", "UA-06-001"} & _rules(out)


# --- wiring: the public API and the CLI -----------------------------------------------------------

def test_redact_request_writes_diwoo_and_text(tmp_path):
    import woo_anon

    for name in ("mail.pdf", "bijlage.pdf"):
        write_pdf(tmp_path / "in" / name, f"Uw BSN is {BSN}.", "Zaaknummer Z-2024-042.")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("bestand;documentnummer;datum;familie\nmail.pdf;DOC-1;2024-03-12;\n"
                        "bijlage.pdf;DOC-2;2024-03-12;DOC-1\n", encoding="utf-8")
    settings = woo_anon.Settings(model="blank", text="ground")
    request = woo_anon.redact_request([tmp_path / "in"], tmp_path / "out", settings, manifest,
                                      diwoo=diwoo.Options("gm0363", besluit="WOO-1"))
    assert request.exit_code == 0, [r.error for r in request.results]
    out = tmp_path / "out"
    for name in ("mail.pdf", "bijlage.pdf"):
        assert diwoo.schema().is_valid((out / f"{name}.diwoo.xml").read_text(encoding="utf-8"))
        text = (out / f"{name}.txt").read_text(encoding="utf-8")
        assert "[5.1.1e]" in text and BSN not in text and "Z-2024-042" in text
    mail = ET.parse(out / "mail.pdf.diwoo.xml").getroot()
    assert [r.text for r in mail.iterfind(".//d:relation", NS)] == ["DOC-2"]
    assert "inventarislijst.csv" in (out / publication.SITEMAP).read_text(encoding="utf-8")


def test_date_without_a_manifest_falls_back_and_says_where_from(tmp_path):
    """No manifest: a PDF's own CreationDate, else the file's modification time, each written
    with its source; the office title of a document is kept in officieleTitel."""
    import os
    from datetime import datetime

    import woo_anon

    dated = write_pdf(tmp_path / "in" / "brief.pdf", "Brief over uw aanvraag", f"Uw BSN is {BSN}.")
    with pymupdf.open(dated) as doc:
        doc.set_metadata({"creationDate": "D:20230907101500+02'00'",
                          "title": "Brief over uw aanvraag"})
        doc.saveIncr()
    undated = write_pdf(tmp_path / "in" / "notitie.pdf", "Notitie zonder datum.")
    with pymupdf.open(undated) as doc:
        doc.set_metadata({})
        doc.saveIncr()
    stamp = datetime(2022, 5, 17, 12, 0).timestamp()
    os.utime(undated, (stamp, stamp))
    request = woo_anon.redact_request([tmp_path / "in"], tmp_path / "out",
                                      woo_anon.Settings(model="blank"), None,
                                      diwoo=diwoo.Options("gm0363"))
    assert request.exit_code == 0, [r.error for r in request.results]
    out = tmp_path / "out"
    expected = {"brief.pdf": ("2023-09-07", "PDF: CreationDate"),
                "notitie.pdf": ("2022-05-17", "bestand: wijzigingsdatum")}
    for name, (day, source) in expected.items():
        text = (out / f"{name}.diwoo.xml").read_text(encoding="utf-8")
        assert diwoo.schema().is_valid(text)
        root = ET.fromstring(text)
        assert root.find(".//d:creatiedatum", NS).text == day
        assert root.find(".//d:atTime", NS).text.startswith(day)
        assert f"<!-- creatiedatum uit {source} -->" in text
    title = ET.parse(out / "brief.pdf.diwoo.xml").getroot().find(".//d:officieleTitel", NS)
    assert title.text == "Brief over uw aanvraag"  # the PDF's own title, public (on the page)


def test_redact_samples_with_diwoo_and_no_manifest(tmp_path):
    """`woo-anon redact samples --diwoo --publisher gm0363` with no manifest: every document
    gets a valid DiWoo file with a date, and the mail's attachments carry the mail's date."""
    import subprocess
    import sys

    out = tmp_path / "out"
    run = subprocess.run([sys.executable, "-m", "woo_anon", "redact", str(ROOT / "samples"),
                          "-o", str(out), "-j", "1", "--diwoo", "--publisher", "gm0363"],
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    files = sorted(out.glob("*.diwoo.xml"))
    assert len(files) == len(list(out.glob("*.pdf"))) == 8
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert diwoo.schema().is_valid(text), path.name
        assert ET.fromstring(text).find(".//d:creatiedatum", NS) is not None, path.name
        assert "<!-- creatiedatum uit " in text, path.name
    mail = (out / "mail_woo_verzoek.eml.pdf.diwoo.xml").read_text(encoding="utf-8")
    attachment = (out / "mail_woo_verzoek.eml.bijlage-2-bezwaar.pdf.diwoo.xml").read_text("utf-8")
    assert "2024-03-04" in mail and "e-mail: Date-kop" in mail
    assert "2024-03-04" in attachment and "bericht met deze bijlage" in attachment
    letter = (out / "brief_besluit_bezwaar.pdf.diwoo.xml").read_text(encoding="utf-8")
    assert "<diwoo:officieleTitel>Besluit op uw bezwaar</diwoo:officieleTitel>" in letter
    assert "2024-03-14" in letter and "PDF: CreationDate" in letter


@pytest.mark.parametrize("args, code, message", [
    (["--diwoo"], 2, "--publisher"),
    (["--diwoo", "--publisher", "gm9999"], 3, "gm9999"),
    (["--text", "--text-operator", "rot13"], 2, "--text-operator"),
])
def test_cli_publication_options_checked_before_the_batch(tmp_path, args, code, message):
    import subprocess
    import sys

    src = write_pdf(tmp_path / "a.pdf", "Tekst.")
    run = subprocess.run([sys.executable, "-m", "woo_anon", "redact", str(src), "-o",
                          str(tmp_path / "out"), "--model", "blank", *args],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == code and message in run.stderr, run.stderr
    assert "Traceback" not in run.stderr and not (tmp_path / "out" / "a.pdf").exists()
