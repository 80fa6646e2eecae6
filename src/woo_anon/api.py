"""Library entry points. The CLI only parses options and calls these."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import pymupdf

from woo_anon import __version__
from woo_anon.audit import AuditLog
from woo_anon.detect import Detector
from woo_anon.errors import BadInputError, InternalError, OutputExistsError, PlanMismatchError, WooAnonError
from woo_anon.extract import extract_document, open_pdf, sha256_file
from woo_anon.model import Document, DocumentResult, Redaction, RedactionPlan
from woo_anon.plan import build_plan
from woo_anon.policy import Policy
from woo_anon.redact import Style, redact_document, save_verified


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

    def digest(self) -> str:
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
        self.detector = Detector.create(s.model, s.propagate, s.keep_organisational_phones)
        self.detector.warm_up()

    def plan(self, path: str | Path, name: str, known_names: tuple[str, ...] = ()) -> tuple[Document, RedactionPlan]:
        """extract → detect → decide → plan."""
        document = extract_document(path, name, self.settings.ocr)
        spans = self.detector.detect_document(document, known_names)
        spans += self.policy.deny_spans(document)
        decisions = [self.policy.decide(span) for span in spans]
        plan = build_plan(document, decisions)
        if self.settings.redact_images:
            plan = replace(plan, redactions=plan.redactions + image_redactions(
                path, self.policy.ground_for("IMAGE")))
        return document, plan


def image_redactions(path: str | Path, ground: str) -> tuple[Redaction, ...]:
    """Policy --redact-images: every embedded image (a photo, a scanned signature or ID card) is
    redacted whole. Whole-page scans are not: their text is handled by OCR."""
    from woo_anon.extract import is_scan, normalise

    out = []
    doc = open_pdf(path)
    try:
        normalise(doc)
        for page in doc:
            if is_scan(page):
                continue
            for index, info in enumerate(page.get_image_info()):
                box = pymupdf.Rect(info["bbox"]) & page.rect
                if box.is_empty or box.width < 8 or box.height < 8:
                    continue
                out.append(Redaction(id=f"image-{page.number + 1}-{index}", page=page.number + 1,
                                     boxes=(tuple(round(v, 2) for v in box),), entity="IMAGE",
                                     ground=ground, score=1.0, recognizer="policy",
                                     status="redact", reason="image redacted whole by policy",
                                     text=""))
    finally:
        doc.close()
    return tuple(out)


def output_path(outdir: str | Path, name: str, suffix: str = "") -> Path:
    target = Path(outdir) / name
    return target.with_name(target.name + suffix) if suffix else target


def check_target(target: Path, force: bool) -> None:
    if target.exists() and not force:
        raise OutputExistsError(f"{target}: output exists (use --force to overwrite)")


def redact_file(engine: Engine, path: str | Path, name: str, outdir: str | Path,
                audit: AuditLog, force: bool = False,
                known_names: tuple[str, ...] = ()) -> DocumentResult:
    """The whole pipeline for one document: extract → detect → decide → plan → redact →
    verify → audit. Never raises for a document problem: the result says what happened."""
    target = output_path(outdir, name)
    try:
        check_target(target, force)
        document, plan = engine.plan(path, name, known_names)
        write_redacted(path, plan, target, engine.settings)
        result = summarise(document.name, len(document.pages), plan, str(target), document)
        audit.document(plan, result, document.sha256, sha256_file(target))
        return result
    except WooAnonError as exc:
        return failed(audit, name, path, exc)
    except Exception as exc:  # a PDF that breaks the library must not stop the batch
        return failed(audit, name, path, InternalError(f"{path}: cannot process ({_short(exc)})"))


def _short(exc: Exception) -> str:
    text = (str(exc).splitlines() or [""])[0][:160]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def write_redacted(path: str | Path, plan: RedactionPlan, target: Path, settings: Settings) -> None:
    """Apply a plan to the input file and write the verified output atomically."""
    doc = open_pdf(path)
    try:
        redact_document(doc, plan, Style(settings.fill, settings.text_colour))
        save_verified(doc, target, plan)
    finally:
        doc.close()


def summarise(name: str, pages: int, plan: RedactionPlan, output: str,
              document: Document | None = None) -> DocumentResult:
    from woo_anon.ocr import LOW_CONFIDENCE

    by_ground: dict[str, int] = {}
    for r in plan.to_apply():
        by_ground[r.ground] = by_ground.get(r.ground, 0) + 1
    ocr = {p.number: p.ocr_confidence for p in (document.pages if document else ()) if p.ocr}
    review = tuple(n for n, c in ocr.items() if c is None or c < LOW_CONFIDENCE)
    return DocumentResult(name, "verified", pages, dict(sorted(by_ground.items())), output,
                          ocr_pages=tuple(ocr), ocr_confidence=ocr, review_pages=review,
                          input_sha256=document.sha256 if document else None)


def failed(audit: AuditLog | None, name: str, path: str | Path, exc: WooAnonError) -> DocumentResult:
    message = str(exc)
    result = DocumentResult(name, "failed", error=message, exit_code=int(exc.exit_code))
    if audit is not None:
        sha = sha256_file(path) if Path(path).is_file() else None
        audit.document(None, result, sha, None)
    return result


def discover(inputs: list[str | Path], exclude: Path | None = None,
             unpack_dir: Path | None = None) -> list[tuple[Path, str]]:
    """Expand files, folders (recursively) and zip files into (path, relative output name) pairs.

    A missing input or an empty folder is returned as a pair whose path does not exist or is the
    folder itself, so the caller reports it as a failed item without stopping the batch. A zip
    `export.zip` is unpacked into `unpack_dir` and its documents are named `export/<path>`.
    """
    found: list[tuple[Path, str]] = []
    for item in map(Path, inputs):
        if item.suffix.lower() == ".zip" and item.is_file() and unpack_dir is not None:
            folder = unpack_zip(item, unpack_dir / item.stem)
            found += [(p, f"{item.stem}/{name}") for p, name in discover([folder])
                      if p != folder]
            continue
        if item.is_dir():
            pdfs = sorted(p for p in item.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf"
                          and not _inside(p, exclude))
            found += [(p, str(p.relative_to(item))) for p in pdfs] or [(item, item.name or str(item))]
        else:
            found.append((item, item.name))
    return found


def unpack_zip(archive: Path, target: Path) -> Path:
    """Unpack a zip safely (no paths outside the target); the archive itself is not touched."""
    import zipfile

    try:
        with zipfile.ZipFile(archive) as zf:
            for member in zf.infolist():
                dest = (target / member.filename).resolve()
                if not str(dest).startswith(str(target.resolve())) or member.is_dir():
                    continue
                dest.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(member) as src, open(dest, "wb") as out:
                    out.write(src.read())
    except zipfile.BadZipFile:
        raise BadInputError(f"{archive}: not a valid zip file") from None
    return target


def _inside(path: Path, folder: Path | None) -> bool:
    if folder is None:
        return False
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def check_item(path: Path) -> None:
    """Raise BadInputError for an input that cannot be a document."""
    if path.is_dir():
        raise BadInputError(f"{path}: folder contains no PDF files")
    if not path.exists():
        raise BadInputError(f"{path}: no such file or folder")
