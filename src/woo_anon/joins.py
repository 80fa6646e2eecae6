"""Values broken across a line: an e-mail address or URL broken after "@" or a dot, a hyphenated
surname ("Ver-" / "meulen"), a name whose parts sit on two lines.

Recognisers read page text line by line in effect (a line break ends a match), so each soft
line break is read again in a small window where the two lines are joined the way a reader
joins them: without the break after "@" or a dot inside an address, without the hyphen
between two lower-case-continued word parts, with a space otherwise. What is found across the
join is mapped back to the page's own offsets, so boxes come from the characters as usual.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from presidio_analyzer import AnalyzerEngine

from woo_anon.model import Document, Page, Span

_ADDRESS_END = re.compile(r"(?:@|\.)$")
_ADDRESS_PART = re.compile(r"@|www\.|://")
_HYPHEN_END = re.compile(r"\w[-\u00ad\u2010]$")


def _joiner(before: str, after: str) -> tuple[int, str] | None:
    """How to join two lines: (characters to drop from the end of `before`, glue)."""
    if not after or not before:
        return None
    token = before.split()[-1] if before.split() else ""
    if _ADDRESS_END.search(before) and (_ADDRESS_PART.search(token) or token.endswith("@")) \
            and not after[0].isspace():
        return 0, ""
    if _HYPHEN_END.search(before) and after[0].islower():
        return 1, ""
    if before[-1].isalpha() and token[:1].isupper() and after[0].isupper():
        return 0, " "  # a name may go on: "Pieter" / "Zwartjes"
    return None


def windows(page: Page) -> list[tuple[str, list[int], int]]:
    """(joined text of two lines, page offset of each of its characters, offset of the join
    in the joined text) for every soft line break on the page."""
    text, out = page.text, []
    for match in re.finditer(r"\n", text):
        at = match.start()
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at + 1)
        end = len(text) if end < 0 else end
        before, after = text[start:at], text[at + 1:end]
        how = _joiner(before, after)
        if how is None:
            continue
        drop, glue = how
        keep = at - drop
        joined = text[start:keep] + glue + after
        offsets = list(range(start, keep)) + [at] * len(glue) + list(range(at + 1, end))
        out.append((joined, offsets, keep - start))
    return out


@dataclass(frozen=True)
class LineJoins:
    """Detection on joined lines; only spans that cross a join are new."""

    analyzer: AnalyzerEngine
    name: str = "line-joins"

    def __call__(self, context, spans: list[Span]) -> list[Span]:
        from woo_anon.detect import LANGUAGE, analyze_page
        from woo_anon.processors import Context, ModelSpanFilter

        todo = [(page, w) for page in context.document.pages for w in windows(page)]
        if not todo:
            return spans
        texts = [joined for _, (joined, _, _) in todo]
        batch = self.analyzer.nlp_engine.process_batch(texts, LANGUAGE, batch_size=64)
        found = []
        for (page, (joined, offsets, join)), (_, artifacts) in zip(todo, batch):
            window = Page(number=page.number, text=joined, boxes=(None,) * len(joined),
                          lines=(0,) * len(joined), ocr=page.ocr)
            raw = analyze_page(self.analyzer, window, artifacts)
            doc = Document(path="", name="", sha256="", pages=(window,))
            found += [_back(page, span, offsets) for span in ModelSpanFilter()(Context(doc), raw)
                      if span.start < join < span.end]
        known = {(s.page, s.start, s.end) for s in spans}
        return spans + [s for s in found if (s.page, s.start, s.end) not in known]


def _back(page: Page, span: Span, offsets: list[int]) -> Span:
    start, end = offsets[span.start], offsets[span.end - 1] + 1
    return Span(page.number, start, end, page.text[start:end], span.entity, span.score,
                span.recognizer, (span.reason + "; read across a line break").lstrip("; "))
