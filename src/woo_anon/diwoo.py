"""DiWoo 0.9.8 publication metadata: one XML file per published document, validated offline
against the vendored schema, and a batch sitemap that the Woo-index can harvest.

Every TOOI value (publisher, informatiecategorie, soortHandeling, relation role, format,
language) is looked up by its label in the vendored value lists (data/diwoo/), never typed in
code, so a new release of the lists is a file swap. Woo grounds have no DiWoo field: they stay in
the inventarislijst.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from urllib.parse import quote

from woo_anon.errors import BadInputError
from woo_anon.fsutil import write_atomic

SCHEMA_VERSION = "0.9.8"
NS = "https://standaarden.overheid.nl/diwoo/metadata/"
XS = "{http://www.w3.org/2001/XMLSchema}"
MDTO_URL = "https://www.nationaalarchief.nl/mdto/MDTO-XML1.0.1.xsd"
ORGANISATION_LISTS = ("gemeentelijst", "ministerielijst", "provincielijst", "waterschapslijst",
                      "collijst", "oorglijst", "solijst", "zbolijst")
CATEGORY = "Woo-verzoeken en -besluiten"
HANDELINGEN = ("ontvangst", "vaststelling", "ondertekening")  # the whole soorthandelinglijst
HAS_ATTACHMENT = "heeft bijlage"
FORMATS = {".pdf": "PDF", ".csv": "CSV", ".xlsx": "Excel XLSX"}

ET.register_namespace("diwoo", NS)



def schema_dir() -> Path:
    """The vendored schema folder (see data/diwoo/README.md for origin and licences)."""
    return Path(str(files("woo_anon") / "data" / "diwoo"))


@lru_cache(maxsize=1)
def schema():
    """The DiWoo XSD, loaded with the MDTO import mapped to the vendored copy: no network."""
    import xmlschema

    folder = schema_dir().resolve()

    def local(uri: str) -> str:
        return (folder / "MDTO-XML1.0.1.xsd").as_uri() if uri == MDTO_URL else uri

    return xmlschema.XMLSchema(str(folder / "diwoo-metadata.xsd"), uri_mapper=local, allow="local")


@lru_cache(maxsize=None)
def value_list(name: str) -> dict[str, str]:
    """TOOI value list `name` (e.g. "soorthandelinglijst") as {URI: label}."""
    root = ET.parse(schema_dir() / "diwoo-metadata-lijsten.xsd").getroot()
    for simple in root.iter(f"{XS}simpleType"):
        if simple.get("name") == name:
            return {e.get("value"): _label(e) for e in simple.iter(f"{XS}enumeration")}
    raise KeyError(f"no value list {name} in the vendored DiWoo schema")


def _label(enumeration: ET.Element) -> str:
    text = "".join(enumeration.itertext()).strip()
    return text.splitlines()[0].strip() if text else ""


def lookup(list_name: str, label: str) -> tuple[str, str]:
    """(URI, label) of the value labelled `label` in a TOOI value list."""
    for uri, found in value_list(list_name).items():
        if found.lower() == label.lower():
            return uri, found
    raise KeyError(f"{label!r} is not in the DiWoo value list {list_name}")


def organisation(code: str) -> tuple[str, str]:
    """(URI, name) of a TOOI organisation code such as gm0363, or its full URI."""
    code = code.strip()
    for list_name in ORGANISATION_LISTS:
        for uri, name in value_list(list_name).items():
            if code in (uri, uri.rsplit("/", 1)[-1]):
                return uri, name
    raise BadInputError(f"--publisher {code}: not a TOOI organisation code "
                        "(e.g. gm0363 for gemeente Amsterdam)")


@dataclass(frozen=True)
class Options:
    """What a batch's DiWoo export needs beyond the per-document rows.

    Attributes:
        publisher: TOOI organisation code (gm0363) or URI.
        besluit: identifier of the Woo-besluit the documents are part of (isPartOf); a
            manifest column `besluit` overrides it per document.
        handeling: default soortHandeling; a manifest column `handeling` overrides it.
        base_url: where the documents will be published (sitemap <loc>); relative if empty.
    """

    publisher: str
    besluit: str = ""
    handeling: str = "vaststelling"
    base_url: str = ""


@dataclass(frozen=True)
class Meta:
    """The DiWoo fields of one published document (from its inventarislijst row)."""

    name: str
    document_id: str
    title: str
    created: date | None
    created_from: str = ""  # where the date came from (manifest, e-mail Date, PDF, file)
    document_title: str = ""  # the document's own title (Office dc:title), used when public
    zaaknummer: str = ""
    besluit: str = ""
    handeling: str = "vaststelling"
    file_type: str = "PDF"
    attachments: tuple[str, ...] = field(default_factory=tuple)


def parse_date(text: str) -> date | None:
    """A manifest date: 2024-03-01, 01-03-2024, 1/3/2024, 20240301 or an ISO timestamp."""
    text = (text or "").strip()
    for form in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y%m%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text[:10] if "T" in text else text, form).date()
        except ValueError:
            continue
    return None


def document_date(meta: dict, source: str | Path | None) -> tuple[date | None, str]:
    """A document's date and where it came from, first found of: the manifest's date (or the
    date the intake read: an e-mail's Date header, an Office file's creation date), the input
    PDF's CreationDate, the modification date of the file it came from. The one chain both the
    inventarislijst and the DiWoo metadata use.

    Args:
        meta: the document's manifest/intake metadata (`date`, `datum_bron`, `bestandsdatum`,
            `source_name` for an intake rendition).
        source: the input file (None when unknown).
    """
    found = parse_date(meta.get("date", ""))
    if found:
        return found, meta.get("datum_bron") or "manifest: datum"
    found = _pdf_date(source)
    if found:
        return found, "PDF: CreationDate"
    found = parse_date(meta.get("bestandsdatum", ""))
    if found:
        return found, "bestand: wijzigingsdatum"
    if source is not None and Path(source).is_file() and not meta.get("source_name"):
        return date.fromtimestamp(Path(source).stat().st_mtime), "bestand: wijzigingsdatum"
    return None, ""


def _pdf_date(path: str | Path | None) -> date | None:
    """A PDF's own creation date (its Info CreationDate), or None."""
    if not path or Path(path).suffix.lower() != ".pdf" or not Path(path).is_file():
        return None
    import pymupdf

    from woo_anon.mupdf_messages import silenced

    try:
        with silenced(), pymupdf.open(path) as doc:
            raw = (doc.metadata or {}).get("creationDate") or ""
    except (RuntimeError, ValueError):
        return None
    raw = raw.removeprefix("D:")
    return parse_date(raw[:8]) if raw[:8].isdigit() else None


def document_xml(meta: Meta, publisher: tuple[str, str]) -> ET.Element:
    """The <diwoo:Document> element of one document."""
    doc = ET.Element(_q("Document"))
    diwoo = ET.SubElement(doc, _q("DiWoo"))
    ids = [i for i in dict.fromkeys((meta.document_id, meta.zaaknummer)) if i]
    if ids:
        holder = ET.SubElement(diwoo, _q("identifiers"))
        for identifier in ids:
            _text(holder, "identifier", identifier)
    _text(diwoo, "publisher", publisher[1], publisher[0])
    _text(ET.SubElement(diwoo, _q("titelcollectie")), "officieleTitel", meta.title)
    categories = ET.SubElement(ET.SubElement(diwoo, _q("classificatiecollectie")),
                               _q("informatiecategorieen"))
    _coded(categories, "informatiecategorie", "informatiecategorielijst", CATEGORY)
    if meta.created:
        _text(diwoo, "creatiedatum", meta.created.isoformat())
    _coded(diwoo, "language", "taallijst", "Nederlands")
    _coded(diwoo, "format", "formatlijst", meta.file_type)
    if meta.besluit:
        _text(diwoo, "isPartOf", meta.besluit, meta.besluit)
    _handeling(diwoo, meta)
    if meta.attachments:
        relations = ET.SubElement(diwoo, _q("documentrelaties"))
        for attachment in meta.attachments:
            relation = ET.SubElement(relations, _q("documentrelatie"))
            _coded(relation, "role", "documentrelatielijst", HAS_ATTACHMENT)
            _text(relation, "relation", attachment, attachment)
    return doc


def _handeling(diwoo: ET.Element, meta: Meta) -> None:
    if meta.handeling not in HANDELINGEN:
        raise BadInputError(f"{meta.name}: DiWoo metadata: soortHandeling {meta.handeling!r} "
                            f"is not allowed (use one of: {', '.join(HANDELINGEN)})")
    handeling = ET.SubElement(ET.SubElement(diwoo, _q("documenthandelingen")),
                              _q("documenthandeling"))
    _coded(handeling, "soortHandeling", "soorthandelinglijst", meta.handeling)
    when = meta.created.isoformat() + "T00:00:00" if meta.created else ""
    _text(handeling, "atTime", when)


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _text(parent: ET.Element, tag: str, text: str, resource: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, _q(tag), {"resource": resource} if resource else {})
    element.text = text
    return element


def _coded(parent: ET.Element, tag: str, list_name: str, label: str) -> ET.Element:
    uri, found = lookup(list_name, label)
    return _text(parent, tag, found, uri)


def validate(element: ET.Element) -> str | None:
    """The first schema error of a <diwoo:Document> as one line, or None when it is valid."""
    error = next(iter(schema().iter_errors(ET.tostring(element, encoding="unicode"))), None)
    if error is None:
        return None
    where = error.path or ""
    reason = " ".join(str(error.reason or error.message).split())
    return f"{reason} ({where})" if where else reason


def to_bytes(element: ET.Element) -> bytes:
    ET.indent(element)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True) + b"\n"


def write_document(meta: Meta, publisher: tuple[str, str], target: Path) -> ET.Element:
    """Build, validate and atomically write one document's DiWoo XML.

    Raises:
        BadInputError: the metadata does not validate (the file is not written).
    """
    element = document_xml(meta, publisher)
    problem = validate(element)
    if problem:
        raise BadInputError(f"{meta.name}: DiWoo metadata: does not validate: {problem}")
    data = to_bytes(element)
    if meta.created_from:  # provenance for the officer; a comment, outside the DiWoo fields
        note = " ".join(f"creatiedatum uit {meta.created_from}".replace("--", "- -").split())
        head, _, rest = data.partition(b"\n")
        data = head + f"\n<!-- {note} -->\n".encode("utf-8") + rest
    write_atomic(target, lambda tmp: Path(tmp).write_bytes(data))
    return element


def loc(options: Options, name: str) -> str:
    """The sitemap <loc> of a published file: base URL + name, or the name relative to the
    sitemap when no base URL is known yet."""
    path = quote(name)
    return f"{options.base_url.rstrip('/')}/{path}" if options.base_url else path
