"""The same batch on a Dask cluster (issue #20): a LocalCluster with two worker processes gives the
outputs of `--jobs 2`, byte for byte; a worker killed mid-batch loses nothing."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import threading
from pathlib import Path

import pytest

pytest.importorskip("distributed", reason="the cluster extra (dask[distributed]) is not installed")

import synth  # noqa: E402
from conftest import all_text, compact, write_text_pdf  # noqa: E402
from woo_anon import Settings, redact_request  # noqa: E402

N_DOCS = 12


@pytest.fixture(scope="module")
def dossier(tmp_path_factory) -> dict:
    src = tmp_path_factory.mktemp("dossier")
    rng = random.Random(20)
    secrets = {}
    for i in range(N_DOCS):
        bsn, iban = synth.bsn(rng), synth.iban(rng)
        write_text_pdf(src / f"map{i % 2}" / f"doc{i:02d}.pdf",
                       f"Besluit {i}\n\nDe aanvrager met BSN {bsn} ontvangt de subsidie op {iban}.")
        secrets[f"map{i % 2}/doc{i:02d}.pdf"] = [bsn, iban]
    return {"src": src, "secrets": secrets}


def _digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*.pdf"))}


def _audit_documents(outdir: Path) -> dict[str, str]:
    records = [json.loads(line) for line in (outdir / "audit.jsonl").read_text().splitlines()]
    return {r["document"]: r["status"] for r in records if r["type"] == "document"}


def test_local_cluster_matches_jobs_2(dossier, tmp_path):
    settings = Settings(model="blank")
    local = redact_request([dossier["src"]], tmp_path / "jobs2", settings, jobs=2)
    remote = redact_request([dossier["src"]], tmp_path / "cluster", settings, jobs=2,
                            cluster="local")
    assert [r.status for r in local.results] == ["verified"] * N_DOCS
    assert sorted(r.status for r in remote.results) == ["verified"] * N_DOCS
    assert _digests(tmp_path / "cluster") == _digests(tmp_path / "jobs2")
    assert len(_digests(tmp_path / "cluster")) == N_DOCS
    for name, values in dossier["secrets"].items():
        text = compact(all_text(tmp_path / "cluster" / name))
        assert "Besluit" in text and not any(v in text for v in values)
    # one writer: the client wrote one summary record per document
    assert _audit_documents(tmp_path / "cluster") == {n: "verified" for n in dossier["secrets"]}


@pytest.fixture()
def scheduler():
    """A scheduler with two worker processes that the test can see (and kill), configured as
    the README says a cluster for woo-anon should be (a task is retried at most once)."""
    import dask
    from distributed import Client, LocalCluster

    with dask.config.set({"distributed.scheduler.allowed-failures": 1,
                          "distributed.scheduler.worker-saturation": 1.0}):
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=50)
        client = Client(cluster)
        try:
            yield cluster.scheduler_address, client
        finally:
            client.close()
            cluster.close()


def test_killed_worker_loses_nothing_and_rerun_resumes(dossier, scheduler, tmp_path):
    address, client = scheduler
    out = tmp_path / "out"
    killed = threading.Event()
    victim = sorted(client.run(os.getpid).values())[0]

    def kill_one(result) -> None:  # after the first document: the victim is busy with another
        if not killed.is_set():
            os.kill(victim, signal.SIGKILL)
            killed.set()

    first = redact_request([dossier["src"]], out, Settings(model="blank"), jobs=2,
                           cluster=address, progress=kill_one)
    assert killed.is_set()
    assert len(first.results) == N_DOCS  # every document reported, none lost
    done = {r.name for r in first.results if r.status == "verified"}
    failed = [r for r in first.results if r.status == "failed"]
    assert all("worker" in (r.error or "") or "hung" in (r.error or "") for r in failed)
    assert _digests(out).keys() == done  # no output without a verified result

    assert victim not in client.run(os.getpid).values()  # the worker really died (and was replaced)
    again = redact_request([dossier["src"]], out, Settings(model="blank"), jobs=2, cluster=address)
    statuses = {r.name: r.status for r in again.results}
    assert all(statuses[name] == "skipped" for name in done)
    assert sorted(statuses.values()).count("verified") == N_DOCS - len(done)
    assert len(_digests(out)) == N_DOCS


class _HangOn:
    """Test-only worker plugin: a document whose name contains `marker` hangs the way native
    code does (signals blocked, no return), through the real worker path."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def setup(self, worker) -> None:
        import time as _time

        from woo_anon import runner

        real, marker = runner.process, self.marker

        def process(item, *args, **kwargs):
            if marker in item.name:
                signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM, signal.SIGINT})
                _time.sleep(3600)
            return real(item, *args, **kwargs)

        runner.process = process


def test_hanging_document_is_retried_once_then_reported(dossier, scheduler, tmp_path, monkeypatch):
    from distributed import WorkerPlugin

    from woo_anon import cluster

    address, client = scheduler
    monkeypatch.setattr(cluster, "GRACE", 1.0)
    monkeypatch.setattr(cluster, "START_UP", 8.0)
    src = tmp_path / "in"
    (src / "map0").mkdir(parents=True)
    for name in ("doc00.pdf", "doc02.pdf"):
        (src / "map0" / name).write_bytes((dossier["src"] / "map0" / name).read_bytes())
    (src / "map0" / "hang.pdf").write_bytes((dossier["src"] / "map0" / "doc04.pdf").read_bytes())
    plugin = type("HangPlugin", (WorkerPlugin,), dict(vars(_HangOn)))("hang")
    client.register_plugin(plugin, name="test-hang")
    result = redact_request([src], tmp_path / "out", Settings(model="blank"), jobs=2,
                            cluster=address, timeout=2)
    statuses = {r.name: (r.status, r.error or "") for r in result.results}
    assert statuses["map0/doc00.pdf"][0] == statuses["map0/doc02.pdf"][0] == "verified"
    status, error = statuses["map0/hang.pdf"]
    assert status == "failed" and "time limit" in error and "hang.pdf" in error
    assert result.exit_code == 6
    assert not (tmp_path / "out" / "map0" / "hang.pdf").exists()
