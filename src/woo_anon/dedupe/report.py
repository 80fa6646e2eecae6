"""What an officer sees of the grouping: duplicates.csv, a summary line, and the inventory
fields per document (toelichting `dubbel`, gerelateerdID, email Thread ID)."""

from __future__ import annotations

import csv
import json
import os
import tempfile
from pathlib import Path
from typing import Callable

from woo_anon.dedupe.group import Grouping, Match

CSV_NAME = "duplicates.csv"
GROUPS_NAME = "duplicates.json"
CSV_COLUMNS = ["document", "original", "kind", "similarity", "thread"]
NOTES = {"exact": "dubbel", "near": "dubbel (bijna gelijk)",
         "contained": "dubbel: volledig opgenomen in een later bericht"}
THREAD_COLUMN = "email Thread ID"


def atomic(target: Path, write: Callable) -> Path:
    """Write `target` through a temporary file in its folder, replaced in one step."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".woo-anon-", suffix=".part")
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as handle:
            write(handle)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def write_duplicates_csv(grouping: Grouping, outdir: str | Path) -> Path:
    """duplicates.csv: one row per duplicate or contained document, sorted by document."""
    def write(handle) -> None:
        writer = csv.writer(handle)  # comma: what the review screen reads
        writer.writerow(CSV_COLUMNS)
        for m in sorted(grouping.matches.values(), key=lambda m: m.document):
            writer.writerow([m.document, m.original, m.kind, f"{m.similarity:.3f}",
                             grouping.threads.get(m.document, "")])
    return atomic(Path(outdir) / CSV_NAME, write)


def write_grouping(grouping: Grouping, outdir: str | Path, policy: str = "mark") -> Path:
    """duplicates.json: the grouping as data, so `apply` shares decisions exactly as `plan` saw
    (and skips what `plan` skipped)."""
    data = {"policy": policy, "matches": [vars(m) for m in sorted(grouping.matches.values(), key=lambda m: m.document)],
            "threads": dict(sorted(grouping.threads.items())),
            "groups": [list(g) for g in grouping.groups], "names": list(grouping.names)}
    return atomic(Path(outdir) / GROUPS_NAME, lambda h: json.dump(data, h, indent=1, ensure_ascii=False))


def read_grouping(path: str | Path) -> Grouping:
    return read_saved(path)[0]


def read_saved(path: str | Path) -> tuple[Grouping, str]:
    """The grouping and the policy saved in duplicates.json."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    matches = {m["document"]: Match(**m) for m in data.get("matches", [])}
    grouping = Grouping(matches, data.get("threads", {}), tuple(tuple(g) for g in data.get("groups", [])),
                        tuple(data.get("names", [])))
    return grouping, data.get("policy", "mark")


def summary(grouping: Grouping) -> str:
    """One line for the batch summary."""
    kinds = {k: sum(1 for m in grouping.matches.values() if m.kind == k) for k in NOTES}
    threads = len(set(grouping.threads.values()))
    return (f"duplicates: {len(grouping.matches)} of {len(grouping.names)} documents "
            f"({kinds['exact']} exact, {kinds['near']} near, {kinds['contained']} contained in a "
            f"later mail) in {len(grouping.groups)} groups; {threads} e-mail threads")


def inventory_fields(grouping: Grouping, document_id: Callable[[str], str] = lambda n: n) -> dict[str, dict[str, str]]:
    """Per document name: the inventarislijst fields this grouping sets.

    Args:
        document_id: maps a document name to its documentID in the inventarislijst, so that
            gerelateerdID names the original the way the list does.
    """
    out = {}
    for name in grouping.names:
        match = grouping.matches.get(name)
        out[name] = {"toelichting": NOTES[match.kind] if match else "",
                     "gerelateerdID": document_id(match.original) if match else "",
                     THREAD_COLUMN: grouping.threads.get(name, "")}
    return out


def skipped(grouping: Grouping, policy: str) -> frozenset[str]:
    """Documents for which `--duplicates skip` writes no output (their rows stay)."""
    if policy == "mark":
        return frozenset()
    if policy != "skip":
        raise ValueError(f"--duplicates must be 'mark' or 'skip', not {policy!r}")
    return frozenset(grouping.matches)
