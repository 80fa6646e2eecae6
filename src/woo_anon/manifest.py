"""Reading a request's manifest (the zaaksysteem export's list of documents): CSV or JSON,
UTF-8 (with or without BOM), Windows-1252 (Dutch Excel) or UTF-16; `;`, `,` or tab separated;
Dutch or English column names in any case. Read and checked before the batch starts."""

from __future__ import annotations

import csv
import io
import json
import logging
import re
from pathlib import Path
from typing import Mapping

from woo_anon.errors import ManifestError

log = logging.getLogger(__name__)

# canonical column -> accepted names (compared without case, spaces, '_', '-' or '.')
COLUMNS: dict[str, tuple[str, ...]] = {
    "file": ("file", "filename", "file name", "bestand", "bestandsnaam", "path", "pad", "document"),
    "document_id": ("document_id", "document id", "documentid", "documentnummer", "docnr", "id",
                    "kenmerk", "nummer"),
    "title": ("title", "titel", "documentnaam", "document name", "naam", "onderwerp"),
    "date": ("date", "datum", "documentdatum", "document date"),
    "zaaknummer": ("zaaknummer", "zaak", "case", "case number", "case id", "zaak id"),
    "family_id": ("family_id", "family id", "familyid", "family", "familie", "familie id"),
    "excluded": ("excluded", "uitgezonderd", "niet openbaar", "geen openbaarmaking"),
    "toelichting": ("toelichting", "note", "notes", "opmerking", "opmerkingen", "remark"),
    # DiWoo (--diwoo): the document's soortHandeling and the Woo-besluit it is part of
    "handeling": ("handeling", "soort handeling", "soorthandeling", "documenthandeling"),
    "besluit": ("besluit", "woo-besluit", "besluitnummer", "ispartof", "is part of"),
}
ENCODINGS = ("utf-8-sig", "cp1252")


def _key(name: str) -> str:
    return re.sub(r"[\s_.\-]+", "", str(name)).lower()


SYNONYMS = {_key(alias): column for column, aliases in COLUMNS.items() for alias in aliases}


def describe_columns() -> str:
    """One line per accepted column, for --help and the README."""
    return "; ".join(f"{c}: {', '.join(a)}" for c, a in COLUMNS.items())


def read_manifest(path: str | Path | None) -> dict[str, dict[str, str]]:
    """Rows keyed by file name (as given, and by base name), columns renamed to the canonical
    names above. ManifestError (exit 3) for a missing, unreadable or unusable manifest."""
    if not path:
        return {}
    path = Path(path)
    if not path.is_file():
        raise ManifestError(f"{path}: manifest not found")
    text = _decode(path)
    rows = _json_rows(path, text) if path.suffix.lower() == ".json" else _csv_rows(path, text)
    return _table(path, rows)


def _decode(path: Path) -> str:
    data = path.read_bytes()
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16")
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ManifestError(f"{path}: manifest is not text (UTF-8, Windows-1252 or UTF-16)")


def _csv_rows(path: Path, text: str) -> list[dict]:
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count)
    if not first.count(delimiter):
        delimiter = ";"
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))


def _json_rows(path: Path, text: str) -> list[dict]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ManifestError(f"{path}: manifest is not valid JSON (line {exc.lineno})") from None
    rows = data.get("documents", data) if isinstance(data, dict) else data
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise ManifestError(f"{path}: JSON manifest must be a list of objects "
                            "(or {\"documents\": [...]})")
    return rows


def _table(path: Path, rows: list[dict]) -> dict[str, dict[str, str]]:
    headers = list(rows[0]) if rows else []
    mapping = {h: SYNONYMS.get(_key(h)) for h in headers if h is not None}
    unknown = [h for h, c in mapping.items() if c is None]
    if unknown:
        log.warning("%s: unknown manifest columns ignored: %s (accepted: %s)", path.name,
                    ", ".join(map(str, unknown)), ", ".join(COLUMNS))
    if rows and "file" not in mapping.values():
        raise ManifestError(f"{path}: manifest has no file-name column (one of: "
                            f"{', '.join(COLUMNS['file'])})")
    table: dict[str, dict[str, str]] = {}
    for row in rows:
        clean = {mapping[h]: _text(v) for h, v in row.items() if mapping.get(h)}
        key = clean.get("file", "").replace("\\", "/").strip()
        if key:
            table[key] = clean
            table.setdefault(Path(key).name, clean)
    return table


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def updated_rows(rows: list[Mapping[str, str]]) -> str:
    """The inventarislijst rows as a manifest-shaped CSV (for a zaaksysteem to read back)."""
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=";")
        writer.writeheader()
        writer.writerows(rows)
    return out.getvalue()
