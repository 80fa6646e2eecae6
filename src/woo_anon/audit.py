"""Audit trail (audit.jsonl): one record per redaction and one summary per document.

No plaintext personal data: values are represented by a keyed hash (HMAC-SHA256 with a key kept
in the run's work folder), so the same value can be traced across documents without being readable.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import threading
from datetime import datetime, timezone
from pathlib import Path

from woo_anon import __version__
from woo_anon.fsutil import work_dir
from woo_anon.model import DocumentResult, RedactionPlan

KEY_FILE = "audit-key"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def load_key(outdir: Path) -> bytes:
    """The HMAC key: $WOO_ANON_AUDIT_KEY, or a random key stored with owner-only permissions
    (0600) in the run's work folder beside OUTDIR (never inside it: OUTDIR gets published)."""
    if os.environ.get("WOO_ANON_AUDIT_KEY"):
        return os.environ["WOO_ANON_AUDIT_KEY"].encode()
    path = work_dir(outdir) / KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


class AuditLog:
    """Appends JSON lines to OUTDIR/audit.jsonl; safe to share between threads."""

    def __init__(self, outdir: str | Path, include_values: bool = False) -> None:
        self.outdir = Path(outdir)
        self.path = self.outdir / "audit.jsonl"
        self.key = load_key(self.outdir)
        self.include_values = include_values
        self.run = secrets.token_hex(6)
        self._lock = threading.Lock()

    def value_hash(self, value: str) -> str:
        normal = " ".join(value.split()).lower()
        return hmac.new(self.key, normal.encode("utf-8"), hashlib.sha256).hexdigest()[:24]

    def write(self, record: dict) -> None:
        line = json.dumps(dict(record, run=self.run, time=_now(), tool_version=__version__),
                          ensure_ascii=False)
        with self._lock, open(self.path, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    def document(self, plan: RedactionPlan | None, result: DocumentResult,
                 input_sha256: str | None, output_sha256: str | None, mode: str = "redact") -> None:
        """All records of one document: its redactions first, then the summary."""
        base = {"document": result.name, "input_sha256": input_sha256,
                "output_sha256": output_sha256}
        for r in (plan.redactions if plan and result.status == "verified" else ()):
            if r.status == "keep" and r.origin == "automatic":
                continue  # automatic keep decisions are in the plan, not in the audit trail
            kind = {"redact": "redaction", "keep": "kept"}.get(r.status, "review")
            for index, box in enumerate(r.boxes):
                record = dict(base, type=kind, id=r.id, box_index=index, page=r.page,
                              box=[round(v, 2) for v in box], entity=r.entity, ground=r.ground,
                              recognizer=r.recognizer, score=r.score, decision=r.origin,
                              reason=r.reason, value_hash=self.value_hash(r.text))
                if self.include_values:
                    record["value"] = r.text
                self.write(record)
        self.write(dict(base, type="document", mode=mode, status=result.status,
                        pages=result.pages, redactions=sum(result.by_ground.values()),
                        by_ground=result.by_ground, ocr_pages=list(result.ocr_pages),
                        ocr_confidence={str(k): v for k, v in result.ocr_confidence.items()},
                        needs_review_pages=list(result.review_pages),
                        error=result.error, exit_code=result.exit_code))
