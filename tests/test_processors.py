"""The detection processors: order, switching off, the deny list as a detection step, and the
model-span filter. Uses the rules-only detector (blank spaCy pipeline)."""

from __future__ import annotations

import pytest

from woo_anon.detect import Detector
from woo_anon.model import Document, Entity, Page, Span
from woo_anon.processors import Context, DenyList, ModelSpanFilter, mark_officials

TEXT = ("Geachte heer Hakkert,\n\nWethouder Dorrestein sprak met de heer Hakkert over de "
        "Kerkstraat. Hakkert belt morgen. Wethouder Dorrestein zegt toe. Dorrestein komt.\n")


@pytest.fixture(scope="module")
def detector():
    return Detector.create("blank", deny=("Kerkstraat",))


def _doc(text=TEXT):
    return Document("t.pdf", "t.pdf", "", (Page(1, text, (), ()),))


def test_default_order(detector):
    order = ("analyzer", "model-span-filter", "table-birth-dates", "propagation", "officials",
             "special-categories", "deny-list")
    names = detector.processor_names
    assert [n for n in names if n in order] == list(order)  # other steps may sit in between


def test_each_step_does_its_part(detector):
    spans = detector.detect_document(_doc())
    hakkert = [s for s in spans if s.text == "Hakkert"]
    assert {s.recognizer for s in hakkert} >= {"NameRules", "propagation"}
    assert [s.entity for s in spans if s.text == "Dorrestein"] and all(
        s.entity == Entity.PERSON_OFFICIAL for s in spans if s.text == "Dorrestein")
    assert [s.text for s in spans if s.entity == Entity.DENY_LIST] == ["Kerkstraat"]
    assert set(detector.timings) == set(detector.processor_names)


def test_switching_steps_off(detector):
    quiet = detector.without("propagation", "deny-list")
    spans = quiet.detect_document(_doc())
    assert not [s for s in spans if s.recognizer == "propagation" or s.entity == Entity.DENY_LIST]
    # officials now sees no propagated spans, but the rule-found ones are still marked
    assert all(s.entity == Entity.PERSON_OFFICIAL for s in spans if s.text == "Dorrestein")
    with pytest.raises(ValueError, match="unknown"):
        detector.without("no-such-step")


def test_deny_list_matches_any_case_and_spacing():
    doc = _doc("Zie VAN  ROSSUM en van Rossum, niet Rossumweg.")
    spans = DenyList(("van Rossum",))(Context(doc), [])
    assert sorted({(s.start, s.end) for s in spans}) == [(4, 15), (19, 29)]


def test_model_span_filter_keeps_order_and_does_not_mutate():
    text = "Melding van Jan Visser over Gemeente Zwolle."
    page = Page(1, text, (), ())
    raw = [Span(1, 0, 7, "Melding", "NL_POSTCODE", 0.1, "x"),
           Span(1, 12, 22, "Jan Visser", Entity.PERSON_NER, 0.8, "SpacyRecognizer"),
           Span(1, 28, 43, "Gemeente Zwolle", Entity.PERSON_NER, 0.8, "SpacyRecognizer"),
           Span(1, 0, 7, "Melding", "OTHER", 0.1, "y")]
    before = list(raw)
    out = ModelSpanFilter()(Context(Document("", "", "", (page,))), raw)
    assert raw == before
    assert [(s.text, s.entity) for s in out] == [("Melding", "NL_POSTCODE"),
                                                  ("Jan Visser", Entity.PERSON),
                                                  ("Melding", "OTHER")]


def test_mark_officials_returns_new_spans():
    spans = [Span(1, 0, 10, "Dorrestein", Entity.PERSON_OFFICIAL, 0.9, "NameRules"),
             Span(1, 20, 30, "Dorrestein", Entity.PERSON, 0.75, "propagation")]
    out = mark_officials(spans)
    assert out[1].entity == Entity.PERSON_OFFICIAL and spans[1].entity == Entity.PERSON
