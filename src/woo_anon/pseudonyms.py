"""Per-dossier secrets for text renditions: keyed hashes and consistent pseudonyms.

The dossier is the batch's output folder. Its key is $WOO_ANON_TEXT_KEY, or derived from the
audit key (stored 0600 in the work folder beside OUTDIR, see audit.load_key) for this one
purpose, so a published hash can never be matched against the audit trail's value hashes. The
pseudonym table maps keyed hashes (never plaintext) to numbers; it lives in the work folder too
(OUTDIR gets published), and worker processes share it under a file lock.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
from pathlib import Path

from woo_anon.audit import load_key
from woo_anon.fsutil import work_dir, write_text_atomic

TABLE = ".woo-anon-pseudonyms.json"
PURPOSE = b"woo-anon text rendition v1"
LABELS = {  # entity -> pseudonym noun; anything else is "Gegeven"
    "PERSON": "Persoon", "EMAIL_ADDRESS": "E-mailadres", "PHONE_NUMBER": "Telefoonnummer",
    "IBAN_CODE": "Rekeningnummer", "NL_ADDRESS": "Adres", "NL_POSTCODE": "Postcode",
    "NL_BSN": "BSN", "DATE_OF_BIRTH": "Geboortedatum", "NL_LICENCE_PLATE": "Kenteken",
    "SIGNATURE": "Handtekening", "IMAGE": "Afbeelding",
}


class Dossier:
    """Key and pseudonym table of one output folder."""

    def __init__(self, outdir: str | Path) -> None:
        self.outdir = Path(outdir)
        given = os.environ.get("WOO_ANON_TEXT_KEY")
        base = given.encode() if given else load_key(self.outdir)
        self.key = hmac.new(base, PURPOSE, hashlib.sha256).digest()

    @staticmethod
    def norm(value: str) -> str:
        """The form a value is compared in: spacing and case do not make another value."""
        return " ".join(value.split()).lower()

    def digest(self, value: str) -> str:
        """Keyed hash (HMAC-SHA256, 64 bits shown) of a normalised value."""
        return hmac.new(self.key, self.norm(value).encode("utf-8"), hashlib.sha256).hexdigest()[:16]

    def pseudonyms(self, values: list[tuple[str, str]]) -> dict[str, str]:
        """{normalised value: "Persoon 3"} for (entity, value) pairs; numbers are handed out once
        per dossier, in first-seen order, and kept in the table for later documents."""
        folder = work_dir(self.outdir)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # owner only, like the audit key
        with open(folder / (TABLE + ".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            table = self._read()
            out = {self.norm(v): self._assign(table, entity, v) for entity, v in values}
            if values:
                write_text_atomic(self.table_path, json.dumps(table, indent=1))
        return out

    @property
    def table_path(self) -> Path:
        return work_dir(self.outdir) / TABLE

    def _read(self) -> dict[str, dict[str, int]]:
        path = self.table_path
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}

    def _assign(self, table: dict[str, dict[str, int]], entity: str, value: str) -> str:
        noun = LABELS.get(entity, "Gegeven")
        numbers = table.setdefault(noun, {})
        key = self.digest(value)
        if key not in numbers:
            numbers[key] = len(numbers) + 1
        return f"{noun} {numbers[key]}"
