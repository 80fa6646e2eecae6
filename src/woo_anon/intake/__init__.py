"""Intake: e-mail, Office documents, images and text become PDF renditions.

`render(path, workdir)` turns one input file into one or more PDF renditions: a mail gives one
for the message and one for every attachment (recursively), an Office file one for the document.
Each rendition then goes through the unchanged pipeline (detect → plan → redact → verify).
Whatever a rendition would hide (tracked changes, comments, hidden sheets, speaker notes) is made
visible by default and reported as a finding.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from woo_anon.errors import BadInputError

MAIL_TYPES = (".eml", ".msg")
WORD_TYPES = (".docx", ".docm", ".doc", ".odt", ".rtf")
SHEET_TYPES = (".xlsx", ".xlsm", ".xls", ".ods")
SLIDE_TYPES = (".pptx", ".ppt", ".odp")
OFFICE_TYPES = WORD_TYPES + SHEET_TYPES + SLIDE_TYPES
IMAGE_TYPES = (".jpg", ".jpeg", ".png", ".tif", ".tiff")
TEXT_TYPES = (".txt", ".csv", ".html", ".htm")
SUPPORTED = MAIL_TYPES + OFFICE_TYPES + IMAGE_TYPES + TEXT_TYPES
"""Input types (besides PDF) that `render` turns into PDF renditions."""


@dataclass(frozen=True)
class IntakeOptions:
    """How sources are rendered. `office_view="final"` shows accepted text only (no deletions,
    no comments); the default "all" shows everything the organisation holds."""

    office_view: str = "all"
    timeout: float = 120  # seconds for one LibreOffice conversion
    max_rows: int = 5000  # rows per spreadsheet sheet before it is cut off with a note
    max_depth: int = 8  # mail in mail in zip in mail …


@dataclass(frozen=True)
class Rendition:
    """One PDF made from a source (or the reason it could not be made).

    `name` is the document's output name (``mail.eml.pdf``,
    ``mail.eml.bijlage-1-notulen.docx.pdf``), `source` the part it came from (``mail.eml``),
    `family_id` the document id of the parent (empty for a top-level document).
    `metadata` and `findings` are immutable: pairs and strings.
    """

    name: str
    source: str
    kind: str  # mail | office | image | text | pdf | other
    pdf: Path | None = None
    family_id: str = ""
    metadata: tuple[tuple[str, str], ...] = ()
    findings: tuple[str, ...] = ()
    error: str = ""
    exit_code: int = 0  # 3 damaged/encrypted, 6 unsupported type, 8 timeout
    pending: Path | None = None  # a normalised Office file still to be exported (lazy mode)

    @property
    def document_id(self) -> str:
        """The id used in the inventarislijst: the source name (the output name without .pdf)."""
        return self.source

    def meta(self) -> dict[str, str]:
        """The metadata as a plain dict (a copy)."""
        return dict(self.metadata)


def is_supported(path: str | Path) -> bool:
    """True for the non-PDF types `render` accepts."""
    return Path(path).suffix.lower() in SUPPORTED


def output_name(source: str) -> str:
    """The rendition's document name: a PDF keeps its name, anything else gets ``.pdf`` added."""
    return source if source.lower().endswith(".pdf") else source + ".pdf"


def render(path: str | Path, workdir: str | Path, name: str | None = None,
           options: IntakeOptions = IntakeOptions()) -> list[Rendition]:
    """Render one input file into PDF renditions written under `workdir`.

    The first rendition is the document itself, the others its attachments (depth first).
    A damaged or password-protected top-level file raises `BadInputError`; a bad attachment
    becomes a rendition with `error` set, so the rest of the mail is still delivered.

    Args:
        path: the input file (never modified).
        workdir: an existing folder for the rendition PDFs (the caller removes it).
        name: the document's name in the batch (default: the file name).
        options: rendering options.
    """
    from woo_anon.intake.dispatch import Context, render_file

    path = Path(path)
    if not path.is_file():
        raise BadInputError(f"{path}: no such file")
    ctx = Context(Path(workdir), options)
    renditions = render_file(ctx, path, name or path.name, family_id="", depth=0)
    first = renditions[0]
    if first.error:
        raise _error_for(first)
    return renditions


def close_converters() -> None:
    """Stop the converter processes kept for the batch (the Chromium that prints renditions).
    Safe to call when none is running; the next `render` starts a fresh one."""
    from woo_anon.intake import browser

    browser.close()


def _error_for(rendition: Rendition) -> Exception:
    from woo_anon.errors import DocumentTimeoutError

    if rendition.exit_code == 8:
        return DocumentTimeoutError(rendition.error)
    return BadInputError(rendition.error)


__all__ = ["IntakeOptions", "Rendition", "SUPPORTED", "close_converters", "is_supported",
           "output_name", "render"]
