"""Dutch licence plates (kentekens), sidecodes 1-14."""

from __future__ import annotations

from presidio_analyzer import Pattern

from woo_anon.recognizers.base import DutchPatternRecognizer

L = "[BDFGHJKLMNPRSTVXZ]"  # no vowels, no C or Q
D = r"\d"
SIDECODES = [
    (L, L, "-", D, D, "-", D, D), (D, D, "-", D, D, "-", L, L), (D, D, "-", L, L, "-", D, D),
    (L, L, "-", D, D, "-", L, L), (L, L, "-", L, L, "-", D, D), (D, D, "-", L, L, "-", L, L),
    (D, D, "-", L, L, L, "-", D), (D, "-", L, L, L, "-", D, D), (L, L, "-", D, D, D, "-", L),
    (L, "-", D, D, D, "-", L, L), (L, L, L, "-", D, D, "-", L), (L, "-", D, D, "-", L, L, L),
    (D, "-", L, L, "-", D, D, D), (D, D, D, "-", L, L, "-", D),
]
_EDGE_L, _EDGE_R = r"(?<![\w-])", r"(?![\w-])"


def _pattern(code, dashed: bool) -> str:
    return "".join(part if part != "-" else ("-" if dashed else "") for part in code)


class LicencePlateRecognizer(DutchPatternRecognizer):
    """Dashed plates are found anywhere; undashed ones only next to "kenteken"."""

    ENTITY = "NL_LICENCE_PLATE"
    PATTERNS = [Pattern("plate dashed", _EDGE_L + "(?:" + "|".join(_pattern(c, True) for c in SIDECODES) + ")" + _EDGE_R, 0.7),
                Pattern("plate undashed", _EDGE_L + "(?:" + "|".join(_pattern(c, False) for c in SIDECODES) + ")" + _EDGE_R, 0.2)]
    CONTEXT = ["kenteken", "kentekenplaat", "voertuig", "auto", "nummerplaat", "kentekennummer"]
    NEEDS_CONTEXT = frozenset({"plate undashed"})
