"""Inputs → items: the one place that turns files, folders, zip exports and manifests into the
documents of a run, each with its output name and metadata.

An `Item` is what the runner processes. Files the tool cannot process are items too (with a
`problem`), so every file of a request is reported and listed in the inventarislijst; none is
dropped silently. Other formats plug in through `RENDERERS` (suffix → function that renders the
file to PDF) and `EXPANDERS` (suffix → function that lists child items, e.g. mail attachments).
"""

from __future__ import annotations

import shutil
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Mapping

from woo_anon.errors import BadInputError

MANIFEST_NAMES = ("manifest.csv", "manifest.json", "metadata.csv", "metadata.json")
JUNK = frozenset({"thumbs.db", "desktop.ini"})  # written by file managers, never documents
PDF = ".pdf"

# Zip bombs and hostile exports: limits on what one archive may unpack to.
MAX_ZIP_ENTRIES = 100_000
MAX_ZIP_BYTES = 20 * 1024**3
MAX_ZIP_RATIO = 200  # uncompressed / compressed, per entry (large entries only)

# suffix -> render(item) -> PDF path: convert a non-PDF document to PDF (intake, issue #12)
RENDERERS: dict[str, Callable[["Item"], Path]] = {}
# suffix -> expand(item): extra items contained in a document (mail attachments, issue #12)
EXPANDERS: dict[str, Callable[["Item"], list["Item"]]] = {}


@dataclass(frozen=True)
class Item:
    """One document of a request.

    Attributes:
        source: the file as given (or unpacked from a zip).
        name: relative output name (posix), also the name in the audit and inventarislijst.
        metadata: manifest fields for this document, as sorted (column, value) pairs.
        problem: why it cannot be processed (missing, empty folder, unsupported type), or None.
    """

    source: Path
    name: str
    metadata: tuple[tuple[str, str], ...] = ()
    problem: str | None = None

    @property
    def meta(self) -> Mapping[str, str]:
        return dict(self.metadata)

    @property
    def suffix(self) -> str:
        return self.source.suffix.lower()


@dataclass(frozen=True)
class Sources:
    """Everything one run works on: the items, a manifest shipped inside an input (if any), and
    each zip input with the output folder its documents are mirrored into."""

    items: tuple[Item, ...]
    manifest: Path | None = None
    zips: tuple[tuple[Path, str], ...] = field(default_factory=tuple)


def supported(path: Path) -> bool:
    return path.suffix.lower() == PDF or path.suffix.lower() in RENDERERS


def resolve(inputs: Iterable[str | Path], unpack_dir: Path | None = None,
            exclude: Iterable[Path] = ()) -> Sources:
    """Expand files, folders (recursively) and zip files into items.

    A zip `export.zip` is unpacked into `unpack_dir/export` and its documents are named
    `export/<path>`. Files inside `exclude` folders (the output and work folders) are skipped.
    """
    exclude = tuple(Path(e) for e in exclude)
    items: list[Item] = []
    manifest: Path | None = None
    zips: list[tuple[Path, str]] = []
    for given in map(Path, inputs):
        if given.suffix.lower() == ".zip" and given.is_file() and unpack_dir is not None:
            found, shipped = _zip(given, unpack_dir)
            zips += [(given, given.stem)] if shipped or found[0].problem is None else []
        elif given.is_dir():
            found, shipped = _folder(given, "", exclude)
            found = found or [Item(given, given.name or str(given),
                                   problem=f"{given}: folder contains no PDF files")]
        else:
            found, shipped = [_file(given, given.name)], None
        items += found
        manifest = manifest or shipped
    return Sources(tuple(_expand(items)), manifest, tuple(zips))


def render(item: Item) -> Path:
    """The PDF to process for an item: the file itself, or its rendering to PDF."""
    renderer = RENDERERS.get(item.suffix)
    return renderer(item) if renderer and item.suffix != PDF else item.source


def item_for(path: str | Path, name: str | None = None) -> Item:
    """One file as an item (a problem item when it is missing or of an unsupported type)."""
    path = Path(path)
    return _file(path, name or path.name)


def _file(path: Path, name: str) -> Item:
    if not path.exists():
        return Item(path, name, problem=f"{path}: no such file or folder")
    if not supported(path):
        kind = path.suffix.lower() or "(geen extensie)"
        return Item(path, name, problem=f"{path}: bestandstype {kind}: unsupported file type")
    return Item(path, name)


def _zip(archive: Path, unpack_dir: Path) -> tuple[list[Item], Path | None]:
    """A zip export: unpacked into the work folder, its documents named `<zip stem>/<path>`."""
    try:
        root = unpack_zip(archive, unpack_dir / archive.stem)
    except BadInputError as exc:
        return [Item(archive, archive.name, problem=str(exc))], None
    found, manifest = _folder(root, archive.stem + "/", ())  # unpacked into the work folder
    return found or [Item(archive, archive.name, problem=f"{archive}: zip contains no files")], manifest


def _folder(folder: Path, prefix: str, exclude: tuple[Path, ...]) -> tuple[list[Item], Path | None]:
    manifest = find_manifest(folder)
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not _ignored(p, folder)
                   and p != manifest and not any(_inside(p, e) for e in exclude))
    return [_file(p, prefix + p.relative_to(folder).as_posix()) for p in files], manifest


def _ignored(path: Path, root: Path) -> bool:
    """Hidden files and folders, Office lock files (~$x.docx) and file-manager junk."""
    parts = path.relative_to(root).parts
    return (any(p.startswith(".") for p in parts) or path.name.startswith("~$")
            or path.name.lower() in JUNK)


def find_manifest(root: Path) -> Path | None:
    """A manifest at the top of an export folder, or in its single top folder (a zip made by
    compressing a folder)."""
    for folder in (root, _single_subfolder(root)):
        for name in MANIFEST_NAMES if folder else ():
            if (folder / name).is_file():
                return folder / name
    return None


def _single_subfolder(root: Path) -> Path | None:
    entries = [p for p in root.iterdir() if not p.name.startswith(".")] if root.is_dir() else []
    return entries[0] if len(entries) == 1 and entries[0].is_dir() else None


def _expand(items: list[Item]) -> list[Item]:
    """An expander returns the item itself (renamed `<name>.pdf`, with what it reveals:
    date, threading ids, findings) followed by the documents it contains."""
    out = []
    for item in items:
        if item.problem is None and item.suffix in EXPANDERS:
            out += EXPANDERS[item.suffix](item)
        else:
            out.append(item)
    return out


def with_metadata(items: Iterable[Item], table: Mapping[str, Mapping[str, str]]) -> tuple[Item, ...]:
    """Attach manifest rows to items: matched by output name, name inside a zip, or base name."""
    out = []
    for item in items:
        inner = item.name.split("/", 1)[1] if "/" in item.name else item.name
        given = item.meta.get("source_name", "")  # a mail or Office file before rendering
        row = (table.get(item.name) or table.get(inner) or table.get(Path(item.name).name)
               or table.get(given) or table.get(Path(given).name))
        merged = {**item.meta, **row} if row else None  # manifest wins over what intake found
        out.append(replace(item, metadata=tuple(sorted(merged.items()))) if merged else item)
    return tuple(out)


def unpack_zip(archive: Path, target: Path) -> Path:
    """Unpack a zip safely into `target`: no entry outside it (real path containment), limits
    on entry count, total size and compression ratio. The archive itself is not touched."""
    try:
        with zipfile.ZipFile(archive) as zf:
            members = [m for m in zf.infolist() if not m.is_dir()]
            _check_limits(archive, members)
            shutil.rmtree(target, ignore_errors=True)  # no leftovers of an earlier export
            root = target.resolve()
            for member in members:
                dest = (target / member.filename).resolve()
                if not dest.is_relative_to(root) or dest == root:
                    raise BadInputError(f"{archive}: unsafe path in zip ({member.filename!r} "
                                        "points outside the archive folder)")
                dest.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(member) as src, open(dest, "wb") as out:
                    _copy(src, out, member.file_size, archive)
                _keep_date(dest, member)
    except zipfile.BadZipFile:
        raise BadInputError(f"{archive}: not a valid zip file") from None
    except (OSError, RuntimeError, NotImplementedError) as exc:  # encrypted, odd compression
        raise BadInputError(f"{archive}: cannot unpack zip ({exc})") from None
    return target


def _keep_date(dest: Path, member: zipfile.ZipInfo) -> None:
    """The unpacked file keeps the date the zip records for it: a document's last-resort date
    (DiWoo, inventarislijst: diwoo.document_date) is its own, not the day of unpacking."""
    import datetime
    import os

    try:
        stamp = datetime.datetime(*member.date_time).timestamp()
    except (ValueError, OverflowError):  # a zip writer's impossible date: keep today's
        return
    os.utime(dest, (stamp, stamp))


def _check_limits(archive: Path, members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_ZIP_ENTRIES:
        raise BadInputError(f"{archive}: zip has {len(members)} entries "
                            f"(limit {MAX_ZIP_ENTRIES})")
    total = sum(m.file_size for m in members)
    if total > MAX_ZIP_BYTES:
        raise BadInputError(f"{archive}: zip unpacks to {total} bytes (limit {MAX_ZIP_BYTES})")
    for m in members:
        if m.file_size > 1024**2 and m.file_size > MAX_ZIP_RATIO * max(m.compress_size, 1):
            raise BadInputError(f"{archive}: {m.filename!r} expands {m.file_size // max(m.compress_size, 1)}"
                                f"-fold (limit {MAX_ZIP_RATIO}; a zip bomb?)")


def _copy(src, out, declared: int, archive: Path) -> None:
    """Copy in chunks and never more than the entry declares (the header can lie)."""
    written = 0
    for chunk in iter(lambda: src.read(1 << 20), b""):
        written += len(chunk)
        if written > declared:
            raise BadInputError(f"{archive}: an entry is larger than its header says")
        out.write(chunk)


def _inside(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except OSError:
        return False


def _register_intake() -> None:
    """E-mail, Office, image and text files (woo_anon.intake, issue #12)."""
    from woo_anon.intake.hooks import register

    register(RENDERERS, EXPANDERS)


_register_intake()
