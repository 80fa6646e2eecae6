"""Frozen dataclasses that flow between the pipeline stages."""

from __future__ import annotations

from dataclasses import dataclass, field

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Page:
    """One page's text with a box per character (None for separators we inserted)."""

    number: int  # 1-based
    text: str
    boxes: tuple[Box | None, ...]  # aligned with text
    lines: tuple[int, ...]  # line id per character, aligned with text (-1 for separators)
    ocr: bool = False
    ocr_confidence: float | None = None


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
    span: Span
    action: str  # "redact" | "keep"
    ground: str
    reason: str


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
    status: str  # "redact" | "keep"
    reason: str
    text: str  # plaintext: kept in plans for review, never written to the audit log
    origin: str = "automatic"  # automatic | reviewed | manual


@dataclass(frozen=True)
class RedactionPlan:
    source: str
    source_sha256: str
    tool_version: str
    redactions: tuple[Redaction, ...] = field(default_factory=tuple)

    def to_apply(self) -> tuple[Redaction, ...]:
        return tuple(r for r in self.redactions if r.status == "redact")


@dataclass(frozen=True)
class DocumentResult:
    """What happened to one document: the summary the CLI prints and the audit records."""

    name: str
    status: str  # "verified" | "failed" | "skipped"
    pages: int = 0
    by_ground: dict[str, int] = field(default_factory=dict)
    output: str | None = None
    error: str | None = None
    exit_code: int = 0
    ocr_pages: tuple[int, ...] = ()
    ocr_confidence: dict[int, float | None] = field(default_factory=dict)
    review_pages: tuple[int, ...] = ()  # OCR confidence too low: a human must look
    input_sha256: str | None = None
