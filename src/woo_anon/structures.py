"""Hidden structures a reader can walk to: named destinations, associated files, private
application data, page thumbnails, structure-tree texts and marked-content replacement texts.

`scrub_structures` removes them from the document being published (PyMuPDF, in place);
`structure_problems` reads a written file with pikepdf (qpdf), independently of MuPDF, and
reports any that are left, plus any planned value found in any string of any object.
"""

from __future__ import annotations

import re
from pathlib import Path

import pymupdf

# Keys removed from every object wherever they occur.
DROP_KEYS = ("AF", "PieceInfo", "Thumb", "JavaScript", "JS")
# Keys that make a dictionary an document-information dictionary (of an imported page).
INFO_KEYS = {"Producer", "Creator", "CreationDate", "ModDate"}
# Catalog entries that name things a reader can list.
DROP_CATALOG = ("Dests", "Names/Dests", "Names/JavaScript", "Names/EmbeddedFiles", "Threads",
                "SpiderInfo", "URI")
# Replacement texts in structure elements and marked content.
TEXT_KEYS = ("Alt", "ActualText", "E", "T")
_MC_KEY = re.compile(rb"/(ActualText|Alt|E)\s*")


def scrub_structures(doc: pymupdf.Document, hides: callable) -> None:
    """Remove the structures of this module from `doc`. `hides(text)` tells whether a text
    names something that was redacted; structure-tree texts that do are replaced."""
    catalog = doc.pdf_catalog()
    toc = doc.get_toc(simple=True)
    if toc:  # outline entries pointing at named destinations get explicit targets
        doc.set_toc(toc)
    for key in DROP_CATALOG:
        _drop_path(doc, catalog, key)
    info = doc.xref_get_key(-1, "Info")
    info = int(info[1].split()[0]) if info[0] == "xref" else 0
    for xref in range(1, doc.xref_length()):
        try:
            _scrub_object(doc, xref, hides, xref in (catalog, info))
        except Exception:  # a damaged object: the verifier reads the written file
            continue
    for page in doc:
        for xref in page.get_contents():
            _strip_marked_content(doc, xref)
    for xref in [catalog] + [page.xref for page in doc]:
        drop_null_entries(doc, xref)


_NULL_ENTRY = re.compile(r"/[A-Za-z0-9_.#-]+\s+null\b")


def drop_null_entries(doc: pymupdf.Document, xref: int) -> None:
    """PyMuPDF removes a key by setting it to null, and writes "/AF null": leave no trace."""
    try:
        text = doc.xref_object(xref, compressed=True)
    except Exception:
        return
    if " null" not in text or "(" in text and ")" in text and _in_string(text):
        return
    cleaned = _NULL_ENTRY.sub("", text)
    cleaned = re.sub(r"/Names\s*<<\s*>>", "", cleaned)
    if cleaned != text:
        doc.update_object(xref, cleaned)


def _in_string(text: str) -> bool:
    """Does a literal string hold a "/Key null" lookalike? Then leave the object alone."""
    return any(_NULL_ENTRY.search(m) for m in re.findall(r"\((?:[^()\\]|\\.)*\)", text))


def _drop_path(doc: pymupdf.Document, xref: int, path: str) -> None:
    """Remove `path` ("Names/Dests") below `xref`, following indirect dictionaries."""
    *parents, key = path.split("/")
    for parent in parents:
        kind, value = doc.xref_get_key(xref, parent)
        if kind != "xref":
            if kind == "null":
                return
            break  # a direct dictionary: set the whole path below
        xref, path = int(value.split()[0]), path.split("/", 1)[1]
    if doc.xref_get_key(xref, path)[0] != "null":
        doc.xref_set_key(xref, path, "null")
    drop_null_entries(doc, xref)


def _scrub_object(doc: pymupdf.Document, xref: int, hides: callable, main: bool) -> None:
    keys = doc.xref_get_keys(xref)
    for key in DROP_KEYS:
        if key in keys:
            doc.xref_set_key(xref, key, "null")
    if not main and "Metadata" in keys:  # XMP of an imported page or image
        doc.xref_set_key(xref, "Metadata", "null")
    if not main and INFO_KEYS & set(keys) and {"Author", "Title", "Subject"} & set(keys):
        for key in ("Author", "Title", "Subject", "Keywords"):  # an imported page's Info
            if key in keys:
                doc.xref_set_key(xref, key, "null")
    # a key the object does not have reads as null: look up only the keys it has
    if "EF" in keys or "Type" in keys \
            and doc.xref_get_key(xref, "Type") == ("name", "/EmbeddedFile"):
        doc.xref_set_key(xref, "EF", "null")
    if "S" in keys and "P" in keys:  # a structure element
        for key in TEXT_KEYS:
            kind, value = doc.xref_get_key(xref, key)
            if kind == "string" and hides(value):
                doc.xref_set_key(xref, key, pymupdf.get_pdf_str("Gelakt"))
    if "Subtype" in keys and doc.xref_is_stream(xref) \
            and doc.xref_get_key(xref, "Subtype") == ("name", "/Form"):
        _strip_marked_content(doc, xref)


def _string_end(data: bytes, start: int) -> int:
    """End of the PDF string (literal or hex) starting at `start`."""
    if data[start:start + 1] == b"<":
        return data.index(b">", start) + 1
    depth, i = 0, start
    while i < len(data):
        c = data[i:i + 1]
        if c == b"\\":
            i += 2
            continue
        depth += c == b"("
        depth -= c == b")"
        i += 1
        if depth == 0:
            return i
    return len(data)


def strip_marked_content_texts(data: bytes) -> bytes:
    """Drop /ActualText, /Alt and /E (with their string values) from marked-content property
    lists in a content stream."""
    out, pos = [], 0
    for match in _MC_KEY.finditer(data):
        if match.start() < pos:
            continue
        value = match.end()
        if data[value:value + 1] not in (b"(", b"<") or data[value:value + 2] == b"<<":
            continue
        out.append(data[pos:match.start()])
        pos = _string_end(data, value)
    return b"".join(out) + data[pos:]


def _strip_marked_content(doc: pymupdf.Document, xref: int) -> None:
    data = doc.xref_stream(xref)
    if data and b"BDC" in data and _MC_KEY.search(data):
        doc.update_stream(xref, strip_marked_content_texts(data))


def structure_problems(path: str | Path, leaks: callable) -> list[str]:
    """Read the written file with pikepdf and list hidden structures and leaked values.

    `leaks(text)` tells whether a string read from the file contains a planned value."""
    import pikepdf

    problems: set[str] = set()
    try:
        with pikepdf.open(path) as pdf:
            root = pdf.Root
            if "/Dests" in root or ("/Names" in root and any(
                    k in root.Names for k in ("/Dests", "/JavaScript", "/EmbeddedFiles"))):
                problems.add("named destinations, scripts or files left in the catalog")
            for obj in pdf.objects:
                _check_object(obj, leaks, problems)
    except Exception:  # qpdf cannot walk this file (a loop in its tree): MuPDF reads it
        problems |= _raw_walk(path, leaks)
    return sorted(problems)


def _raw_walk(path: str | Path, leaks: callable) -> set[str]:
    """The same checks on each object's text as MuPDF writes it."""
    problems = set()
    with pymupdf.open(path) as doc:
        for xref in range(1, doc.xref_length()):
            try:
                text = doc.xref_object(xref)
            except Exception:
                continue
            problems |= {f"/{k} left" for k in DROP_KEYS if re.search(rf"/{k}\s(?!\s*null)", text)}
            if leaks(text):
                problems.add("a planned value is readable in an object")
    return problems


def _check_object(obj, leaks: callable, problems: set[str]) -> None:
    import pikepdf

    if isinstance(obj, pikepdf.Stream):
        _check_dict(obj.stream_dict, leaks, problems)
        if obj.stream_dict.get("/Subtype") in ("/Form", None) and "/Type" not in obj.stream_dict:
            try:
                data = obj.read_bytes()
            except Exception:
                return
            if b"BDC" in data and _MC_KEY.search(data) and leaks(data.decode("latin-1")):
                problems.add("marked-content replacement text names a redacted value")
    elif isinstance(obj, pikepdf.Dictionary):
        _check_dict(obj, leaks, problems)


def _check_dict(d, leaks: callable, problems: set[str], depth: int = 0) -> None:
    import pikepdf

    for key in DROP_KEYS:
        if f"/{key}" in d:
            problems.add(f"/{key} left")
    if d.get("/Type") == "/EmbeddedFile":
        problems.add("embedded file stream left")
    for key, value in d.items():
        _check_value(key, value, leaks, problems, depth)


def _check_value(key: str, value, leaks: callable, problems: set[str], depth: int) -> None:
    import pikepdf

    if isinstance(value, pikepdf.String):
        if leaks(str(value)):
            problems.add(f"a planned value is readable in an object ({key})")
    elif depth < 8 and isinstance(value, pikepdf.Object) and not value.is_indirect:
        if isinstance(value, pikepdf.Array):
            for item in value:
                _check_value(key, item, leaks, problems, depth + 1)
        elif isinstance(value, pikepdf.Dictionary):
            _check_dict(value, leaks, problems, depth + 1)
