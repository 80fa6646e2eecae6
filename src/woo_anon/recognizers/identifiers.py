"""National and business identifiers: BSN, RSIN, passport/ID card, MRZ, driving licence, KvK, BTW."""

from __future__ import annotations

from presidio_analyzer import Pattern
from stdnum.nl import bsn, btw

from woo_anon.recognizers.base import DutchPatternRecognizer, digits, evolve, has_any, words_near

_END = r"(?![\w-]|[.,]\d)"  # not followed by more of a number (amounts, versions)
_START = r"(?<![\w.,/-]|[€$]\s?|EUR\s?)"


def is_bsn(text: str) -> bool:
    number = digits(text)
    return len(number) in (8, 9) and bsn.is_valid(number.zfill(9))


class BsnRecognizer(DutchPatternRecognizer):
    """Burgerservicenummer (11-proef), also written with dots or spaces; legacy 8 digits."""

    ENTITY = "NL_BSN"
    PATTERNS = [
        Pattern("bsn 9 digits", _START + r"\d{9}" + _END, 0.6),
        Pattern("bsn grouped 3-3-3", _START + r"\d{3}([. ])\d{3}\1\d{3}" + _END, 0.6),
        Pattern("bsn grouped 4-2-3", _START + r"\d{4}([. ])\d{2}\1\d{3}" + _END, 0.6),
        Pattern("bsn grouped 2-2-2-3", _START + r"\d{2}([. ])\d{2}\1\d{2}\1\d{3}" + _END, 0.6),
        Pattern("bsn legacy 8 digits", _START + r"\d{8}" + _END, 0.3),
    ]
    CONTEXT = ["bsn", "burgerservicenummer", "burgerservice nummer", "sofinummer", "sofi-nummer",
               "sofi nummer", "persoonsnummer", "bsn-nummer", "citizen service number"]
    # A valid 11-proef number after these words is something else.
    NEGATIVE_CONTEXT = ["rsin", "kvk", "factuur", "zaak", "kenmerk", "order", "klantnummer",
                        "klantnr", "dossier", "referentie", "ref.", "ons nummer", "uw nummer",
                        "telefoon", "tel.", "fax", "rekening", "iban", "bedrag", "artikel",
                        "btw", "registratienummer", "documentnummer", "volgnummer", "nr.",
                        "vestigingsnummer", "fiscaal nummer"]
    NEEDS_CONTEXT = frozenset({"bsn legacy 8 digits"})

    def validate_result(self, pattern_text: str) -> bool:
        return is_bsn(pattern_text)

    def adjust(self, text, result):
        window = words_near(text, result.start, result.end)
        if has_any(window.split("\u2016")[0], ["bsn", "burgerservicenummer", "sofinummer"]):
            return evolve(result, score=1.0)  # explicit context wins over a generic "nr."
        adjusted = super().adjust(text, result)
        if adjusted is not None and not has_any(window, self.CONTEXT):
            adjusted = evolve(adjusted, score=0.6)  # valid 11-proef, no context: still redact
        return adjusted


class RsinRecognizer(DutchPatternRecognizer):
    """RSIN (organisation number, same 11-proef as BSN): reported so policy can keep it."""

    ENTITY = "NL_RSIN"
    PATTERNS = [Pattern("rsin", _START + r"\d{9}" + _END, 0.1),
                Pattern("rsin grouped", _START + r"\d{3}([. ])\d{3}\1\d{3}" + _END, 0.1)]
    CONTEXT = ["rsin", "fiscaal nummer", "fiscaalnummer"]
    NEEDS_CONTEXT = frozenset({"rsin", "rsin grouped"})

    def validate_result(self, pattern_text: str) -> bool:
        return is_bsn(pattern_text)


_DOC_CONTEXT = ["paspoort", "identiteitskaart", "id-kaart", "id kaart", "identiteitsbewijs",
                "documentnummer", "document nummer", "reisdocument", "legitimatie", "id-bewijs",
                "passport"]


class IdDocumentRecognizer(DutchPatternRecognizer):
    """Dutch passport / ID-card numbers: 2 letters (no O), 6 letters or digits, 1 digit."""

    ENTITY = "NL_ID_CARD"
    PATTERNS = [Pattern("id document number", r"(?<![\w-])[A-NP-Z]{2}[A-NP-Z0-9]{6}\d(?![\w-])", 0.3)]
    CONTEXT = _DOC_CONTEXT
    NEEDS_CONTEXT = frozenset({"id document number"})

    def adjust(self, text, result):
        result = super().adjust(text, result)
        if result is not None and "pas" in words_near(text, result.start, result.end):
            result = evolve(result, entity_type="NL_PASSPORT")
        return result


def _mrz_check(field: str, check: str) -> bool:
    values = {c: i for i, c in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")} | {"<": 0}
    total = sum(values.get(c, 0) * (7, 3, 1)[i % 3] for i, c in enumerate(field))
    return check.isdigit() and total % 10 == int(check)


class MrzRecognizer(DutchPatternRecognizer):
    """Machine-readable zone lines of passports (TD3) and ID cards (TD1)."""

    ENTITY = "NL_MRZ"
    PATTERNS = [
        Pattern("mrz name line", r"(?<![A-Z0-9<])[PIAC][A-Z<][A-Z]{3}[A-Z<]{25,39}(?![A-Z0-9<])", 0.9),
        Pattern("mrz data line", r"(?<![A-Z0-9<])[A-Z0-9<]{9}\d[A-Z]{3}\d{6}\d[MFX<]\d{6}\d[A-Z0-9<]{14,15}\d?(?![A-Z0-9<])", 0.5),
        Pattern("mrz td1 first line", r"(?<![A-Z0-9<])[IAC][A-Z<][A-Z]{3}[A-Z0-9<]{9}\d[A-Z0-9<]{15}(?![A-Z0-9<])", 0.5),
        Pattern("mrz td1 second line", r"(?<![A-Z0-9<])\d{6}\d[MFX<]\d{6}\d[A-Z]{3}[A-Z0-9<]{11}\d(?![A-Z0-9<])", 0.5),
    ]

    def validate_result(self, pattern_text: str) -> bool | None:
        if pattern_text.count("<") < 2:
            return False
        if len(pattern_text) == 44 and pattern_text[9].isdigit() and pattern_text[10:13].isalpha():  # TD3 data line
            return _mrz_check(pattern_text[:9], pattern_text[9]) and _mrz_check(
                pattern_text[13:19], pattern_text[19])
        return None


class DrivingLicenceRecognizer(DutchPatternRecognizer):
    ENTITY = "NL_DRIVING_LICENCE"
    PATTERNS = [Pattern("driving licence", r"(?<![\w.-])\d{10}(?![\w-]|[.,]\d)", 0.3)]
    CONTEXT = ["rijbewijs", "rijbewijsnummer", "rijbewijs nr", "driving licence"]
    NEEDS_CONTEXT = frozenset({"driving licence"})


class KvkRecognizer(DutchPatternRecognizer):
    """KvK (Chamber of Commerce) numbers: 8 digits, vestigingsnummer 12; context needed."""

    ENTITY = "NL_KVK"
    PATTERNS = [Pattern("kvk", r"(?<![\w.-])\d{2} ?\d{2} ?\d{2} ?\d{2}(?![\w-]|[.,]\d)", 0.3),
                Pattern("kvk vestiging", r"(?<![\w.-])\d{12}(?![\w-]|[.,]\d)", 0.3)]
    CONTEXT = ["kvk", "k.v.k", "kamer van koophandel", "handelsregister", "vestigingsnummer"]
    NEEDS_CONTEXT = frozenset({"kvk", "kvk vestiging"})


class BtwRecognizer(DutchPatternRecognizer):
    """BTW-id (VAT): NL + 9 digits + B + 2 digits, old (BSN-based) and new (mod 97) checksums."""

    ENTITY = "NL_BTW"
    PATTERNS = [Pattern("btw id", r"(?<![\w-])NL ?\d{9} ?B ?\d{2}(?![\w-])", 0.5),
                Pattern("btw id dotted", r"(?<![\w-])NL ?\d{4}\.\d{2}\.\d{3}\.B\.?\d{2}(?![\w-])", 0.5)]
    CONTEXT = ["btw", "omzetbelasting", "vat", "btw-id", "btw-nummer"]

    def validate_result(self, pattern_text: str) -> bool:
        return btw.is_valid(pattern_text.replace(" ", "").replace(".", ""))

    def adjust(self, text, result):
        result = super().adjust(text, result)
        if result is not None and is_bsn(digits(text[result.start:result.end])[:9]):
            result = evolve(result, entity_type="NL_BTW_BSN")  # old form embeds the BSN
        return result
