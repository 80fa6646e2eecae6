"""Settings and the Engine: detection + policy built once per process, turning an extracted
Document into a RedactionPlan."""

from __future__ import annotations

import gc
import hashlib
import json
from functools import lru_cache
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import pymupdf

from woo_anon import __version__
from woo_anon.detect import Detector
from woo_anon.extract import extract_document, sha256_file
from woo_anon.model import Document, Redaction, RedactionPlan, Span
from woo_anon.plan import build_plan
from woo_anon.policy import Policy

MIN_IMAGE_SIDE = 8  # points; smaller images are decoration (bullets, rules)


@dataclass(frozen=True)
class Settings:
    """Everything that changes the result; its digest decides whether a rerun can skip."""

    model: str | None = None
    threshold: float = 0.5
    allow_files: tuple[str, ...] = ()
    deny_files: tuple[str, ...] = ()
    grounds_file: str | None = None
    ocr: str = "auto"
    propagate: bool = True
    propagate_batch: bool = False
    keep_officials: bool = True
    keep_organisational_phones: bool = True
    include_values: bool = False
    redact_images: bool = False
    fill: tuple[float, float, float] = (0, 0, 0)
    text_colour: tuple[float, float, float] = (1, 1, 1)
    text: str | None = None  # text rendition operator (--text): ground | pseudonym | hash
    office_view: str = "all"  # Office files: all (tracked changes, comments, notes) | final

    def digest(self) -> str:
        """A short hash of the settings, the list files' contents and the tool version."""
        data = asdict(self)
        for key in ("allow_files", "deny_files", "grounds_file"):
            files = data[key] if isinstance(data[key], (list, tuple)) else [data[key]]
            data[key + "_sha"] = [sha256_file(f) for f in files if f and Path(f).is_file()]
        data["version"] = __version__
        return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]


@dataclass
class Engine:
    """Detector + policy, built once per process and reused for every document."""

    settings: Settings
    detector: Detector = field(init=False)
    policy: Policy = field(init=False)

    def __post_init__(self) -> None:
        s = self.settings
        self.policy = Policy.load(s.grounds_file, s.allow_files, s.deny_files, s.threshold,
                                  s.keep_officials)
        self.detector = Detector.create(s.model, s.propagate, s.keep_organisational_phones,
                                        deny=self.policy.deny, allow=self.policy.allow)
        self.detector.warm_up()
        settle_memory()

    def plan(self, path: str | Path, name: str,
             known_names: tuple[str, ...] = ()) -> tuple[Document, RedactionPlan]:
        """extract → detect → decide → plan, for a file."""
        document = extract_document(path, name, self.settings.ocr)
        return document, self.plan_document(document, known_names)

    def plan_document(self, document: Document, known_names: tuple[str, ...] = (),
                      analysed: tuple[Span, ...] | None = None) -> RedactionPlan:
        """detect → decide → plan, for an extracted document. `analysed`: the analyzer step's
        spans, already computed (page ranges read in worker processes, woo_anon.split)."""
        detector = self.detector if analysed is None else given_analysis(self.detector, analysed)
        spans = detector.detect_document(document, known_names)
        decisions = [self.policy.decide(span) for span in spans]
        plan = build_plan(document, decisions)
        if self.settings.redact_images:
            plan = replace(plan, redactions=plan.redactions + image_redactions(
                document, self.policy.ground_for("IMAGE")))
        return plan


GC_YOUNG = 20_000  # container allocations between two young collections (Python's default: 700)


def settle_memory() -> None:
    """Tune the cyclic garbage collector for a process that holds a loaded engine.

    The loaded engine and its libraries (spaCy, presidio, pattern tables) are some 170,000
    long-lived objects, and every page makes tens of thousands of short-lived ones (a dict per
    glyph in MuPDF's raw text). With Python's defaults those pages set off collections that walk
    the long-lived objects again and again: about a quarter of the CPU time on dense pages. They
    are moved out of the collector's sight (gc.freeze: they live as long as the process, and a
    fork then shares them instead of copying them; no gc.collect first, it costs 0.1 s of
    start-up and loading leaves little garbage) and young collections run less often. Reference
    counting still frees everything at once; only reference cycles wait a little longer.
    Nothing that is detected or removed depends on this."""
    gc.freeze()
    young, middle, old = gc.get_threshold()
    gc.set_threshold(max(young, GC_YOUNG), max(middle, 20), max(old, 20))


@dataclass(frozen=True)
class GivenAnalysis:
    """Stands in for the analyzer step (detect.Analyze) with spans computed elsewhere, in the
    same order; every other detection step runs as usual."""

    spans: tuple[Span, ...]
    name: str = "analyzer"

    def __call__(self, context, spans: list[Span]) -> list[Span]:
        return spans + list(self.spans)


def given_analysis(detector: Detector, spans: tuple[Span, ...]) -> Detector:
    """The detector with its analyzer step replaced by `spans`."""
    steps = tuple(GivenAnalysis(tuple(spans)) if p.name == "analyzer" else p
                  for p in detector.processors)
    return replace(detector, processors=steps)


def image_redactions(document: Document, ground: str) -> tuple[Redaction, ...]:
    """Policy --redact-images: every embedded image (a photo, a scanned signature or ID card) is
    redacted whole. Whole-page scans are not: their text is handled by OCR."""
    out = []
    for page in document.pages:
        if page.scan:
            continue
        for index, box in enumerate(page.images):
            rect = pymupdf.Rect(box)
            if rect.is_empty or rect.width < MIN_IMAGE_SIDE or rect.height < MIN_IMAGE_SIDE:
                continue
            out.append(Redaction(id=f"image-{page.number}-{index}", page=page.number,
                                 boxes=(tuple(round(v, 2) for v in rect),), entity="IMAGE",
                                 ground=ground, score=1.0, recognizer="policy",
                                 status="redact", reason="image redacted whole by policy",
                                 text=""))
    return tuple(out)


# Every ground the Woo has (art. 5.1 lid 1 a-e, lid 2 a-i, lid 5, art. 5.2); a grounds file may
# add its own. A ground outside these is a typing error and is never printed on a page.
WOO_GROUNDS = frozenset([f"5.1.1{c}" for c in "abcde"] + [f"5.1.2{c}" for c in "abcdefghi"]
                        + ["5.1.5", "5.2"])


@lru_cache(maxsize=8)
def valid_grounds(grounds_file: str | None = None) -> frozenset[str]:
    """The grounds a plan may use: the Woo's own plus those named in the grounds table."""
    policy = Policy.load(grounds_file)
    return WOO_GROUNDS | frozenset(policy.ground_names) | frozenset(
        rule.ground for rule in policy.rules.values() if rule.ground)
