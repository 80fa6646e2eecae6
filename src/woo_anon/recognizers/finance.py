"""Bank and card numbers: IBAN (mod 97, any country, may wrap over a line) and credit cards."""

from __future__ import annotations

import regex
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.predefined_recognizers import CreditCardRecognizer
from stdnum import iban

# Country code + check digits, then up to 30 alphanumerics with optional single spaces or a line
# break between them. The longest prefix that passes mod 97 wins.
_IBAN = regex.compile(r"(?<![A-Za-z0-9])([A-Z]{2}\d{2})((?:[ \t]?\n?[ \t]?[A-Z0-9]){11,30})")


# A Dutch IBAN's shape (NL, 2 check digits, 4-letter bank code, 10 digits). A string of exactly
# this shape that fails mod 97 is a typo or an OCR misread of an IBAN, not something else.
_NL_SHAPE = regex.compile(r"(?<![A-Za-z0-9])NL ?[0-9OoIl]{2} ?[A-Z]{4} ?(?:[0-9OoIl] ?){9}[0-9OoIl](?![A-Za-z0-9])")


class NlIbanRecognizer(EntityRecognizer):
    """IBAN, Dutch and foreign, with or without spaces, validated by ISO 13616 mod 97."""

    def __init__(self, supported_language: str = "nl") -> None:
        super().__init__(supported_entities=["IBAN_CODE"], name="IbanRecognizer",
                         supported_language=supported_language)

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        results = []
        for match in _IBAN.finditer(text, overlapped=False):
            end = self._longest_valid(text, match.start(), match.end())
            if end:
                results.append(RecognizerResult(
                    "IBAN_CODE", match.start(), end, 1.0,
                    recognition_metadata={"recognizer_name": self.name,
                                          "reason": "IBAN mod-97 valid"}))
        for match in _NL_SHAPE.finditer(text):
            if not any(r.start <= match.start() < r.end for r in results):
                results.append(RecognizerResult(
                    "IBAN_CODE", match.start(), match.end(), 0.7,
                    recognition_metadata={"recognizer_name": self.name,
                                          "reason": "Dutch IBAN shape, checksum fails (typo or OCR)"}))
        return results

    @staticmethod
    def _longest_valid(text: str, start: int, end: int) -> int | None:
        for stop in range(end, start + 14, -1):
            if not text[stop - 1].isalnum():
                continue
            if stop < len(text) and text[stop].isalnum() and stop != end:
                continue  # never cut a word in half
            if iban.is_valid("".join(text[start:stop].split())):
                return stop
        return None


def credit_card_recognizer(language: str = "nl") -> CreditCardRecognizer:
    """presidio's Luhn-checked credit card recogniser with Dutch context words."""
    return CreditCardRecognizer(
        supported_language=language,
        context=["creditcard", "credit card", "kaartnummer", "visa", "mastercard", "amex",
                 "betaalkaart"])
