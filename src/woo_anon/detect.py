"""Detection: presidio's AnalyzerEngine built explicitly for Dutch, then an ordered list of
named processors (processors.py) over the document's spans.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field, replace

import tldextract
from presidio_analyzer import AnalyzerEngine, RecognizerRegistry, RecognizerResult
from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import SpacyRecognizer

from woo_anon import names
from woo_anon.consistency import Consistency
from woo_anon.lists import term_key
from woo_anon.joins import LineJoins
from woo_anon.model import Document, Entity, Page, Span
from woo_anon.nlp import load_pipeline
from woo_anon.orgdetails import OrganisationDetails
from woo_anon.processors import (BirthDateColumns, Context, DenyList, JoinedGuesses,
                                 ModelSpanFilter, NonPersonSpans, Officials, Processor,
                                 Propagation)
from woo_anon.recognizers import pattern_recognizers
from woo_anon.recognizers.base import reason_of
from woo_anon.special import SpecialCategories

log = logging.getLogger(__name__)
logging.getLogger("presidio-analyzer").setLevel(logging.WARNING)
LANGUAGE = "nl"
# The model's persons get their own presidio entity: presidio merges equal spans of one entity
# keeping only the highest score, which would hide a rule's match behind a rejected model match.
NER_PERSON = Entity.PERSON_NER
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


def default_processors(analyzer: AnalyzerEngine, propagate: bool = True,
                       deny: tuple[str, ...] = (), allow: tuple[str, ...] = ()) -> tuple[Processor, ...]:
    """The detection steps, in order. Officials run after propagation so that propagated
    mentions of an official's name are marked as well; special categories need the names
    (a person in the same sentence raises the score); the deny list comes last."""
    steps: list[Processor] = [Analyze(analyzer), ModelSpanFilter(), LineJoins(analyzer),
                              JoinedGuesses(), NonPersonSpans(), BirthDateColumns(),
                              OrganisationDetails()]
    if propagate:
        steps.append(Propagation(frozenset(term_key(t) for t in allow)))
    steps += [Officials(), Consistency(), SpecialCategories(), DenyList(tuple(deny))]
    return tuple(steps)


@dataclass(frozen=True)
class Analyze:
    """presidio over every non-empty page (the spaCy pipeline batched over pages). The model's
    persons stay raw PERSON_NER spans here; ModelSpanFilter decides which are names."""

    analyzer: AnalyzerEngine
    name: str = "analyzer"

    def __call__(self, context: Context, spans: list[Span]) -> list[Span]:
        pages = [p for p in context.document.pages if p.text.strip()]
        batch = self.analyzer.nlp_engine.process_batch([p.text for p in pages], LANGUAGE,
                                                       batch_size=32)
        return spans + [span for page, (_, artifacts) in zip(pages, batch)
                        for span in analyze_page(self.analyzer, page, artifacts)]


def analyze_page(analyzer: AnalyzerEngine, page: Page, nlp_artifacts=None) -> list[Span]:
    """presidio's results on one page as Spans (raw: model persons are PERSON_NER)."""
    if not page.text.strip():
        return []
    results = analyzer.analyze(page.text, language=LANGUAGE, score_threshold=0.0,
                               nlp_artifacts=nlp_artifacts)
    return [_to_span(page, result) for result in results]


@dataclass
class Detector:
    """Runs the detection processors over documents. Build once, reuse for every document.

    `timings` adds up the seconds spent in each processor, so each step can be measured."""

    analyzer: AnalyzerEngine
    processors: tuple[Processor, ...]
    timings: dict[str, float] = field(default_factory=dict, compare=False)

    @classmethod
    def create(cls, model: str | None = None, propagate: bool = True,
               keep_organisational_phones: bool = True, deny: tuple[str, ...] = (),
               allow: tuple[str, ...] = ()) -> "Detector":
        """Build the analyzer and the default processors (deny, allow: the user's list terms;
        deny-list terms are searched for, allowed names are not propagated)."""
        analyzer = build_analyzer(model, keep_organisational_phones)
        return cls(analyzer, default_processors(analyzer, propagate, deny, allow))

    @property
    def processor_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.processors)

    def without(self, *skip: str) -> "Detector":
        """The same detector with the named processors switched off."""
        unknown = set(skip) - set(self.processor_names)
        if unknown:
            raise ValueError(f"unknown processor(s): {', '.join(sorted(unknown))}")
        return replace(self, processors=tuple(p for p in self.processors if p.name not in skip),
                       timings={})

    def warm_up(self) -> None:
        """Load the word lists and compile the patterns now, not on the first document."""
        self.detect_page(Page(0, "Geachte heer Jansen, Kerkstraat 1, 1234 AB Amsterdam, "
                                 "bel 06-12345678 of mail j.jansen@example.nl.", (), ()))

    def detect_page(self, page: Page) -> list[Span]:
        """Detection on one page on its own (the analyzer and the model-span filter only)."""
        context = Context(Document("", "", "", (page,)))
        return ModelSpanFilter()(context, analyze_page(self.analyzer, page))

    def detect_document(self, document: Document, known_names: tuple[str, ...] = ()) -> list[Span]:
        """All processors in order over one document."""
        context = Context(document, tuple(known_names))
        spans: list[Span] = []
        for processor in self.processors:
            start = time.perf_counter()
            spans = processor(context, spans)
            self.timings[processor.name] = self.timings.get(processor.name, 0.0) + (
                time.perf_counter() - start)
        return spans


def _to_span(page: Page, result: RecognizerResult) -> Span:
    meta = result.recognition_metadata or {}
    return Span(page=page.number, start=result.start, end=result.end,
                text=page.text[result.start:result.end], entity=result.entity_type,
                score=round(float(result.score), 3),
                recognizer=meta.get("recognizer_name") or "unknown", reason=reason_of(result))
