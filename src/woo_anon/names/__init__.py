"""Person names: their shapes (patterns), a shape test (shape), rule-based detection (rules) and
mentions of known names elsewhere in a document (mentions).

Modules may import `patterns` and `shape`; `rules` and `mentions` build on them; nothing here
imports detection or policy.
"""

from woo_anon.names.mentions import find_mentions, mentions_matcher, name_parts, names_from_email
from woo_anon.names.patterns import OFFICIAL_ROLES, ORG_HINTS, ORG_SUFFIXES, TITLES
from woo_anon.names.rules import STRONG_RULES, NameRuleRecognizer, in_institution_name
from woo_anon.names.shape import is_nameish, tokens

__all__ = ["NameRuleRecognizer", "STRONG_RULES", "find_mentions", "is_nameish", "mentions_matcher",
           "name_parts", "names_from_email", "tokens", "in_institution_name", "OFFICIAL_ROLES", "ORG_HINTS",
           "ORG_SUFFIXES", "TITLES"]
