"""Detection: presidio's AnalyzerEngine built explicitly for Dutch, plus document-level
propagation of names.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import regex
import tldextract
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, RecognizerResult
from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import SpacyRecognizer

from woo_anon import lists, names
from woo_anon.model import Document, Page, Span
from woo_anon.nlp import load_pipeline
from woo_anon.recognizers import pattern_recognizers
from woo_anon.recognizers.base import reason_of

log = logging.getLogger(__name__)
logging.getLogger("presidio-analyzer").setLevel(logging.WARNING)
LANGUAGE = "nl"
# The model's persons get their own presidio entity: presidio merges equal spans of one entity
# keeping only the highest score, which would hide a rule's match behind a rejected model match.
NER_PERSON = "PERSON_NER"
PERSON_LABELS = {"PER": NER_PERSON, "PERSON": NER_PERSON, "persoon": NER_PERSON}


def use_offline_tldextract() -> None:
    """presidio's e-mail validation calls tldextract, which would download the public suffix
    list; use the snapshot bundled with tldextract instead."""
    offline = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    tldextract.extract = offline
    try:  # presidio imported the function by name
        from presidio_analyzer.predefined_recognizers.generic import email_recognizer
        if hasattr(email_recognizer, "tldextract"):
            email_recognizer.tldextract.extract = offline
    except ImportError:
        pass


class PreloadedNlpEngine(SpacyNlpEngine):
    """presidio's spaCy engine around a pipeline we loaded ourselves (never downloads)."""

    def __init__(self, nlp) -> None:
        labels = {label: PERSON_LABELS.get(label, label) for label in _ner_labels(nlp)}
        labels.update(PERSON_LABELS)
        config = NerModelConfiguration(
            model_to_presidio_entity_mapping=labels,
            labels_to_ignore=[label for label in labels if labels[label] != NER_PERSON])
        super().__init__(models=[{"lang_code": LANGUAGE, "model_name": "preloaded"}],
                         ner_model_configuration=config)
        self.nlp = {LANGUAGE: nlp}

    def load(self) -> None:
        pass


def _ner_labels(nlp) -> list[str]:
    labels: list[str] = []
    for name in ("ner", "entity_ruler"):
        if name in nlp.pipe_names:
            labels += list(nlp.get_pipe(name).labels)
    return labels


def build_analyzer(model: str | None = None, keep_organisational_phones: bool = True) -> AnalyzerEngine:
    """The AnalyzerEngine for Dutch: our pattern recognisers, name rules and the NER model."""
    use_offline_tldextract()
    nlp = load_pipeline(model)
    registry = RecognizerRegistry(supported_languages=[LANGUAGE])
    for recognizer in pattern_recognizers(LANGUAGE):
        if recognizer.name == "PhoneRecognizer":
            recognizer.keep_organisational = keep_organisational_phones
        registry.add_recognizer(recognizer)
    registry.add_recognizer(names.NameRuleRecognizer(LANGUAGE))
    if {"ner", "entity_ruler", "span_ruler"} & set(nlp.pipe_names):
        registry.add_recognizer(SpacyRecognizer(supported_language=LANGUAGE,
                                                supported_entities=[NER_PERSON]))
    return AnalyzerEngine(nlp_engine=PreloadedNlpEngine(nlp), registry=registry,
                          supported_languages=[LANGUAGE])


@dataclass
class Detector:
    """Runs detection on pages and documents. Build once, reuse for every document."""

    analyzer: AnalyzerEngine
    propagate: bool = True

    @classmethod
    def create(cls, model: str | None = None, propagate: bool = True,
               keep_organisational_phones: bool = True) -> "Detector":
        return cls(build_analyzer(model, keep_organisational_phones), propagate)

    def warm_up(self) -> None:
        """Load the word lists and compile the patterns now, not on the first document."""
        self.detect_page(Page(0, "Geachte heer Jansen, Kerkstraat 1, 1234 AB Amsterdam, "
                                 "bel 06-12345678 of mail j.jansen@example.nl.", (), ()))

    def detect_page(self, page: Page, nlp_artifacts=None) -> list[Span]:
        if not page.text.strip():
            return []
        results = self.analyzer.analyze(page.text, language=LANGUAGE, score_threshold=0.0,
                                        nlp_artifacts=nlp_artifacts)
        spans = []
        for result in results:
            if result.entity_type == NER_PERSON:
                spans += _model_spans(page, result)
            else:
                spans.append(_to_span(page, result))
        return spans

    def detect_document(self, document: Document, known_names: tuple[str, ...] = ()) -> list[Span]:
        pages = [p for p in document.pages if p.text.strip()]
        # run the spaCy pipeline over all pages in batches (faster than page by page)
        batch = self.analyzer.nlp_engine.process_batch([p.text for p in pages], LANGUAGE,
                                                       batch_size=32)
        spans = [span for page, (_, artifacts) in zip(pages, batch)
                 for span in self.detect_page(page, artifacts)]
        spans += [span for page in pages for span in birth_date_column(page)]
        if self.propagate:
            spans += propagate_names(document, spans, known_names)
        return mark_officials(spans)


def _to_span(page: Page, result: RecognizerResult) -> Span:
    meta = result.recognition_metadata or {}
    return Span(page=page.number, start=result.start, end=result.end,
                text=page.text[result.start:result.end], entity=result.entity_type,
                score=round(float(result.score), 3),
                recognizer=meta.get("recognizer_name") or "unknown", reason=reason_of(result))


def _model_word_ok(text: str) -> bool:
    """A lone word from the model is no name when it is an acronym ("NVZ", "GGD") or a word
    with a lower-case part after a hyphen ("Web-ex", "E-mail")."""
    if " " in text:
        return True
    if text.isupper() and len(text) <= 6:
        return False
    return not regex.search(r"-\p{Ll}", text)


def _model_spans(page: Page, result: RecognizerResult) -> list[Span]:
    """A model PER span, cut at line breaks and before a trailing company name, kept only where
    it looks like a name (not only ordinary words, months, places or organisation words)."""
    spans = []
    for piece in regex.finditer(r"[^\n]+", page.text[result.start:result.end]):
        start, text = result.start + piece.start(), piece.group().strip()
        start += piece.group().index(text) if text else 0
        words = text.split(" ")
        for i, word in enumerate(words):
            if i and word.lower().endswith(names.ORG_SUFFIXES):
                cut = i - 1 if i > 1 and words[i - 1].lower() in lists.interfixes() else i
                text = " ".join(words[:cut])
                break
        if page.ocr and " " not in text and text not in lists.surnames() \
                and text not in lists.first_names():
            continue  # OCR fragments ("Openin"): a lone unknown word from the model is too weak
        if text and _model_word_ok(text) and names._is_nameish(names._tokens(text), strong=False):
            spans.append(Span(page.number, start, start + len(text), text, "PERSON",
                              round(float(result.score), 3), "ner-model", "NER model (PER)"))
    return spans


_BIRTH_HEADER = regex.compile(r"(?i)geboortedatum|geb\.?\s?datum|geboren(?:\s+op)?|date of birth")
_DATE = regex.compile(r"(?<![\w.-])(?:\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})|(?:19|20)\d{2}-\d{2}-\d{2}|"
                      r"\d{1,2}\s(?:januari|februari|maart|april|mei|juni|juli|augustus|september|"
                      r"oktober|november|december)\s\d{4})(?![\w-])", regex.I)


def birth_date_column(page: Page) -> list[Span]:
    """Dates in a table column headed "Geboortedatum": below the header, under its x-range."""
    if not page.boxes:
        return []
    out = []
    for header in _BIRTH_HEADER.finditer(page.text):
        line_start = page.text.rfind("\n", 0, header.start()) + 1
        line_end = page.text.find("\n", header.end())
        line = page.text[line_start: line_end if line_end >= 0 else len(page.text)]
        if len(line.strip(" :")) > len(header.group()) + 3:
            continue  # a column header stands alone in its cell, not inside a sentence
        boxes = [b for b in page.boxes[header.start():header.end()] if b]
        if not boxes:
            continue
        x0, x1 = min(b[0] for b in boxes) - 15, max(b[2] for b in boxes) + 40
        top = max(b[3] for b in boxes)
        for date in _DATE.finditer(page.text):
            first = page.boxes[date.start()]
            if first and first[1] >= top and x0 <= (first[0] + first[2]) / 2 <= x1:
                out.append(Span(page.number, date.start(), date.end(), date.group(),
                                "DATE_OF_BIRTH", 0.9, "DateOfBirthRecognizer",
                                "date in a birth-date column"))
    return out


def mark_officials(spans: list[Span]) -> list[Span]:
    """A name that the document also uses for an official in office ("wethouder Dorrestein") is
    that official wherever it appears without other name parts."""
    official = {w for s in spans if s.entity == "PERSON_OFFICIAL" for w in s.text.split()}
    if not official:
        return spans
    out = []
    for span in spans:
        if span.entity == "PERSON" and set(span.text.split()) <= official:
            span = Span(span.page, span.start, span.end, span.text, "PERSON_OFFICIAL", span.score,
                        span.recognizer, "same name as an official named in office")
        out.append(span)
    return out


def person_names(spans: list[Span]) -> list[str]:
    return [s.text for s in spans if s.entity == "PERSON"]


def propagate_names(document: Document, spans: list[Span],
                    known_names: tuple[str, ...] = ()) -> list[Span]:
    """Every later (or earlier) mention of a detected person's name parts, on every page."""
    parts: dict[str, None] = {}
    for name in list(known_names) + person_names(spans):
        parts.update(dict.fromkeys(names.name_parts(name)))
    for span in spans:
        if span.entity == "EMAIL_ADDRESS":
            parts.update(dict.fromkeys(names.names_from_email(span.text)))
    official = {w for s in spans if s.entity == "PERSON_OFFICIAL" for w in s.text.split()}
    matcher = names.mentions_matcher([p for p in parts if not set(p.split()) <= official])
    out = []
    for page in document.pages if matcher else ():
        for match in matcher.finditer(page.text, overlapped=True):
            out.append(Span(page.number, match.start(), match.end(), match.group(), "PERSON", 0.75,
                            "propagation", "same name as a detected person"))
    return out
