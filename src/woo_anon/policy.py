"""Decisions: which span is redacted under which Woo ground (table in data/grounds.toml),
with the user's allow and deny lists."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from woo_anon import names
from woo_anon.lists import DATA, read_term_file
from woo_anon.model import Decision, Document, Span

GROUND_FORMS = re.compile(r"^(?:art(?:ikel)?\.?\s*)?(\d+)\.(\d+)(?:\.|\s+lid\s+)?(\d+)?(?:\.|\s*sub\s*|\s+onder\s+)?([a-i])?(?:\s*woo)?$", re.I)


def normalise_ground(value: str) -> str:
    """Read `5.1.2e`, `5.1.2.e`, `5.1.2 sub e`, `art. 5.1 lid 2 sub e Woo`; print house style."""
    text = " ".join(value.strip().split())
    match = GROUND_FORMS.match(text)
    if not match:
        return value.strip()
    a, b, c, letter = match.groups()
    return f"{a}.{b}" + (f".{c}" if c else "") + (letter.lower() if letter else "")


@dataclass(frozen=True)
class EntityRule:
    ground: str
    action: str = "redact"


@dataclass(frozen=True)
class Policy:
    rules: dict[str, EntityRule]
    ground_names: dict[str, str]
    threshold: float = 0.5
    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    default_ground: str = "5.1.2e"
    keep_officials: bool = True
    _allow_norm: frozenset[str] = field(default=frozenset(), compare=False)

    @classmethod
    def load(cls, grounds_file: str | Path | None = None, allow_files=(), deny_files=(),
             threshold: float = 0.5, keep_officials: bool = True) -> "Policy":
        data = tomllib.loads(Path(grounds_file or DATA / "grounds.toml").read_text("utf-8"))
        rules = {entity: EntityRule(normalise_ground(v.get("ground", "")), v.get("action", "redact"))
                 for entity, v in data.get("entities", {}).items()}
        allow = tuple(t for f in allow_files for t in read_term_file(f))
        deny = tuple(t for f in deny_files for t in read_term_file(f))
        return cls(rules, data.get("grounds", {}), threshold, allow, deny,
                   keep_officials=keep_officials,
                   _allow_norm=frozenset(_norm(t) for t in allow))

    def ground_for(self, entity: str) -> str:
        rule = self.rules.get(entity)
        return rule.ground if rule and rule.ground else self.default_ground

    def decide(self, span: Span) -> Decision:
        if span.entity == "DENY_LIST":
            return Decision(span, "redact", self.ground_for("DENY_LIST"), "deny-list")
        if self.is_allowed(span.text):
            return Decision(span, "keep", "", "allow-list")
        if span.entity == "PERSON_OFFICIAL":
            action = "keep" if self.keep_officials else "redact"
            return Decision(span, action, "" if action == "keep" else self.ground_for("PERSON"),
                            "public official acting in office" if action == "keep" else span.reason)
        rule = self.rules.get(span.entity, EntityRule(self.default_ground))
        if rule.action == "keep":
            return Decision(span, "keep", "", f"{span.entity}: public by default")
        if span.score < self.threshold:
            return Decision(span, "keep", "", f"score {span.score} below threshold {self.threshold}")
        return Decision(span, "redact", rule.ground or self.default_ground, span.reason)

    def is_allowed(self, text: str) -> bool:
        """Allowed if the span equals an allow-list term, or is a part of one ("Pietersen" of
        "Jan Pietersen"), or contains one as whole words ("wethouder Pietersen")."""
        if not self._allow_norm:
            return False
        value = _norm(text)
        if value in self._allow_norm:
            return True
        padded = f" {value} "
        return any(f" {value} " in f" {term} " or f" {term} " in padded
                   for term in self._allow_norm)

    def deny_spans(self, document: Document) -> list[Span]:
        out = []
        for page in document.pages:
            for term in self.deny:
                for start, end in names.find_mentions(page.text, term) + _ci_mentions(page.text, term):
                    out.append(Span(page.number, start, end, page.text[start:end], "DENY_LIST",
                                    1.0, "deny-list", "deny-list"))
        return out


def _norm(text: str) -> str:
    return " ".join(text.lower().replace(",", " ").split())


def _ci_mentions(text: str, term: str) -> list[tuple[int, int]]:
    pattern = r"(?<!\w)" + re.escape(term).replace(r"\ ", r"\s+") + r"(?!\w)"
    return [(m.start(), m.end()) for m in re.finditer(pattern, text, re.I)]


SEVERITY = {"5.1.1e": 3, "5.1.1d": 2}


def stricter(a: str, b: str) -> str:
    return a if SEVERITY.get(a, 1) >= SEVERITY.get(b, 1) else b
