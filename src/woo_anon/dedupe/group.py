"""Group documents whose text is already extracted: exact copies, near copies, messages
wholly quoted in a later message of their thread, and e-mail threads.

Streaming: each document is reduced to a compact fingerprint (hashes, no text) as it arrives;
candidate pairs come from MinHash LSH (datasketch), never from comparing all pairs. Every
candidate is verified on its token trigrams both ways, so a copy that adds even one sentence
is not a duplicate: new text always gets its own review.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, Mapping

import numpy as np

from woo_anon.dedupe import text as tx
from woo_anon.dedupe.threads import MailHeaders, ThreadInput, assign_threads, iso_date
from woo_anon.dedupe.unionfind import UnionFind


@dataclass(frozen=True)
class DocText:
    """One document as the grouping sees it."""

    name: str
    sha256: str
    text: str
    metadata: Mapping[str, object] | None = None  # e-mail headers kept by intake
    date: str = ""


@dataclass(frozen=True)
class Options:
    threshold: float = 0.8  # MinHash Jaccard for a candidate pair (conservative)
    num_perm: int = 128
    max_novel_tokens: int = 0  # words a copy may have that its original lacks (OCR noise)
    contained: bool = True


@dataclass(frozen=True)
class Fingerprint:
    name: str
    sha256: str
    order: tuple  # (undated, date, name): the earliest is the original
    text_key: str  # "" when the body is too short to compare by text
    subject: str
    recipients: frozenset[str]
    headers: MailHeaders | None
    is_mail: bool
    trigrams: np.ndarray = field(repr=False)  # body trigram hashes in text order
    trigram_set: np.ndarray = field(repr=False)  # sorted, unique


@dataclass(frozen=True)
class Match:
    """A document that need not be reviewed on its own: it repeats `original`."""

    document: str
    original: str
    kind: str  # exact | near | contained
    similarity: float


@dataclass(frozen=True)
class Grouping:
    matches: dict[str, Match]  # per duplicate or contained document
    threads: dict[str, str]  # per e-mail: thread ID
    groups: tuple[tuple[str, ...], ...]  # documents that must share redaction decisions
    names: tuple[str, ...]  # every document, input order

    def original_of(self, name: str) -> str | None:
        match = self.matches.get(name)
        return match.original if match else None

    def group_of(self, name: str) -> tuple[str, ...]:
        return next((g for g in self.groups if name in g), (name,))


def fingerprint(doc: DocText) -> Fingerprint:
    """Reduce a document to what grouping needs; the text itself is not kept."""
    split = tx.split_headers(doc.text)
    headers = MailHeaders.from_metadata(doc.metadata)
    subject = " ".join((headers.subject if headers and headers.subject
                        else tx.first_header(split, "subject")).casefold().split())
    words = tx.tokens(split.body)
    trigrams = tx.trigram_hashes(tx.token_hashes(words))
    key = ""
    if len(words) >= tx.MIN_TOKENS:
        key = hashlib.sha1(("\x1f".join(words) + "\x00" + subject).encode()).hexdigest()
    date = (headers.date if headers and headers.date else "") or iso_date(doc.date)
    own = tx.addresses(split)
    is_mail = headers is not None or tx.looks_like_mail(split)
    return Fingerprint(doc.name, doc.sha256, (not date, date, doc.name), key, subject,
                       (headers.recipients if headers and headers.recipients else own),
                       headers, is_mail, trigrams, np.unique(trigrams))


@lru_cache(maxsize=4)
def _permutations(num_perm: int):
    from datasketch import MinHash

    template = MinHash(num_perm=num_perm)  # permutations drawn once, not per document
    return template.permutations, template.scheme


def _minhash(fp: Fingerprint, options: Options) -> MinHash:
    from datasketch import MinHash

    permutations, scheme = _permutations(options.num_perm)
    m = MinHash(num_perm=options.num_perm, hashfunc=int, permutations=permutations, scheme=scheme)
    m.update_batch((fp.trigram_set & np.uint64(0xFFFFFFFF)).tolist())
    return m


def same_text(a: Fingerprint, b: Fingerprint, options: Options) -> bool:
    """Verified near copy: neither body has words the other lacks, subjects agree."""
    if a.subject and b.subject and a.subject != b.subject:
        return False
    if len(a.trigrams) == 0 or len(b.trigrams) == 0:
        return False
    limit = options.max_novel_tokens
    return (tx.novel_tokens(a.trigrams, b.trigram_set) <= limit
            and tx.novel_tokens(b.trigrams, a.trigram_set) <= limit)


def jaccard(a: Fingerprint, b: Fingerprint) -> float:
    if a.sha256 == b.sha256:
        return 1.0
    union = len(np.union1d(a.trigram_set, b.trigram_set))
    return round(len(np.intersect1d(a.trigram_set, b.trigram_set)) / union, 4) if union else 0.0


def _link_copies(fps: Iterable[Fingerprint], options: Options) -> tuple[list[Fingerprint], UnionFind[int]]:
    """Stream fingerprints through exact indexes and the LSH; union the verified copies.
    The LSH (datasketch, which loads scipy: half a second) is built when a second document
    with text arrives; a run of one document never needs it."""
    lsh, first_text = None, None
    by_sha: dict[str, int] = {}
    by_key: dict[str, int] = {}
    kept, links = [], UnionFind[int]()
    for fp in fps:
        i = len(kept)
        kept.append(fp)
        first = by_sha.get(fp.sha256, by_key.get(fp.text_key) if fp.text_key else None)
        if first is not None:
            links.union(first, i)
            continue
        by_sha[fp.sha256] = i
        if fp.text_key:
            by_key[fp.text_key] = i
        if len(fp.trigram_set) == 0:
            continue
        if lsh is None and first_text is None:
            first_text = i
            continue
        if lsh is None:
            lsh = _new_lsh(options)
            lsh.insert(first_text, _minhash(kept[first_text], options))
        m = _minhash(fp, options)
        for j in lsh.query(m):
            if same_text(kept[j], fp, options):
                links.union(j, i)
        lsh.insert(i, m)
    return kept, links


def _new_lsh(options: Options):
    from datasketch import MinHashLSH

    return MinHashLSH(threshold=options.threshold, num_perm=options.num_perm)


def _kind(copy: Fingerprint, original: Fingerprint) -> str:
    if copy.sha256 == original.sha256:
        return "exact"
    if copy.text_key and copy.text_key == original.text_key and (
            not copy.recipients or not original.recipients or copy.recipients == original.recipients):
        return "exact"
    return "near"


def _components(kept: list[Fingerprint], links: UnionFind[int]) -> list[list[int]]:
    members: dict[int, list[int]] = {}
    for i in range(len(kept)):
        members.setdefault(links.find(i), []).append(i)
    return [sorted(m, key=lambda i: kept[i].order) for m in members.values()]


def group_documents(docs: Iterable[DocText], options: Options = Options(), jobs: int = 1) -> Grouping:
    """Group a batch: duplicates with their original, contained mails, threads.

    Args:
        docs: the documents, streamed; only fingerprints are kept.
        options: thresholds.
        jobs: processes for fingerprinting (the costly part).
    """
    return group_fingerprints(parallel_map(fingerprint, docs, jobs), options)


def group_fingerprints(fps: Iterable[Fingerprint], options: Options = Options()) -> Grouping:
    """Group documents already reduced to fingerprints (in input order)."""
    kept, links = _link_copies(fps, options)
    matches: dict[str, Match] = {}
    for component in _components(kept, links):
        original = kept[component[0]]
        for i in component[1:]:
            fp = kept[i]
            matches[fp.name] = Match(fp.name, original.name, _kind(fp, original), jaccard(fp, original))
    threads = assign_threads(ThreadInput(f.name, f.headers, f.subject, f.is_mail) for f in kept)
    if options.contained:
        matches.update(_contained(kept, matches, threads, options))
    return Grouping(matches, threads, _decision_groups(kept, matches), tuple(f.name for f in kept))


def parallel_map(function, items: Iterable, jobs: int) -> Iterator:
    """`map` in `jobs` fresh processes (spawned: safe beside threads such as a progress bar),
    results in input order."""
    if jobs <= 1:
        yield from map(function, items)
        return
    from multiprocessing import get_context

    with get_context("spawn").Pool(jobs) as pool:
        yield from pool.imap(function, items, chunksize=16)


def _contained(kept: list[Fingerprint], matches: dict[str, Match], threads: dict[str, str],
               options: Options) -> dict[str, Match]:
    """A message whose whole body is quoted in a later message of its thread."""
    by_thread: dict[str, list[Fingerprint]] = {}
    for fp in kept:
        if fp.name in threads and fp.name not in matches and len(fp.trigrams):
            by_thread.setdefault(threads[fp.name], []).append(fp)
    out = {}
    for members in by_thread.values():
        members.sort(key=lambda f: f.order)
        for a in members:
            candidates = (b for b in members if b is not a and _may_quote(b, a, options))
            host = next((b for _, b in zip(range(MAX_HOSTS), candidates) if _quotes(b, a, options)), None)
            if host is not None:
                out[a.name] = Match(a.name, host.name, "contained", jaccard(a, host))
    return out


MAX_HOSTS = 200  # later messages tried per message: a huge thread stays linear


def _may_quote(later: Fingerprint, earlier: Fingerprint, options: Options) -> bool:
    """Cheap test before the full one: later is not shorter, not older, and (when no new words
    are tolerated) has earlier's first and last trigram."""
    if len(later.trigrams) < len(earlier.trigrams):
        return False
    if earlier.order[1] and later.order[1] and later.order[1] < earlier.order[1]:
        return False
    if options.max_novel_tokens:
        return True
    ends = earlier.trigrams[[0, -1]]
    at = np.minimum(np.searchsorted(later.trigram_set, ends), len(later.trigram_set) - 1)
    return bool(np.all(later.trigram_set[at] == ends))


def _quotes(later: Fingerprint, earlier: Fingerprint, options: Options) -> bool:
    return (tx.novel_tokens(earlier.trigrams, later.trigram_set) <= options.max_novel_tokens
            and tx.novel_tokens(later.trigrams, earlier.trigram_set) > options.max_novel_tokens)


def _decision_groups(kept: list[Fingerprint], matches: dict[str, Match]) -> tuple[tuple[str, ...], ...]:
    index = {f.name: i for i, f in enumerate(kept)}
    links = UnionFind[int]()
    for match in matches.values():
        links.union(index[match.document], index[match.original])
    groups = [tuple(kept[i].name for i in c) for c in _components(kept, links) if len(c) > 1]
    return tuple(sorted(groups))


def read_pdf(path: str | Path, name: str, sha256: str = "",
             metadata: Mapping[str, object] | None = None, date: str = "") -> DocText:
    """A PDF's text layer as grouping input (no OCR: a scan without text is matched by bytes).

    Args:
        sha256: the source's hash when the PDF is a rendition (a mail rendered by intake), so
            byte-identical sources match even if renditions are not byte-identical.
    """
    import pymupdf

    from woo_anon.extract import sha256_file

    with pymupdf.open(path) as pdf:
        text = "\n".join(page.get_text("text", sort=True) for page in pdf)
    return DocText(name, sha256 or sha256_file(path), text, metadata, date)
