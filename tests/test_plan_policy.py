"""Unit tests for the decision table (policy.decide), the merge of overlapping decisions
(plan._merge) and the detection processors' contract. No model needed."""

from __future__ import annotations

import json

import pytest

from woo_anon.model import Action, Decision, Document, Entity, Page, Redaction, Span, Status
from woo_anon.plan import _merge, build_plan, plan_from_json, plan_to_json
from woo_anon.policy import Policy


def span(start, end, entity=Entity.PERSON, score=0.85, text="", recognizer="NameRules"):
    return Span(1, start, end, text or "x" * (end - start), entity, score, recognizer, "r")


@pytest.fixture
def policy(tmp_path):
    allow = tmp_path / "allow.txt"
    allow.write_text("Gemeente Utrecht\nPietersen\n", encoding="utf-8")
    return Policy.load(allow_files=[allow], threshold=0.5)


# --- policy.decide ------------------------------------------------------------------------

@pytest.mark.parametrize("entity,score,action,ground", [
    ("NL_BSN", 1.0, Action.REDACT, "5.1.1e"),
    ("PERSON", 0.85, Action.REDACT, "5.1.2e"),
    ("PERSON", 0.3, Action.KEEP, ""),            # below the threshold
    ("SPECIAL_CATEGORY", 0.9, Action.REVIEW, "5.1.1d"),  # listed for an officer, never applied
    ("SPECIAL_CATEGORY", 0.4, Action.KEEP, ""),  # no person in the sentence: below threshold
    ("EMAIL_FUNCTIONAL", 1.0, Action.KEEP, ""),  # public by default (grounds.toml action)
    ("ORG_ADDRESS", 1.0, Action.KEEP, ""),
    ("SOMETHING_NEW", 0.9, Action.REDACT, "5.1.2e"),  # unknown entity: default ground
    ("DENY_LIST", 1.0, Action.REDACT, "5.1.2e"),
])
def test_decide_follows_the_grounds_table(policy, entity, score, action, ground):
    decision = policy.decide(span(0, 5, entity, score, text="Waarde"))
    assert (decision.action, decision.ground) == (action, ground)
    assert not decision.protects


def test_officials_are_kept_and_protect_unless_asked(policy):
    official = span(0, 10, Entity.PERSON_OFFICIAL, 0.9, text="Dorrestein")
    kept = policy.decide(official)
    assert kept.action == Action.KEEP and kept.protects
    strict = Policy.load(keep_officials=False).decide(official)
    assert strict.action == Action.REDACT and strict.ground == "5.1.2e" and not strict.protects


def test_allow_list_keeps_and_protects(policy):
    decision = policy.decide(span(0, 16, text="gemeente  utrecht"))
    assert decision.action == Action.KEEP and decision.protects and decision.reason == "allow-list"


def test_deny_list_wins_over_allow_list(policy):
    assert policy.decide(span(0, 9, Entity.DENY_LIST, 1.0, text="Pietersen")).action == Action.REDACT


def test_bad_action_in_grounds_table_is_a_clear_error(tmp_path):
    from woo_anon.errors import BadInputError
    table = tmp_path / "grounds.toml"
    table.write_text('[entities.PERSON]\nground = "5.1.2e"\naction = "hide"\n', encoding="utf-8")
    with pytest.raises(BadInputError, match="PERSON"):
        Policy.load(table)


# --- plan._merge --------------------------------------------------------------------------

def decision(s, action=Action.REDACT, ground="5.1.2e", protects=False):
    return Decision(s, action, ground if action == Action.REDACT else "", "r", protects)


def test_merge_groups_overlaps_and_redact_wins():
    a = decision(span(0, 10, "NL_ADDRESS", 0.9))
    b = decision(span(5, 15, "PERSON", 0.4), Action.KEEP)
    c = decision(span(20, 25))
    groups = _merge([c, b, a])
    assert [[d.span.start for d in g] for g in groups] == [[0], [20]]


def test_merge_all_keep_takes_the_strongest():
    weak = decision(span(0, 10, score=0.3), Action.KEEP)
    strong = decision(span(2, 12, score=0.4), Action.KEEP)
    assert _merge([weak, strong]) == [[strong]]


def test_protecting_keep_shields_covered_person_spans_only():
    official = decision(span(0, 20, Entity.PERSON_OFFICIAL, 0.9), Action.KEEP, protects=True)
    person = decision(span(5, 15, Entity.PERSON, 0.75))
    phone = decision(span(10, 18, "PHONE_NUMBER", 0.9))
    assert _merge([official, person]) == [[official]]
    assert _merge([official, person, phone]) == [[phone]]


def test_plain_keep_does_not_protect():
    keep = decision(span(0, 20, "PERSON", 0.3), Action.KEEP)  # below threshold, no protection
    person = decision(span(5, 15, Entity.PERSON, 0.75))
    assert _merge([keep, person]) == [[person]]


def test_protection_does_not_depend_on_reason_wording():
    official = Decision(span(0, 20, Entity.PERSON_OFFICIAL), Action.KEEP, "", "any wording", True)
    assert _merge([official, decision(span(5, 15))]) == [[official]]


# --- plan built from decisions, and its JSON ----------------------------------------------

def _page(text):
    boxes = tuple((float(i), 0.0, float(i + 1), 10.0) for i in range(len(text)))
    return Page(1, text, boxes, tuple(0 for _ in text))


def test_plan_json_round_trip_keeps_values_and_accepts_review(policy):
    text = "Jan Jansen belde 06-12345678"
    doc = Document("x.pdf", "x.pdf", "0" * 64, (_page(text),))
    decisions = [policy.decide(span(0, 10, text="Jan Jansen")),
                 policy.decide(span(17, 28, "PHONE_NUMBER", 0.9, text="06-12345678"))]
    plan = build_plan(doc, decisions)
    data = json.loads(plan_to_json(plan))
    assert [r["status"] for r in data["redactions"]] == ["redact", "redact"]
    data["redactions"][1]["status"] = "review"
    back = plan_from_json(json.dumps(data))
    assert [r.status for r in back.redactions] == [Status.REDACT, Status.REVIEW]
    assert back.to_apply() == back.redactions[:1] and back.to_review() == back.redactions[1:]


def test_untouched_keep_stays_automatic_and_an_edit_is_reviewed():
    """A keep proposal has an empty ground; reading it back untouched must not make it an
    officer's decision (the audit would then log every automatic keep as reviewed)."""
    data = {"source": "x", "source_sha256": "0", "redactions": [
        {"id": "k", "page": 1, "boxes": [[0, 0, 1, 1]], "status": "keep", "ground": "",
         "origin": "automatic", "proposed": {"status": "keep", "ground": ""}},
        {"id": "r", "page": 1, "boxes": [[2, 0, 3, 1]], "status": "keep", "ground": "5.1.2e",
         "origin": "automatic", "proposed": {"status": "redact", "ground": "5.1.2e"}}]}
    back = plan_from_json(json.dumps(data))
    assert [r.origin for r in back.redactions] == ["automatic", "reviewed"]


def test_plan_rejects_unknown_status():
    from woo_anon.errors import PlanMismatchError
    bad = {"source": "x", "source_sha256": "0", "redactions": [
        {"page": 1, "boxes": [[0, 0, 1, 1]], "status": "maybe"}]}
    with pytest.raises(PlanMismatchError, match="status"):
        plan_from_json(json.dumps(bad))


def test_redaction_coerces_plain_strings_to_enums():
    r = Redaction("a", 1, ((0, 0, 1, 1),), "PERSON", "5.1.2e", 1.0, "x", "keep", "", "", "manual")
    assert r.status is Status.KEEP and r.status == "keep" and json.dumps(r.status) == '"keep"'


# --- allow-list semantics (#15 item 9) ----------------------------------------------------

@pytest.mark.parametrize("term,text,allowed", [
    ("Jan", "Jan", True),
    ("Jan", "jan", True),
    ("Jan", "Jan Jansen", False),          # never a longer span containing the term
    ("Jan Jansen", "Jansen", False),       # nor a shorter one
    ("Jan Jansen", "jan\n  JANSEN", True),  # case and white space do not matter
    ("Jansen, J.", "Jansen J.", True),
    ("wethouder Pietersen", "Pietersen", False),
])
def test_allow_term_keeps_only_an_equal_span(tmp_path, term, text, allowed):
    allow = tmp_path / "allow.txt"
    allow.write_text(term + "\n", encoding="utf-8")
    assert Policy.load(allow_files=[allow]).is_allowed(text) is allowed


def test_allowing_a_first_name_still_redacts_the_full_name(tmp_path):
    """On a real text page through the rules-only detector: allow "Jan" and "Jan Jansen" is still
    redacted, while the lone "Jan" is kept."""
    from woo_anon.detect import Detector

    allow = tmp_path / "allow.txt"
    allow.write_text("Jan\n", encoding="utf-8")
    policy = Policy.load(allow_files=[allow])
    text = "Geachte heer Jan Jansen,\n\nUw brief is ontvangen. Groet, Jan\n"
    doc = Document("a.pdf", "a.pdf", "0" * 64, (_page(text),))
    spans = Detector.create("blank", allow=policy.allow).detect_document(doc)
    plan = build_plan(doc, [policy.decide(s) for s in spans])
    redacted = [r.text for r in plan.redactions if r.status == Status.REDACT]
    assert any("Jansen" in t for t in redacted)
    assert "Jan" not in [t for t in redacted]
