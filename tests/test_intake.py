"""Intake (issue #12): e-mail, Office, image and text files become PDF renditions that show
everything the source holds, and then go through the unchanged pipeline.

Test files are generated here with fake personal data in every place (headers, body,
attachment, tracked change, comment, hidden sheet, speaker notes); the public samples in
../shared/corpus/mail-office are used when present (never copied into the project).
"""

from __future__ import annotations

import csv
import importlib.util
import shutil
import subprocess
import sys
import zipfile
from email.message import EmailMessage
from pathlib import Path

import pymupdf
import pytest

from woo_anon.errors import BadInputError
from woo_anon.intake import IntakeOptions, Rendition, render

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "mail-office"
_spec = importlib.util.spec_from_file_location("make_intake_samples",
                                               ROOT / "scripts" / "make_intake_samples.py")
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)

needs_office = pytest.mark.skipif(shutil.which("soffice") is None,
                                  reason="LibreOffice not installed (scripts/setup.sh installs it)")
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared corpus not present")
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler missing")

# Fake personal data, one value per place a rendition could hide it.
BSN_HIDDEN_SHEET = "111222333"
DELETED_NAME = "Hendrik Vlasblom"
COMMENT_NAME = "Gerda Tuinstra"
NOTES_NAME = "Wouter Brinkhorst"
SENDER = "Marloes Kuipers"
SENDER_MAIL = "marloes.kuipers@voorbeeldmail.nl"
BODY_PHONE = "06-41527384"
ATTACHMENT_IBAN = "NL91ABNA0417164300"
DOCX_ATTACHMENT_MAIL = "j.roodenburg@voorbeeldmail.nl"


def pdftotext(path: Path) -> str:
    """Text as an independent reader (poppler) sees it, whitespace removed."""
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return "".join(out.stdout.split())


def squeeze(text: str) -> str:
    return "".join(text.split())


def by_source(renditions: list[Rendition]) -> dict[str, Rendition]:
    return {r.source: r for r in renditions}


# ---- builders for the tests ------------------------------------------------------------------


def docx_with_history(path: Path) -> Path:
    return build.make_docx(path, ["Notulen van het overleg over de verkeerssituatie.",
                                  "De wijkagent geeft een toelichting op de plannen."],
                           deleted=f"Ingebracht door {DELETED_NAME}",
                           inserted="Het besluit volgt later.",
                           comment=("Beoordelaar", f"Navragen bij {COMMENT_NAME}."),
                           hidden="Verborgen regel: interne notitie")


def xlsx_with_hidden_sheet(path: Path) -> Path:
    return build.make_xlsx(path, [["Project", "Bedrag"], ["Speeltuin", "12000"]],
                           [["Naam", "BSN"], ["Aanvrager", BSN_HIDDEN_SHEET]])


def pptx_with_notes(path: Path) -> Path:
    return build.make_pptx(path, "Voortgang wijkplan", "Planning en budget",
                           f"Spreker: nog bellen met {NOTES_NAME}.")


def eml_with_attachments(path: Path, docx: Path, pdf: Path) -> Path:
    return build.make_eml(
        path, f"{SENDER} <{SENDER_MAIL}>", "Team Vergunningen <vergunningen@gemeente.example>",
        "Koen Hazelaar <k.hazelaar@voorbeeldmail.nl>", "Aanvraag omgevingsvergunning",
        f"Beste collega,\n\nDe aanvraag staat in de bijlagen. Bel mij op {BODY_PHONE}.\n\n"
        f"Groet,\n{SENDER}",
        [("verslag.docx", docx.read_bytes(),
          "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
         ("bezwaar.pdf", pdf.read_bytes(), "application/pdf")])


# ---- e-mail ----------------------------------------------------------------------------------


@needs_pdftotext
def test_eml_header_block_body_and_attachment_names(tmp_path):
    pdf = build.make_pdf(tmp_path / "b.pdf", [f"Rekening {ATTACHMENT_IBAN}"])
    txt = tmp_path / "n.txt"
    txt.write_text("Notitie zonder persoonsgegevens.", encoding="utf-8")
    mail = build.make_eml(tmp_path / "m.eml", f"{SENDER} <{SENDER_MAIL}>", "a@gemeente.example",
                          "c@gemeente.example", "Onderwerp X", f"Bel {BODY_PHONE}.",
                          [("bijlage.pdf", pdf.read_bytes(), "application/pdf"),
                           ("notitie.txt", txt.read_bytes(), "text/plain")])
    out = render(mail, tmp_path / "work")
    assert [r.name for r in out] == ["m.eml.pdf", "m.eml.bijlage-1-bijlage.pdf",
                                     "m.eml.bijlage-2-notitie.txt.pdf"]
    text = pdftotext(out[0].pdf)
    for shown in ("Van:", SENDER_MAIL, "Aan:", "CC:", "Datum:", "Onderwerp:", "OnderwerpX",
                  "Bijlagen:", "bijlage.pdf;notitie.txt", BODY_PHONE):
        assert squeeze(shown) in text
    assert ATTACHMENT_IBAN in pdftotext(out[1].pdf)
    assert "Notitiezonderpersoonsgegevens." in pdftotext(out[2].pdf)
    meta = out[0].meta()
    assert meta["datum"] == "2024-03-04" and meta["in_reply_to"] == "<verzoek-1@gemeente.example>"
    assert meta["message_id"].endswith("@gemeente.example>")
    assert all(r.family_id == "m.eml" for r in out[1:]) and out[0].family_id == ""
    assert all(r.meta()["datum"] == "2024-03-04" for r in out[1:])


@needs_pdftotext
def test_html_body_keeps_inline_image_and_fetches_nothing(tmp_path):
    import io

    from PIL import Image

    png = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(png, "PNG")
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "a@x.example", "b@x.example", "html"
    msg.set_content("platte tekst")
    msg.add_alternative('<p>Zie <b>logo</b>:</p><img src="cid:logo1"><img src="https://tracker.example/p.gif">'
                        '<script>document.write("SCRIPTTEXT")</script>'
                        '<div style="display:none">verborgen voorkop</div>', subtype="html")
    msg.get_payload()[1].add_related(png.getvalue(), "image", "png", cid="<logo1>")
    path = tmp_path / "h.eml"
    path.write_bytes(bytes(msg))
    out = render(path, tmp_path / "w")
    assert len(out) == 1  # the inline image is part of the body, not an attachment
    with pymupdf.open(out[0].pdf) as doc:
        assert len(doc[0].get_images()) == 1
    text = pdftotext(out[0].pdf)
    assert "Zielogo:" in text and "SCRIPTTEXT" not in text
    assert "afbeeldingnietopgehaald" in text  # remote image: a placeholder, never fetched
    assert "verborgenvoorkop" in text  # hidden HTML text is shown, not dropped
    assert any("externe afbeelding" in f for f in out[0].findings)


def test_mail_in_mail_and_zip_are_rendered_recursively(tmp_path):
    inner = build.make_eml(tmp_path / "inner.eml", "x@x.example", "y@x.example", "", "Binnen",
                           "binnenste tekst", [])
    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("map/brief.txt", "brief in zip")
        zf.writestr("onbekend.xyz", "?")
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "a@x.example", "b@x.example", "Buiten"
    msg.set_content("buitenste tekst")
    msg.add_attachment(inner.read_bytes(), maintype="message", subtype="rfc822")
    msg.add_attachment(archive.read_bytes(), maintype="application", subtype="zip",
                       filename="stukken.zip")
    path = tmp_path / "outer.eml"
    path.write_bytes(bytes(msg))
    out = by_source(render(path, tmp_path / "w"))
    child = "outer.eml.bijlage-1-Binnen.eml"
    assert out[child].kind == "mail" and out[child].family_id == "outer.eml"
    assert "binnenste tekst" in pymupdf.open(out[child].pdf)[0].get_text()
    brief = "outer.eml.bijlage-2-stukken.zip.map_brief.txt"
    assert out[brief].family_id == "outer.eml" and out[brief].pdf.is_file()
    odd = out["outer.eml.bijlage-2-stukken.zip.onbekend.xyz"]
    assert odd.pdf is None and odd.exit_code == 6 and "bestandstype .xyz" in odd.error


def test_renditions_are_reproducible_so_resume_can_skip(tmp_path):
    import hashlib

    pdf = build.make_pdf(tmp_path / "b.pdf", ["bijlage"])
    mail = build.make_eml(tmp_path / "m.eml", "a@x.example", "b@x.example", "", "S", "tekst",
                          [("b.pdf", pdf.read_bytes(), "application/pdf")])
    digests = [[hashlib.sha256(r.pdf.read_bytes()).hexdigest() for r in render(mail, tmp_path / w)]
               for w in ("w1", "w2")]
    assert digests[0] == digests[1]


def test_broken_mail_inputs_give_one_clear_error(tmp_path):
    empty = tmp_path / "leeg.eml"
    empty.write_bytes(b"")
    junk = tmp_path / "rommel.msg"
    junk.write_bytes(b"\x00not an outlook file" * 10)
    for path in (empty, junk):
        with pytest.raises(BadInputError) as info:
            render(path, tmp_path / "w")
        assert path.name in str(info.value) and "\n" not in str(info.value)


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl missing")
def test_smime_opaque_signed_is_unwrapped_and_encrypted_is_refused(tmp_path):
    key, cert = tmp_path / "k.pem", tmp_path / "c.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
                    "-out", str(cert), "-subj", "/CN=test", "-days", "2"], check=True,
                   capture_output=True)
    signed = subprocess.run(["openssl", "smime", "-sign", "-nodetach", "-signer", str(cert),
                             "-inkey", str(key), "-to", "b@x.example", "-subject", "getekend"],
                            input=b"Content-Type: text/plain\r\n\r\nInhoud van Piet Smit\r\n",
                            capture_output=True, check=True).stdout
    (tmp_path / "s.eml").write_bytes(signed)
    out = render(tmp_path / "s.eml", tmp_path / "w")
    assert "Inhoud van Piet Smit" in pymupdf.open(out[0].pdf)[0].get_text()
    assert any("S/MIME" in f for f in out[0].findings)
    (tmp_path / "e.eml").write_bytes(
        b"From: a@x.example\r\nSubject: geheim\r\nMIME-Version: 1.0\r\nContent-Type: "
        b"application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\nMIAGCSqGSIb3DQEHA6CAMIACAQAx\r\n")
    with pytest.raises(BadInputError, match="encrypted"):
        render(tmp_path / "e.eml", tmp_path / "w2")


# ---- Office ----------------------------------------------------------------------------------


@needs_office
@needs_pdftotext
def test_docx_tracked_changes_comment_and_hidden_text_are_visible(tmp_path):
    out = render(docx_with_history(tmp_path / "v.docx"), tmp_path / "w")
    text = pdftotext(out[0].pdf)
    assert squeeze(DELETED_NAME) in text and "Hetbesluitvolgtlater." in text
    assert squeeze(COMMENT_NAME) in text and "Aanvullendeinhoud" in text
    assert "Verborgenregel" in text
    findings = " ".join(out[0].findings)
    for word in ("invoegingen: 1", "verwijderingen", "opmerkingen", "verborgen tekst"):
        assert word in findings
    with pymupdf.open(out[0].pdf) as doc:  # no author; the title (none set) is the first line
        assert not doc.metadata.get("author") and not doc.metadata.get("creator")
        assert doc.metadata.get("title") == doc[0].get_text().splitlines()[0].strip()


@needs_office
def test_office_title_kept_author_removed(tmp_path):
    """dc:title stays in the rendition's PDF metadata and goes to DiWoo (document_title);
    author and last-modified-by are removed; the creation date is recorded with its source."""
    import docx

    document = docx.Document()
    document.core_properties.title = "Besluit op het verzoek"
    document.core_properties.author = "Karel Auteur"
    document.core_properties.last_modified_by = "Karel Auteur"
    document.add_paragraph("Besluit op het verzoek om informatie.")
    document.save(tmp_path / "besluit.docx")
    out = render(tmp_path / "besluit.docx", tmp_path / "w")
    with pymupdf.open(out[0].pdf) as doc:
        assert doc.metadata["title"] == "Besluit op het verzoek"
        assert "Karel" not in str(doc.metadata) and "Karel" not in doc.tobytes().decode("latin-1")
    meta = out[0].meta()
    assert meta["document_title"] == "Besluit op het verzoek"
    assert meta["datum"] == document.core_properties.created.date().isoformat()
    assert "created" in meta["datum_bron"]


@needs_office
@needs_pdftotext
def test_docx_final_view_shows_accepted_text_only(tmp_path):
    out = render(docx_with_history(tmp_path / "v.docx"), tmp_path / "w",
                 options=IntakeOptions(office_view="final"))
    text = pdftotext(out[0].pdf)
    assert "Hetbesluitvolgtlater." in text
    assert squeeze(DELETED_NAME) not in text and squeeze(COMMENT_NAME) not in text
    assert any("weergave final" in f for f in out[0].findings)


@needs_office
@needs_pdftotext
def test_xlsx_hidden_sheet_rows_shown_landscape_with_sheet_names(tmp_path):
    from openpyxl import load_workbook

    path = xlsx_with_hidden_sheet(tmp_path / "b.xlsx")
    book = load_workbook(path)
    book["Overzicht"].append(["Verborgen rij", "777"])
    book["Overzicht"].row_dimensions[3].hidden = True
    book.save(path)
    out = render(path, tmp_path / "w")
    text = pdftotext(out[0].pdf)
    assert BSN_HIDDEN_SHEET in text and "Verborgenrij" in text
    assert "Overzicht" in text and "Verborgen" in text  # sheet names as headings
    with pymupdf.open(out[0].pdf) as doc:
        assert all(page.rect.width > page.rect.height for page in doc)  # landscape
    assert any("verborgen werkbladen" in f for f in out[0].findings)
    assert any("verborgen rijen" in f for f in out[0].findings)


@needs_office
def test_huge_sheet_is_cut_with_a_note(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    for i in range(60):
        book.active.append([f"rij {i}", i])
    book.save(tmp_path / "groot.xlsx")
    out = render(tmp_path / "groot.xlsx", tmp_path / "w", options=IntakeOptions(max_rows=25))
    text = "".join(page.get_text() for page in pymupdf.open(out[0].pdf))
    assert "rij 24" in text and "rij 25\n" not in text and "eerste 25" in text
    assert any("afgekapt na 25 van 60 rijen" in f for f in out[0].findings)


@needs_office
@needs_pdftotext
def test_pptx_speaker_notes_are_rendered(tmp_path):
    out = render(pptx_with_notes(tmp_path / "p.pptx"), tmp_path / "w")
    text = pdftotext(out[0].pdf)
    assert "Voortgangwijkplan" in text and squeeze(NOTES_NAME) in text
    assert any("sprekersnotities" in f for f in out[0].findings)


@needs_office
def test_corrupt_and_unknown_office_files_fail_cleanly(tmp_path):
    broken = tmp_path / "kapot.docx"
    broken.write_bytes(b"PK\x03\x04 this is not really a zip")
    garbage = tmp_path / "oud.doc"
    garbage.write_bytes(b"geen word-bestand")
    for path in (broken, garbage):
        with pytest.raises(BadInputError, match=path.name):
            render(path, tmp_path / "w")


@needs_office
def test_conversion_time_limit_kills_libreoffice(tmp_path):
    import os

    import psutil

    from woo_anon.errors import DocumentTimeoutError
    from woo_anon.intake import office

    path = docx_with_history(tmp_path / "v.docx")
    profile = str(office._profile_dir())  # only this process's LibreOffice, not a neighbour's
    for attempt in range(5):  # SIGKILL lands asynchronously: each time, none may be left dying
        with pytest.raises(DocumentTimeoutError, match="took longer"):
            # 50 ms: LibreOffice cannot even start in that time, however fast the machine
            render(path, tmp_path / f"w{attempt}", options=IntakeOptions(timeout=0.05))
        ours = [p for p in psutil.process_iter(["cmdline", "status"])  # zombies are dead already
                if p.info["status"] != psutil.STATUS_ZOMBIE
                and any(profile in part for part in (p.info["cmdline"] or []))]
        assert not ours and os.path.isdir(profile), (attempt, [p.info for p in ours])


@needs_office
@needs_corpus
@pytest.mark.parametrize("name", ["docx/poi_bug53475-password-is-pass.docx",
                                  "xlsx/tika_testEXCEL_protected_passtika.xlsx",
                                  "odt/tika_testODTEncrypted.odt",
                                  "other/tika_testWORD_protected_passtika.doc"])
def test_password_protected_office_files_are_refused(tmp_path, name):
    with pytest.raises(BadInputError, match="password-protected"):
        render(CORPUS / name, tmp_path / "w")


# ---- images and text -------------------------------------------------------------------------


def test_multipage_tiff_becomes_one_page_per_frame(tmp_path):
    from PIL import Image

    frames = [Image.new("L", (300, 200), shade) for shade in (255, 128, 60)]
    frames[0].save(tmp_path / "scan.tif", save_all=True, append_images=frames[1:])
    out = render(tmp_path / "scan.tif", tmp_path / "w")
    with pymupdf.open(out[0].pdf) as doc:
        assert doc.page_count == 3 and all(page.get_images() for page in doc)


@needs_pdftotext
def test_csv_and_text_render_every_cell(tmp_path):
    path = tmp_path / "lijst.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter=";").writerows([["naam", "telefoon"], ["Inge Zandvoort", BODY_PHONE]])
    text = pdftotext(render(path, tmp_path / "w")[0].pdf)
    assert "IngeZandvoort" in text and BODY_PHONE in text


# ---- public samples ------------------------------------------------------------------------


@needs_corpus
@needs_office
@pytest.mark.parametrize("name,expected", [
    ("msg/msgreader_EmailWith2Attachments.msg", 3),  # Dutch mail + .docx + .xlsx
    ("msg/msgreader_EmailWithInnerMailAndAttachments.msg", 6),  # msg in msg, PDFs
    ("msg/poi_msgClassAppointment.msg", 1),
    ("eml/mimekit_ukr_with_winmail-dat.eml", 2),  # TNEF
    ("eml/mimekit_thunderbird-smime-signed.eml", 2),
    ("pptx/tika_testPPT_various2.pptx", 2),  # hidden slide, notes, comments, embedded xlsx
])
def test_public_samples_render(tmp_path, name, expected):
    out = render(CORPUS / name, tmp_path / "w")
    assert len(out) == expected
    assert all(r.pdf is not None and pymupdf.open(r.pdf).page_count > 0 for r in out if not r.error)


@needs_corpus
@pytest.mark.parametrize("name", ["msg/poi_clusterfuzz-POIHSMFFuzzer-5336473854148608.msg",
                                  "other/poi_oom.tnef", "docx/tika_testWORD_truncated.docx",
                                  "odt/tika_testODTnotaZipFile.odt"])
def test_public_broken_samples_fail_with_one_line(tmp_path, name):
    with pytest.raises(BadInputError) as info:
        render(CORPUS / name, tmp_path / "w")
    assert "\n" not in str(info.value)


# ---- end to end: the acceptance scenario ---------------------------------------------

PLANTED = (SENDER, SENDER_MAIL, BODY_PHONE, ATTACHMENT_IBAN, DOCX_ATTACHMENT_MAIL, DELETED_NAME,
           COMMENT_NAME, BSN_HIDDEN_SHEET, NOTES_NAME, "k.hazelaar@voorbeeldmail.nl")
PUBLIC = ("Aanvraagomgevingsvergunning", "verkeerssituatie", "Bedrag", "Voortgangwijkplan",
          "Bezwaartegendeaanvraag", "Verslagaanvraag.")


def acceptance_folder(folder: Path) -> Path:
    folder.mkdir()
    work = folder.parent / "bouw"
    work.mkdir()
    attachment = build.make_docx(work / "verslag.docx", [
        "Verslag aanvraag.", f"Contact aanvrager: {DOCX_ATTACHMENT_MAIL}."])
    pdf = build.make_pdf(work / "bezwaar.pdf", ["Bezwaar tegen de aanvraag.",
                                                f"Rekeningnummer {ATTACHMENT_IBAN}."])
    eml_with_attachments(folder / "aanvraag.eml", attachment, pdf)
    docx_with_history(folder / "notulen.docx")
    xlsx_with_hidden_sheet(folder / "begroting.xlsx")
    pptx_with_notes(folder / "presentatie.pptx")
    if CORPUS.is_dir():
        shutil.copyfile(CORPUS / "msg" / "msgreader_EmailWith2Attachments.msg", folder / "outlook.msg")
    (folder / "kapot.docx").write_bytes(b"PK\x03\x04 kapot")
    (folder / "tekening.dwg").write_bytes(b"AC1027")
    return folder


@needs_office
@needs_pdftotext
def test_acceptance_folder_of_mail_and_office_files(tmp_path):
    """Mail with attachments, .msg, docx with tracked deletion + comment, xlsx with a hidden
    sheet holding a BSN, pptx with speaker notes: one verified redacted PDF per message and per
    attachment, no planted value readable, public text readable, familyID links, bad files
    reported (exit 6) while the others are done."""
    folder = acceptance_folder(tmp_path / "verzoek")
    out = tmp_path / "uit"
    exe = Path(sys.executable).with_name("woo-anon")
    run = subprocess.run([str(exe), "redact", str(folder), "-o", str(out), "--jobs", "2"],
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 6, run.stderr[-2000:]
    assert "kapot.docx" in run.stderr and "tekening.dwg" in run.stderr
    expected = {"aanvraag.eml.pdf", "aanvraag.eml.bijlage-1-verslag.docx.pdf",
                "aanvraag.eml.bijlage-2-bezwaar.pdf", "notulen.docx.pdf", "begroting.xlsx.pdf",
                "presentatie.pptx.pdf"}
    if CORPUS.is_dir():
        expected |= {"outlook.msg.pdf",
                     "outlook.msg.bijlage-1-Installatie-handleiding.docx.pdf",
                     "outlook.msg.bijlage-2-Installatiehandleiding-S-I-Agro.xlsx.pdf"}
    written = {p.name for p in out.glob("*.pdf")}
    assert written == expected
    everything = ""
    for name in expected:
        text = pdftotext(out / name)
        everything += text
        leaked = [v for v in PLANTED if squeeze(v) in text]
        assert not leaked, f"{name}: {leaked} readable"
    for public in PUBLIC:
        assert public in everything
    with open(out / "inventarislijst.csv", encoding="utf-8") as handle:
        rows = {r["documentnaam"]: r for r in csv.DictReader(handle, delimiter=";")}
    assert rows["aanvraag.eml.bijlage-1-verslag.docx.pdf"]["familyID"] == "aanvraag.eml"
    assert rows["aanvraag.eml.bijlage-2-bezwaar.pdf"]["familyID"] == "aanvraag.eml"
    assert rows["aanvraag.eml.pdf"]["familyID"] == "" and rows["aanvraag.eml.pdf"]["datum"] == "2024-03-04"
    assert "verwijderingen" in rows["notulen.docx.pdf"]["toelichting"]
    assert "verborgen werkbladen" in rows["begroting.xlsx.pdf"]["toelichting"]
    assert "sprekersnotities" in rows["presentatie.pptx.pdf"]["toelichting"]
    assert "niet verwerkt" in rows["tekening.dwg"]["toelichting"]
    assert rows["kapot.docx"]["beoordeling"] == "Handmatig beoordelen"
    assert "damaged Office file" in rows["kapot.docx"]["toelichting"]


@needs_office
@needs_pdftotext
def test_office_view_option_on_the_command_line(tmp_path):
    """`--office-view final` publishes the accepted text only; the default shows (and redacts)
    the tracked deletion and the comment; plan and apply take the option too."""
    src = tmp_path / "in"
    src.mkdir()
    docx_with_history(src / "notulen.docx")
    runs = {}
    for view in ("all", "final"):
        out = tmp_path / f"out-{view}"
        proc = subprocess.run([sys.executable, "-m", "woo_anon", "redact", str(src), "-o", str(out),
                               "-j", "1", "--office-view", view],
                              capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr
        runs[view] = pdftotext(out / "notulen.docx.pdf")
    assert "Ingebrachtdoor" in runs["all"] and squeeze(DELETED_NAME) not in runs["all"]
    assert "Ingebrachtdoor" not in runs["final"] and "Hetbesluitvolgtlater." in runs["final"]
    bad = subprocess.run([sys.executable, "-m", "woo_anon", "plan", str(src), "-o",
                          str(tmp_path / "p"), "--office-view", "alles"],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "--office-view" in bad.stderr and "Traceback" not in bad.stderr
