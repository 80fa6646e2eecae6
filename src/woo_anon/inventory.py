"""The inventarislijst (document inventory) that a Woo decision includes, as CSV and XLSX."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from woo_anon.fsutil import atomic_path, write_atomic
from woo_anon.model import DocumentResult

COLUMNS = ["documentID", "documentnaam", "datum", "beoordeling", "weigeringsgrond",
           "zaaknummer", "familyID", "toelichting"]


def read_manifest(path: str | Path | None) -> dict[str, dict]:
    """Per-document metadata keyed by file name (relative path or base name). CSV or JSON."""
    if not path:
        return {}
    path = Path(path)
    if path.suffix.lower() == ".json":
        rows = json.loads(path.read_text(encoding="utf-8"))
        rows = rows.get("documents", rows) if isinstance(rows, dict) else rows
    else:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            sample = handle.read(2048)
            handle.seek(0)
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
            rows = list(csv.DictReader(handle, dialect=dialect))
    table = {}
    for row in rows:
        key = row.get("file") or row.get("bestandsnaam") or row.get("file_name") or row.get("path")
        if key:
            clean = {k: ("" if v is None else str(v)) for k, v in row.items()}
            table[key] = clean
            table.setdefault(Path(key).name, clean)
    return table


def judgement(result: DocumentResult, excluded: bool = False) -> str:
    if excluded:
        return "Geen openbaarmaking"
    if result.status == "failed":
        return "Handmatig beoordelen"
    return "Gedeeltelijk openbaar" if sum(result.by_ground.values()) else "Openbaarmaking"


def rows(results: list[DocumentResult], manifest: dict[str, dict]) -> list[dict]:
    out = []
    for result in sorted(results, key=lambda r: r.name):
        inner = result.name.split("/", 1)[1] if "/" in result.name else result.name
        meta = (manifest.get(result.name) or manifest.get(inner)
                or manifest.get(Path(result.name).name) or {})
        grounds = "; ".join(sorted(g for g in result.by_ground if g))
        note = meta.get("toelichting", "")
        if result.status == "failed":
            note = f"niet verwerkt: {_reason(result)}"
        out.append({
            "documentID": meta.get("document_id") or meta.get("documentID") or meta.get("id")
            or str(Path(result.name).with_suffix("")),
            "documentnaam": meta.get("title") or meta.get("documentnaam") or Path(result.name).name,
            "datum": meta.get("date") or meta.get("datum", ""),
            "beoordeling": judgement(result, meta.get("excluded", "").lower() in ("1", "true", "ja")),
            "weigeringsgrond": grounds,
            "zaaknummer": meta.get("zaaknummer", ""),
            "familyID": meta.get("family_id") or meta.get("familyID", ""),
            "toelichting": note,
        })
    return out


def _reason(result: DocumentResult) -> str:
    """The error without the local file path in front (the list is published)."""
    error = result.error or ""
    where, _, reason = error.partition(": ")
    return reason if reason and Path(result.name).name in where else error


def write_inventory(results: list[DocumentResult], outdir: str | Path,
                    manifest: dict[str, dict] | None = None) -> tuple[Path, Path]:
    """Write inventarislijst.csv and inventarislijst.xlsx atomically."""
    from openpyxl import Workbook

    outdir = Path(outdir)
    table = rows(results, manifest or {})
    csv_path, xlsx_path = outdir / "inventarislijst.csv", outdir / "inventarislijst.xlsx"
    with atomic_path(csv_path) as tmp, open(tmp, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, delimiter=";")
        writer.writeheader()
        writer.writerows(table)
    book = Workbook()
    sheet = book.active
    sheet.title = "Inventarislijst"
    sheet.append(COLUMNS)
    for row in table:
        sheet.append([row[c] for c in COLUMNS])
    write_atomic(xlsx_path, book.save)
    return csv_path, xlsx_path
