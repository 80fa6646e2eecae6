"""Spreadsheet (xlsx) normalisation: hidden sheets/rows/columns shown, print areas removed,
columns fitted, landscape fit-to-width with the sheet name in the header, huge sheets cut with a
note, cell comments collected for the appendix."""

from __future__ import annotations

import posixpath

from lxml import etree

from woo_anon.intake.ooxml import S, Inspection, _dump, _texts, _xml, q

# CT_Worksheet children that come after pageSetup/headerFooter (schema order matters to readers)
AFTER_PAGE_SETUP = ("headerFooter", "rowBreaks", "colBreaks", "customProperties", "cellWatches",
                    "ignoredErrors", "smartTags", "drawing", "legacyDrawing", "legacyDrawingHF",
                    "drawingHF", "picture", "oleObjects", "controls", "webPublishItems", "tableParts",
                    "extLst")
AFTER_HEADER_FOOTER = AFTER_PAGE_SETUP[1:]
MAX_WIDTH = 80  # characters: a wider value wraps inside its cell


def normalise_workbook(parts: dict[str, bytes], found: Inspection, view: str, max_rows: int) -> None:
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


