"""The updated manifest for a zaaksysteem round trip: the export's own manifest rows, each with
the result of its document (output file, beoordeling, weigeringsgrond, status) appended."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from woo_anon.fsutil import write_atomic
from woo_anon.inventory import judgement
from woo_anon.manifest import SYNONYMS, _csv_rows, _decode, _json_rows, _key
from woo_anon.model import DocumentResult

NAME = "manifest-woo-anon.csv"
ADDED = ["woo_anon_bestand", "woo_anon_beoordeling", "woo_anon_weigeringsgrond", "woo_anon_status"]


def write_updated_manifest(manifest: Path, results: list[DocumentResult], folder: Path) -> Path:
    """Write NAME into `folder`: every manifest row plus the ADDED columns; returns its path."""
    text = _decode(manifest)
    raw = _json_rows(manifest, text) if manifest.suffix.lower() == ".json" else _csv_rows(manifest, text)
    headers = [h for h in (raw[0] if raw else {}) if h is not None]
    file_col = next((h for h in headers if SYNONYMS.get(_key(h)) == "file"), None)
    by_name: dict[str, DocumentResult] = {}
    for result in results:
        inner = result.name.split("/", 1)[1] if "/" in result.name else result.name
        for key in (result.name, inner, Path(result.name).name):
            by_name.setdefault(key, result)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headers + ADDED, delimiter=";", extrasaction="ignore")
    writer.writeheader()
    for row in raw:
        name = str(row.get(file_col) or "").replace("\\", "/").strip() if file_col else ""
        result = by_name.get(name) or by_name.get(Path(name).name)
        added = dict.fromkeys(ADDED, "")
        if result is not None:
            added = dict(zip(ADDED, (Path(result.output).name if result.output else "",
                                     judgement(result),
                                     "; ".join(sorted(g for g in result.by_ground if g)),
                                     result.status)))
        writer.writerow({**{h: row.get(h, "") for h in headers}, **added})
    target = Path(folder) / NAME
    data = out.getvalue()
    write_atomic(target, lambda tmp: Path(tmp).write_text(data, encoding="utf-8"))
    return target
