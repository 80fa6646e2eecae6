"""Plug intake into the input resolver (woo_anon.sources): which suffixes render, and how a
mail or Office file expands into the documents of a run.

At resolve time (`expand_item`, in the main process) a mail is parsed and rendered (fast) and
every attachment becomes its own item with `family_id` = the mail's document id; an Office file
is inspected and normalised (hidden parts made visible, findings for the `toelichting`). The slow
LibreOffice PDF export runs later in the worker (`render_item`), under the per-document time limit.
"""

from __future__ import annotations

import os
import shutil
from datetime import date
import tempfile
from pathlib import Path

from woo_anon.fsutil import process_scratch
from woo_anon.intake import SUPPORTED, IntakeOptions, Rendition, output_name

OPTIONS = {"current": IntakeOptions()}  # set by the CLI/API before resolving (forked workers see it)
_last: dict[int, Path] = {}
DOCUMENT_KEYS = ("family_id", "datum", "datum_bron", "document_title", "bestandsdatum",
                 "toelichting")
MANIFEST_FIRST = ("date", "datum_bron")  # a date the manifest gives wins over the document's own
THREAD_KEYS = ("message_id", "in_reply_to", "references", "thread_index", "thread_topic",
               "from", "to", "cc", "subject")


def configure(options: IntakeOptions) -> None:
    """Options for the next run (e.g. `IntakeOptions(office_view="final")`)."""
    OPTIONS["current"] = options


def work_root() -> Path:
    """This process's scratch folder for renditions (removed when the process ends)."""
    return process_scratch("woo-anon-intake-")


def expand_item(item):
    """The item (renamed `<name>.pdf`, with metadata) and its attachments, as items."""
    from woo_anon.intake.dispatch import Context, render_file

    ctx = Context(Path(tempfile.mkdtemp(dir=work_root())), OPTIONS["current"], lazy=True)
    renditions = render_file(ctx, item.source, item.name, family_id="", depth=0)
    return [_item(r, item) for r in renditions]


def _item(rendition: Rendition, parent):
    from woo_anon.sources import Item

    meta = dict(parent.metadata) if rendition.source == parent.name else {}
    own = _metadata(rendition)
    if meta.get("date"):
        own = {k: v for k, v in own.items() if k not in MANIFEST_FIRST}
    meta.update(own)
    if parent.source.is_file():  # the last resort for a date: the file as received
        meta.setdefault("bestandsdatum", date.fromtimestamp(parent.source.stat().st_mtime).isoformat())
    source = rendition.pdf or rendition.pending or parent.source
    problem = rendition.error or None
    name = rendition.source if problem else output_name(rendition.source)  # no PDF: no .pdf
    return Item(Path(source), name,
                metadata=tuple(sorted(meta.items())), problem=problem)


def _metadata(rendition: Rendition) -> dict[str, str]:
    meta = {k: v for k, v in rendition.metadata if k in DOCUMENT_KEYS + THREAD_KEYS}
    if meta.get("datum"):
        meta["date"] = meta.pop("datum")  # the inventarislijst's canonical key
    meta["source_name"] = rendition.source
    if rendition.family_id:
        meta["family_id"] = rendition.family_id
    if rendition.findings:
        meta["toelichting"] = "; ".join(rendition.findings)
    return meta


def render_item(item) -> Path:
    """The PDF for an item: a normalised Office file is exported now; any other supported file
    (an item the expander did not see) is rendered whole. The previous rendition of this
    process is removed first, so a long batch does not fill the disk."""
    from woo_anon.errors import BadInputError
    from woo_anon.intake import office, render

    pid = os.getpid()
    if pid in _last:
        shutil.rmtree(_last.pop(pid), ignore_errors=True)
    folder = Path(tempfile.mkdtemp(dir=work_root()))
    _last[pid] = folder
    options = OPTIONS["current"]
    if item.source.name.startswith("weergave.") and item.suffix in office.ZIP_TYPES:
        return office.finish(item.source, folder / "rendition.pdf", options.timeout, item.name)
    renditions = render(item.source, folder, item.name, options)
    if renditions[0].pdf is None:
        raise BadInputError(renditions[0].error or f"{item.source}: could not be rendered")
    return renditions[0].pdf


def register(renderers: dict, expanders: dict) -> None:
    """Add every supported suffix to the resolver's tables."""
    for suffix in SUPPORTED:
        renderers[suffix] = render_item
        expanders[suffix] = expand_item
