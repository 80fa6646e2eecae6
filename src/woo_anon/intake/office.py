"""Office documents → PDF through LibreOffice (headless), after ooxml.normalise made hidden parts
visible. One LibreOffice user profile per process so parallel workers never share one."""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from dataclasses import replace
from pathlib import Path

from woo_anon.errors import BadInputError
from woo_anon.fsutil import process_scratch
from woo_anon.intake import SHEET_TYPES, SLIDE_TYPES, Rendition, output_name
from woo_anon.intake.dispatch import Context, render_bytes, safe_name
from woo_anon.intake.layout import append_pdf, escape, finalise, story_pdf
from woo_anon.intake.ooxml import Inspection, document_title, normalise
from woo_anon.intake.subproc import run_converter

OOXML = {"word": ".docx", "xl": ".xlsx", "ppt": ".pptx"}
TO_OOXML = {"word": "docx:MS Word 2007 XML", "xl": "xlsx:Calc MS Excel 2007 XML",
            "ppt": "pptx:Impress MS PowerPoint 2007 XML"}
PDF_FILTER = {"word": "writer_pdf_Export", "xl": "calc_pdf_Export", "ppt": "impress_pdf_Export"}
PDF_OPTIONS = '{"UseTaggedPDF":{"type":"boolean","value":"true"},' \
              '"ExportNotes":{"type":"boolean","value":"false"}}'
ZIP_TYPES = (".docx", ".docm", ".xlsx", ".xlsm", ".pptx", ".odt", ".ods", ".odp")


def soffice() -> str:
    """The LibreOffice executable, or a clear error when it is not installed."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        raise BadInputError("LibreOffice is not installed (run scripts/setup.sh); "
                            "Office documents cannot be converted")
    return exe


def _profile_dir() -> Path:
    """This process's own LibreOffice profile (parallel soffice calls on one profile fail)."""
    return process_scratch("woo-anon-lo-")


def convert(paths: list[Path], fmt: str, outdir: Path, timeout: int) -> None:
    """Run one `soffice --convert-to` for several files; kill the whole process group on timeout."""
    outdir.mkdir(parents=True, exist_ok=True)
    cmd = [soffice(), f"-env:UserInstallation={_profile_dir().as_uri()}", "--headless",
           "--invisible", "--norestore", "--nolockcheck", "--nodefault", "--nologo",
           "--convert-to", fmt, "--outdir", str(outdir), *map(str, paths)]
    env = dict(os.environ, SAL_USE_VCLPLUGIN="svp", HOME=str(_profile_dir()))
    run_converter(cmd, env, timeout,
                  f"{paths[0].name}: LibreOffice conversion took longer than {timeout} s")


def family(suffix: str) -> str:
    """word, xl or ppt for an Office file suffix."""
    return "xl" if suffix in SHEET_TYPES else "ppt" if suffix in SLIDE_TYPES else "word"


def render(ctx: Context, path: Path, source: str, family_id: str, depth: int) -> list[Rendition]:
    """Inspect, normalise and convert one Office document; embedded files become children.

    With `ctx.lazy` the LibreOffice PDF export is left to `finish` (run later, in a worker):
    the rendition then has `pending` set to the normalised file instead of `pdf`.
    """
    suffix = Path(source).suffix.lower()
    check_container(path, source, suffix)
    kind = family(suffix)
    work = ctx.scratch(source)
    original = work / f"bron{suffix}"
    shutil.copyfile(path, original)  # LibreOffice names its output after the input: keep it plain
    ooxml = _as_ooxml(original, kind, work, source, ctx.options.timeout)
    clean = work / f"weergave{ooxml.suffix}"
    try:
        found = normalise(ooxml, clean, ctx.options.office_view, ctx.options.max_rows)
    except (zipfile.BadZipFile, KeyError, ValueError, SyntaxError) as exc:
        raise BadInputError(f"{source}: damaged Office file ({type(exc).__name__})") from None
    if found.appendix:
        story_pdf(appendix_html(found), appendix_of(clean))
    meta = (("document_title", found.title),) if found.title else ()
    if found.created:
        meta += (("datum", found.created), ("datum_bron", "Office-documenteigenschap 'created'"))
    own = Rendition(name=output_name(source), source=source, kind="office", metadata=meta,
                    family_id=family_id, findings=tuple(found.findings), pending=clean)
    if not ctx.lazy:
        own = replace(own, pdf=finish(clean, ctx.target(source), ctx.options.timeout, source),
                      pending=None)
    return [own] + _embedded(ctx, found, source, depth)


def appendix_of(clean: Path) -> Path:
    """Where `render` leaves the appendix pages of a normalised file."""
    return clean.with_name(clean.name + ".aanvullend.pdf")


def finish(clean: Path, target: Path, timeout: int, source: str = "") -> Path:
    """LibreOffice PDF export of a normalised file, its appendix appended, metadata removed
    except the document's title (its dc:title, else its first line)."""
    kind = family(clean.suffix.lower())
    outdir = clean.parent / "pdf"
    convert([clean], f"pdf:{PDF_FILTER[kind]}:{PDF_OPTIONS}", outdir, timeout)
    made = outdir / (clean.stem + ".pdf")
    if not made.is_file():
        raise BadInputError(f"{source or clean.name}: LibreOffice could not convert it "
                            "(damaged or password-protected)")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(made, target)
    if appendix_of(clean).is_file():
        append_pdf(target, appendix_of(clean))
    return finalise(target, document_title(clean))


def _as_ooxml(original: Path, kind: str, work: Path, source: str, timeout: int) -> Path:
    if original.suffix in (".docx", ".docm", ".xlsx", ".xlsm", ".pptx"):
        return original
    convert([original], TO_OOXML[kind], work / "ooxml", timeout)
    result = work / "ooxml" / (original.stem + OOXML[kind])
    if not result.is_file():
        raise BadInputError(f"{source}: LibreOffice could not open it (damaged or password-protected)")
    return result


def appendix_html(found: Inspection) -> str:
    """The 'Aanvullende inhoud' pages: comments, speaker notes and notes that were not visible."""
    items = "".join(f"<h2>{escape(head)}</h2><p>{escape(text)}</p>" for head, text in found.appendix)
    return ("<h1>Aanvullende inhoud</h1><p><i>Toegevoegd door woo-anon: inhoud van het "
            "bronbestand die op de pagina's hiervoor niet zichtbaar is.</i></p>" + items)


def _embedded(ctx: Context, found: Inspection, source: str, depth: int) -> list[Rendition]:
    out = []
    for index, (name, data) in enumerate(found.embedded, start=1):
        if Path(name).suffix.lower() in (".bin", ".emf", ".wmf", ".png", ".jpeg", ".jpg"):
            continue  # OLE blobs and previews: the preview is on the page, the count in findings
        out += render_bytes(ctx, data, f"{source}.ingesloten-{index}-{safe_name(name)}", source,
                            depth + 1)
    return out


def check_container(path: Path, source: str, suffix: str) -> None:
    """Password-protected or damaged containers get one clear line before LibreOffice runs."""
    import olefile

    head = path.read_bytes()[:8]
    if not head:
        raise BadInputError(f"{source}: empty file")
    if suffix in ZIP_TYPES:
        if olefile.isOleFile(str(path)):
            with olefile.OleFileIO(str(path)) as ole:
                if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
                    raise BadInputError(f"{source}: password-protected Office file")
            raise BadInputError(f"{source}: not a valid {suffix} file (old binary format inside?)")
        if not zipfile.is_zipfile(path):
            raise BadInputError(f"{source}: damaged Office file (not a valid zip container)")
        _check_zip(path, source, suffix)
    elif suffix in (".doc", ".xls", ".ppt"):
        if not olefile.isOleFile(str(path)):
            raise BadInputError(f"{source}: damaged Office file (not an OLE2 container)")
        if _ole_encrypted(path, suffix):
            raise BadInputError(f"{source}: password-protected Office file")


def _check_zip(path: Path, source: str, suffix: str) -> None:
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        if suffix.startswith(".od"):
            manifest = zf.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in names else b""
            if b"encryption-data" in manifest:
                raise BadInputError(f"{source}: password-protected OpenDocument file")
        elif "[Content_Types].xml" not in names:
            raise BadInputError(f"{source}: damaged Office file (no [Content_Types].xml)")
        bad = zf.testzip()
        if bad is not None:
            raise BadInputError(f"{source}: damaged Office file (corrupt member)")


def _ole_encrypted(path: Path, suffix: str) -> bool:
    import olefile

    with olefile.OleFileIO(str(path)) as ole:
        if suffix == ".doc" and ole.exists("WordDocument"):
            fib = ole.openstream("WordDocument").read(12)
            return len(fib) >= 12 and bool(int.from_bytes(fib[10:12], "little") & 0x0100)
        if suffix == ".ppt":
            return ole.exists("EncryptedSummary")
        if suffix == ".xls" and ole.exists("Workbook"):
            head = ole.openstream("Workbook").read(4096)
            return _has_filepass(head)
    return False


def _has_filepass(data: bytes) -> bool:
    """BIFF8: a FILEPASS record (0x002F) among the first records means the workbook is encrypted."""
    pos = 0
    while pos + 4 <= len(data):
        kind, size = int.from_bytes(data[pos:pos + 2], "little"), int.from_bytes(data[pos + 2:pos + 4], "little")
        if kind == 0x002F:
            return True
        if kind == 0x00FC:  # shared strings: past the header records
            return False
        pos += 4 + size
    return False


def rtf_to_text(rtf: bytes, source: str, timeout: int = 120) -> str:
    """An RTF-only mail body as plain text, through LibreOffice."""
    work = Path(tempfile.mkdtemp(prefix="woo-anon-rtf-"))
    try:
        src = work / "body.rtf"
        src.write_bytes(rtf)
        convert([src], "txt:Text (encoded):UTF8", work / "out", timeout)
        out = work / "out" / "body.txt"
        if not out.is_file():
            raise BadInputError(f"{source}: RTF body could not be converted")
        return out.read_text(encoding="utf-8", errors="replace")
    finally:
        shutil.rmtree(work, ignore_errors=True)
