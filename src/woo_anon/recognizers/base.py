"""Shared machinery for the Dutch pattern recognisers.

presidio's own context enhancer works on lemmas and only ever raises a score. Dutch identifiers
also need the opposite: a valid 11-proef number after "factuurnummer" is not a BSN. So each
recogniser here looks at the raw text around a match itself: CONTEXT words raise the score,
NEGATIVE_CONTEXT words drop the match, and patterns named in NEEDS_CONTEXT are only reported
when a CONTEXT word is near.
"""

from __future__ import annotations

import copy
import re

from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult

FLAGS = re.DOTALL | re.MULTILINE  # case matters for postcodes, plates and IBANs
WINDOW_BEFORE = 45
WINDOW_AFTER = 15


def evolve(result: RecognizerResult, **changes) -> RecognizerResult:
    """A copy of a presidio result with some fields changed: results are never changed in place."""
    new = copy.copy(result)
    for name, value in changes.items():
        setattr(new, name, value)
    return new


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


_SENTENCE_END = re.compile(r".*(?:[.;!?]\s+(?=[A-Z(])|\n\s*\n)", re.S)


def words_near(text: str, start: int, end: int, before: int = WINDOW_BEFORE,
               after: int = WINDOW_AFTER) -> str:
    """Lower-cased text around a match (within its sentence), used for context checks."""
    left = text[max(0, start - before):start]
    cut = _SENTENCE_END.match(left)
    if cut:
        left = left[cut.end():]
    right = re.split(r"[.;!?]\s|\n\s*\n", text[end:end + after])[0]
    return (left + " \u2016 " + right).lower()


def has_any(window: str, words: list[str]) -> bool:
    return any(re.search(r"(?<![a-z])" + re.escape(w), window) for w in words)


class DutchPatternRecognizer(PatternRecognizer):
    """PatternRecognizer with raw-text positive and negative context."""

    ENTITY = ""
    PATTERNS: list[Pattern] = []
    CONTEXT: list[str] = []
    NEGATIVE_CONTEXT: list[str] = []
    NEEDS_CONTEXT: frozenset[str] = frozenset()
    CONTEXT_SCORE = 1.0
    WINDOW = WINDOW_BEFORE

    def __init__(self, supported_language: str = "nl") -> None:
        super().__init__(
            supported_entity=self.ENTITY,
            name=type(self).__name__,
            supported_language=supported_language,
            patterns=self.PATTERNS,
            context=self.CONTEXT,
            global_regex_flags=FLAGS,
        )

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        results = super().analyze(text, entities, nlp_artifacts, regex_flags or FLAGS)
        kept = []
        for result in results:
            adjusted = self.adjust(text, result)
            if adjusted is not None:
                kept.append(evolve(adjusted, recognition_metadata=dict(
                    adjusted.recognition_metadata or {}, reason=reason_of(adjusted))))
        return kept

    def adjust(self, text: str, result: RecognizerResult) -> RecognizerResult | None:
        """Apply context rules; return None to drop the match."""
        window = words_near(text, result.start, result.end, before=self.WINDOW)
        pattern = pattern_of(result)
        before = window.split("\u2016")[0]
        if has_any(before, self.NEGATIVE_CONTEXT):
            return None
        if has_any(window, self.CONTEXT):
            result = evolve(result, score=max(result.score, self.CONTEXT_SCORE))
        elif pattern in self.NEEDS_CONTEXT:
            return None
        return result


def pattern_of(result: RecognizerResult) -> str:
    explanation = result.analysis_explanation
    return (explanation.pattern_name or "") if explanation is not None else ""


def reason_of(result: RecognizerResult) -> str:
    """A short human reason for the plan/review file."""
    meta = result.recognition_metadata or {}
    if meta.get("reason"):
        return meta["reason"]
    explanation = result.analysis_explanation
    if explanation is not None and explanation.validation_result:
        return f"{explanation.pattern_name}: checksum valid"
    return pattern_of(result)
