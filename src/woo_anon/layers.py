"""Optional content (layers) and the crop box: what a reader could switch on or uncrop.

Every optional-content group is made visible in the input before extraction and again before
redaction, so whatever a hidden layer holds is detected and redacted like visible text, and the
published file has no layer left that a reader could switch on. Text outside the visible area
(crop box) is removed.
"""

from __future__ import annotations

import pymupdf


def _objects_of_type(doc: pymupdf.Document, kind: str) -> list[int]:
    found = []
    for xref in range(1, doc.xref_length()):
        try:
            if doc.xref_get_key(xref, "Type") == ("name", f"/{kind}"):
                found.append(xref)
        except Exception:  # a damaged object: it cannot be a layer either
            continue
    return found


def show_all_layers(doc: pymupdf.Document) -> bool:
    """Switch every optional-content group on, listed in /OCGs or not, and make every OCMD
    visible; drop alternative configurations and /AS auto-states. True if anything changed.

    MuPDF reads the layer state when a document is opened: reopen it after a change."""
    catalog = doc.pdf_catalog()
    has_props = doc.xref_get_key(catalog, "OCProperties")[0] != "null"
    ocgs = _objects_of_type(doc, "OCG")
    ocmds = _objects_of_type(doc, "OCMD")
    if not (has_props or ocgs or ocmds):
        return False
    refs = " ".join(f"{x} 0 R" for x in ocgs)
    doc.xref_set_key(catalog, "OCProperties",
                     f"<< /OCGs [{refs}] /D << /BaseState /ON /ON [{refs}] /OFF [] "
                     f"/Order [{refs}] >> >>")
    for xref in ocgs:
        doc.xref_set_key(xref, "Usage", "null")  # print/view states only an /AS would use
    for xref in ocmds:  # with every group on, "any on" is visible; other policies may not be
        doc.xref_set_key(xref, "P", "/AnyOn")
        doc.xref_set_key(xref, "VE", "null")
    return True


def hidden_layer_problems(doc: pymupdf.Document) -> list[str]:
    """What in a published file could still hide content from a reader who then switches it
    on: a group that is off, an auto-state, an alternative configuration, an OCMD that is not
    simply "any on"."""
    catalog = doc.pdf_catalog()
    problems = []
    for key in ("OCProperties/D/OFF", "OCProperties/D/AS", "OCProperties/Configs"):
        kind, value = doc.xref_get_key(catalog, key)
        if kind != "null" and value.strip("[] ") != "":
            problems.append(f"hidden optional content left ({key.split('/')[-1]})")
    if doc.xref_get_key(catalog, "OCProperties/D/BaseState") == ("name", "/OFF"):
        problems.append("hidden optional content left (BaseState)")
    for xref in _objects_of_type(doc, "OCMD"):
        policy = doc.xref_get_key(xref, "P")
        if doc.xref_get_key(xref, "VE")[0] != "null" or policy[0] not in ("null",) \
                and policy != ("name", "/AnyOn"):
            problems.append("hidden optional content left (OCMD)")
    return problems


def _box_keys(doc: pymupdf.Document, xref: int) -> dict[str, tuple[str, str]]:
    return {k: doc.xref_get_key(xref, k) for k in ("MediaBox", "CropBox")}


def _restore(doc: pymupdf.Document, xref: int, saved: dict[str, tuple[str, str]]) -> None:
    for key, (kind, value) in saved.items():
        doc.xref_set_key(xref, key, "null" if kind == "null" else value)


def remove_offpage_content(page: pymupdf.Page, trace: list[dict] | None = None) -> bool:
    """Text and image pixels outside the visible area (crop box) are hidden content: remove
    them. Works in unrotated PDF space, so any crop box and rotation are handled alike.

    The page is temporarily enlarged so that redaction annotations can cover the off-page
    area; its media box, crop box and rotation are then restored exactly as they were.
    `trace`: the page's text trace when the caller has it (used on an unrotated page).
    """
    doc = page.parent
    saved = _box_keys(doc, page.xref)
    rotation = page.rotation
    if rotation:
        page.set_rotation(0)
    visible = pymupdf.Rect(0, 0, page.cropbox.width, page.cropbox.height)
    try:
        trace = page.get_texttrace() if trace is None or rotation else trace
        infos = page.get_image_info()
    except Exception:  # a damaged content stream: nothing we can locate
        trace, infos = [], []
    boxes = [pymupdf.Rect(t["bbox"]) for t in trace] + [pymupdf.Rect(i["bbox"]) for i in infos]
    if all(visible.contains(b) for b in boxes if not b.is_empty):
        if rotation:
            page.set_rotation(rotation)
        return False
    keep_pdf = visible * ~page.transformation_matrix
    big = 20000
    page.set_mediabox(pymupdf.Rect(-big, -big, big, big))
    keep = keep_pdf * page.transformation_matrix
    whole = page.rect
    for strip in (pymupdf.Rect(whole.x0, whole.y0, whole.x1, keep.y0),
                  pymupdf.Rect(whole.x0, keep.y1, whole.x1, whole.y1),
                  pymupdf.Rect(whole.x0, keep.y0, keep.x0, keep.y1),
                  pymupdf.Rect(keep.x1, keep.y0, whole.x1, keep.y1)):
        if not strip.is_empty:
            page.add_redact_annot(strip, fill=False, cross_out=False)
    page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_PIXELS,
                          graphics=pymupdf.PDF_REDACT_LINE_ART_NONE)
    _restore(doc, page.xref, saved)
    from woo_anon.occlusion import blank_soft_masks

    w, h = visible.width, visible.height
    blank_soft_masks(page, [pymupdf.Rect(-big, -big, big, 0), pymupdf.Rect(-big, h, big, big),
                            pymupdf.Rect(-big, 0, 0, h), pymupdf.Rect(w, 0, big, h)])
    if rotation:
        page.set_rotation(rotation)
    return True
