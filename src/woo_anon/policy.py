"""Decisions: which span is redacted under which Woo ground (table in data/grounds.toml),
with the user's allow and deny lists. Policy only decides; finding the deny-list terms in the
text is a detection processor (processors.DenyList)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from woo_anon.errors import BadInputError
from woo_anon.lists import DATA, read_term_file, split_term
from woo_anon.lists import term_key as _norm
from woo_anon.model import Action, Decision, Entity, Span

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
    action: Action = Action.REDACT


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
    deny_grounds: dict[str, str] = field(default_factory=dict, compare=False)  # term key → ground

    @classmethod
    def load(cls, grounds_file: str | Path | None = None, allow_files=(), deny_files=(),
             threshold: float = 0.5, keep_officials: bool = True) -> "Policy":
        data = tomllib.loads(Path(grounds_file or DATA / "grounds.toml").read_text("utf-8"))
        rules = {entity: EntityRule(normalise_ground(v.get("ground", "")), _action(entity, v))
                 for entity, v in data.get("entities", {}).items()}
        allow = tuple(split_term(t)[0] for f in allow_files for t in read_term_file(f))
        deny_lines = [split_term(t) for f in deny_files for t in read_term_file(f)]
        deny = tuple(term for term, _ in deny_lines)
        return cls(rules, data.get("grounds", {}), threshold, allow, deny,
                   keep_officials=keep_officials,
                   _allow_norm=frozenset(_norm(t) for t in allow),
                   deny_grounds={_norm(t): normalise_ground(g) for t, g in deny_lines if g})

    def ground_for(self, entity: str) -> str:
        rule = self.rules.get(entity)
        return rule.ground if rule and rule.ground else self.default_ground

    def decide(self, span: Span) -> Decision:
        """The decision for one span: deny list, allow list, officials, then the entity table
        and the score threshold."""
        if span.entity == Entity.DENY_LIST:
            ground = self.deny_grounds.get(_norm(span.text)) or self.ground_for(Entity.DENY_LIST)
            return Decision(span, Action.REDACT, ground, "deny-list")
        if self.is_allowed(span.text):
            return Decision(span, Action.KEEP, "", "allow-list", protects=True)
        if span.entity == Entity.PERSON_OFFICIAL:
            if self.keep_officials:
                return Decision(span, Action.KEEP, "", "public official acting in office",
                                protects=True)
            return Decision(span, Action.REDACT, self.ground_for(Entity.PERSON), span.reason)
        rule = self.rules.get(span.entity, EntityRule(self.default_ground))
        if rule.action == Action.KEEP:
            return Decision(span, Action.KEEP, "", f"{span.entity}: public by default")
        if span.score < self.threshold:
            return Decision(span, Action.KEEP, "",
                            f"score {span.score} below threshold {self.threshold}")
        return Decision(span, rule.action, rule.ground or self.default_ground, span.reason)

    def is_allowed(self, text: str) -> bool:
        """Allowed only if the span equals an allow-list term, ignoring case, commas and white
        space. Allowing "Jan" never keeps "Jan Jansen", and allowing "Jan Jansen" never keeps
        a bare "Jansen": a longer or shorter span is a different judgement."""
        return bool(self._allow_norm) and _norm(text) in self._allow_norm


def _action(entity: str, rule: dict) -> Action:
    value = rule.get("action", "redact")
    try:
        return Action(value)
    except ValueError:
        raise BadInputError(f"grounds table: {entity}: action must be 'redact', 'keep' or 'review', "
                            f"not {value!r}") from None


SEVERITY = {"5.1.1e": 3, "5.1.1d": 2}


def stricter(a: str, b: str) -> str:
    return a if SEVERITY.get(a, 1) >= SEVERITY.get(b, 1) else b
