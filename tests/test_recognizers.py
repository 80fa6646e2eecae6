"""One parametrised table per recogniser: real-looking positives and tricky negatives."""

from __future__ import annotations

import pytest

from woo_anon.recognizers import (
    AddressRecognizer, BsnRecognizer, BtwRecognizer, DateOfBirthRecognizer,
    DrivingLicenceRecognizer, EmailRecognizer, IbanRecognizer, IdDocumentRecognizer,
    IpRecognizer, KvkRecognizer, LicencePlateRecognizer, MrzRecognizer, PhoneRecognizer,
    RsinRecognizer, credit_card_recognizer,
)
from woo_anon.detect import use_offline_tldextract

use_offline_tldextract()


def found(recognizer, text: str, entity: str | None = None, threshold: float = 0.5) -> list[str]:
    results = recognizer.analyze(text, None) if not hasattr(recognizer, "PATTERNS") or isinstance(
        recognizer, (EmailRecognizer, IpRecognizer)) else recognizer.analyze(text, None)
    return [text[r.start:r.end] for r in results
            if r.score >= threshold and (entity is None or r.entity_type == entity)]


# --- BSN -----------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("Burgerservicenummer: 111222333", "111222333"),
    ("BSN 123.456.782 van aanvrager", "123.456.782"),
    ("bsn: 123 456 782", "123 456 782"),
    ("uw BSN 1234.56.782 is bekend", "1234.56.782"),
    ("sofinummer 11122201", "11122201"),           # legacy 8 digits, 11-proef after padding
    ("Hij gaf 111222333 op als nummer.", "111222333"),  # valid, no context: still redacted
    ("BSN:\n111222333", "111222333"),
])
def test_bsn_positive(text, expected):
    assert expected in found(BsnRecognizer(), text, "NL_BSN")


@pytest.mark.parametrize("text", [
    "BSN 111222334",                      # fails the 11-proef
    "factuurnummer 123456782",            # valid 11-proef but an invoice number
    "zaaknummer Z/24/123456",
    "kenmerk 2024/123456782",
    "Het bedrag is € 123.456.782",
    "totaal 123.456.782,00 euro",
    "telefoon 0612345678",
    "RSIN 002445311",
    "versie 10.2.3.4",
    "datum 12-03-1980",
    "12345678 zonder context",             # 8 digits need BSN context
])
def test_bsn_negative(text):
    assert found(BsnRecognizer(), text, "NL_BSN") == []


def test_rsin_kept_apart():
    assert found(RsinRecognizer(), "Het RSIN van de stichting is 002445311.") == ["002445311"]
    assert found(RsinRecognizer(), "Het nummer is 002445311.") == []


# --- IBAN ----------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("IBAN NL91 ABNA 0417 1643 00 t.n.v.", "NL91 ABNA 0417 1643 00"),
    ("rekening NL91ABNA0417164300.", "NL91ABNA0417164300"),
    ("DE89 3704 0044 0532 0130 00", "DE89 3704 0044 0532 0130 00"),
    ("GB82WEST12345698765432 (VK)", "GB82WEST12345698765432"),
    ("op NL91 ABNA\n0417 1643 00 gestort", "NL91 ABNA\n0417 1643 00"),
])
def test_iban_positive(text, expected):
    assert found(IbanRecognizer(), text) == [expected]


def test_iban_shape_with_bad_checksum_still_found():
    """NL + 2 + bank + 10 digits is an IBAN even when a typo or OCR broke its checksum."""
    assert found(IbanRecognizer(), "rekening NL91 ABNA 0417 1643 01 t.n.v.") == ["NL91 ABNA 0417 1643 01"]
    assert found(IbanRecognizer(), "NL9I ABNA O417 1643 00") == ["NL9I ABNA O417 1643 00"]


@pytest.mark.parametrize("text", [
    "DE89 3704 0044 0532 0130 01",  # wrong check digits (foreign: no shape fallback)
    "NL12 3456 7890",         # too short
    "kenmerk NL2024ABCD12345",
])
def test_iban_negative(text):
    assert found(IbanRecognizer(), text) == []


# --- phone ---------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("bel 06-12345678", "06-12345678"),
    ("mobiel 06 1234 5678", "06 1234 5678"),
    ("tel. 020-1234567", "020-1234567"),
    ("tel 0513-123456", "0513-123456"),
    ("+31 6 12345678", "+31 6 12345678"),
    ("0031 6 1234 5678", "0031 6 1234 5678"),
    ("+31 (0)20 123 4567", "+31 (0)20 123 4567"),
    ("T 010 - 123 45 67", "010 - 123 45 67"),
])
def test_phone_positive(text, expected):
    assert expected in found(PhoneRecognizer(), text, "PHONE_NUMBER")


@pytest.mark.parametrize("text", [
    "BSN 123456782", "bedrag 1.234.567", "datum 12-03-1980", "zaak Z/24/123456",
    "factuur 2024-0113", "versie 10.2.3.4",
])
def test_phone_negative(text):
    assert found(PhoneRecognizer(), text, "PHONE_NUMBER") == []


@pytest.mark.parametrize("text", ["bel 14 020", "0800-1234567", "0900-8844", "0900 1234567"])
def test_phone_organisational_kept_apart(text):
    assert found(PhoneRecognizer(), text, "PHONE_NUMBER") == []
    assert found(PhoneRecognizer(), text, "PHONE_ORGANISATION")


# --- e-mail --------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("mail j.jansen@gmail.com", "j.jansen@gmail.com"),
    ("mail: p.de.vries@diemen.nl.", "p.de.vries@diemen.nl"),
    ("schrijf naar jan.bakker[at]ziggo.nl", "jan.bakker[at]ziggo.nl"),
    ("a.yilmaz (at) hotmail.com", "a.yilmaz (at) hotmail.com"),
])
def test_email_positive(text, expected):
    assert expected in found(EmailRecognizer(), text, "EMAIL_ADDRESS")


@pytest.mark.parametrize("text", ["info@diemen.nl", "woo@minvws.nl", "postbus@gemeente.nl"])
def test_email_functional_kept_apart(text):
    assert found(EmailRecognizer(), text, "EMAIL_ADDRESS") == []
    assert found(EmailRecognizer(), text, "EMAIL_FUNCTIONAL") == [text]


def test_email_negative():
    assert found(EmailRecognizer(), "zie paragraaf 3.2 @ bijlage en www.diemen.nl") == []


# --- postcode and address ------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("Kerkstraat 12\n1234 AB Amsterdam", "1234 AB Amsterdam"),
    ("postcode 1234AB", "1234AB"),
    ("woont op Kerkstraat 12a", "Kerkstraat 12a"),
    ("adres: Burgemeester de Withstraat 186-II", "Burgemeester de Withstraat 186-II"),
    ("Lindenlaan 4 bis, 2514 EA Den Haag", "Lindenlaan 4 bis"),
    ("hij woont op Lange Voorhout 9, 2514 EA Den Haag", "Lange Voorhout 9"),
])
def test_address_positive(text, expected):
    assert expected in found(AddressRecognizer(), text)


@pytest.mark.parametrize("text", [
    "In 2025 IN werking getreden", "Ref AB1234CD", "artikel 12 lid 3",
    "over de Kerkstraat werd gesproken", "sinds 1990 EN daarna",
])
def test_address_negative(text):
    assert [f for f in found(AddressRecognizer(), text)] == []


def test_organisation_address_kept_apart():
    text = "Gemeente Diemen\nPostbus 191\n1110 AD Diemen\n\nDe heer J. Jansen\nKerkstraat 12\n1234 AB Amsterdam"
    results = AddressRecognizer().analyze(text, None)
    kinds = {text[r.start:r.end]: r.entity_type for r in results}
    assert kinds["1110 AD Diemen"] == "ORG_ADDRESS"
    assert kinds["Kerkstraat 12"] == "NL_ADDRESS" and kinds["1234 AB Amsterdam"] == "NL_POSTCODE"


# --- licence plates ------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("kenteken 12-BDF-3", "12-BDF-3"), ("auto met GH-123-J", "GH-123-J"),
    ("X-123-BD geparkeerd", "X-123-BD"), ("XX-99-99", "XX-99-99"), ("99-XX-99", "99-XX-99"),
    ("kenteken 12BDF3", "12BDF3"), ("1-KBD-23", "1-KBD-23"), ("KBD-12-F", "KBD-12-F"),
])
def test_plate_positive(text, expected):
    assert found(LicencePlateRecognizer(), text) == [expected]


@pytest.mark.parametrize("text", [
    "12BDF3 zonder context", "12-ABC-3 (klinkers)", "12-03-80", "Z/24/123456", "ISO-9001",
])
def test_plate_negative(text):
    assert found(LicencePlateRecognizer(), text) == []


# --- documents, KvK, BTW, cards, IP ---------------------------------------------------------
@pytest.mark.parametrize("recognizer, text, expected", [
    (IdDocumentRecognizer(), "paspoortnummer NW92BD1K4", "NW92BD1K4"),
    (IdDocumentRecognizer(), "identiteitskaart: IR1234561", "IR1234561"),
    (DrivingLicenceRecognizer(), "rijbewijsnummer 5123456789", "5123456789"),
    (KvkRecognizer(), "KvK-nummer 12345678", "12345678"),
    (KvkRecognizer(), "ingeschreven bij de Kamer van Koophandel onder 12 34 56 78", "12 34 56 78"),
    (BtwRecognizer(), "btw-id NL000099998B57", "NL000099998B57"),
    (credit_card_recognizer(), "creditcard 4111 1111 1111 1111", "4111 1111 1111 1111"),
    (IpRecognizer(), "ip-adres 192.168.10.20 gelogd", "192.168.10.20"),
    (IpRecognizer(), "vanaf 2001:db8::8a2e:370:7334", "2001:db8::8a2e:370:7334"),
])
def test_other_identifiers_positive(recognizer, text, expected):
    assert expected in found(recognizer, text)


@pytest.mark.parametrize("recognizer, text", [
    (IdDocumentRecognizer(), "projectcode NW92BD1K4"),
    (DrivingLicenceRecognizer(), "ordernummer 5123456789"),
    (KvkRecognizer(), "factuur 12345678"),
    (BtwRecognizer(), "NL000099998B58"),
    (credit_card_recognizer(), "kaart 4111 1111 1111 1112"),
    (IpRecognizer(), "versie 10.2.3.4 van de software"),
    (IpRecognizer(), "zie paragraaf 1.2.3.4"),
])
def test_other_identifiers_negative(recognizer, text):
    assert found(recognizer, text) == []


def test_mrz_lines():
    line1 = "P<NLDDE<BRUIJN<<WILLEKE<LISELOTTE<<<<<<<<<<<"
    line2 = "SPECI20142NLD6503101F2403096999999990<<<<<84"
    hits = found(MrzRecognizer(), f"{line1}\n{line2}")
    assert line1 in hits and line2 in hits


def test_btw_with_bsn_is_national_id():
    results = BtwRecognizer().analyze("BTW NL111222333B01", None)
    assert [r.entity_type for r in results] == ["NL_BTW_BSN"]


# --- dates of birth ------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("geboren op 12-03-1980", "12-03-1980"), ("geb. 3 mei 1975", "3 mei 1975"),
    ("Geboortedatum: 1980-03-12", "1980-03-12"), ("geboortedatum 12/03/1980", "12/03/1980"),
])
def test_birth_date_positive(text, expected):
    assert found(DateOfBirthRecognizer(), text) == [expected]


@pytest.mark.parametrize("text", [
    "Datum: 12-03-2024", "Op 3 mei 2023 is het besluit genomen", "vergadering 2024-05-16",
])
def test_birth_date_negative(text):
    assert found(DateOfBirthRecognizer(), text) == []


# --- issue #16: section numbers and organisation numbers ------------------------------------

def _found(text, entity):
    from woo_anon.detect import Detector
    from woo_anon.model import Page

    detector = _found.__dict__.setdefault("d", Detector.create("blank"))
    return [s.text for s in detector.detect_page(Page(1, text, (), ())) if s.entity == entity]


@pytest.mark.parametrize("text", ["2.3.4.6 Maatregelen\nDe maatregelen zijn:",
                                  "Zie paragraaf 2.3.4.6 voor details.",
                                  "10.2.11.4 Definities\nIn deze regeling:"])
def test_section_numbers_are_not_ip_addresses(text):
    assert _found(text, "IP_ADDRESS") == []


def test_real_ip_address_still_found():
    assert _found("Het IP-adres 192.168.10.25 werd gelogd.", "IP_ADDRESS") == ["192.168.10.25"]
    assert _found("Inlog vanaf ip 10.2.1.4 om 9 uur.", "IP_ADDRESS") == ["10.2.1.4"]


def test_objection_desk_number_is_organisational_person_number_is_not():
    org = ("Bezwaar maken? Stuur uw bezwaar naar Postbus 20350, 2500 EJ Den Haag. "
           "Voor vragen belt u het algemene nummer 070 340 79 11.")
    assert _found(org, "PHONE_ORGANISATION") == ["070 340 79 11"]
    caller = "Beller: C.W. Smit, tel. 040-2666153\nOnderwerp: bezwaar tegen een boete"
    assert _found(caller, "PHONE_NUMBER") == ["040-2666153"]
    person = "Mijn buurman Jan de Vries is bereikbaar op 020 555 12 34 of 06 12345678."
    assert set(_found(person, "PHONE_NUMBER")) == {"020 555 12 34", "06 12345678"}


@pytest.mark.parametrize("text, number", [("Bereikbaar via tel. 0123456789 (werk).", "0123456789"),
                                          ("T: 0123 45 67 89", "0123 45 67 89")])
def test_unvalidated_number_in_contact_context(text, number):
    assert _found(text, "PHONE_NUMBER") == [number]


def test_unvalidated_number_without_contact_context_is_not_a_phone():
    assert _found("Factuurnummer 0123456789 is betaald.", "PHONE_NUMBER") == []


def test_house_number_wrapped_onto_next_line():
    assert _found("Adres: Dorpsweg\n17, 3456 EF Zeist", "NL_ADDRESS") == ["Dorpsweg\n17"]
    assert _found("Hij liep over de Dorpsweg\n17 mensen keken.", "NL_ADDRESS") == []


@pytest.mark.parametrize("address, functional", [
    ("WJZ.bezwaarenberoep@minvws.nl", True), ("dienstpostbusWoo-corona@minvws.nl", True),
    ("woo-verzoeken@gemeente.nl", True), ("jan.woo@gemeente.nl", False),
    ("j.jansen@gemeente.nl", False), ("bezwaar.jansen@gmail.com", False)])
def test_functional_mailboxes_of_the_organisation(address, functional):
    text = f"Mail naar {address} voor vragen."
    assert _found(text, "EMAIL_FUNCTIONAL" if functional else "EMAIL_ADDRESS") == [address]


# --- issue #16: addresses and postcodes split over lines or table cells ---------------------
@pytest.mark.parametrize("text, entity, expected", [
    ("Postcode: 4021\nHT Maurik", "NL_POSTCODE", "4021\nHT Maurik"),          # postcode broken
    ("Adres\nLijsterbeslaan\n27\n\nPostcode\n6871 EN\n\nWoonplaats\nRenkum", "NL_POSTCODE", "6871 EN"),
    ("Zij woont aan de Bongerd 3, 7231 EN\nWarnsveld.", "NL_POSTCODE", "7231 EN"),  # EN is also a word
    ("Postcode en woonplaats: 5611 hz Eindhoven", "NL_POSTCODE", "5611 hz"),  # lower case, labelled
    ("Fam. Wolthuis\nAchter de Hoven 9\n8701 KN Bolsward", "NL_ADDRESS", "Achter de Hoven 9"),  # no street suffix
    ("De heer Okkerse, Heuvelrug 8, 3941 AB Doorn", "NL_ADDRESS", "Heuvelrug 8"),
    ("Adres: Burgemeester van\nNispenstraat 41\n6814 JB Arnhem", "NL_ADDRESS", "Burgemeester van\nNispenstraat 41"),
    ("woonachtig aan de Oude\nGracht 118 te Utrecht", "NL_ADDRESS", "Oude\nGracht 118"),
])
def test_address_split_over_lines_or_cells(text, entity, expected):
    assert expected in found(AddressRecognizer(), text, entity)


@pytest.mark.parametrize("text", [
    "Het plan is vastgesteld in 2024\nEN de raad stemde in.",   # a year ending a line, then a word
    "Bezoek ons op afspraak, of schrijf naar de gemeente in 2025\nIN het nieuwe jaar.",
    "Artikel 12, 3500 AB",                                     # no street before the postcode line
])
def test_split_postcode_negatives(text):
    assert found(AddressRecognizer(), text, "NL_ADDRESS") == [] and \
        all("\n" not in f for f in found(AddressRecognizer(), text, "NL_POSTCODE"))


def test_postbox_before_postcode_is_the_organisations():
    text = "Stuur het bezwaar naar het college, Postbus 2016, 3500 GA Utrecht."
    assert found(AddressRecognizer(), text, "NL_ADDRESS") == []


@pytest.mark.parametrize("text", [
    "mail naar vergunningen@ede.nl", "schrijf naar openbare.ruimte@doornveld.nl",
    "of toezicht-bouwen@gemeente.nl",
])
def test_mailboxes_made_of_ordinary_words_are_functional(text):
    assert found(EmailRecognizer(), text, "EMAIL_ADDRESS") == []
    assert found(EmailRecognizer(), text, "EMAIL_FUNCTIONAL")


@pytest.mark.parametrize("text", ["mail j.wassermann@ede.nl", "mail bakker@ede.nl",
                                  "mail anouk.hoekstra@ede.nl", "mail tjallinga@ede.nl"])
def test_personal_mailboxes_stay_personal(text):
    assert found(EmailRecognizer(), text, "EMAIL_ADDRESS")


@pytest.mark.parametrize("text", [
    "Bel 0318 680 400 (op werkdagen van 8.30 tot 17.00 uur).",
    "Telefoon 020 555 12 34, maandag t/m vrijdag.",
    "Het Klantcontactcentrum (KCC) is bereikbaar via 050 367 11 11.",
])
def test_desk_numbers_with_opening_hours_or_a_desk_word_are_organisational(text):
    assert found(PhoneRecognizer(), text, "PHONE_NUMBER") == []
    assert found(PhoneRecognizer(), text, "PHONE_ORGANISATION")


def test_a_private_landline_stays_personal():
    assert found(PhoneRecognizer(), "Zij is overdag bereikbaar op 0318 - 64 21 88.", "PHONE_NUMBER")


@pytest.mark.parametrize("text", ["Concept 1e Begrotingswijziging 2025 GR WSP - WOZL",
                                  "Jaarstukken 2024 BW RUD Zuid"])
def test_a_year_with_acronyms_is_no_postcode(text):
    assert found(AddressRecognizer(), text, "NL_POSTCODE") == []


def test_a_postcode_with_its_place_in_capitals_stays():
    assert found(AddressRecognizer(), "2011 VX AMSTERDAM", "NL_POSTCODE")


@pytest.mark.parametrize("text, expected", [
    ("Zij verhuisde naar Op de Berg 7, Zeist.", "Op de Berg 7"),
    ("Adres van betrokkene: Achter 't Zand 8", "Achter 't Zand 8"),
    ("Straat\nKlaverweideveld\n\nHuisnummer\n3", "Klaverweideveld"),
    ("Straatnaam: Zonnedauwstede   Huisnummer: 17b", "Zonnedauwstede"),
])
def test_prepositional_and_labelled_streets(text, expected):
    assert expected in found(AddressRecognizer(), text, "NL_ADDRESS")


@pytest.mark.parametrize("text", ["Adres: Ede", "Adres: Zie bijlage", "Op de Veluwe 12 locaties"])
def test_labels_and_prepositions_without_a_street(text):
    assert found(AddressRecognizer(), text, "NL_ADDRESS") == []


@pytest.mark.parametrize("text, number", [
    ("telefoonnummer 14 079 of 079 - 346 93 00", "079 - 346 93 00"),
    ("T 0343 561 200 (algemeen)", "0343 561 200"),
    ("Centraal nummer 0343 561 200", "0343 561 200"),
])
def test_alternatives_and_general_numbers_of_a_desk(text, number):
    assert number in found(PhoneRecognizer(), text, "PHONE_ORGANISATION")


def test_a_mobile_after_a_desk_number_stays_personal():
    assert "06-12345678" in found(PhoneRecognizer(), "bel 14 079 of mij op 06-12345678", "PHONE_NUMBER")


@pytest.mark.parametrize("text", ["In de Bijlage 2 zijn de zones aangegeven.",
                                  "Op de Kaart 3 staat het gebied."])
def test_references_after_a_preposition_are_no_street(text):
    assert found(AddressRecognizer(), text, "NL_ADDRESS") == []
