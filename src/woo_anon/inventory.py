"""The inventarislijst (document inventory) that a Woo decision includes, as CSV and XLSX."""

from __future__ import annotations

import csv
from pathlib import Path

from woo_anon.fsutil import atomic_path, write_atomic
from woo_anon.model import DocumentResult

COLUMNS = ["documentID", "documentnaam", "datum", "beoordeling", "weigeringsgrond",
           "zaaknummer", "familyID", "gerelateerdID", "email Thread ID", "toelichting"]


def judgement(result: DocumentResult, excluded: bool = False) -> str:
    if excluded:
        return "Geen openbaarmaking"
    if result.status == "failed":
        return "Handmatig beoordelen"
    return "Gedeeltelijk openbaar" if sum(result.by_ground.values()) else "Openbaarmaking"


def rows(results: list[DocumentResult], manifest: dict[str, dict],
         sources: dict[str, Path] | None = None) -> list[dict]:
    """One inventarislijst row per document. `sources` maps a document name to its input file:
    a document the manifest gives no date gets the date the DiWoo metadata gets
    (diwoo.document_date: e-mail Date, Office creation date, PDF CreationDate, file date)."""
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
            "documentID": meta.get("document_id") or str(Path(result.name).with_suffix("")),
            "documentnaam": meta.get("title") or Path(result.name).name,
            "datum": meta.get("date") or _own_date(meta, (sources or {}).get(result.name)),
            "beoordeling": judgement(result, meta.get("excluded", "").lower() in ("1", "true", "ja", "yes", "x")),
            "weigeringsgrond": grounds,
            "zaaknummer": meta.get("zaaknummer", ""),
            "familyID": meta.get("family_id", ""),
            "gerelateerdID": meta.get("gerelateerdID", ""),  # duplicates (dedupe.flow)
            "email Thread ID": meta.get("email Thread ID", ""),
            "toelichting": note,
        })
    return out


def _own_date(meta: dict, source: Path | None) -> str:
    if source is None:
        return ""
    from woo_anon.diwoo import document_date

    found, _ = document_date(meta, source)
    return found.isoformat() if found else ""


def _reason(result: DocumentResult) -> str:
    """The error without the local file path in front (the list is published)."""
    error = result.error or ""
    where, _, reason = error.partition(": ")
    return reason if reason and Path(result.name).name in where else error


def _workbook(table: list[dict]):
    """The XLSX: bold frozen header row with a filter, columns as wide as their content."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "Inventarislijst"
    sheet.append(COLUMNS)
    for row in table:
        sheet.append([row[c] for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, column in enumerate(COLUMNS, start=1):
        longest = max([len(column)] + [len(str(row[column])) for row in table])
        sheet.column_dimensions[get_column_letter(index)].width = min(60, longest + 2)
    return book


def write_inventory(results: list[DocumentResult], outdir: str | Path,
                    manifest: dict[str, dict] | None = None,
                    sources: dict[str, Path] | None = None) -> tuple[Path, Path]:
    """Write inventarislijst.csv and inventarislijst.xlsx atomically (`sources`: see rows)."""
    outdir = Path(outdir)
    table = rows(results, manifest or {}, sources)
    csv_path, xlsx_path = outdir / "inventarislijst.csv", outdir / "inventarislijst.xlsx"
    with atomic_path(csv_path) as tmp, open(tmp, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, delimiter=";")
        writer.writeheader()
        writer.writerows(table)
    write_atomic(xlsx_path, _workbook(table).save)
    return csv_path, xlsx_path
