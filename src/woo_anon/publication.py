"""A batch's publication files: <name>.diwoo.xml per published document and OUTDIR/sitemap.xml.

The per-document fields come from the same rows as the inventarislijst (manifest + results);
where the manifest gives no date or title, the document's own (e-mail Date, Office properties,
PDF CreationDate and title, else the file's modification time) fills the DiWoo fields, and each
XML notes where its date came from. A title that would reveal a value redacted in its document (a file
name like "bezwaar J. Pietersen.pdf") is refused: titles are published as they are.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from woo_anon.diwoo import (FORMATS, Meta, Options, document_date, loc, organisation, to_bytes,
                            write_document)
from woo_anon.errors import BadInputError
from woo_anon.fsutil import write_atomic

SITEMAP = "sitemap.xml"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
PUBLISHED = ("verified", "skipped")  # skipped: finished by an earlier identical run
ET.register_namespace("", SITEMAP_NS)  # the sitemap's own elements carry no prefix


@dataclass(frozen=True)
class Outcome:
    """DiWoo result of one document: the XML written, or the one-line reason it was not."""

    name: str
    path: Path | None = None
    error: str | None = None


def metas(results, manifest: dict[str, dict], options: Options,
          sources: dict[str, Path] | None = None) -> list[Meta]:
    """One Meta per published document, from its inventarislijst row; a mail gets a "heeft
    bijlage" relation to every document whose familyID names it (by documentID, output name
    or source name, as the intake sets it). `sources` maps a document name to its input file
    (for a date when the manifest gives none)."""
    from woo_anon.inventory import rows

    published = sorted((r for r in results if r.status in PUBLISHED), key=lambda r: r.name)
    table = [(r, rows([r], manifest)[0]) for r in published]
    out = [_meta(r, row, _manifest_row(manifest, r.name), options, (sources or {}).get(r.name))
           for r, row in table if row["beoordeling"] != "Geen openbaarmaking"]
    ids: dict[str, str] = {}
    for r, row in table:
        source = _manifest_row(manifest, r.name).get("source_name", "")
        for key in (r.name, r.name.removesuffix(".pdf"), source, row["documentID"]):
            if key:
                ids.setdefault(key, row["documentID"])
    children: dict[str, list[str]] = {}
    for r, row in table:
        parent = ids.get(row.get("familyID", ""))
        if parent and parent != row["documentID"]:
            children.setdefault(parent, []).append(row["documentID"])
    return [replace(m, attachments=tuple(children.get(m.document_id, ()))) for m in out]


def _manifest_row(manifest: dict[str, dict], name: str) -> dict:
    inner = name.split("/", 1)[1] if "/" in name else name
    return manifest.get(name) or manifest.get(inner) or manifest.get(Path(name).name) or {}


def _meta(result, row: dict, extra: dict, options: Options, source: Path | None) -> Meta:
    created, created_from = creation_date(row, extra, source)
    return Meta(name=result.name, document_id=row["documentID"], title=row["documentnaam"],
                document_title="" if extra.get("title") else _own_title(result, extra),
                created=created, created_from=created_from, zaaknummer=row.get("zaaknummer", ""),
                besluit=extra.get("besluit") or options.besluit,
                handeling=(extra.get("handeling") or options.handeling).strip().lower(),
                file_type=FORMATS.get(Path(result.output or result.name).suffix.lower(), "PDF"))


def _own_title(result, extra: dict) -> str:
    """The document's own title: an Office file's dc:title, a mail's subject, or the title a
    PDF input keeps in its published copy (the redaction dropped it if it names anything not
    on the published pages). Used only when it names no value redacted in the document."""
    own = extra.get("document_title") or extra.get("subject")
    if own or extra.get("source_name"):  # an intake rendition's PDF title is our first line
        return own or ""
    if not result.output or not Path(result.output).is_file():
        return ""
    import pymupdf

    try:
        with pymupdf.open(result.output) as doc:
            return " ".join(((doc.metadata or {}).get("title") or "").split())
    except (RuntimeError, ValueError):
        return ""


def creation_date(row: dict, extra: dict, source: Path | None) -> tuple[date | None, str]:
    """The document's date and where it came from: diwoo.document_date, the chain the
    inventarislijst uses too (the row's `datum` first, as the manifest gave it)."""
    return document_date(dict(extra, date=row.get("datum", "")), source)


def export(results, outdir: str | Path, manifest: dict[str, dict], options: Options,
           extra_files: tuple[str, ...] = (), sources: dict[str, Path] | None = None) -> list[Outcome]:
    """Write <name>.diwoo.xml for every published document and OUTDIR/sitemap.xml listing them
    and `extra_files` (the inventarislijst). A document whose metadata does not validate gets
    an Outcome with its error and no XML; the others are written."""
    outdir = Path(outdir)
    publisher = organisation(options.publisher)
    redacted = RedactedValues(outdir)
    outcomes, entries = [], []
    for meta in metas(results, manifest, options, sources):
        target = outdir / f"{meta.name}.diwoo.xml"
        if meta.document_title and not redacted.revealed_by(meta.name, meta.document_title):
            meta = replace(meta, title=meta.document_title)  # the Office file's own title
        try:
            if meta.created is None:
                raise BadInputError(f"{meta.name}: DiWoo metadata: no date for the "
                                    "documenthandeling; give the document a 'datum' in the manifest")
            if redacted.revealed_by(meta.name, meta.title):
                raise BadInputError(f"{meta.name}: DiWoo metadata: the title names a value "
                                    "redacted in the document; give it a 'documentnaam' in the manifest")
            entries.append((meta, write_document(meta, publisher, target)))
            outcomes.append(Outcome(meta.name, target))
        except BadInputError as exc:
            outcomes.append(Outcome(meta.name, error=str(exc)))
    write_sitemap(outdir / SITEMAP, entries, extra_files, options)
    return outcomes


def write_sitemap(target: Path, entries: list[tuple[Meta, ET.Element]],
                  extra_files: tuple[str, ...], options: Options) -> Path:
    """A sitemaps.org urlset with each document's <diwoo:Document> inside its <url>: the form
    in which the Woo-index harvests DiWoo metadata (the XSD is a sitemap extension)."""
    urlset = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    for meta, element in entries:
        url = ET.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
        ET.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = loc(options, meta.name)
        if meta.created:
            ET.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = meta.created.isoformat()
        url.append(element)
    for name in extra_files:
        url = ET.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
        ET.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = loc(options, name)
    data = to_bytes(urlset)
    return write_atomic(target, lambda tmp: Path(tmp).write_bytes(data))


def mark_failures(results: list, outcomes: list[Outcome]) -> list:
    """The batch's results with every document whose DiWoo metadata failed marked as failed
    (exit code BAD_INPUT: the manifest needs fixing), so the summary, exit code and
    inventarislijst say so. Its redacted PDF stays, but it is left out of the sitemap."""
    from woo_anon.errors import ExitCode

    errors = {o.name: o.error for o in outcomes if o.error}
    return [replace(r, status="failed", error=errors[r.name], exit_code=int(ExitCode.BAD_INPUT))
            if r.name in errors else r for r in results]


class RedactedValues:
    """The keyed hashes of the values redacted per document, from OUTDIR/audit.jsonl (the audit
    trail holds no plaintext), and a check whether a title contains one of them."""

    def __init__(self, outdir: Path) -> None:
        from woo_anon.audit import AuditLog

        self.hashes: dict[str, set[str]] = {}
        self.audit = AuditLog(outdir) if (outdir / "audit.jsonl").exists() else None
        if self.audit is None:
            return
        for line in self.audit.path.read_text(encoding="utf-8").splitlines():
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut off by a crash
            if rec.get("type") == "redaction" and rec.get("value_hash"):
                self.hashes.setdefault(rec["document"], set()).add(rec["value_hash"])

    def revealed_by(self, name: str, title: str) -> bool:
        hashes = self.hashes.get(name)
        if not hashes or self.audit is None:
            return False
        return any(self.audit.value_hash(c) in hashes for c in _candidates(title))


def _candidates(title: str, longest: int = 6) -> set[str]:
    """Every run of up to `longest` words of a title, split on spaces and on punctuation."""
    out = set()
    for words in (title.split(), re.findall(r"[^\W_]+", title)):
        words = [w.strip(".,;:()[]_") for w in words]
        for i in range(len(words)):
            for j in range(i + 1, min(len(words), i + longest) + 1):
                out.add(" ".join(words[i:j]))
    return out


INVENTORY_FILES = ("inventarislijst.csv", "inventarislijst.xlsx")


def publish_request(results: list, outdir: str | Path, manifest: dict[str, dict],
                    options: Options, sources: dict[str, Path] | None = None) -> list:
    """--diwoo for a finished request: the DiWoo files and sitemap (listing the inventarislijst
    written next), and the results with DiWoo failures marked, for the inventarislijst.
    `sources` (document name → input file) gives a date where the manifest has none."""
    return mark_failures(results, export(results, outdir, manifest, options, INVENTORY_FILES,
                                         sources))
