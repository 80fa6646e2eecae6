"""Batch runs: many documents, worker processes, progress, resume, inventarislijst."""

from __future__ import annotations

import json
import os
import signal
import time
from dataclasses import asdict
from pathlib import Path
from typing import Callable, Iterable

from woo_anon.api import Engine, Settings, check_item, discover, failed, output_path, redact_file
from woo_anon.audit import AuditLog
from woo_anon.errors import DocumentTimeoutError, WooAnonError
from woo_anon.extract import sha256_file
from woo_anon.model import DocumentResult
from woo_anon.pool import WatchdogPool

STATE_FILE = ".woo-anon-state.jsonl"
UNPACK_DIR = ".woo-anon-unpacked"
_worker: dict = {}


class State:
    """Which documents are done, keyed by name + input sha256 + settings digest."""

    def __init__(self, outdir: Path, digest: str) -> None:
        self.path = outdir / STATE_FILE
        self.digest = digest
        self.done: dict[tuple[str, str], dict] = {}
        self.names: set[str] = set()
        if self.path.exists():
            for line in self.path.read_text(encoding="utf-8").splitlines():
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a line cut off by a crash
                if rec.get("digest") == digest:
                    self.done[(rec["name"], rec["input_sha256"])] = rec
                    self.names.add(rec["name"])

    def finished(self, name: str, input_sha: str, target: Path) -> dict | None:
        rec = self.done.get((name, input_sha))
        if rec and target.exists() and sha256_file(target) == rec["output_sha256"]:
            return rec
        return None

    def record(self, result: DocumentResult) -> None:
        rec = {"name": result.name, "input_sha256": result.input_sha256, "digest": self.digest,
               "output_sha256": sha256_file(result.output), "result": asdict(result)}
        with open(self.path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(rec) + "\n")
            handle.flush()
            os.fsync(handle.fileno())


def _alarm(signum, frame):
    raise DocumentTimeoutError("document took longer than the time limit")


def _init_worker(settings: Settings, outdir: str, run: str, pool: bool = True) -> None:
    if pool:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    _worker["engine"] = Engine(settings)
    audit = AuditLog(outdir, settings.include_values)
    audit.run = run
    _worker["audit"] = audit


def _fault_injection(name: str) -> None:
    """For tests of the watchdog: WOO_ANON_FAULT_HANG=<part of a file name> makes that document
    hang the way native code does (the alarm cannot interrupt it)."""
    marker = os.environ.get("WOO_ANON_FAULT_HANG")
    if marker and marker in name:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM, signal.SIGINT})
        time.sleep(3600)


def _names_of(path: str, name: str) -> list[str]:
    """First pass of --propagate-batch: the person names one document reveals."""
    try:
        _, plan = _worker["engine"].plan(path, name)
    except Exception:  # a bad document is reported by the second pass
        return []
    return [r.text for r in plan.to_apply() if r.entity == "PERSON" and r.text]


def _process(path: str, name: str, outdir: str, force: bool, timeout: int,
             known_names: tuple[str, ...] = ()) -> DocumentResult:
    engine, audit = _worker["engine"], _worker["audit"]
    try:
        check_item(Path(path))
    except WooAnonError as exc:
        return failed(audit, name, path, exc)
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(max(0, timeout))
    try:
        _fault_injection(name)
        return redact_file(engine, path, name, outdir, audit, force, known_names)
    except DocumentTimeoutError as exc:
        return failed(audit, name, path, DocumentTimeoutError(f"{path}: {exc} ({timeout} s)"))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def run_batch(inputs: list[str], outdir: str | Path, settings: Settings, jobs: int = 1,
              force: bool = False, timeout: int = 120,
              on_result: Callable[[DocumentResult], None] | None = None,
              on_total: Callable[[int], None] | None = None) -> list[DocumentResult]:
    """Redact every input; skip what a previous identical run finished; never stop on one bad file."""
    from woo_anon.nlp import check_model

    check_model(settings.model)
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    _remove_partials(outdir)  # left by a run that was killed
    state = State(outdir, settings.digest())
    todo, results = [], []
    for path, name in discover(inputs, exclude=outdir, unpack_dir=outdir / UNPACK_DIR):
        done = None if force else _already_done(state, path, name, outdir)
        if done is not None:
            results.append(done)
            if on_result:
                on_result(done)
        else:
            todo.append((str(path), name))
    if on_total:
        on_total(len(results) + len(todo))
    audit = AuditLog(outdir, settings.include_values)
    try:
        for result in _run(todo, outdir, settings, jobs, force, timeout, audit.run):
            if result.status == "verified":
                state.record(result)
            results.append(result)
            if on_result:
                on_result(result)
    finally:
        _remove_partials(outdir)  # from a worker stopped mid-write
    return results


def _remove_partials(outdir: Path) -> None:
    for stale in outdir.rglob(".woo-anon-*.part"):
        stale.unlink(missing_ok=True)


def _already_done(state: State, path: Path, name: str, outdir: Path) -> DocumentResult | None:
    if not path.is_file() or name not in state.names:
        return None  # no hashing for documents no earlier run finished
    rec = state.finished(name, sha256_file(path), output_path(outdir, name))
    if rec is None:
        return None
    data = dict(rec["result"], status="skipped")
    data["ocr_confidence"] = {int(k): v for k, v in data.get("ocr_confidence", {}).items()}
    data["ocr_pages"] = tuple(data.get("ocr_pages", ()))
    data["review_pages"] = tuple(data.get("review_pages", ()))
    return DocumentResult(**data)


def _batch_names(per_document) -> tuple[str, ...]:
    return tuple(sorted({name for names in per_document for name in names}))


def _run(todo, outdir, settings, jobs, force, timeout, run) -> Iterable[DocumentResult]:
    if not todo:
        return
    if jobs <= 1:
        _init_worker(settings, str(outdir), run, pool=False)
        known = _batch_names(map(lambda t: _names_of(*t), todo)) if settings.propagate_batch else ()
        for path, name in todo:
            yield _process(path, name, str(outdir), force, timeout, known)
        return
    pool = WatchdogPool(jobs, (settings, str(outdir), run), timeout)
    try:
        known = ()
        if settings.propagate_batch:
            known = _batch_names(names or [] for _, names in pool.run("_names_of", todo))
        work = [(p, n, str(outdir), force, timeout, known) for p, n in todo]
        for job, result in pool.run("_process", work):
            yield result if result is not None else _hung(settings, outdir, run, job[0], job[1], timeout)
    finally:
        pool.close()


def _hung(settings: Settings, outdir, run: str, path: str, name: str, timeout: int) -> DocumentResult:
    """A worker that hung in native code or died: report the document, keep the batch going."""
    audit = AuditLog(outdir, settings.include_values)
    audit.run = run
    return failed(audit, name, path, DocumentTimeoutError(
        f"{path}: processing hung or crashed and was stopped (limit {timeout} s)"))


def zip_outputs(inputs: list[str], outdir: str | Path) -> list[Path]:
    """For each zip input, write its redacted documents back as OUTDIR/<name>.zip."""
    import zipfile

    written = []
    for item in map(Path, inputs):
        folder = Path(outdir) / item.stem
        if item.suffix.lower() != ".zip" or not folder.is_dir():
            continue
        target = Path(outdir) / f"{item.stem}.zip"
        tmp = target.with_name(f".woo-anon-{target.name}.part")
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    zf.write(path, path.relative_to(folder).as_posix())
        os.replace(tmp, target)
        written.append(target)
    return written


def find_manifest(inputs: list[str], outdir: str | Path) -> Path | None:
    """A manifest shipped inside an export: manifest.csv/json at the top of a folder or zip."""
    roots = [Path(outdir) / UNPACK_DIR / Path(i).stem if str(i).lower().endswith(".zip") else Path(i)
             for i in inputs]
    for root in roots:
        for name in ("manifest.csv", "manifest.json", "metadata.csv", "metadata.json"):
            if (root / name).is_file():
                return root / name
    return None
