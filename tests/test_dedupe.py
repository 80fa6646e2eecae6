"""Duplicates and e-mail threads (issue #13) on a generated mailbox rendered to real PDFs.

The mailbox: one message as it sits in three mailboxes (different To/BCC and client headers),
two byte-identical copies under other names, an Outlook-style PDF print of it (English labels,
other line wrapping, a hyphenated word), a reply that quotes it and adds one sentence, a forward
of that reply, a second thread linked only by Outlook's Thread-Index, and an unrelated memo.
"""

from __future__ import annotations

import base64
import csv
import email
import email.policy
from email.message import EmailMessage
from pathlib import Path

import pymupdf
import pytest

from woo_anon.dedupe import DocText, Options, group_documents, read_pdf, thread_subject
from woo_anon.dedupe.propagate import group_terms, harmonise
from woo_anon.dedupe.report import inventory_fields, read_grouping, skipped, summary, \
    write_duplicates_csv, write_grouping
from woo_anon.dedupe.text import split_headers, tokens
from woo_anon.dedupe.threads import MailHeaders, conversation_index

BODY_A = ("Beste Jan,\n\nHierbij stuur ik de notulen van de vergadering van dinsdag over het "
          "project Zonnebloem. Graag hoor ik voor vrijdag of je akkoord bent met de tekst, "
          "dan kan het stuk mee met de agenda van de commissie.\n\nMet vriendelijke groet,\n"
          "Piet Jansen\nBeleidsmedewerker\n")
QUOTE_A = ("-----Oorspronkelijk bericht-----\nVan: Piet Jansen <piet.jansen@gemeente.nl>\n"
           "Verzonden: maandag 3 maart 2025 10:00\nAan: Jan de Vries <jan.devries@gemeente.nl>\n"
           "CC: Anna Smit <anna.smit@gemeente.nl>\nOnderwerp: Notulen overleg\n\n")
BODY_B = "Piet,\n\nAkkoord, de notulen kunnen zo naar de commissie.\n\nJan\n\n" + QUOTE_A + BODY_A
QUOTE_B = ("-----Oorspronkelijk bericht-----\nVan: Jan de Vries <jan.devries@gemeente.nl>\n"
           "Verzonden: maandag 3 maart 2025 11:00\nAan: Piet Jansen <piet.jansen@gemeente.nl>\n"
           "Onderwerp: RE: Notulen overleg\n\n")
BODY_C = "Kees, ter informatie.\n\nPiet\n\n" + QUOTE_B + BODY_B
BODY_D = ("Beste collega's,\n\nDe conceptbegroting voor 2026 staat klaar in de map van het "
          "team Financien. Wil iedereen zijn posten voor het eind van de maand controleren?\n\n"
          "Groet,\nLotte Bakker\n")
BODY_E = ("Lotte,\n\nMijn posten kloppen, op de subsidies na: die volgen nog.\n\nMarco\n\n"
          "-----Oorspronkelijk bericht-----\nVan: Lotte Bakker <lotte.bakker@gemeente.nl>\n"
          "Onderwerp: Begroting 2026\n\n" + BODY_D)
THREAD_INDEX = base64.b64encode(bytes(range(1, 23))).decode()
REPLY_INDEX = base64.b64encode(bytes(range(1, 23)) + b"\x00\x01\x02\x03\x04").decode()

A_HEADERS = {"From": "Piet Jansen <piet.jansen@gemeente.nl>",
             "To": "Jan de Vries <jan.devries@gemeente.nl>", "Cc": "Anna Smit <anna.smit@gemeente.nl>",
             "Subject": "Notulen overleg", "Date": "Mon, 03 Mar 2025 10:00:00 +0100",
             "Message-ID": "<a1@gemeente.nl>"}


def _eml(path: Path, headers: dict[str, str], body: str) -> Path:
    msg = EmailMessage()
    for key, value in headers.items():
        msg[key] = value
    msg.set_content(body)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(msg.as_bytes())
    return path


LABELS = (("From", "Van"), ("To", "Aan"), ("Cc", "CC"), ("Bcc", "BCC"), ("Date", "Datum"),
          ("Subject", "Onderwerp"))


def _render(eml: Path, pdf: Path, labels=LABELS, width: float = 475, body_edit=None) -> dict:
    """A readable A4 rendition of a mail (as intake makes one); returns the mail's metadata."""
    msg = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    head = "".join(f"{label}: {msg[key]}\n" for key, label in labels if msg[key])
    body = msg.get_body().get_content()
    _pdf(pdf, head + "\n" + (body_edit(body) if body_edit else body), width)
    keys = ("from", "to", "cc", "bcc", "subject", "date", "message-id", "in-reply-to",
            "references", "thread-index")
    return {k.replace("-", "_"): str(msg[k]) for k in keys if msg[k]}


def _pdf(path: Path, text: str, width: float = 475) -> Path:
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    assert page.insert_textbox(pymupdf.Rect(60, 60, 60 + width, 800), text, fontsize=9.5,
                               fontname="helv", lineheight=1.25) >= 0
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    doc.close()
    return path


@pytest.fixture(scope="module")
def mailbox(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("mailbox")
    src, pdfs = root / "src", root / "pdf"
    sent = dict(A_HEADERS, Bcc="Karel Mulder <karel.mulder@gemeente.nl>")
    jan = dict(A_HEADERS, **{"X-MS-Exchange-Organization-SCL": "-1"})
    anna = dict(A_HEADERS, **{"X-Mailer": "Microsoft Outlook 16.0"})
    emls = {
        "piet/verzonden/notulen.eml": _eml(src / "piet/verzonden/notulen.eml", sent, BODY_A),
        "jan/inbox/notulen.eml": _eml(src / "jan/inbox/notulen.eml", jan, BODY_A),
        "anna/inbox/notulen.eml": _eml(src / "anna/inbox/notulen.eml", anna, BODY_A),
        "jan/inbox/re-notulen.eml": _eml(src / "jan/inbox/re-notulen.eml", {
            "From": "Jan de Vries <jan.devries@gemeente.nl>", "To": A_HEADERS["From"],
            "Subject": "RE: Notulen overleg", "Date": "Mon, 03 Mar 2025 11:00:00 +0100",
            "Message-ID": "<b1@gemeente.nl>", "In-Reply-To": "<a1@gemeente.nl>",
            "References": "<a1@gemeente.nl>"}, BODY_B),
        "piet/verzonden/fw-notulen.eml": _eml(src / "piet/verzonden/fw-notulen.eml", {
            "From": A_HEADERS["From"], "To": "Kees Visser <kees.visser@gemeente.nl>",
            "Subject": "FW: RE: Notulen overleg", "Date": "Mon, 03 Mar 2025 12:00:00 +0100",
            "Message-ID": "<c1@gemeente.nl>", "In-Reply-To": "<b1@gemeente.nl>",
            "References": "<a1@gemeente.nl> <b1@gemeente.nl>"}, BODY_C),
        "lotte/verzonden/begroting.eml": _eml(src / "lotte/verzonden/begroting.eml", {
            "From": "Lotte Bakker <lotte.bakker@gemeente.nl>", "To": "team@gemeente.nl",
            "Subject": "Begroting 2026", "Date": "Tue, 04 Mar 2025 09:00:00 +0100",
            "Message-ID": "<d1@gemeente.nl>", "Thread-Index": THREAD_INDEX}, BODY_D),
        "marco/inbox/antw-begroting.eml": _eml(src / "marco/inbox/antw-begroting.eml", {
            "From": "Marco Peters <marco.peters@gemeente.nl>", "To": "Lotte Bakker <lotte.bakker@gemeente.nl>",
            "Subject": "Antw: Begroting 2026", "Date": "Tue, 04 Mar 2025 14:00:00 +0100",
            "Message-ID": "<e1@gemeente.nl>", "Thread-Index": REPLY_INDEX}, BODY_E),
    }
    for copy in ("jan/archief/notulen-kopie.eml", "export/bericht-001.eml"):
        (src / copy).parent.mkdir(parents=True, exist_ok=True)
        (src / copy).write_bytes(emls["jan/inbox/notulen.eml"].read_bytes())
        emls[copy] = src / copy
    docs, files = [], {}
    from woo_anon.extract import sha256_file

    for name, eml in sorted(emls.items()):
        files[name] = pdfs / (name + ".pdf")
        meta = _render(eml, files[name])
        docs.append(read_pdf(files[name], name, sha256_file(eml), meta))
    # An Outlook print of the message: English labels, names without addresses, narrower
    # lines, a word hyphenated at a line end. No e-mail metadata: a PDF is all there is.
    print_text = ("Piet Jansen\nFrom: Piet Jansen\nSent: Monday, March 3, 2025 10:00 AM\n"
                  "To: Jan de Vries\nCc: Anna Smit\nSubject: Notulen overleg\n\n"
                  + BODY_A.replace("vergadering", "verga-\ndering"))
    files["prints/notulen.pdf"] = _pdf(pdfs / "prints/notulen.pdf", print_text.split("\n", 1)[1], 300)
    docs.append(read_pdf(files["prints/notulen.pdf"], "prints/notulen.pdf"))
    files["memo.pdf"] = _pdf(pdfs / "memo.pdf", "Memo\n\nAan: het college\nVan: afdeling "
                             "Financien\nOnderwerp: Begroting\n\nHet college wordt gevraagd "
                             "in te stemmen met de begrotingswijziging.")
    docs.append(read_pdf(files["memo.pdf"], "memo.pdf"))
    return {"docs": docs, "files": files, "root": root, "grouping": group_documents(docs)}


COPIES_OF_A = ["piet/verzonden/notulen.eml", "jan/inbox/notulen.eml", "anna/inbox/notulen.eml",
               "jan/archief/notulen-kopie.eml", "export/bericht-001.eml", "prints/notulen.pdf"]


def test_copies_point_to_one_original(mailbox):
    g = mailbox["grouping"]
    # Earliest first: all mailbox copies share the Date; the name breaks the tie; the print
    # has no date and so is never the original.
    original = "anna/inbox/notulen.eml"
    assert g.original_of(original) != original
    for name in COPIES_OF_A:
        if name != original:
            assert g.original_of(name) == original, name
    kinds = {name: g.matches[name].kind for name in COPIES_OF_A if name != original}
    assert kinds["jan/archief/notulen-kopie.eml"] == "exact"  # same bytes as jan's copy
    assert kinds["export/bericht-001.eml"] == "exact"
    assert kinds["jan/inbox/notulen.eml"] == "exact"  # other client headers, same text
    assert kinds["piet/verzonden/notulen.eml"] == "near"  # a BCC the others lack
    assert kinds["prints/notulen.pdf"] == "exact"  # other labels, wrapping, hyphenation


def test_reply_with_new_sentence_is_not_a_duplicate(mailbox):
    g = mailbox["grouping"]
    reply = g.matches.get("jan/inbox/re-notulen.eml")
    # Its one new sentence needs review: it is no copy of anything. It is quoted whole in the
    # forward, so it is contained there (the forward adds a sentence of its own).
    assert reply is not None and reply.kind == "contained"
    assert reply.original == "piet/verzonden/fw-notulen.eml"
    assert "piet/verzonden/fw-notulen.eml" not in g.matches  # the forward's new line
    assert "marco/inbox/antw-begroting.eml" not in g.matches
    assert "memo.pdf" not in g.matches


def test_quoted_original_is_contained_in_the_reply(mailbox):
    g = mailbox["grouping"]
    assert g.matches["anna/inbox/notulen.eml"].kind == "contained"
    assert g.matches["anna/inbox/notulen.eml"].original == "jan/inbox/re-notulen.eml"
    begroting = g.matches["lotte/verzonden/begroting.eml"]
    assert (begroting.kind, begroting.original) == ("contained", "marco/inbox/antw-begroting.eml")


def test_thread_ids_equal_within_and_different_between_threads(mailbox):
    g = mailbox["grouping"]
    first = {g.threads[n] for n in COPIES_OF_A + ["jan/inbox/re-notulen.eml",
                                                  "piet/verzonden/fw-notulen.eml"]}
    second = {g.threads[n] for n in ("lotte/verzonden/begroting.eml", "marco/inbox/antw-begroting.eml")}
    assert len(first) == 1 and len(second) == 1 and first != second
    assert "memo.pdf" not in g.threads  # not an e-mail


def test_decision_groups_join_copies_and_quoting_mails(mailbox):
    g = mailbox["grouping"]
    group = g.group_of("prints/notulen.pdf")
    assert set(COPIES_OF_A) | {"jan/inbox/re-notulen.eml", "piet/verzonden/fw-notulen.eml"} == set(group)
    assert g.group_of("memo.pdf") == ("memo.pdf",)


def test_duplicates_csv_inventory_fields_and_summary(mailbox, tmp_path):
    g = mailbox["grouping"]
    path = write_duplicates_csv(g, tmp_path)
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["document"] for r in rows] == sorted(g.matches)
    row = next(r for r in rows if r["document"] == "export/bericht-001.eml")
    assert (row["original"], row["kind"], row["similarity"]) == ("anna/inbox/notulen.eml", "exact", "1.000")
    fields = inventory_fields(g, lambda name: "ID-" + name)
    assert fields["export/bericht-001.eml"]["toelichting"].startswith("dubbel")
    assert fields["export/bericht-001.eml"]["gerelateerdID"] == "ID-anna/inbox/notulen.eml"
    assert fields["memo.pdf"] == {"toelichting": "", "gerelateerdID": "", "email Thread ID": ""}
    assert fields["export/bericht-001.eml"]["email Thread ID"] == g.threads["jan/inbox/re-notulen.eml"]
    assert summary(g).startswith(f"duplicates: {len(g.matches)} of {len(g.names)} documents")
    assert read_grouping(write_grouping(g, tmp_path)) == g
    assert skipped(g, "mark") == frozenset() and skipped(g, "skip") == frozenset(g.matches)


def test_new_text_anywhere_breaks_a_near_match():
    base = "Van: a@b.nl\nOnderwerp: Overleg\n\n" + BODY_A
    variants = {
        "one word": base.replace("Met vriendelijke groet", "Akkoord. Met vriendelijke groet"),
        "changed name": base.replace("Piet Jansen\nBeleids", "Piet Janssen\nBeleids"),
        "other subject": base.replace("Overleg", "Overleg 2"),
    }
    docs = [DocText("a", "1", base)] + [DocText(k, str(i), v) for i, (k, v) in enumerate(variants.items(), 2)]
    g = group_documents(docs, Options(contained=False))
    assert g.matches == {}
    tolerant = group_documents(docs[:3], Options(contained=False, max_novel_tokens=2))
    assert set(tolerant.matches) == {"one word", "changed name"}


def test_normalisation_and_headers():
    split = split_headers("> Van: Piet <p@x.nl>\n> Aan: a@x.nl;\n> b@x.nl\nOp 3 maart 2025 om "
                          "10:00 schreef Piet <p@x.nl>:\n> Noord-\n> Holland is mooi.")
    assert [h for h, _ in split.headers] == ["from", "to", "to"]
    assert tokens(split.body) == tokens("NOORDHOLLAND  is\nmooi") == ["noordholland", "is", "mooi"]
    assert thread_subject("RE: Fw: Antw: [EXTERN] Doorst: WG: AW: Notulen  Overleg") == "notulen overleg"
    assert conversation_index(REPLY_INDEX) == conversation_index(THREAD_INDEX) != ""
    headers = MailHeaders.from_metadata({"Message-ID": "<X@Y>", "References": "<a@b> <c@d>",
                                         "Date": "Mon, 03 Mar 2025 10:00:00 +0100"})
    assert headers.message_id == "<x@y>" and headers.references == ("<a@b>", "<c@d>")
    assert headers.date == "2025-03-03T09:00:00+00:00"
    assert MailHeaders.from_metadata({"subject": "x"}) is None


def _out_text(path: Path) -> str:
    with pymupdf.open(path) as out:
        return " ".join(" ".join(p.get_text() for p in out).split())


def test_redact_flow_copies_agree(mailbox, engine, tmp_path):
    """Two passes as the batch runs them: plan the group members, merge their automatic
    decisions, redact each copy with them. Every text redacted in any copy is unreadable in
    every copy that contains it; the BCC only the sender's copy has is redacted there."""
    from woo_anon.api import Settings, write_redacted
    from woo_anon.dedupe.flow import Duplicates, first_pass_plan
    from woo_anon.dedupe.propagate import mentions

    files = mailbox["files"]
    dups = Duplicates.prepare(mailbox["docs"])
    group = dups.grouping.group_of("anna/inbox/notulen.eml")
    dups.share({n: first_pass_plan(engine, files[n], n) for n in dups.first_pass})
    terms = dups.terms[group[0]]
    assert "piet jansen" in terms.redact and not terms.keep
    for name in group:
        document, plan = engine.plan(files[name], name)
        target = tmp_path / name.replace("/", "_")
        write_redacted(files[name], dups.adjust(name, plan, document), target, Settings())
        text = _out_text(target)
        for key in terms.redact:
            readable = " ".join(" ".join(p.text for p in document.pages).split())
            if mentions(readable, key):
                assert not mentions(text, key), (name, key)
        assert "Karel Mulder" not in text and "Zonnebloem" in text


def test_officer_edit_on_the_original_shows_in_every_copy(mailbox, engine, tmp_path):
    """plan → the officer edits the original's plan JSON (keeps a detected name, redacts a
    project name by hand) → apply: the edits show in every copy's output."""
    import json

    from woo_anon.api import Settings, write_redacted
    from woo_anon.dedupe.flow import Duplicates, first_pass_plan
    from woo_anon.extract import extract_document
    from woo_anon.plan import plan_to_json, read_plan, span_boxes

    files, plan_dir = mailbox["files"], tmp_path / "plans"
    plan_dir.mkdir()
    dups = Duplicates.prepare(mailbox["docs"])
    dups.write(plan_dir)
    original = "anna/inbox/notulen.eml"
    members = dups.grouping.group_of(original)
    assert set(COPIES_OF_A) < set(members)
    dups.share({n: first_pass_plan(engine, files[n], n) for n in dups.first_pass})
    for name in members:  # `plan`: each member's plan JSON, group decisions included
        document, plan = engine.plan(files[name], name)
        plan_file = plan_dir / (name.replace("/", "_") + ".plan.json")
        plan_file.write_text(plan_to_json(dups.adjust(name, plan, document)), encoding="utf-8")
    # The officer, on the original only: keep Anna Smit, redact "Zonnebloem" by hand.
    plan_file = plan_dir / (original.replace("/", "_") + ".plan.json")
    data = json.loads(plan_file.read_text(encoding="utf-8"))
    anna = [r for r in data["redactions"] if r["text"] == "Anna Smit"]
    assert anna and all(r["status"] == "redact" for r in anna)
    for r in anna:
        r["status"] = "keep"
    page = extract_document(files[original], original).pages[0]
    start = page.text.index("Zonnebloem")
    data["redactions"].append({"page": 1, "boxes": [list(b) for b in span_boxes(page, start, start + 10)],
                               "text": "Zonnebloem", "ground": "5.1.2e", "status": "redact"})
    plan_file.write_text(json.dumps(data), encoding="utf-8")
    # `apply`: the grouping saved with the plans, the reviewed plans, shared, then applied.
    again = Duplicates.load(plan_dir)
    reviewed = {n: read_plan(plan_dir / (n.replace("/", "_") + ".plan.json")) for n in members}
    again.share(reviewed)
    for name in members:
        final = again.adjust(name, reviewed[name], lambda n=name: extract_document(files[n], n))
        target = tmp_path / name.replace("/", "_")
        write_redacted(files[name], final, target, Settings())
        text = _out_text(target)
        assert "Zonnebloem" not in text, name
        merged = [r for r in reviewed[name].to_apply()
                  if "Anna Smit" in r.text and " ".join(r.text.split()) != "Anna Smit"]
        assert ("Anna Smit" in text) != bool(merged), name  # the officer's keep (see below)
        assert "Piet Jansen" not in text and "Karel Mulder" not in text


def test_group_terms_settle_conflicts_the_safe_way():
    from woo_anon.model import Redaction, RedactionPlan

    def r(text, status="redact", origin="automatic", ground="5.1.2e"):
        return Redaction(text, 1, ((0, 0, 1, 1),), "PERSON", ground, 1.0, "x", status, "", text, origin)

    a = RedactionPlan("a", "1", "", (r("Jan Jansen"), r("Gemeentehuis"), r("Piet", ground="5.1.2e"),
                                     r("Kees", "keep", "reviewed")))
    b = RedactionPlan("b", "2", "", (r("gemeentehuis", "keep", "reviewed"), r("Piet", "redact", "reviewed", "5.1.1d"),
                                     r("KEES", "redact", "manual"), r("Anna", "review")))
    terms = group_terms([a, b])
    assert terms.keep == {"gemeentehuis"}  # an officer's keep beats an automatic redact
    assert terms.redact["piet"][0] == "5.1.1d"  # the officer's ground
    assert "kees" in terms.redact and terms.conflicts == {"kees"}  # officer vs officer: redact
    assert "anna" not in terms.redact  # waiting for review is no decision
    shared = harmonise(a, None, terms)
    assert [x.status for x in shared.redactions] == ["redact", "keep", "redact", "redact"]
    assert shared.redactions[2].ground == "5.1.1d"


def test_intake_renditions_group_with_their_print(mailbox, tmp_path):
    """The mails rendered by intake (issue #12) carry their threading headers as metadata; a
    rendition and an Outlook print of the same mail are one text."""
    intake = pytest.importorskip("woo_anon.intake")
    from woo_anon.extract import sha256_file

    src = mailbox["root"] / "src"
    docs = []
    for name in ("anna/inbox/notulen.eml", "jan/inbox/re-notulen.eml", "lotte/verzonden/begroting.eml"):
        first = intake.render(src / name, tmp_path, name)[0]
        docs.append(read_pdf(first.pdf, name, sha256_file(src / name), first.meta()))
    docs.append(next(d for d in mailbox["docs"] if d.name == "prints/notulen.pdf"))
    g = group_documents(docs)
    assert g.matches["prints/notulen.pdf"].original == "anna/inbox/notulen.eml"
    assert g.matches["prints/notulen.pdf"].kind == "exact"
    assert g.matches["anna/inbox/notulen.eml"].kind == "contained"  # quoted whole in the reply
    assert "jan/inbox/re-notulen.eml" not in g.matches
    assert g.threads["jan/inbox/re-notulen.eml"] == g.threads["prints/notulen.pdf"] \
        != g.threads["lotte/verzonden/begroting.eml"]


def test_inventory_meta_and_skip_rows(mailbox):
    from woo_anon.dedupe.flow import SKIPPED, Duplicates
    from woo_anon.model import Redaction, RedactionPlan

    dups = Duplicates.prepare(mailbox["docs"], policy="skip")
    meta = {"export/bericht-001.eml": {"toelichting": "uit archief"},
            "anna/inbox/notulen.eml": {"document_id": "DOC-7"}}
    rows = dups.inventory_meta(meta)
    assert rows["export/bericht-001.eml"]["toelichting"] == "uit archief; dubbel"
    assert rows["export/bericht-001.eml"]["gerelateerdID"] == "DOC-7"
    assert rows["memo.pdf"]["gerelateerdID"] == "" and rows["memo.pdf"]["email Thread ID"] == ""
    assert rows["anna/inbox/notulen.eml"]["document_id"] == "DOC-7"
    plan = RedactionPlan("x", "sha", "", (Redaction("1", 1, ((0, 0, 1, 1),), "PERSON", "5.1.2e", 1.0,
                                                    "x", "redact", "", "Piet Jansen"),))
    dups.run_first_pass(lambda name: plan)
    assert dups.skip("export/bericht-001.eml") and not dups.skip("memo.pdf")
    assert not dups.skip("jan/inbox/re-notulen.eml") or "jan/inbox/re-notulen.eml" in dups.grouping.matches
    row = dups.skipped_result("export/bericht-001.eml")
    assert (row.status, dict(row.by_ground), row.output) == (SKIPPED, {"5.1.2e": 1}, None)
    with pytest.raises(ValueError):
        Duplicates.prepare([], policy="drop")


def test_for_items_reads_the_pdfs_the_runner_processes(mailbox):
    from woo_anon.dedupe.flow import Duplicates
    from woo_anon.sources import Item, render

    docs = {d.name: d for d in mailbox["docs"]}
    items = [Item(mailbox["files"][name], name, tuple(sorted((docs[name].metadata or {}).items())))
             for name in docs] + [Item(Path("missing.pdf"), "missing.pdf", problem="no such file")]
    dups = Duplicates.for_items(items, render)
    g = mailbox["grouping"]
    assert {n: m.original for n, m in dups.grouping.matches.items()} == {n: m.original for n, m in g.matches.items()}
    assert dups.grouping.threads == g.threads and "missing.pdf" not in dups.grouping.names


def test_runner_redacts_and_applies_group_members_alike(mailbox, engine, tmp_path):
    """Through the one runner: redact with a SharedEngine per group member; then plan → the
    officer keeps a name in the original's plan → apply with the shared reviewed plans."""
    import json

    from woo_anon.dedupe.flow import Duplicates, SharedEngine, write_shared_plans
    from woo_anon.runner import Mode, load_reviewed_plan, process
    from woo_anon.sources import Item, render

    docs = {d.name: d for d in mailbox["docs"]}
    items = [Item(mailbox["files"][n], n, tuple(sorted((docs[n].metadata or {}).items()))) for n in COPIES_OF_A]
    by_name = {i.name: i for i in items}
    dups = Duplicates.for_items(items, render)
    dups.run_first_pass(lambda n: engine.plan(render(by_name[n]), n)[1])
    plans, outs = tmp_path / "plans", tmp_path / "out"
    for item in items:
        shared = SharedEngine(engine, dups.adjuster(item.name))
        assert process(item, Mode.REDACT, outs, engine=shared).status == "verified"
        assert process(item, Mode.PLAN, plans, engine=shared).status == "planned"
    texts = {n: _out_text(outs / n) for n in COPIES_OF_A}
    assert all("Piet Jansen" not in t and "Anna Smit" not in t for t in texts.values())
    original = "anna/inbox/notulen.eml"
    plan_file = plans / (original + ".plan.json")
    data = json.loads(plan_file.read_text(encoding="utf-8"))
    for r in data["redactions"]:
        if r["text"] == "Anna Smit":
            r["status"] = "keep"
    plan_file.write_text(json.dumps(data), encoding="utf-8")
    again = Duplicates.for_items(items, render)
    again.run_first_pass(lambda n: load_reviewed_plan(render(by_name[n]), n, plans))
    shared_dir = write_shared_plans(again, items, render, tmp_path / "shared")
    for item in items:
        result = process(item, Mode.APPLY, tmp_path / "final", plan_dir=shared_dir)
        assert result.status == "verified", result.error
        text = _out_text(tmp_path / "final" / item.name)
        assert "Piet Jansen" not in text, item.name
        merged = [r.text for r in again.plans[item.name].to_apply()
                  if "Anna Smit" in r.text and " ".join(r.text.split()) != "Anna Smit"]
        # A keep travels as text: where a copy's own detection ran the name together with
        # other text into one span (the Outlook print's English header lines), that span
        # stays redacted whole: over-redaction, never a leak.
        assert ("Anna Smit" in text) != bool(merged), item.name
    assert sum("Anna Smit" in _out_text(tmp_path / "final" / n) for n in COPIES_OF_A) >= 5


def test_prepare_run_skip_policy(mailbox, engine, tmp_path):
    from woo_anon.dedupe.flow import SKIPPED, Duplicates
    from woo_anon.sources import Item, render

    items = [Item(mailbox["files"][n], n) for n in COPIES_OF_A + ["memo.pdf"]]
    dups = Duplicates.for_items(items, render, policy="skip")
    todo, skipped, shared = dups.prepare_run(items, "redact", render,
                                             lambda item: engine.plan(render(item), item.name)[1], tmp_path)
    copies = {n for n in COPIES_OF_A if n in dups.grouping.matches}
    assert {r.name for r in skipped} == copies and all(r.status == SKIPPED for r in skipped)
    assert all(r.by_ground for r in skipped)  # judged like their original: partly public
    assert [i.name for i in todo] == [n for n in COPIES_OF_A + ["memo.pdf"] if n not in copies]
    assert set(shared) == set(COPIES_OF_A) and all(callable(a) for a in shared.values())


@pytest.fixture(scope="module")
def request_folder(mailbox) -> Path:
    """The generated mailbox as a Woo request: the .eml files (intake renders them) and the
    Outlook print as a PDF."""
    import shutil

    folder = mailbox["root"] / "request"
    shutil.copytree(mailbox["root"] / "src", folder)
    shutil.copy(mailbox["files"]["prints/notulen.pdf"], folder / "notulen-print.pdf")
    return folder


def _inventory(outdir: Path) -> dict[str, dict[str, str]]:
    with open(outdir / "inventarislijst.csv", newline="", encoding="utf-8") as handle:
        return {row["documentID"]: row for row in csv.DictReader(handle, delimiter=";")}


def test_request_marks_duplicates_in_the_inventarislijst(request_folder, tmp_path):
    """Acceptance (issue #13) through the public API: rows, gerelateerdID, thread IDs."""
    from woo_anon import redact_request
    from woo_anon.engine import Settings

    result = redact_request([request_folder], tmp_path / "out", Settings(), duplicates="mark")
    assert result.exit_code == 0 and all(r.status == "verified" for r in result.results)
    rows = _inventory(tmp_path / "out")
    original = "anna/inbox/notulen.eml"
    for copy in ("export/bericht-001.eml", "jan/archief/notulen-kopie.eml", "jan/inbox/notulen.eml",
                 "piet/verzonden/notulen.eml", "notulen-print"):
        assert rows[copy]["gerelateerdID"] == original and rows[copy]["toelichting"] == "dubbel", copy
    assert rows[original]["gerelateerdID"] == "jan/inbox/re-notulen.eml"  # quoted whole there
    assert rows["piet/verzonden/fw-notulen.eml"]["gerelateerdID"] == ""  # new text: reviewed
    assert "dubbel" not in rows["marco/inbox/antw-begroting.eml"]["toelichting"]
    first = {rows[n]["email Thread ID"] for n in (original, "notulen-print", "piet/verzonden/fw-notulen.eml")}
    second = {rows[n]["email Thread ID"] for n in ("lotte/verzonden/begroting.eml", "marco/inbox/antw-begroting.eml")}
    assert len(first) == len(second) == 1 and first != second and "" not in first
    assert (tmp_path / "out" / "duplicates.csv").is_file()
    for name in ("export/bericht-001.eml.pdf", "notulen-print.pdf"):  # every copy redacted alike
        text = _out_text(tmp_path / "out" / name)
        assert "Piet Jansen" not in text and "Zonnebloem" in text


def test_request_skip_writes_no_output_for_copies_but_keeps_rows(request_folder, tmp_path):
    from woo_anon import redact_request
    from woo_anon.engine import Settings

    result = redact_request([request_folder], tmp_path / "out", Settings(), duplicates="skip")
    assert result.exit_code == 0
    rows = _inventory(tmp_path / "out")
    assert len(rows) == len(result.results) == 10
    assert not (tmp_path / "out" / "export/bericht-001.eml.pdf").exists()
    assert rows["export/bericht-001.eml"]["gerelateerdID"] == "anna/inbox/notulen.eml"
    assert rows["export/bericht-001.eml"]["beoordeling"] == rows["jan/inbox/re-notulen.eml"]["beoordeling"] \
        == "Gedeeltelijk openbaar"
    assert (tmp_path / "out" / "marco/inbox/antw-begroting.eml.pdf").is_file()  # not a copy


def test_request_plan_edit_apply_reaches_every_copy(request_folder, tmp_path):
    """plan → the officer keeps 'Anna Smit' and redacts 'Zonnebloem' in the original's plan
    only → apply: both edits show in every copy's output."""
    import json

    from woo_anon import apply_request, plan_request
    from woo_anon.engine import Settings
    from woo_anon.extract import extract_document
    from woo_anon.plan import span_boxes

    plans, out = tmp_path / "plans", tmp_path / "out"
    assert plan_request([request_folder], plans, Settings()).exit_code == 0
    assert (plans / "duplicates.csv").is_file() and (plans / "duplicates.json").is_file()
    name = "anna/inbox/notulen.eml.pdf"
    plan_file = plans / (name + ".plan.json")
    data = json.loads(plan_file.read_text(encoding="utf-8"))
    for r in data["redactions"]:
        if r["text"] == "Anna Smit":
            r["status"] = "keep"
    doc = extract_document(plan_file.with_name("notulen.eml.pdf.review.pdf"), name)
    page = doc.pages[0]
    start = page.text.index("Zonnebloem")
    data["redactions"].append({"page": 1, "boxes": [list(b) for b in span_boxes(page, start, start + 10)],
                               "text": "Zonnebloem", "ground": "5.1.2e", "status": "redact"})
    plan_file.write_text(json.dumps(data), encoding="utf-8")
    # The officer worked in the JSON only; an unedited review PDF beside it would count the
    # new entry as "removed in review" (review.apply_review_pdf).
    plan_file.with_name("notulen.eml.pdf.review.pdf").unlink()
    result = apply_request([request_folder], plans, out)
    assert result.exit_code == 0, [r.error for r in result.results if r.error]
    for copy in ("anna/inbox/notulen.eml.pdf", "export/bericht-001.eml.pdf", "jan/inbox/notulen.eml.pdf",
                 "piet/verzonden/notulen.eml.pdf", "jan/inbox/re-notulen.eml.pdf"):
        text = _out_text(out / copy)
        assert "Zonnebloem" not in text and "Anna Smit" in text and "Piet Jansen" not in text, copy


def _count_analyzer(monkeypatch) -> list[str]:
    """The names of the documents the analyzer step (presidio + the spaCy model) runs over,
    one entry per run; the step itself still runs."""
    from woo_anon.detect import Analyze

    seen, original = [], Analyze.__call__

    def counting(self, context, spans):
        seen.append(context.document.name)
        return original(self, context, spans)

    monkeypatch.setattr(Analyze, "__call__", counting)
    return seen


@pytest.mark.parametrize("mode", ["redact", "plan"])
def test_each_document_of_a_request_is_analysed_once(request_folder, tmp_path, monkeypatch, mode):
    """Group members are planned in a first pass (to share decisions) and again in the main
    pass: the main pass reuses the first pass's analyzer spans, so the model reads every
    document once, and the copies still come out redacted alike."""
    from woo_anon import plan_request, redact_request
    from woo_anon.engine import Settings

    seen = _count_analyzer(monkeypatch)
    run = redact_request if mode == "redact" else plan_request
    result = run([request_folder], tmp_path / "out", Settings(), duplicates="mark")
    assert result.exit_code == 0, [r.error for r in result.results if r.error]
    names = sorted(r.name for r in result.results)
    assert len(names) == 10 and sorted(seen) == names
    if mode == "redact":
        for name in ("export/bericht-001.eml.pdf", "notulen-print.pdf", "anna/inbox/notulen.eml.pdf"):
            text = _out_text(tmp_path / "out" / name)
            assert "Piet Jansen" not in text and "Zonnebloem" in text, name


def test_reused_spans_give_the_plan_a_fresh_detection_gives(mailbox, engine, monkeypatch):
    """The first pass's plan and the main pass's plan from its spans equal full detection;
    spans for other page text are not trusted (the analyzer runs again)."""
    from woo_anon.dedupe.flow import Share, SharedEngine, analyse_member
    from woo_anon.extract import extract_document

    name, other = "prints/notulen.pdf", "memo.pdf"
    pdf = mailbox["files"][name]
    member = analyse_member(engine, pdf, name)
    fresh = engine.plan(pdf, name)[1]
    assert member.plan == fresh and member.spans
    seen = _count_analyzer(monkeypatch)
    reused = SharedEngine(engine, Share(None, "", member.spans, member.text_digest))
    assert reused.plan(pdf, name)[1] == fresh and seen == []
    stranger = analyse_member(engine, mailbox["files"][other], other)
    wrong = SharedEngine(engine, Share(None, "", stranger.spans, stranger.text_digest))
    seen.clear()
    assert wrong.plan_document(extract_document(pdf, name)) == fresh and seen == [name]
