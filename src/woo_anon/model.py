"""Frozen dataclasses and enums that flow between the pipeline stages.

The enums are `str`-valued, so plan JSON, audit records and comparisons with plain strings
("redact") stay exactly as they were.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Iterable, Mapping

Box = tuple[float, float, float, float]


class _StrEnum(str, Enum):
    """A str-valued enum that prints, formats and serialises as its value (StrEnum of 3.11)."""

    __str__ = str.__str__
    __format__ = str.__format__


class Action(_StrEnum):
    """What policy decided for one span. REVIEW: listed for an officer, never applied as is."""

    REDACT = "redact"
    KEEP = "keep"
    REVIEW = "review"


class Status(_StrEnum):
    """The state of one planned redaction. `review` is listed for a human and never applied
    until a reviewer sets it to redact or keep."""

    REDACT = "redact"
    KEEP = "keep"
    REVIEW = "review"


class Origin(_StrEnum):
    """Who decided a planned redaction."""

    AUTOMATIC = "automatic"
    REVIEWED = "reviewed"
    MANUAL = "manual"


class Entity:
    """Entity names used in code. The table entity → ground is data (data/grounds.toml)."""

    PERSON = "PERSON"
    PERSON_OFFICIAL = "PERSON_OFFICIAL"
    PERSON_NER = "PERSON_NER"  # raw model output, before the model-span filter
    EMAIL_ADDRESS = "EMAIL_ADDRESS"
    DATE_OF_BIRTH = "DATE_OF_BIRTH"
    DENY_LIST = "DENY_LIST"
    SPECIAL_CATEGORY = "SPECIAL_CATEGORY"
    IMAGE = "IMAGE"
    MANUAL = "MANUAL"


class FrozenMap(dict):
    """A read-only dict: JSON-serialisable and `asdict`-friendly like a dict, but immutable and
    hashable, so frozen dataclasses can carry small mappings."""

    def _immutable(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("FrozenMap is read-only")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _immutable
    __ior__ = _immutable

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(sorted(self.items(), key=repr)))

    def __copy__(self) -> "FrozenMap":
        return self

    def __deepcopy__(self, memo: dict) -> "FrozenMap":
        return self

    def __reduce__(self):
        return (FrozenMap, (dict(self),))


def frozen_map(value: Mapping | Iterable | None) -> FrozenMap:
    """A FrozenMap from a mapping or pairs (None gives an empty one)."""
    return value if isinstance(value, FrozenMap) else FrozenMap(value or {})


@dataclass(frozen=True)
class Page:
    """One page's text with a box per character (None for separators we inserted)."""

    number: int  # 1-based
    text: str
    boxes: tuple[Box | None, ...]  # aligned with text
    lines: tuple[int, ...]  # line id per character, aligned with text (-1 for separators)
    ocr: bool = False
    ocr_confidence: float | None = None
    images: tuple[Box, ...] = ()  # every embedded image's box, clipped to the page, in order
    scan: bool = False  # images cover most of the page: its text (if any) is an OCR layer


@dataclass(frozen=True)
class Document:
    path: str
    name: str  # relative path used in outputs and the audit log
    sha256: str
    pages: tuple[Page, ...]


@dataclass(frozen=True)
class Span:
    """A piece of page text a recogniser flagged."""

    page: int
    start: int
    end: int
    text: str
    entity: str
    score: float
    recognizer: str
    reason: str = ""


@dataclass(frozen=True)
class Decision:
    """Policy's verdict on one span. `protects`: a keep that also shields the person-name spans
    it covers from being redacted by overlapping weaker detections (allow list, officials)."""

    span: Span
    action: Action
    ground: str
    reason: str
    protects: bool = False


@dataclass(frozen=True)
class Redaction:
    """One planned redaction: what the review file and the audit log talk about."""

    id: str
    page: int
    boxes: tuple[Box, ...]
    entity: str
    ground: str
    score: float
    recognizer: str
    status: Status
    reason: str
    text: str  # plaintext: kept in plans for review, never written to the audit log
    origin: Origin = Origin.AUTOMATIC
    reviewer: str = ""  # who decided, for reviewed and manual entries (review screen, --reviewer)
    reviewed_at: str = ""  # when (ISO time), as the review screen stamps it

    def __post_init__(self) -> None:  # plain strings from JSON or callers become the enums
        object.__setattr__(self, "status", Status(self.status))
        object.__setattr__(self, "origin", Origin(self.origin))


@dataclass(frozen=True)
class RedactionPlan:
    source: str
    source_sha256: str
    tool_version: str
    redactions: tuple[Redaction, ...] = field(default_factory=tuple)

    def to_apply(self) -> tuple[Redaction, ...]:
        return tuple(r for r in self.redactions if r.status == Status.REDACT)

    def to_review(self) -> tuple[Redaction, ...]:
        """Entries waiting for a human decision (never applied as they are)."""
        return tuple(r for r in self.redactions if r.status == Status.REVIEW)


@dataclass(frozen=True)
class DocumentResult:
    """What happened to one document: the summary the CLI prints and the audit records.

    `by_ground` and `ocr_confidence` accept any mapping and are stored read-only."""

    name: str
    status: str  # "verified" | "failed" | "skipped"
    pages: int = 0
    by_ground: Mapping[str, int] = field(default_factory=FrozenMap)
    output: str | None = None
    error: str | None = None
    exit_code: int = 0
    ocr_pages: tuple[int, ...] = ()
    ocr_confidence: Mapping[int, float | None] = field(default_factory=FrozenMap)
    review_pages: tuple[int, ...] = ()  # OCR confidence too low: a human must look
    input_sha256: str | None = None
    messages: tuple[str, ...] = ()  # what the PDF library reported while reading this document

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_ground", frozen_map(self.by_ground))
        object.__setattr__(self, "ocr_confidence", frozen_map(self.ocr_confidence))
        object.__setattr__(self, "ocr_pages", tuple(self.ocr_pages))
        object.__setattr__(self, "review_pages", tuple(self.review_pages))
        object.__setattr__(self, "messages", tuple(self.messages))
