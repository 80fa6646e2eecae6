"""Presentation (pptx) normalisation: hidden slides shown; speaker notes and slide comments
collected for the appendix."""

from __future__ import annotations

import posixpath

from lxml import etree

from woo_anon.intake.ooxml import A, P, PKG, Inspection, _dump, _texts, _xml, q



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


def normalise_deck(parts: dict[str, bytes], found: Inspection, view: str, max_rows: int) -> None:
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


