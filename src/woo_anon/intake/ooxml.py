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
# CT_Worksheet children that come after pageSetup/headerFooter (schema order matters to readers)
AFTER_PAGE_SETUP = ("headerFooter", "rowBreaks", "colBreaks", "customProperties", "cellWatches",
                    "ignoredErrors", "smartTags", "drawing", "legacyDrawing", "legacyDrawingHF",
                    "drawingHF", "picture", "oleObjects", "controls", "webPublishItems", "tableParts",
                    "extLst")
AFTER_HEADER_FOOTER = AFTER_PAGE_SETUP[1:]
MAX_WIDTH = 80  # characters: a wider value wraps inside its cell
META_TEXT = {  # document properties a rendition must not carry (author, company, titles)
    "docProps/core.xml": ("creator", "lastModifiedBy", "title", "subject", "keywords",
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
    {"word": _word, "xl": _excel, "ppt": _slides}[kind](parts, found, view, max_rows)
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


# ---- Excel -----------------------------------------------------------------------------------


def _excel(parts: dict[str, bytes], found: Inspection, view: str, max_rows: int) -> None:
    book = _xml(parts["xl/workbook.xml"])
    hidden = 0
    for sheet in book.iter(q(S, "sheet")):
        if sheet.get("state") in ("hidden", "veryHidden"):
            hidden += 1
            del sheet.attrib["state"]
    for view_el in book.iter(q(S, "workbookView")):
        view_el.attrib.pop("visibility", None)
    areas = [d for d in book.iter(q(S, "definedName")) if d.get("name") == "_xlnm.Print_Area"]
    for area in areas:
        area.getparent().remove(area)
    parts["xl/workbook.xml"] = _dump(book)
    found.note(hidden, "verborgen werkbladen (zichtbaar gemaakt)")
    found.note(len(areas), "afdrukbereiken verwijderd (hele werkblad getoond)")
    rows = cols = 0
    shared = _shared_strings(parts)
    for name in sorted(n for n in parts if n.startswith("xl/worksheets/sheet") and n.endswith(".xml")):
        root = _xml(parts[name])
        rows, cols = rows + _unhide(root, "row"), cols + _unhide(root, "col")
        _cut_rows(root, max_rows, found, name)
        _fit_columns(root, shared)
        _page_setup(root)
        parts[name] = _dump(root)
    if "xl/styles.xml" in parts:
        parts["xl/styles.xml"] = _wrap_cells(_xml(parts["xl/styles.xml"]))
    found.note(rows, "verborgen rijen (zichtbaar gemaakt)")
    found.note(cols, "verborgen kolommen (zichtbaar gemaakt)")
    _excel_comments(parts, found, view)


def _unhide(root, tag: str) -> int:
    count = 0
    for el in root.iter(q(S, tag)):
        if el.get("hidden") in ("1", "true"):
            count += 1
            del el.attrib["hidden"]
        if tag == "row" and el.get("customHeight") in ("1", "true"):
            el.attrib.pop("customHeight")  # a fixed height would clip wrapped text
            el.attrib.pop("ht", None)
        if tag == "col" and el.get("width") in ("0", "0.0"):
            el.set("width", "9")
    return count


def _shared_strings(parts: dict[str, bytes]) -> list[str]:
    if "xl/sharedStrings.xml" not in parts:
        return []
    return [_texts(si, S) for si in _xml(parts["xl/sharedStrings.xml"]).iter(q(S, "si"))]


def _column(ref: str) -> int:
    number = 0
    for char in ref:
        if not char.isalpha():
            break
        number = number * 26 + ord(char.upper()) - 64
    return number


def _fit_columns(root, shared: list[str]) -> None:
    """Widen every column to its longest value (up to MAX_WIDTH characters; longer text wraps),
    so no value is cut off by the next cell in the PDF. Fit-to-width then scales the page."""
    need: dict[int, int] = {}
    for cell in root.iter(q(S, "c")):
        value = cell.find(q(S, "v"))
        text = _texts(cell, S) if cell.get("t") == "inlineStr" else (value.text or "") if value is not None else ""
        if cell.get("t") == "s" and text.isdigit() and int(text) < len(shared):
            text = shared[int(text)]
        longest = max((len(line) for line in text.splitlines()), default=0)
        column = _column(cell.get("r", ""))
        if column and longest:
            need[column] = max(need.get(column, 0), longest)
    if not need:
        return
    cols = _child(root, "cols", ("sheetData",))
    have: dict[int, etree._Element] = {}
    for col in list(cols):
        for number in range(int(col.get("min", "1")), min(int(col.get("max", "1")), 16384) + 1):
            if number in need or number <= max(need):
                copy = etree.Element(q(S, "col"), dict(col.attrib))
                copy.set("min", str(number))
                copy.set("max", str(number))
                have[number] = copy
        cols.remove(col)
    for number, length in need.items():
        col = have.setdefault(number, etree.Element(q(S, "col"), {"min": str(number), "max": str(number)}))
        width = max(float(col.get("width", "0") or 0), min(length * 1.15 + 2, MAX_WIDTH))
        col.set("width", f"{width:.1f}")
        col.set("customWidth", "1")
    for number in sorted(have):
        cols.append(have[number])


def _wrap_cells(styles) -> bytes:
    """Wrap text in every cell style, so a long value is never cut off by its neighbour."""
    for xfs in styles.iter(q(S, "cellXfs")):
        for xf in xfs.iter(q(S, "xf")):
            align = xf.find(q(S, "alignment"))
            if align is None:
                align = etree.Element(q(S, "alignment"))
                xf.insert(0, align)
            align.set("wrapText", "1")
            align.attrib.pop("shrinkToFit", None)
            xf.set("applyAlignment", "1")
    return _dump(styles)


def _cut_rows(root, max_rows: int, found: Inspection, name: str) -> None:
    data = root.find(q(S, "sheetData"))
    if data is None or len(data) <= max_rows:
        return
    total = len(data)
    for row in list(data)[max_rows:]:
        data.remove(row)
    sheet = posixpath.basename(name)
    found.findings.append(f"{sheet}: afgekapt na {max_rows} van {total} rijen")
    found.appendix.append(("Let op: werkblad ingekort",
                           f"Het werkblad ({sheet}) heeft {total} rijen; alleen de eerste {max_rows} "
                           "zijn in deze weergave opgenomen. Beoordeel het bronbestand apart."))


def _child(root, tag: str, before: tuple[str, ...]):
    el = root.find(q(S, tag))
    if el is not None:
        return el
    el = etree.Element(q(S, tag))
    for index, child in enumerate(root):
        if etree.QName(child).localname in before:
            root.insert(index, el)
            return el
    root.append(el)
    return el


def _page_setup(root) -> None:
    """Landscape, fit to one page wide, the sheet name (&A) in the header."""
    props = root.find(q(S, "sheetPr"))
    if props is None:
        props = etree.Element(q(S, "sheetPr"))
        root.insert(0, props)
    fit = props.find(q(S, "pageSetUpPr"))
    if fit is None:
        fit = etree.SubElement(props, q(S, "pageSetUpPr"))
        props.remove(fit)
        props.insert(len([c for c in props if etree.QName(c).localname in ("tabColor", "outlinePr")]), fit)
    fit.set("fitToPage", "1")
    setup = _child(root, "pageSetup", AFTER_PAGE_SETUP)
    for attr in ("scale", "r:id"):
        setup.attrib.pop(attr, None)
    setup.set("orientation", "landscape")
    setup.set("paperSize", "9")  # A4
    setup.set("fitToWidth", "1")
    setup.set("fitToHeight", "0")
    header = _child(root, "headerFooter", AFTER_HEADER_FOOTER)
    odd = header.find(q(S, "oddHeader"))
    if odd is None:
        odd = etree.Element(q(S, "oddHeader"))
        header.insert(0, odd)
    if "&A" not in (odd.text or ""):
        odd.text = '&L&"-,Bold"&A' + (odd.text or "")


def _excel_comments(parts: dict[str, bytes], found: Inspection, view: str) -> None:
    names = sorted(n for n in parts if n.startswith("xl/comments") and n.endswith(".xml"))
    total = 0
    for name in names:
        root = _xml(parts[name])
        authors = [a.text or "" for a in root.iter(q(S, "author"))]
        for comment in root.iter(q(S, "comment")):
            total += 1
            if view == "final":
                continue
            index = int(comment.get("authorId", "0") or 0)
            author = authors[index] if index < len(authors) else ""
            found.appendix.append((f"Opmerking bij cel {comment.get('ref', '')} "
                                   f"({posixpath.basename(name)}) {author}".strip(),
                                   "".join(t.text or "" for t in comment.iter(q(S, "t")))))
    found.note(total, "celopmerkingen" + (" (in bijlage getoond)" if view == "all" else ""))


# ---- PowerPoint ------------------------------------------------------------------------------


def _rels(parts: dict[str, bytes], name: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (type suffix, absolute part name) for the part `name`."""
    folder, base = posixpath.split(name)
    rels = parts.get(f"{folder}/_rels/{base}.rels")
    if rels is None:
        return {}
    out = {}
    for rel in _xml(rels).iter(q(PKG, "Relationship")):
        if rel.get("TargetMode") == "External":
            continue
        target = posixpath.normpath(posixpath.join(folder, rel.get("Target", "")))
        out[rel.get("Id")] = (rel.get("Type", "").rsplit("/", 1)[-1], target.lstrip("/"))
    return out


def _slide_order(parts: dict[str, bytes]) -> list[str]:
    rels = _rels(parts, "ppt/presentation.xml")
    rid = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    pres = _xml(parts["ppt/presentation.xml"])
    return [rels[s.get(rid)][1] for s in pres.iter(q(P, "sldId")) if s.get(rid) in rels]


def _slides(parts: dict[str, bytes], found: Inspection, view: str, max_rows: int) -> None:
    authors = {}
    if "ppt/commentAuthors.xml" in parts:
        authors = {a.get("id"): a.get("name", "") for a in
                   _xml(parts["ppt/commentAuthors.xml"]).iter(q(P, "cmAuthor"))}
    hidden = notes = comments = 0
    for number, slide in enumerate(_slide_order(parts), start=1):
        root = _xml(parts[slide])
        if root.get("show") in ("0", "false"):
            hidden += 1
            del root.attrib["show"]
            parts[slide] = _dump(root)
        for kind, target in _rels(parts, slide).values():
            if kind == "notesSlide" and target in parts:
                text = _notes_text(_xml(parts[target]))
                if text.strip():
                    notes += 1
                    found.appendix.append((f"Sprekersnotities dia {number}", text))
            elif kind in ("comments", "comment") and target in parts:
                comments += _slide_comments(_xml(parts[target]), number, authors, found, view)
    found.note(hidden, "verborgen dia's (zichtbaar gemaakt)")
    found.note(notes, "dia's met sprekersnotities (in bijlage getoond)")
    found.note(comments, "opmerkingen bij dia's" + (" (in bijlage getoond)" if view == "all" else ""))


def _notes_text(root) -> str:
    paras = []
    for shape in root.iter(q(P, "sp")):
        ph = shape.find(f".//{q(P, 'ph')}")
        if ph is not None and ph.get("type") in ("sldNum", "sldImg", "dt", "hdr", "ftr"):
            continue
        for para in shape.iter(q(A, "p")):
            paras.append(_texts(para))
    return "\n".join(p for p in paras if p.strip())


def _slide_comments(root, number: int, authors: dict, found: Inspection, view: str) -> int:
    count = 0
    for comment in root.iter():
        if not isinstance(comment.tag, str) or etree.QName(comment).localname != "cm":
            continue
        count += 1
        if view == "final":
            continue
        text = "".join(t.text or "" for t in comment.iter() if isinstance(t.tag, str)
                       and etree.QName(t).localname in ("text", "t"))
        author = authors.get(comment.get("authorId"), "")
        found.appendix.append((f"Opmerking bij dia {number} {author}".strip(), text))
    return count


# ---- all types -------------------------------------------------------------------------------


def _common(parts: dict[str, bytes], found: Inspection, kind: str) -> None:
    """Author/company metadata blanked; embedded files collected; external links counted."""
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
