"""Inspect and normalise Word/Excel/PowerPoint (OOXML) files before LibreOffice renders them.

What a PDF rendition would silently hide is made visible here, on a private copy:
tracked changes become plain text (deletions struck through; dropped in the "final" view),
hidden text/rows/columns/sheets/slides are unhidden, print areas are removed, spreadsheets are set
to landscape fit-to-width with the sheet name in the header. Comments and speaker notes are
returned as appendix entries; every change is reported as a finding (counts, never content).
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, remove_blank_text=False)
META_TEXT = {  # document properties a rendition must not carry (author, company, …); the title
    # stays (PDF/UA wants one; the redaction drops it if it names anything it removed)
    "docProps/core.xml": ("creator", "lastModifiedBy", "subject", "keywords",
                          "description", "category", "contentStatus", "identifier"),
    "docProps/app.xml": ("Company", "Manager", "HyperlinkBase"),
    "docProps/custom.xml": ("lpwstr", "lpstr", "bstr"),
}


@dataclass
class Inspection:
    """What was found and changed; `appendix` holds (heading, text) pairs to print after the body."""

    findings: list[str] = field(default_factory=list)
    appendix: list[tuple[str, str]] = field(default_factory=list)
    embedded: list[tuple[str, bytes]] = field(default_factory=list)
    title: str = ""  # dc:title of the document properties
    created: str = ""  # dcterms:created, YYYY-MM-DD

    def note(self, count: int, text: str) -> None:
        if count:
            self.findings.append(f"{text}: {count}")


def q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def normalise(source: Path, target: Path, view: str = "all", max_rows: int = 5000) -> Inspection:
    """Write a normalised copy of `source` (docx/xlsx/pptx) to `target`; return what was found."""
    with zipfile.ZipFile(source) as zf:
        parts = {info.filename: zf.read(info) for info in zf.infolist() if not info.is_dir()}
    found = Inspection()
    kind = "word" if "word/document.xml" in parts else "xl" if "xl/workbook.xml" in parts else "ppt"
    from woo_anon.intake.sheets import normalise_workbook
    from woo_anon.intake.slides import normalise_deck

    {"word": _word, "xl": normalise_workbook, "ppt": normalise_deck}[kind](parts, found, view, max_rows)
    _common(parts, found, kind)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for name in sorted(parts, key=lambda n: n != "[Content_Types].xml"):
            # a fixed timestamp: the same source gives the same bytes, so resume can skip it
            out.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), parts[name],
                         compress_type=zipfile.ZIP_DEFLATED)
    return found


def _xml(data: bytes):
    return etree.fromstring(data, PARSER)


def _dump(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _texts(root, ns: str = A) -> str:
    return "".join(t.text or "" for t in root.iter(q(ns, "t")))


def _unwrap(element) -> None:
    """Replace an element by its children (keeping document order and tail text)."""
    parent = element.getparent()
    index = parent.index(element)
    for offset, child in enumerate(list(element)):
        parent.insert(index + offset, child)
    parent.remove(element)


# ---- Word ------------------------------------------------------------------------------------


def _word(parts: dict[str, bytes], found: Inspection, view: str, max_rows: int) -> None:
    stories = [n for n in parts if n.startswith("word/") and n.count("/") == 1 and n.endswith(".xml")
               and n.split("/")[1].startswith(("document", "header", "footer", "footnotes",
                                               "endnotes"))]
    counts = {"ins": 0, "del": 0, "hidden": 0, "format": 0}
    for name in stories:
        root = _xml(parts[name])
        _word_changes(root, counts, view)
        parts[name] = _dump(root)
    found.note(counts["ins"], "bijgehouden wijzigingen: invoegingen")
    found.note(counts["del"], "bijgehouden wijzigingen: verwijderingen" +
               (" (als doorgehaalde tekst getoond)" if view == "all" else " (weggelaten: weergave final)"))
    found.note(counts["hidden"], "verborgen tekst (zichtbaar gemaakt)")
    if "word/comments.xml" in parts:
        _word_comments(_xml(parts["word/comments.xml"]), found, view)


def _word_changes(root, counts: dict[str, int], view: str) -> None:
    for tag in ("rPrChange", "pPrChange", "sectPrChange", "tblPrChange", "trPrChange", "tcPrChange",
                "numberingChange"):
        for el in list(root.iter(q(W, tag))):
            el.getparent().remove(el)  # old formatting only: no text
    for tag in ("vanish", "specVanish", "webHidden"):
        for el in list(root.iter(q(W, tag))):
            counts["hidden"] += tag == "vanish"
            el.getparent().remove(el)
    for el in list(root.iter(q(W, "ins"), q(W, "moveTo"))):
        if el.getparent().tag == q(W, "rPr"):
            el.getparent().remove(el)  # an inserted paragraph mark
        else:
            counts["ins"] += 1
            _unwrap(el)
    for el in list(root.iter(q(W, "del"), q(W, "moveFrom"))):
        if el.getparent().tag == q(W, "rPr"):
            el.getparent().remove(el)
            continue
        counts["del"] += 1
        if view == "final":
            el.getparent().remove(el)
            continue
        for run in el.iter(q(W, "r")):
            _strike(run)
        for text in list(el.iter(q(W, "delText"))):
            text.tag = q(W, "t")
        for instr in list(el.iter(q(W, "delInstrText"))):
            instr.getparent().remove(instr)
        _unwrap(el)


def _strike(run) -> None:
    props = run.find(q(W, "rPr"))
    if props is None:
        props = etree.Element(q(W, "rPr"))
        run.insert(0, props)
    if props.find(q(W, "strike")) is None:
        props.append(etree.Element(q(W, "strike")))


def _word_comments(root, found: Inspection, view: str) -> None:
    comments = list(root.iter(q(W, "comment")))
    found.note(len(comments), "opmerkingen" + (" (in bijlage getoond)" if view == "all" else
                                               " (niet getoond: weergave final)"))
    if view == "final":
        return
    for comment in comments:
        author = comment.get(q(W, "author"), "")
        paras = ["".join(t.text or "" for t in p.iter(q(W, "t"))) for p in comment.iter(q(W, "p"))]
        found.appendix.append((f"Opmerking van {author}".strip(), "\n".join(paras)))


# ---- all types -------------------------------------------------------------------------------


def _common(parts: dict[str, bytes], found: Inspection, kind: str) -> None:
    """Author/company metadata blanked (title and creation date read first); embedded files
    collected; external links counted."""
    found.title, found.created = core_properties(parts.get("docProps/core.xml", b""))
    for name, tags in META_TEXT.items():
        if name in parts:
            root = _xml(parts[name])
            for el in root.iter():
                if isinstance(el.tag, str) and etree.QName(el).localname in tags:
                    el.text = ""
            parts[name] = _dump(root)
    embedded = sorted(n for n in parts if n.startswith(f"{kind}/embeddings/"))
    found.embedded = [(posixpath.basename(n), parts[n]) for n in embedded]
    found.note(len(embedded), "ingesloten objecten")
    external = 0
    for name in (n for n in parts if n.endswith(".rels")):
        for rel in _xml(parts[name]).iter(q(PKG, "Relationship")):
            if rel.get("TargetMode") == "External" and not rel.get("Type", "").endswith("/hyperlink"):
                external += 1
    found.note(external, "externe koppelingen (niet opgehaald)")


def core_properties(data: bytes) -> tuple[str, str]:
    """(dc:title, dcterms:created as YYYY-MM-DD) of a docProps/core.xml part ('' where absent)."""
    if not data:
        return "", ""
    try:
        root = _xml(data)
    except etree.XMLSyntaxError:
        return "", ""
    values = {etree.QName(el).localname: " ".join((el.text or "").split())
              for el in root.iter() if isinstance(el.tag, str)}
    created = values.get("created", "")
    return values.get("title", "")[:200], created[:10] if created[:4].isdigit() else ""


def document_title(path: Path) -> str:
    """The dc:title of a (normalised) OOXML file, or ''."""
    try:
        with zipfile.ZipFile(path) as zf:
            return core_properties(zf.read("docProps/core.xml"))[0]
    except (zipfile.BadZipFile, KeyError, OSError):
        return ""
