"""Duplicate-detection benchmark (issue #13): precision and recall on a generated mailbox with
known groups, and grouping time and memory for 1,000 and 10,000 documents.

The generated set mimics a Woo mail export: every message sits in several mailboxes (other
To/BCC and client headers), some as byte-identical copies under other names, some printed to
PDF by a mail client (English labels, other line wrapping, hyphenation); replies quote their
original and add a sentence, edits change one word, and unrelated mails share a long
disclaimer. Only copies are duplicates; a reply or an edit has new text and is not.

Anchors in the same run: grouping by sha256 alone, and MinHash LSH without our verification.

Run: python benchmarks/duplicates.py [--seed 2] [--sizes 1000 10000] [--jobs 2] [--no-write]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time
import tracemalloc
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

sys.path.insert(0, str(Path(__file__).parent))

from woo_anon.dedupe import DocText, Options, group_documents
from woo_anon.lists import lexicon

DISCLAIMER = ("Dit bericht kan informatie bevatten die niet voor u is bestemd. Indien u niet de "
              "geadresseerde bent of dit bericht abusievelijk aan u is toegezonden, wordt u verzocht "
              "dat aan de afzender te melden en het bericht te verwijderen.")
DEV_SEED, TEST_SEED = 1, 2  # tune on the first, report the second


@dataclass
class Truth:
    group: dict[str, str] = field(default_factory=dict)  # copy -> message id
    contained: dict[str, str] = field(default_factory=dict)  # message -> the reply quoting it


def _sentence(rng: random.Random, words: list[str]) -> str:
    text = " ".join(rng.choice(words) for _ in range(rng.randint(6, 16)))
    return text[0].upper() + text[1:] + "."


def _body(rng: random.Random, words: list[str]) -> str:
    paragraphs = [" ".join(_sentence(rng, words) for _ in range(rng.randint(1, 4)))
                  for _ in range(rng.randint(2, 6))]
    return "Beste collega,\n\n" + "\n\n".join(paragraphs) + "\n\nMet vriendelijke groet,\n" + (
        f"{rng.choice(words).title()} {rng.choice(words).title()}\n\n{DISCLAIMER}")


def _address(rng: random.Random, words: list[str]) -> str:
    return f"{rng.choice(words)}.{rng.choice(words)}@gemeente.nl"


def _head(sender: str, to: str, subject: str, bcc: str = "", english: bool = False) -> str:
    if english:
        return f"From: {sender}\nSent: Monday, March 3, 2025 10:00 AM\nTo: {to}\nSubject: {subject}\n\n"
    return (f"Van: {sender}\nAan: {to}\n" + (f"BCC: {bcc}\n" if bcc else "")
            + f"Datum: 3 maart 2025 10:00\nOnderwerp: {subject}\n\n")


def _wrap(text: str, width: int, hyphenate: bool) -> str:
    out = []
    for para in text.split("\n"):
        line = ""
        for word in para.split():
            if line and len(line) + len(word) + 1 > width:
                if hyphenate and len(word) > 8:
                    out.append(f"{line} {word[:4]}-")
                    line = word[4:]
                    continue
                out.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        out.append(line)
    return "\n".join(out)


def _ocr_noise(rng: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 2)):
        i = rng.randrange(len(chars) // 2)
        while not chars[i].isalpha():
            i += 1
        chars[i] = {"l": "1", "o": "0", "e": "c", "i": "l"}.get(chars[i], "rn" if chars[i] == "m" else "e")
    return "".join(chars)


def generate(count: int, seed: int, truth: Truth) -> Iterator[DocText]:
    """Yield `count` documents (streamed: nothing is kept but the truth table)."""
    rng = random.Random(seed)
    words = sorted(w for w in lexicon() if w.isalpha() and 3 <= len(w) <= 12)
    made, message = 0, 0
    while made < count:
        message += 1
        mid, subject = f"m{message}", " ".join(rng.choice(words) for _ in range(3)).capitalize()
        sender, to = _address(rng, words), _address(rng, words)
        body = _body(rng, words)
        first = _head(sender, to, subject) + body
        variants = [(f"{mid}/inbox.pdf", first, True)]
        for n in range(rng.choice([0, 1, 1, 2])):  # byte-identical copies
            variants.append((f"{mid}/kopie-{n}.pdf", first, True))
        if rng.random() < 0.5:  # the sender's copy shows the BCC
            variants.append((f"{mid}/verzonden.pdf", _head(sender, to, subject, _address(rng, words)) + body, True))
        if rng.random() < 0.3:  # a print by a mail client
            variants.append((f"{mid}/print.pdf", _wrap(_head(sender, to, subject, english=True) + body,
                                                       rng.randint(50, 90), True), True))
        if rng.random() < 0.2:  # a re-scan: OCR misread a character or two
            variants.append((f"{mid}/scan.pdf", _head(sender, to, subject) + _ocr_noise(rng, body), True))
        if rng.random() < 0.4:  # a reply: quotes everything, adds one sentence: new text
            variants.append((f"{mid}/antwoord.pdf", _head(to, sender, "RE: " + subject)
                             + _sentence(rng, words) + "\n\n-----Oorspronkelijk bericht-----\n" + first, False))
        if rng.random() < 0.3:  # an edited version: one word changed
            tokens = body.split()
            tokens[rng.randrange(len(tokens) // 2)] = rng.choice(words)
            variants.append((f"{mid}/bewerkt.pdf", _head(sender, to, subject) + " ".join(tokens), False))
        for name, text, copy in variants[: count - made]:
            if copy:
                truth.group[name] = mid
            if name.endswith("/antwoord.pdf"):
                truth.contained[f"{mid}/inbox.pdf"] = name
            sha = hashlib.sha256(text.encode()).hexdigest() if text != first else f"{mid}-bytes"
            if name == f"{mid}/inbox.pdf":
                sha = f"{mid}-bytes"
            yield DocText(name, sha, text, date="2025-03-03" if "print" not in name else "")
            made += 1


def score(grouping, truth: Truth) -> tuple[float, float, float, float]:
    """Duplicate precision/recall (exact+near) and contained precision/recall."""
    dups = {d: m for d, m in grouping.matches.items() if m.kind in ("exact", "near")}
    right = sum(1 for d, m in dups.items() if d in truth.group and truth.group.get(m.original) == truth.group[d])
    members: dict[str, int] = {}
    for mid in truth.group.values():
        members[mid] = members.get(mid, 0) + 1
    expected = sum(n - 1 for n in members.values())
    contained = {d: m.original for d, m in grouping.matches.items() if m.kind == "contained"}
    c_right = sum(1 for d, host in contained.items() if truth.contained.get(d) == host)
    # a message may also be contained via one of its copies: count the group's first as found
    return (right / len(dups) if dups else 1.0, right / expected if expected else 1.0,
            c_right / len(contained) if contained else 1.0,
            c_right / len(truth.contained) if truth.contained else 1.0)


def quality_rows(count: int, seed: int) -> list[tuple[str, ...]]:
    rows = []
    setups = [("sha256 only (anchor)", None),
              ("MinHash LSH, unverified (anchor)", Options(max_novel_tokens=10**9, contained=False)),
              ("woo-anon (default: no new words)", Options()),
              ("woo-anon, max_novel_tokens=2", Options(max_novel_tokens=2))]
    for label, options in setups:
        truth = Truth()
        docs = generate(count, seed, truth)
        if options is None:
            grouping = _sha_only(list(docs))
        else:
            grouping = group_documents(docs, options)
        p, r, cp, cr = score(grouping, truth)
        contained = f"{cp:.3f} / {cr:.3f}" if options and options.contained else "-"
        rows.append((label, f"{p:.3f}", f"{r:.3f}", contained))
    return rows


def _sha_only(docs: list[DocText]):
    from woo_anon.dedupe.group import Grouping, Match

    first: dict[str, str] = {}
    matches = {}
    for doc in sorted(docs, key=lambda d: d.name):
        if doc.sha256 in first:
            matches[doc.name] = Match(doc.name, first[doc.sha256], "exact", 1.0)
        first.setdefault(doc.sha256, doc.name)
    return Grouping(matches, {}, (), tuple(d.name for d in docs))


def speed_rows(sizes: list[int], seed: int, jobs: int) -> list[tuple[str, ...]]:
    rows = []
    for size in sizes:
        texts = list(generate(size, seed, Truth()))  # generation is not timed
        for j in sorted({1, jobs}):
            start, cpu = time.perf_counter(), time.process_time()
            grouping = group_documents(iter(texts), jobs=j)
            took, cpu = time.perf_counter() - start, time.process_time() - cpu
            rows.append((f"{size:,}", str(j), f"{took:.2f}", f"{cpu:.2f}" if j == 1 else "-",
                         f"{size / took:,.0f}", str(len(grouping.matches))))
        tracemalloc.start()
        group_documents(generate(size, seed, Truth()))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        rows[-1] += (f"{peak / 2**20:.1f} MiB ({peak / size / 1024:.1f} KiB/doc)",)
    return rows


def table(title: str, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"
    out = [f"#### {title}\n", line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    return "\n".join(out + [line(r) for r in rows])


def quality_table(count: int = 3000, seed: int = TEST_SEED) -> str:
    """The precision/recall table (what benchmarks/quality.py shows for duplicates)."""
    return table(f"Duplicate detection, {count:,} generated mails (seed {seed})",
                 ("method", "dup precision", "dup recall", "contained P / R"),
                 quality_rows(count, seed))


def speed_table(sizes: tuple[int, ...] = (1000, 10000), seed: int = TEST_SEED, jobs: int = 2) -> str:
    """The grouping-time table (what benchmarks/speed.py shows for duplicates)."""
    rows = speed_rows(list(sizes), seed, jobs)
    return table("Grouping time (text already extracted; CPU seconds of the main process)",
                 ("documents", "jobs", "wall s", "cpu s", "docs/s", "matches", "peak memory"),
                 [r + ("",) * (7 - len(r)) for r in rows])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=TEST_SEED)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--quality-docs", type=int, default=3000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS.md")
    args = parser.parse_args(argv)
    report = "\n\n".join([quality_table(args.quality_docs, args.seed),
                        speed_table(tuple(args.sizes), args.seed, args.jobs)])
    print(report)
    if not args.no_write:
        from common import write_results

        write_results("duplicates", report)


if __name__ == "__main__":
    main()
