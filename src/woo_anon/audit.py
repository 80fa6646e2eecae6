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
from woo_anon.fsutil import make_work_dir, work_dir
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
        make_work_dir(outdir)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


class AuditLog:
    """Appends JSON lines to OUTDIR/audit.jsonl; safe to share between threads."""

    def __init__(self, outdir: str | Path, include_values: bool = False,
                 reviewer: str | None = None) -> None:
        self.outdir = Path(outdir)
        self.path = self.outdir / "audit.jsonl"
        self.key = load_key(self.outdir)
        self.include_values = include_values
        self.reviewer = reviewer
        self.run = secrets.token_hex(6)
        self.buffer: list[str] | None = None  # set on a cluster worker: lines kept, not written
        self._lock = threading.Lock()

    def start_run(self, mode: str, settings_digest: str, force: bool) -> bool:
        """Open a run section: one `run` record (run id, time, mode, settings digest) that the
        run's other records refer to by `run`. Returns True when earlier runs are in the file."""
        earlier = self.path.exists() and self.path.stat().st_size > 0
        self.write({"type": "run", "mode": mode, "settings_digest": settings_digest,
                    "force": force, "reviewer": self.reviewer, "continues_earlier_runs": earlier})
        return earlier

    def value_hash(self, value: str) -> str:
        normal = " ".join(value.split()).lower()
        return hmac.new(self.key, normal.encode("utf-8"), hashlib.sha256).hexdigest()[:24]

    def write(self, record: dict) -> None:
        line = json.dumps(dict(record, run=self.run, time=_now(), tool_version=__version__),
                          ensure_ascii=False)
        if self.buffer is not None:  # a cluster worker: the client writes the lines
            self.buffer.append(line)
            return
        self.append_lines([line])

    def append_lines(self, lines: list[str]) -> None:
        """Append finished JSON lines (from a cluster worker's buffer) to the audit trail."""
        if not lines:
            return
        with self._lock, open(self.path, "a", encoding="utf-8") as handle:
            handle.write("".join(line + "\n" for line in lines))
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
                who = r.reviewer or self.reviewer  # the screen's stamp, else --reviewer
                if r.origin != "automatic" and who:
                    record["reviewer"] = who
                    if r.reviewed_at:
                        record["reviewed_at"] = r.reviewed_at
                if self.include_values:
                    record["value"] = r.text
                self.write(record)
        self.write(dict(base, type="document", mode=mode, status=result.status,
                        pages=result.pages, redactions=sum(result.by_ground.values()),
                        by_ground=result.by_ground, ocr_pages=list(result.ocr_pages),
                        ocr_confidence={str(k): v for k, v in result.ocr_confidence.items()},
                        needs_review_pages=list(result.review_pages),
                        error=result.error, exit_code=result.exit_code))
