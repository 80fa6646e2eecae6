"""Dates of birth: a date with birth context. Ordinary document dates are left alone."""

from __future__ import annotations

from presidio_analyzer import Pattern

from woo_anon.recognizers.base import DutchPatternRecognizer, evolve

MONTHS = ("januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|"
          "december|jan|feb|febr|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec")


class DateOfBirthRecognizer(DutchPatternRecognizer):
    ENTITY = "DATE_OF_BIRTH"
    PATTERNS = [
        Pattern("date numeric", r"(?<![\w.-])\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})(?![\w-]|\.\d)", 0.1),
        Pattern("date iso", r"(?<![\w.-])(?:19|20)\d{2}-\d{2}-\d{2}(?![\w-])", 0.1),
        Pattern("date written", r"(?i)(?<![\w])\d{1,2}\s(?:" + MONTHS + r")\.?\s(?:\d{4}|'\d{2})(?![\w])", 0.1),
    ]
    CONTEXT = ["geboren", "geb.", "geboortedatum", "geboorte datum", "geb.datum", "geboortedag",
               "date of birth", "dob", "geb:", "geb ", "d.o.b"]
    NEEDS_CONTEXT = frozenset({"date numeric", "date iso", "date written"})
    WINDOW = 30

    def adjust(self, text, result):
        result = super().adjust(text, result)
        if result is not None:
            result = evolve(result, score=0.95)
        return result
