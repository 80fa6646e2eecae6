"""Route a file (or an attachment's bytes) to the renderer for its type."""

from __future__ import annotations

import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from woo_anon.errors import WooAnonError
from woo_anon.intake import (IMAGE_TYPES, MAIL_TYPES, OFFICE_TYPES, TEXT_TYPES, IntakeOptions,
                             Rendition, output_name)

ATTACHMENT_TEXT = (".ics", ".vcf", ".xml", ".json", ".md")  # rendered as text inside mails
MAX_ZIP_MEMBERS = 2000
MAX_ZIP_BYTES = 2 * 1024**3  # unpacked; a zip bomb must not fill the disk


@dataclass(frozen=True)
class Context:
    """Where renditions go and how they are made."""

    workdir: Path
    options: IntakeOptions
    lazy: bool = False  # leave the LibreOffice PDF export of Office files to office.finish

    def target(self, source: str) -> Path:
        """The path of the rendition PDF for `source` inside the work folder."""
        path = self.workdir / "pdf" / output_name(source)
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def scratch(self, source: str) -> Path:
        """A private folder for intermediate files of one source."""
        path = self.workdir / "tmp" / safe_name(source)
        path.mkdir(parents=True, exist_ok=True)
        return path


def safe_name(name: str, limit: int = 80) -> str:
    """A file-name part without path separators or odd characters."""
    name = Path(name.replace("\\", "/")).name
    clean = re.sub(r"[^\w.\-]+", "-", name, flags=re.UNICODE).strip("-.") or "bijlage"
    if len(clean) > limit:
        stem, dot, ext = clean.rpartition(".")
        clean = (stem[: limit - len(ext) - 1] + "." + ext) if dot and len(ext) <= 8 else clean[:limit]
    return clean


def short(exc: BaseException, limit: int = 160) -> str:
    """One line for an unexpected library exception: its type and the first line of its text."""
    text = (str(exc).splitlines() or [""])[0][:limit]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def failure(source: str, kind: str, family_id: str, error: str, exit_code: int = 3) -> Rendition:
    """A rendition that could not be made: reported as one line and one inventory row."""
    return Rendition(name=output_name(source), source=source, kind=kind, family_id=family_id,
                     error=error, exit_code=exit_code)


def render_file(ctx: Context, path: Path, source: str, family_id: str,
                depth: int) -> list[Rendition]:
    """Render one file; never raises for a document problem (the rendition carries the error)."""
    from woo_anon.intake import images, mail, office, text

    suffix = Path(source).suffix.lower() or path.suffix.lower()
    if depth > ctx.options.max_depth:
        return [failure(source, "other", family_id, f"{source}: nested deeper than "
                        f"{ctx.options.max_depth} levels; not processed")]
    handlers = {**{s: mail.render for s in MAIL_TYPES}, **{s: office.render for s in OFFICE_TYPES},
                **{s: images.render for s in IMAGE_TYPES}, **{s: text.render for s in TEXT_TYPES},
                ".pdf": _render_pdf, ".zip": _render_zip, ".dat": mail.render_tnef,
                ".tnef": mail.render_tnef, **{s: text.render for s in ATTACHMENT_TEXT}}
    handler = handlers.get(suffix)
    if handler is None:
        return [failure(source, "other", family_id,
                        f"{source}: bestandstype {suffix or '(geen extensie)'}: unsupported file type", 6)]
    try:
        return handler(ctx, path, source, family_id, depth)
    except WooAnonError as exc:
        return [failure(source, _kind(suffix), family_id, str(exc), int(exc.exit_code))]
    except Exception as exc:  # a library choking on a damaged file: one line, not a traceback
        return [failure(source, _kind(suffix), family_id,
                        f"{source}: damaged or unreadable ({short(exc)})")]


def _kind(suffix: str) -> str:
    if suffix == ".pdf":
        return "pdf"
    for kind, types in (("mail", MAIL_TYPES), ("office", OFFICE_TYPES), ("image", IMAGE_TYPES),
                        ("text", TEXT_TYPES)):
        if suffix in types:
            return kind
    return "other"


def render_bytes(ctx: Context, data: bytes, source: str, family_id: str,
                 depth: int) -> list[Rendition]:
    """Render an attachment given as bytes (written to the scratch folder first)."""
    path = ctx.scratch(source) / safe_name(source)
    path.write_bytes(data)
    return render_file(ctx, path, source, family_id, depth)


def _render_pdf(ctx: Context, path: Path, source: str, family_id: str,
                depth: int) -> list[Rendition]:
    """A PDF attachment goes through the pipeline as it is."""
    import pymupdf

    from woo_anon.errors import BadInputError

    try:
        with pymupdf.open(path) as doc:
            if doc.needs_pass:
                raise BadInputError(f"{source}: PDF is password-protected")
    except (RuntimeError, ValueError) as exc:
        raise BadInputError(f"{source}: not a readable PDF ({short(exc)})") from None
    target = ctx.target(source)
    shutil.copyfile(path, target)
    return [Rendition(name=output_name(source), source=source, kind="pdf", pdf=target,
                      family_id=family_id)]


def _render_zip(ctx: Context, path: Path, source: str, family_id: str,
                depth: int) -> list[Rendition]:
    """A zip inside a mail: every member becomes a document whose family is the zip's parent."""
    from woo_anon.errors import BadInputError

    try:
        with zipfile.ZipFile(path) as zf:
            members = [m for m in zf.infolist() if not m.is_dir()]
            if len(members) > MAX_ZIP_MEMBERS or sum(m.file_size for m in members) > MAX_ZIP_BYTES:
                raise BadInputError(f"{source}: zip too large to unpack safely")
            if any(m.flag_bits & 0x1 for m in members):
                raise BadInputError(f"{source}: zip is password-protected")
            if not members:
                raise BadInputError(f"{source}: zip is empty")
            out: list[Rendition] = []
            for member in members:
                child = f"{source}.{safe_name(member.filename.replace('/', '_'), 120)}"
                out += render_bytes(ctx, zf.read(member), child, family_id, depth + 1)
            return out
    except zipfile.BadZipFile:
        raise BadInputError(f"{source}: not a valid zip file") from None
