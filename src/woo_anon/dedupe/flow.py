"""Batch glue for duplicates: group a run's documents before planning, share the decisions
of each group, and write what the officer checks.

A batch runner uses it like this:

    dups = Duplicates.for_items(items, sources.render, policy="mark")   # cheap: text layer only
    dups.run_first_pass(plan_of)        # plan the group members, merge each group's decisions
                                        # (plan_of may give a MemberPlan: see analyse_member)
    per document: plan = dups.adjust(name, plan, document) before redacting (a worker gets
    dups.adjuster(name)); no output when dups.skip(name), dups.skipped_result(name) instead;
    write_inventory(..., dups.inventory_meta(meta)); dups.write(outdir) -> summary line.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Mapping

from woo_anon.dedupe.group import (DocText, Fingerprint, Grouping, Options, fingerprint, group_documents,
                                   group_fingerprints, parallel_map, read_pdf)
from woo_anon.dedupe.propagate import GroupTerms, group_terms, harmonise
from woo_anon.dedupe import report
from woo_anon.model import Document, DocumentResult, RedactionPlan, Span

POLICIES = ("mark", "skip")
PARALLEL_FROM = 400  # items; below this, starting processes costs more than it saves
SKIPPED = "duplicate"  # DocumentResult.status of a duplicate `skip` wrote no output for


@dataclass(frozen=True)
class MemberPlan:
    """A group member's first-pass plan and the analyzer's spans it was built from, with a
    digest of the page texts they point into: the main pass plans the member from these spans
    instead of running the analyzer (the model) over it a second time."""

    plan: RedactionPlan
    spans: tuple[Span, ...]
    text_digest: str


@dataclass(frozen=True)
class Share:
    """What a worker needs for one group member: the group's decisions (None when the group
    shares none) and the first pass's analyzer spans (None when there are none to reuse).
    Called as `share(plan, document)` it gives the plan with the group's decisions."""

    terms: GroupTerms | None
    source: str = ""
    spans: tuple[Span, ...] | None = None
    text_digest: str = ""

    def __call__(self, plan: RedactionPlan,
                 document: Document | Callable[[], Document] | None) -> RedactionPlan:
        return plan if self.terms is None else harmonise(plan, document, self.terms, self.source)

    def spans_for(self, document: Document) -> tuple[Span, ...] | None:
        """The first pass's spans when `document` has the very page texts they were found in
        (else None: the analyzer runs again rather than trust offsets into other text)."""
        if self.spans is None or text_digest(document) != self.text_digest:
            return None
        return self.spans


def text_digest(document: Document) -> str:
    """A digest of a document's page texts (the offsets spans point into)."""
    digest = hashlib.sha256()
    for page in document.pages:
        digest.update(f"{page.number}\x00{page.text}\x01".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def analyse_member(engine, pdf: Path, name: str) -> MemberPlan:
    """First pass for one group member: extract, run the analyzer once and plan; the plan is
    what `engine.plan(pdf, name)` gives, and the analyzer's spans are kept for the main pass."""
    from woo_anon.extract import extract_document
    from woo_anon.processors import Context

    document = extract_document(pdf, name, engine.settings.ocr)
    step = next(p for p in engine.detector.processors if p.name == "analyzer")
    spans = tuple(step(Context(document), []))
    return MemberPlan(engine.plan_document(document, (), spans), spans, text_digest(document))


def document_id(name: str, meta: Mapping[str, str]) -> str:
    """A document's inventarislijst ID, the way inventory.rows makes it."""
    return (meta.get("document_id") or meta.get("documentID") or meta.get("id")
            or str(Path(name).with_suffix("")))


@dataclass
class Duplicates:
    """The grouping of one run and the decisions its groups share."""

    grouping: Grouping
    policy: str = "mark"
    terms: dict[str, GroupTerms] = field(default_factory=dict)  # per document name
    plans: dict[str, RedactionPlan] = field(default_factory=dict)  # first pass, group members
    analysed: dict[str, MemberPlan] = field(default_factory=dict)  # first pass, for reuse

    @classmethod
    def prepare(cls, texts: Iterable[DocText], policy: str = "mark",
                options: Options = Options(), jobs: int = 1) -> "Duplicates":
        """Group the run. Raises ValueError for an unknown policy."""
        cls._check(policy)
        return cls(group_documents(texts, options, jobs), policy)

    @staticmethod
    def _check(policy: str) -> None:
        if policy not in POLICIES:
            raise ValueError(f"--duplicates must be one of {', '.join(POLICIES)}, not {policy!r}")

    @classmethod
    def for_items(cls, items: Iterable, render: Callable[[object], Path], policy: str = "mark",
                  options: Options = Options(), jobs: int = 1) -> "Duplicates":
        """Group a run's items (sources.Item) by the PDFs the runner will process, reading
        them in `jobs` processes for large runs."""
        cls._check(policy)
        tasks = [(item, render) for item in items if not getattr(item, "problem", None)]
        jobs = jobs if len(tasks) >= PARALLEL_FROM else 1
        fps = (fp for fp in parallel_map(item_fingerprint, tasks, jobs) if fp is not None)
        return cls(group_fingerprints(fps, options), policy)

    @classmethod
    def load(cls, folder: str | Path) -> "Duplicates | None":
        """The grouping and policy `plan` saved beside its plans (None when there is none), so
        `apply` shares the officer's edits across exactly the groups the officer was shown."""
        path = Path(folder) / report.GROUPS_NAME
        return cls(*report.read_saved(path)) if path.is_file() else None

    @property
    def first_pass(self) -> list[str]:
        """Documents to plan before the others: every member of a group, in order."""
        return [name for group in self.grouping.groups for name in group]

    def share(self, plans: Mapping[str, RedactionPlan]) -> None:
        """Merge each group's decisions (a member that failed to plan contributes none)."""
        for group in self.grouping.groups:
            terms = group_terms(plans[name] for name in group if name in plans)
            self.terms.update({name: terms for name in group})

    def adjust(self, name: str, plan: RedactionPlan,
               document: Document | Callable[[], Document] | None) -> RedactionPlan:
        """A member's plan with its group's decisions; other plans unchanged."""
        terms = self.terms.get(name)
        if terms is None:
            return plan
        return harmonise(plan, document, terms, self.grouping.original_of(name) or "")

    def adjuster(self, name: str) -> Share | None:
        """What a worker calls as `adjust(plan, document)` for this document (picklable; it
        also carries the first pass's analyzer spans), or None when its group shares nothing
        and there are no spans to reuse."""
        terms = self.terms.get(name)
        terms = None if terms is None or terms.empty else terms
        member = self.analysed.get(name)
        if terms is None and member is None:
            return None
        return Share(terms, self.grouping.original_of(name) or "",
                     member.spans if member else None, member.text_digest if member else "")

    def run_first_pass(self, plan_of: Callable[[str], RedactionPlan | MemberPlan | None]) -> None:
        """Plan every group member (`plan_of(name)`) and share. A member that fails here
        contributes nothing; the main pass reports it. A MemberPlan's spans are handed to the
        main pass, so the analyzer runs once per document."""
        found = {n: p for n in self.first_pass if (p := _quietly(plan_of, n)) is not None}
        self.analysed = {n: p for n, p in found.items() if isinstance(p, MemberPlan)}
        self.plans = {n: p.plan if isinstance(p, MemberPlan) else p for n, p in found.items()}
        self.share(self.plans)

    def skipped_result(self, name: str) -> DocumentResult:
        """`--duplicates skip`: the row of a duplicate that gets no output. Its redaction
        counts are its original's decisions, so the inventory judges it the same."""
        plan = self.plans.get(name)
        by_ground: dict[str, int] = {}
        for r in self.adjust(name, plan, None).to_apply() if plan else ():
            by_ground[r.ground] = by_ground.get(r.ground, 0) + 1
        return DocumentResult(name, SKIPPED, by_ground=by_ground,
                              input_sha256=plan.source_sha256 if plan else None)

    def inventory_meta(self, meta: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
        """The per-document metadata the inventarislijst reads, with `dubbel` added to
        toelichting, gerelateerdID (the original's documentID) and email Thread ID."""
        out = {name: dict(values) for name, values in meta.items()}
        ids = lambda name: document_id(name, meta.get(name) or {})
        for name, fields in self.inventory_fields(ids).items():
            row = out.setdefault(name, {})
            note = "; ".join(n for n in (row.get("toelichting", ""), fields["toelichting"]) if n)
            row.update(fields, toelichting=note)
        return out

    def prepare_run(self, todo: list, mode: str, render: Callable, plan_of: Callable,
                    work: Path) -> tuple[list, list[DocumentResult], dict[str, object]]:
        """Before a batch's main pass: plan the group members (`plan_of(item)` gives the
        automatic plan, or at apply the reviewed one), share each group's decisions.

        Returns the items still to process (`skip` drops duplicates), the rows of the skipped
        ones, and per document what its worker needs: an `adjust` function (plan, redact) or,
        at apply, the folder with its shared plan.
        """
        wanted = set(self.first_pass)
        members = [i for i in todo if i.name in wanted and not getattr(i, "problem", None)]
        by_name = {i.name: i for i in members}
        self.run_first_pass(lambda name: plan_of(by_name[name]) if name in by_name else None)
        if mode == "apply":
            folder = str(write_shared_plans(self, members, render, Path(work) / "dedupe-plans"))
            shared = {i.name: folder for i in members if i.name in self.terms}
        else:
            shared = {i.name: a for i in members if (a := self.adjuster(i.name)) is not None}
        skipped = [self.skipped_result(i.name) for i in todo if self.skip(i.name)]
        return [i for i in todo if not self.skip(i.name)], skipped, shared

    def skip(self, name: str) -> bool:
        """`--duplicates skip`: no output for a duplicate (its inventory row stays)."""
        return self.policy == "skip" and name in self.grouping.matches

    def inventory_fields(self, document_id: Callable[[str], str] = lambda n: n) -> dict[str, dict[str, str]]:
        return report.inventory_fields(self.grouping, document_id)

    def summary(self) -> str:
        """The batch summary line."""
        return report.summary(self.grouping)

    def write(self, outdir: str | Path) -> str:
        """duplicates.csv and duplicates.json into `outdir`; returns the summary line."""
        report.write_duplicates_csv(self.grouping, outdir)
        report.write_grouping(self.grouping, outdir, self.policy)
        return report.summary(self.grouping)


def _quietly(function: Callable, *args):
    try:
        return function(*args)
    except Exception:  # reported when the main pass processes the document
        return None


def item_fingerprint(task: tuple) -> Fingerprint | None:
    """Worker side of grouping: one item's PDF read and reduced to its fingerprint (None when
    it cannot be read; the runner reports that document)."""
    from woo_anon.extract import sha256_file
    from woo_anon.mupdf_messages import silenced

    item, render = task
    try:
        meta = dict(item.meta)
        date = str(meta.get("datum") or meta.get("date") or "")
        with silenced():  # the runner reports the document's MuPDF warnings
            return fingerprint(read_pdf(render(item), item.name, sha256_file(item.source), meta,
                                        date))
    except Exception:
        return None


def first_pass_plan(engine, pdf: Path, name: str) -> RedactionPlan | None:
    """Worker side of the first pass: a group member's automatic plan (None if it fails; the
    second pass reports the document)."""
    try:
        return engine.plan(pdf, name)[1]
    except Exception:
        return None


class SharedEngine:
    """An engine whose plans carry the group's shared decisions: what a batch worker hands the
    runner for a group member, so the runner itself needs no change. Where `adjust` is a
    Share with the first pass's analyzer spans for this very text, the analyzer is not run
    again; every other detection step runs as usual (known names of --propagate-batch too)."""

    def __init__(self, engine, adjust: Callable[..., RedactionPlan]) -> None:
        self.engine, self.adjust = engine, adjust

    def plan(self, path, name: str, known_names: tuple[str, ...] = ()):
        from woo_anon.extract import extract_document

        document = extract_document(path, name, self.engine.settings.ocr)  # as Engine.plan
        return document, self.plan_document(document, known_names)

    def plan_document(self, document: Document, known_names: tuple[str, ...] = (),
                      analysed: tuple[Span, ...] | None = None) -> RedactionPlan:
        if analysed is None and isinstance(self.adjust, Share):
            analysed = self.adjust.spans_for(document)
        return self.adjust(self.engine.plan_document(document, known_names, analysed), document)

    def __getattr__(self, name: str):
        return getattr(self.engine, name)


def write_shared_plans(dups: Duplicates, items: Iterable, render: Callable, folder: Path) -> Path:
    """`apply`: each group member's reviewed plan with its group's decisions, written as plan
    JSON into a work folder (the officer's plan folder is input and stays untouched); apply
    then reads the members' plans from there."""
    from woo_anon.extract import extract_document
    from woo_anon.plan import plan_to_json

    for item in items:
        plan = dups.plans.get(item.name)
        if plan is None or item.name not in dups.terms:
            continue
        shared = dups.adjust(item.name, plan, lambda i=item: extract_document(render(i), i.name))
        target = folder / (item.name + ".plan.json")
        target.parent.mkdir(parents=True, exist_ok=True)
        text = plan_to_json(shared)
        report.atomic(target, lambda handle, text=text: handle.write(text))
    return folder
