"""Pages added to a tagged document (the intake's "Aanvullende inhoud" appendix) tagged too, and
untagged PDFs the intake makes itself (a scan, the layout fallback) given a structure tree.

PyMuPDF's `insert_pdf` appends pages without structure: in a tagged document their text is
then neither tagged nor an artifact (PDF/UA, pdfua rule UA-01-003) and a screen reader skips
it. `tag_added_pages` wraps each such page's content in one marked-content sequence and adds a
`/P` structure element for it at the end of the document's top-level element, registered in
the parent tree. Untagged documents, and parent trees that are not a flat /Nums array, are left
as they are.
"""

from __future__ import annotations

import re

import pymupdf

LANG = "nl-NL"
_TOKEN = re.compile(r"\d+\s+\d+\s+R|<<|>>|\[|\]|-?\d+|\S")


def _ref(value: tuple[str, str]) -> int | None:
    return int(value[1].split()[0]) if value[0] == "xref" else None


def _keys(nums: str) -> list[int]:
    """The keys of a flat /Nums array: [key value key value ...], values arrays or refs."""
    keys, depth, expect_key = [], 0, True
    for token in _TOKEN.findall(nums):
        if token in ("[", "<<"):
            depth += 1
            if depth == 2:
                expect_key = True
        elif token in ("]", ">>"):
            depth -= 1
        elif depth == 1:
            if expect_key and token.lstrip("-").isdigit():
                keys.append(int(token))
            expect_key = not expect_key
    return keys


def _top_element(doc: pymupdf.Document, root: int) -> int:
    """The document-level element (the root's only element kid), else the root itself."""
    kind, value = doc.xref_get_key(root, "K")
    refs = re.findall(r"(\d+)\s+0\s+R", value) if kind in ("array", "xref") else []
    return int(refs[0]) if len(refs) == 1 else root


def tag_added_pages(doc: pymupdf.Document, first: int) -> int:
    """Tag pages `first`.. of a tagged `doc` that have no marked content. Returns how many."""
    catalog = doc.pdf_catalog()
    root = _ref(doc.xref_get_key(catalog, "StructTreeRoot"))
    tree = _ref(doc.xref_get_key(root, "ParentTree")) if root else None
    nums = doc.xref_get_key(tree, "Nums") if tree else ("null", "")
    if nums[0] != "array":
        return 0
    next_key = max(_keys(nums[1]) + [-1]) + 1
    stated = doc.xref_get_key(root, "ParentTreeNextKey")
    if stated[0] == "int":
        next_key = max(next_key, int(stated[1]))
    top = _top_element(doc, root)
    added = []
    for page in doc.pages(first):
        if doc.xref_get_key(page.xref, "StructParents")[0] != "null" or b"BDC" in page.read_contents():
            continue
        page.clean_contents(sanitize=False)
        xref = page.get_contents()[0]
        doc.update_stream(xref, b"/P <</MCID 0>> BDC\n" + doc.xref_stream(xref) + b"\nEMC\n")
        element = doc.get_new_xref()
        doc.update_object(element, f"<</Type/StructElem/S/P/P {top} 0 R/Pg {page.xref} 0 R/K 0>>")
        doc.xref_set_key(page.xref, "StructParents", str(next_key))
        added.append(f"{next_key} [{element} 0 R]")
        _append_kid(doc, top, element)
        next_key += 1
    if added:
        doc.xref_set_key(tree, "Nums", nums[1].rstrip()[:-1] + " " + " ".join(added) + "]")
        doc.xref_set_key(root, "ParentTreeNextKey", str(next_key))
    return len(added)


def _append_kid(doc: pymupdf.Document, holder: int, kid: int) -> None:
    kind, value = doc.xref_get_key(holder, "K")
    inner = value.strip()[1:-1] if kind == "array" else "" if kind == "null" else value
    doc.xref_set_key(holder, "K", f"[{inner} {kid} 0 R]")


def tag_untagged(doc: pymupdf.Document, role: str = "P", alt: str = "") -> int:
    """Give an untagged PDF the woo-anon intake made (a Story layout, a scan) a structure tree:
    one `role` element per page (`/Figure` with `/Alt` for an image page) holding that page's
    whole content as one marked-content sequence, `/MarkInfo`, `/Lang`. Only for documents the
    tool creates itself; an untagged input stays untagged. Returns the number of pages tagged."""
    catalog = doc.pdf_catalog()
    if doc.xref_get_key(catalog, "StructTreeRoot")[0] != "null" or doc.page_count == 0:
        return 0
    root, top = doc.get_new_xref(), doc.get_new_xref()
    kids, nums = [], []
    for number, page in enumerate(doc.pages()):
        page.clean_contents(sanitize=False)
        xref = page.get_contents()[0]
        doc.update_stream(xref, f"/{role} <</MCID 0>> BDC\n".encode() + doc.xref_stream(xref)
                          + b"\nEMC\n")
        element = doc.get_new_xref()
        extra = f"/Alt {pymupdf.get_pdf_str(alt.format(page=number + 1))}" if alt else ""
        doc.update_object(element, f"<</Type/StructElem/S/{role}/P {top} 0 R"
                                   f"/Pg {page.xref} 0 R/K 0{extra}>>")
        doc.xref_set_key(page.xref, "StructParents", str(number))
        kids.append(f"{element} 0 R")
        nums.append(f"{number} [{element} 0 R]")
    doc.update_object(top, f"<</Type/StructElem/S/Document/P {root} 0 R/K [{' '.join(kids)}]>>")
    doc.update_object(root, f"<</Type/StructTreeRoot/K [{top} 0 R]"
                            f"/ParentTree <</Nums [{' '.join(nums)}]>>"
                            f"/ParentTreeNextKey {len(nums)}>>")
    doc.xref_set_key(catalog, "StructTreeRoot", f"{root} 0 R")
    doc.xref_set_key(catalog, "MarkInfo", "<</Marked true>>")
    doc.xref_set_key(catalog, "Lang", pymupdf.get_pdf_str(LANG))
    return len(nums)
