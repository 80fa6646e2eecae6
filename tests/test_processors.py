"""The detection processors: order, switching off, the deny list as a detection step, and the
model-span filter. Uses the rules-only detector (blank spaCy pipeline)."""

from __future__ import annotations

import pytest
from dataclasses import replace

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


# --- precision on government documents (issue 16): classes, each with invented text ---------

from conftest import all_text, write_text_pdf  # noqa: E402
from woo_anon.api import Engine, Settings, redact_file  # noqa: E402
from woo_anon.audit import AuditLog  # noqa: E402
from woo_anon.consistency import consistent_persons  # noqa: E402
from woo_anon.orgdetails import OrganisationDetails  # noqa: E402
from woo_anon.processors import NonPersonSpans, is_seed, model_person_spans, propagate_names  # noqa: E402


def _ner(text: str, value: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(value, start + 1)
    return Span(1, start, start + len(value), value, Entity.PERSON_NER, 0.85, "SpacyRecognizer")


def test_model_guesses_made_of_common_english_words_are_no_person():
    text = ("The Security Council met on 8 October with the Member States. Rapporten van ESMA "
            "volgen. Signed by Hans Blix.")
    raw = [_ner(text, v) for v in ("Security Council", "October", "Member States",
                                   "Rapporten van ESMA", "Hans Blix")]
    out = ModelSpanFilter()(Context(Document("", "", "", (Page(1, text, (), ()),))), raw)
    assert [s.text for s in out] == ["Hans Blix"]


def test_a_model_guess_without_a_known_name_seeds_no_propagation():
    text = ("Regio Deal Parkstad Zuiderheide is gestart. Later meer over Parkstad Zuiderheide.\n"
            "Mevrouw Oudejans belde. Oudejans komt morgen.")
    guess = Span(1, 10, 31, "Parkstad Zuiderheide", Entity.PERSON, 0.85, "ner-model")
    rule = Span(1, text.index("Oudejans"), text.index("Oudejans") + 8, "Oudejans",
                Entity.PERSON, 0.85, "NameRules")
    assert not is_seed(guess) and is_seed(rule)
    doc = Document("", "", "", (Page(1, text, (), ()),))
    found = {s.text for s in propagate_names(doc, [guess, rule])}
    assert found == {"Oudejans"}  # the rule's name everywhere, the guess nowhere else


def test_a_weak_guess_for_a_word_the_document_uses_as_a_place_is_dropped():
    text = "Vienna called us. We met in Vienna and agreed."
    weak = Span(1, 0, 6, "Vienna", Entity.PERSON, 0.6, "NameRules", "first name alone")
    assert consistent_persons({1: text}, [weak]) == []
    strong = Span(1, 0, 6, "Vienna", Entity.PERSON, 0.85, "NameRules", "title/salutation")
    out = consistent_persons({1: text}, [strong])  # a confident detection still settles all
    assert len([s for s in out if s.text == "Vienna"]) == 2


def test_desk_names_and_ocr_readings_of_burned_boxes_are_no_person():
    text = "Aan: _Dienstpostbus CCT-VWS\nVan: EEEN MEM\nVan: JANSEN PIET"
    page = Page(1, text, (), (), ocr=True)
    spans = [Span(1, 5, 27, "_Dienstpostbus CCT-VWS", Entity.PERSON, 0.85, "NameRules"),
             Span(1, 33, 41, "EEEN MEM", Entity.PERSON, 0.85, "NameRules"),
             Span(1, 47, 58, "JANSEN PIET", Entity.PERSON, 0.85, "NameRules")]
    out = NonPersonSpans()(Context(Document("", "", "", (page,))), spans)
    assert [s.text for s in out] == ["JANSEN PIET"]


def _entities(detector, text: str) -> dict[str, set[str]]:
    spans = detector.detect_document(_doc(text))
    out: dict[str, set[str]] = {}
    for span in spans:
        out.setdefault(span.text, set()).add(span.entity)
    return out


def test_letterhead_contact_details_are_the_organisations(detector):
    text = ("Ministerie van Binnenlandse Zaken\nDirectie Bestuur\nHofplein 14\n2514 AK Den Haag\n"
            "Postbus 20011\nT 070 426 1234\nwww.rijksoverheid.nl\n\n"
            "Geachte mevrouw Wijnbergen,\n\nU bent bereikbaar op 06-41235876 en u woont aan de "
            "Lindelaan 7, 7411 AB Deventer.\n")
    found = _entities(detector, text)
    assert found["Hofplein 14"] == {"ORG_ADDRESS"}
    assert found["070 426 1234"] == {"PHONE_ORGANISATION"}
    assert "PHONE_NUMBER" in found["06-41235876"]
    assert found["Lindelaan 7"] <= {"NL_ADDRESS"} and found["Lindelaan 7"]


def test_a_civil_servants_direct_line_under_their_name_stays_personal(detector):
    text = ("Met vriendelijke groet,\n\nmevrouw drs. K.L. Ravenhorst\nT 070 426 5521\n"
            "Ministerie van Binnenlandse Zaken\nPostbus 20011\n")
    assert "PHONE_NUMBER" in _entities(detector, text)["070 426 5521"]


@pytest.mark.parametrize("text, number", [
    ("Telefoon aanvrager: 06-4123587", "06-4123587"),          # a digit too few
    ("U kunt mij bellen op 020-55512345.", "020-55512345"),   # a digit too many
    ("tel. 010-4567123x", "010-4567123"),                     # a letter stuck to it
    ("Mobiel (privé): 06 - 41 23 58 76", "06 - 41 23 58 76"),
    ("U bereikt hem op 06 -\n41235876.", "06 -\n41235876"),      # broken over two lines
    ("Zij is bereikbaar op (0513)\n41 23 58.", "(0513)\n41 23 58"),
    ("Telefoonnummer\n06 – 4123 5876", "06 – 4123 5876"),       # label on the line above
    ("Telefoon: +32 9 123 45 67", "+32 9 123 45 67"),          # a foreign number
])
def test_dutch_looking_numbers_that_fail_validation_in_a_contact_context(detector, text, number):
    assert "PHONE_NUMBER" in _entities(detector, text).get(number, set())


def test_numbers_without_a_contact_context_are_no_phone(detector):
    found = _entities(detector, "Zaaknummer 0123456789, kenmerk 2021-0012345, artikel 2.3.4.6.")
    assert not any("PHONE_NUMBER" in e or "IP_ADDRESS" in e for e in found.values())


COUNCIL_DECISION = """Besluitenlijst van de openbare raadsvergadering van 3 maart 2025

De heer T.R. Hoogeveen deelt als voorzitter van de commissie mee dat het advies gereed is.
Het voorstel inzake het ontslag van de heer P.J. Lammerink als wethouder wordt aangenomen.

Voor de motie stemden:
Lokaal Belang: de dames Kroeze en Tuinstra en de heren Veldkamp, Van Oordt en Heslinga;
Groen Links: mevrouw Zandbergen.

Tegen de motie stemden:
CDA: mevrouw Brinkhorst en de heer De Wilde.

The Security Council met in Vienna. Mevrouw Wieringa-Okafor, Lindelaan 7 in Deventer,
diende een bezwaar in; zij is bereikbaar op 06-41235876.

Aldus besloten in de openbare vergadering van 3 maart 2025.
"""


def _two_column_signature(path):
    """The council decision above, then griffier and burgemeester signing side by side."""
    import pymupdf

    write_text_pdf(path, COUNCIL_DECISION)
    doc = pymupdf.open(path)
    page = doc[0]
    page.insert_text((60, 560), "de griffier,", fontsize=10.5)
    page.insert_text((330, 560), "de burgemeester,", fontsize=10.5)
    page.insert_text((60, 610), "mr. J.K. Brandsma", fontsize=10.5)
    page.insert_text((330, 610), "P. Oosterveld", fontsize=10.5)
    out = path.with_name("signed.pdf")
    doc.save(out)
    doc.close()
    return out


def test_council_decision_keeps_officials_and_removes_the_citizen(tmp_path):
    engine = Engine(Settings(model="blank"))
    src = _two_column_signature(tmp_path / "besluit.pdf")
    result = redact_file(engine, src, src.name, tmp_path / "out", AuditLog(tmp_path / "out"))
    assert result.status == "verified", result.error
    flat = " ".join(all_text(tmp_path / "out" / src.name).split())
    for kept in ("T.R. Hoogeveen", "P.J. Lammerink", "Kroeze en Tuinstra", "Veldkamp, Van Oordt",
                 "Heslinga", "Zandbergen", "Brinkhorst", "De Wilde", "Security Council",
                 "in Vienna", "J.K. Brandsma", "P. Oosterveld", "3 maart 2025"):
        assert kept in flat, f"{kept!r} was redacted"
    for gone in ("Wieringa", "Okafor", "Lindelaan 7", "06-41235876"):
        assert gone not in flat, f"{gone!r} is still readable"


def test_redact_officials_setting_removes_the_signatures(tmp_path):
    engine = Engine(Settings(model="blank", keep_officials=False))
    src = _two_column_signature(tmp_path / "besluit.pdf")
    result = redact_file(engine, src, src.name, tmp_path / "out", AuditLog(tmp_path / "out"))
    assert result.status == "verified", result.error
    flat = " ".join(all_text(tmp_path / "out" / src.name).split())
    assert "Brandsma" not in flat and "Oosterveld" not in flat and "Zandbergen" not in flat


def test_members_named_with_their_party_are_officials(detector):
    text = ("Vragen van de leden Van Hartingsveld, Marit de Boerma en Klinkhamer (allen GL) aan de "
            "minister. Motie van het lid\nStroeve (SP) over de rente.\nAntwoord 2\nDe rente blijft.")
    found = _entities(detector, text)
    for name in ("Van Hartingsveld", "Marit de Boerma", "Klinkhamer", "Stroeve"):
        assert found[name] == {Entity.PERSON_OFFICIAL}, name
    assert "NL_ADDRESS" not in found.get("Antwoord 2", set())  # a numbered heading


def test_numbered_heading_is_no_address_but_a_street_is(detector):
    found = _entities(detector, "Vraag 3\nZij woont aan de Kerkstraat 12 in Deventer.\n"
                                "Bijlage 4\nEen tabel.")
    assert "NL_ADDRESS" in found["Kerkstraat 12"]
    assert "NL_ADDRESS" not in found.get("Vraag 3", set()) | found.get("Bijlage 4", set())


def test_ocr_readings_of_burned_boxes_with_address_fragments_are_no_person():
    text = "From: EREMREN rivm.nl>\nTo: EEEN rv nj\nVan: J. de Vries"
    page = Page(1, text, (), (), ocr=True)
    spans = [Span(1, 6, 22, "EREMREN rivm.nl>", Entity.PERSON, 0.85, "NameRules"),
             Span(1, 27, 37, "EEEN rv nj", Entity.PERSON, 0.85, "NameRules"),
             Span(1, 43, 54, "J. de Vries", Entity.PERSON, 0.85, "NameRules")]
    out = NonPersonSpans()(Context(Document("", "", "", (page,))), spans)
    assert [s.text for s in out] == ["J. de Vries"]


def test_a_desk_number_beside_a_functional_mailbox_is_the_organisations(detector):
    text = ("Groet,\n\nRoelofje\n\nGemeente Eemdal\nTeam Vergunningen\n\n"
            "T 0318 680 400\nE vergunningen@eemdal.nl\n\n"
            "Hij is overdag bereikbaar op 0318 - 64 21 88.\n")
    found = _entities(detector, text)
    assert found["0318 680 400"] == {"PHONE_ORGANISATION"}
    assert "PHONE_NUMBER" in found["0318 - 64 21 88"]


def test_a_direct_line_in_a_block_with_a_name_stays_personal(detector):
    text = ("Met vriendelijke groet,\n\nRoelofje Haverkampf\nAdviseur vergunningen\n"
            "T 0318 680 412\nE vergunningen@eemdal.nl\n")
    assert "PHONE_NUMBER" in _entities(detector, "\n".join(text.split("\n")))["0318 680 412"]


def test_a_role_or_label_the_model_took_along_is_cut_off():
    text = "Fractievoorzitter Bouchra Lamrabet diende een motie in.\nTrekker: Sietskje\n"
    page = Page(1, text, (None,) * len(text), (-1,) * len(text))
    spans = model_person_spans(page, _ner(text, "Fractievoorzitter Bouchra Lamrabet"))
    spans += model_person_spans(page, _ner(text, "Trekker: Sietskje"))
    assert [s.text for s in spans] == ["Bouchra Lamrabet", "Sietskje"]


def test_model_guesses_inside_a_place_name_or_ocr_noise_are_no_person():
    text = ("Brief van inwoner Bosch en Duin over de Sint Maarten regeling.\nOCW PD] JenVv PJ BH\n"
            "Piet Wolters\n")
    page = Page(1, text, (None,) * len(text), (-1,) * len(text))
    scan = Page(1, text, (None,) * len(text), (-1,) * len(text), ocr=True)
    doc = Document("", "", "", (page,))
    raw = [replace(_ner(text, v), entity=Entity.PERSON, recognizer="ner-model")
           for v in ("Duin", "Sint Maarten")]
    assert NonPersonSpans()(Context(doc), raw) == []
    assert model_person_spans(scan, _ner(text, "JenVv PJ")) == []
    assert [s.text for s in model_person_spans(scan, _ner(text, "Piet Wolters"))] == ["Piet Wolters"]


def test_a_leading_preposition_or_greeting_is_no_part_of_a_model_name():
    text = "Dag Tamsinja,\nMet Eidersma bij het overleg.\n"
    page = Page(1, text, (None,) * len(text), (-1,) * len(text))
    spans = model_person_spans(page, _ner(text, "Dag Tamsinja"))
    spans += model_person_spans(page, _ner(text, "Met Eidersma"))
    assert [s.text for s in spans] == ["Tamsinja", "Eidersma"]


@pytest.mark.parametrize("text, number, kind", [
    ("Vragen? Bel de gemeente: 0343 561 200 of kijk op de website.", "0343 561 200", "PHONE_ORGANISATION"),
    ("De griffie is bereikbaar op 0343 561 300.", "0343 561 300", "PHONE_ORGANISATION"),
    ("Bel voor een afspraak met de afdeling Vergunningen: 0343-561 250.", "0343-561 250", "PHONE_ORGANISATION"),
    ("Neem contact op met de behandelend ambtenaar, mevrouw K. Bloemendaalst, telefoon 0343 561 287.",
     "0343 561 287", "PHONE_NUMBER"),
    ("De gemeente heeft u gebeld op uw nummer 0343 561 299.", "0343 561 299", "PHONE_NUMBER"),
    ("De gemeente belde de melder op 0343 561 298.", "0343 561 298", "PHONE_NUMBER"),
])
def test_a_desk_named_before_a_landline_in_its_sentence(detector, text, number, kind):
    assert kind in _entities(detector, text)[number]


def test_an_official_named_with_a_first_name_elsewhere_stays_an_official(detector):
    text = ("Wethouder Taselaarsma presenteerde het plan. Volgens Annemiek Taselaarsma is de wijk "
            "klaar in 2027. Insprekers waren Femmetje Draaismaat en Okke Zijlstra.")
    found = _entities(detector, text)
    assert found["Annemiek Taselaarsma"] == {"PERSON_OFFICIAL"}
    assert "PERSON" in found["Femmetje Draaismaat"]


@pytest.mark.parametrize("guess, name", [("Behandelaar Karin Smulders", "Karin Smulders"),
                                         ("Aanvrager Wilhelmina Zandbergen", "Wilhelmina Zandbergen"),
                                         ("Contactpersoon Ruud Terpstra", "Ruud Terpstra")])
def test_a_label_or_role_noun_the_model_took_along_is_no_part_of_the_name(guess, name):
    text = f"{guess} belde op 4 maart over de aanvraag."
    out = ModelSpanFilter()(Context(Document("", "", "", (Page(1, text, (), ()),))), [_ner(text, guess)])
    assert [s.text for s in out] == [name]


def test_the_label_word_before_a_name_stays_readable_in_the_pdf(tmp_path):
    src = write_text_pdf(tmp_path / "notitie.pdf",
                         "Telefoonnotitie\nBehandelaar Karin Smulders belde de aanvrager terug.\n"
                         "Aanvrager Wilhelmina Zandbergen was niet bereikbaar.")
    result = redact_file(Engine(Settings()), src, src.name, tmp_path / "out", AuditLog(tmp_path / "out"))
    assert result.status == "verified", result.error
    flat = " ".join(all_text(tmp_path / "out" / src.name).split())
    assert "Behandelaar" in flat and "Aanvrager" in flat
    assert "Smulders" not in flat and "Zandbergen" not in flat
