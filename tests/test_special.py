"""Special categories (5.1.1d): flagged for review from the lexicon, never redacted
automatically; shown in the plan, the review PDF and the audit log."""

from __future__ import annotations

import json

import pymupdf
import pytest
from conftest import all_text, write_text_pdf

from woo_anon.api import Engine, Settings, redact_file
from woo_anon.audit import AuditLog
from woo_anon.model import Entity, Span, Status
from woo_anon.plan import plan_from_json, plan_to_json
from woo_anon.review import write_review_pdf
from woo_anon.special import find_terms, lemmas, lexicon, special_category_spans

LETTER = ("Geachte heer Hoogendoorn,\n\n"
          "Uw buurman Joost Verwaal is sinds maart ziek en gebruikt antidepressiva.\n"
          "Het ziekteverzuim in de afdeling was vorig jaar 4%.\n"
          "Volgens artikel 9 AVG zijn gegevens over gezondheid bijzondere persoonsgegevens.\n"
          "De aanvraag is in behandeling genomen.\n\n"
          "Met vriendelijke groet,\n\nP. de Graaf\n")


@pytest.fixture(scope="module")
def engine():
    return Engine(Settings(model="blank"))


def test_lexicon_is_versioned_and_matches_lemmas():
    assert lexicon().version
    assert "katholiek" in lemmas("katholieke") and "vingerafdruk" in lemmas("vingerafdrukken")
    cats = [c for _, _, c in find_terms("Zij is katholieke en had een miskraam; zijn vingerafdrukken.")]
    assert cats == ["religie", "gezondheid", "biometrie"]
    assert find_terms("De behandeling van de aanvraag en de opname van het gesprek.") == []


def test_person_in_sentence_scores_up_boilerplate_and_aggregates_skipped():
    text = ("Jan Smit is ziek. Iemand is ziek. Het ziekteverzuim was 4% en er waren veel zieken. "
            "Gegevens over ziekte zijn bijzondere persoonsgegevens.")
    spans = special_category_spans(1, text, [Span(1, 0, 8, "Jan Smit", Entity.PERSON, 0.9, "x")])
    assert [(s.start, s.score) for s in spans] == [(12, 0.85), (text.index("ziek.", 13), 0.4)]


def test_flagged_for_review_never_redacted(engine, tmp_path):
    src = write_text_pdf(tmp_path / "in" / "brief.pdf", LETTER)
    _, plan = engine.plan(src, "brief.pdf")
    review = [r for r in plan.redactions if r.status == Status.REVIEW]
    assert sorted(r.text for r in review) == ["antidepressiva", "ziek"]
    assert all(r.ground == "5.1.1d" and "gezondheid" in r.reason for r in review)
    assert not [r for r in plan.redactions if "ziekteverzuim" in r.text or "gezondheid" in r.text]
    # the plan JSON carries the status and reads back
    back = plan_from_json(plan_to_json(plan))
    assert [r.id for r in back.to_review()] == [r.id for r in review]

    result = redact_file(engine, src, "brief.pdf", tmp_path / "out", AuditLog(tmp_path / "out"))
    assert result.status == "verified", result.error
    text = " ".join(all_text(tmp_path / "out" / "brief.pdf").split())
    assert "ziek en gebruikt antidepressiva" in text  # listed, not applied
    assert "Verwaal" not in text  # the person is still redacted as usual
    records = [json.loads(line) for p in (tmp_path / "out").rglob("*.jsonl")
               for line in p.read_text().splitlines()]
    assert {r["id"] for r in records if r.get("type") == "review"} == {r.id for r in review}


def test_review_pdf_shows_entries_without_redacting(engine, tmp_path):
    src = write_text_pdf(tmp_path / "brief.pdf", LETTER)
    _, plan = engine.plan(src, "brief.pdf")
    write_review_pdf(src, plan, tmp_path / "review.pdf")
    with pymupdf.open(tmp_path / "review.pdf") as doc:
        infos = [(a.type[0], a.info) for a in doc[0].annots()]
    notes = [info for _, info in infos if info["subject"].startswith("woo-anon-review")]
    redacts = [kind for kind, _ in infos if kind == pymupdf.PDF_ANNOT_REDACT]
    assert len(notes) == 2 and all("TE BEOORDELEN 5.1.1d" in n["content"] for n in notes)
    assert len(redacts) == sum(len(r.boxes) for r in plan.to_apply())
