"""Public officials named in the fixed places of government documents: the signature under a
role line ("De minister van VWS,\n\nH.M. de Jonge", also two signatures side by side: "de
griffier,      de voorzitter,"), a name with its role on the line below ("Hans Blix\nExecutive
Chairman"), and members named in a vote ("Voor de motie stemden:\nCDA: mevrouw Jansen en de heren
Bakker en Smit;"). These names stay public by default (--redact-officials changes that).

Each function returns (start, end, rule) triples; names/rules.py turns them into results.
"""

from __future__ import annotations

from functools import lru_cache

import regex

from woo_anon.names.patterns import SIGNING_ROLES, TITLES, patterns

# Roles written under (or before) a signature in English documents and Dutch letters.
ENGLISH_ROLES = (r"executive chairman|chairman|chairwoman|director[- ]general|"
                 r"secretary[- ]general|president|vice[- ]president|prime minister|minister|"
                 r"state secretary|ambassador|commissioner|mayor|governor")
ROLE_WORDS = SIGNING_ROLES + "|" + ENGLISH_ROLES
_COLUMNS = regex.compile(r"[^\n]*?\S(?=[ \t]{3,}|[ \t]*$)")  # cells of a line split by wide gaps
# plural and singular forms before members' names in a vote: "de dames X en Y", "mevrouw X"
_MEMBER_TITLES = regex.compile(r"^(?:(?i:de[ ]dames|de[ ]heren|dames|heren|het[ ]lid|de[ ]leden|"
                               + TITLES + r")[ ]+)+")


@lru_cache(maxsize=1)
def _role_cell() -> regex.Pattern:
    """One cell that is a role line: "de voorzitter,", "De minister van VWS,", "Executive
    Chairman", "Minister voor Medische Zorg"."""
    return regex.compile(r"(?i)^(?:de[ ]|het[ ]|the[ ])?(?:" + ROLE_WORDS + r")(?:[ ]a\.i\.)?"
                         r"(?:[ ](?:van|voor|of|for)[ ][^\n]{1,100}?)?[ \t]*,?$")


def _cells(line: str) -> list[tuple[int, str]]:
    """(offset, text) of the cells of a line, split where three or more spaces separate them."""
    return [(m.start() + len(m.group()) - len(m.group().lstrip()), m.group().strip())
            for m in _COLUMNS.finditer(line) if m.group().strip()]


def _name_cell(cell: str) -> tuple[int, int] | None:
    hit = patterns()["line_name"].match(cell)
    return (hit.start("name"), hit.end("name")) if hit else None


def _is_role_line(line: str) -> bool:
    cells = _cells(line)
    return bool(cells) and all(_role_cell().match(cell) for _, cell in cells)


def _skippable(value: str) -> bool:
    """Lines between a role line and the signature: "namens deze,", "(Signed)"."""
    return value.endswith(",") or value.lower().startswith(("namens", "voor deze", "(signed)",
                                                              "w.g.", "get."))


def role_blocks(text: str) -> list[tuple[int, int, str]]:
    """Signatures under a role line (also several side by side, or role lines stacked as the
    text extraction reads two columns: "de griffier,\nde voorzitter,\n\nJ. Brandsma\nP. Smit")
    and names with their role on the next line ("Hans Blix\nExecutive Chairman")."""
    filled = [(m.start(), m.group()) for m in regex.finditer(r"[^\n]*", text) if m.group().strip()]
    out: list[tuple[int, int, str]] = []
    index = 0
    while index < len(filled):
        start, line = filled[index]
        if not _is_role_line(line):
            index += 1
            continue
        wanted, end = len(_cells(line)), index + 1
        while end < len(filled) and _is_role_line(filled[end][1]):
            wanted += len(_cells(filled[end][1]))
            end += 1
        if not line.strip().endswith(","):  # names just above their roles: "Hans Blix\nChairman"
            above = [(a + span[0], a + span[1]) for a, row in filled[max(0, index - wanted):index]
                     for span in [_name_cell(row)] if span]
            if len(above) == min(wanted, index) and filled[index - 1][0] + len(
                    filled[index - 1][1]) >= start - 2:
                out += [(s, e, "signature under a role line") for s, e in above]
        found: list[tuple[int, int]] = []
        for next_start, next_line in filled[end: end + wanted + 3]:
            if len(found) >= wanted:
                break
            if _skippable(next_line.strip()):
                continue
            names = [(next_start + offset + s, next_start + offset + e)
                     for offset, cell in _cells(next_line) for s, e in [_name_cell(cell) or (0, 0)]
                     if e > s]
            if not names:
                break
            found += names
        out += [(s, e, "signature under a role line") for s, e in found[:wanted]]
        index = end
    return out


_VOTE = regex.compile(r"(?i)(?<![\w])(?:voor|tegen)[ ](?:(?:de|het)[ ]\w+[ ])?(?:stemden|stemmen|"
                      r"hebben[ ]gestemd|gestemd|stemde)(?:[ ]de[ ](?:leden|raadsleden|fracties?))?"
                      r"[ ]*:?[ ]*(?P<value>[^\n]*(?:\n(?![ \t]*\n)[^\n]+)*)")


def votes(text: str) -> list[tuple[int, int, str]]:
    """Members named in a vote, one party per line or in running text: "Voor de motie stemden:
    CDA: mevrouw Houtveen en de heren Bazen, Krijns en Slort;"."""
    out = []
    for match in _VOTE.finditer(text):
        base = match.start("value")
        value = match.group("value")
        for line in regex.finditer(r"[^\n]+", value):
            body, offset = line.group(), line.start()
            party = regex.match(r"^[^:]{1,60}:[ ]*", body)
            if party:  # "Stadspartij Den Helder: de dames Pater en ..."
                body, offset = body[party.end():], offset + party.end()
            for item in regex.finditer(r"[^,;.]+", body):
                for piece in regex.finditer(r"(?:(?<=^)|(?<=\sen\s))(?:(?!\sen\s).)+", item.group()):
                    raw = piece.group()
                    title = _MEMBER_TITLES.match(raw.strip())
                    lead = len(raw) - len(raw.lstrip()) + (title.end() if title else 0)
                    name = raw[lead:].strip()
                    if not name or not name.split()[-1][0].isupper() \
                            or any(c.isdigit() for c in name) or len(name.split()) > 5:
                        continue
                    start = base + offset + item.start() + piece.start() + lead
                    out.append((start, start + len(name), "voting list"))
    return out


@lru_cache(maxsize=1)
def _named_with_role() -> regex.Pattern:
    from woo_anon.names.patterns import OFFICIAL_ROLES

    name = patterns()["initials"].pattern.replace("(?P<name>", "(?:", 1)
    name = name.replace(r"(?<![\w.])", "", 1)
    return regex.compile(r"(?<![\w])(?i:de[ ]heer|mevrouw|mw\.|dhr\.)[ ]+\n?(?:(?i:drs\.|mr\.|dr\.|"
                         r"ir\.|ing\.)[ ]+)*(?P<name>" + name + r"|" + r"\p{Lu}[\p{Ll}'’]+(?:[ ]\p{Lu}"
                         r"[\p{Ll}'’]+)?)[ ,]+\n?(?:deelt[ ])?als[ ]\n?(?:(?i:" + OFFICIAL_ROLES
                         + r"|voorzitter))(?![\w])")


def named_with_role(text: str) -> list[tuple[int, int, str]]:
    """A person named with the office they act in: "de heer G.K. Visser als wethouder",
    "De heer E.M. Krijns deelt als voorzitter ... mee", "het lid De Groot (D66)", and a person
    a public body appoints ("de heer G.J. Braas per 1 mei te herbenoemen als lid van de
    Rekenkamercommissie")."""
    return [(m.start("name"), m.end("name"), "official named with role")
            for m in _named_with_role().finditer(text)] + members(text) + appointments(text)


@lru_cache(maxsize=1)
def _appointed() -> regex.Pattern:
    name = patterns()["initials"].pattern.replace("(?P<name>", "(?:", 1)
    name = name.replace(r"(?<![\w.])", "", 1)
    return regex.compile(r"(?<![\w])(?i:de[ ]heer|mevrouw|mw\.|dhr\.)[ ]+\n?(?:(?i:drs\.|mr\.|dr\.|"
                         r"ir\.|ing\.|prof\.)[ ]+\n?)*(?P<name>" + name + r"|\p{Lu}[\p{Ll}'’]+(?:[ ]\p{Lu}"
                         r"[\p{Ll}'’]+)?)(?P<rest>[^.;\n]{0,120}(?:\n[^.;\n]{0,120})?)")


_APPOINTMENT = regex.compile(r"(?i)(?<![\w])(?:te[ ])?(?:her)?benoem(?:en|d|t)[ ]+(?:\n[ ]*)?(?:als|tot)"
                             r"(?![\w])|(?<![\w])(?:als|tot)[ ](?:\w+[ ]){1,8}?te[ ](?:her)?benoemen(?![\w])")


def appointments(text: str) -> list[tuple[int, int, str]]:
    """A person appointed to a public office by the body that publishes the decision: "de
    heer drs. G.J. Braas per 9 juli te herbenoemen als lid van de Rekenkamercommissie",
    "mevrouw Kuipers tot voorzitter te benoemen", "de heer T. Akkerman is benoemd tot ..."."""
    return [(m.start("name"), m.end("name"), "official named with role")
            for m in _appointed().finditer(text) if _APPOINTMENT.search(m.group("rest"))]


# "Vragen van de leden Van Weyenberg, Romke de Jong en Kat (allen D66)", "het lid De Groot (D66)":
# members of parliament or council named with their party.
_MEMBERS = regex.compile(r"(?<![\w])(?i:het[ ](?:kamer)?lid|de[ ](?:kamer)?leden|het[ ]raadslid|"
                         r"de[ ]raadsleden)(?:[ ]+\n?|\n)(?P<value>[^()\n.;:]{2,200}?)[ ]*\n?\((?:allen[ ]|"
                         r"beiden[ ])?(?P<party>[^()\n]{2,40})\)")


def members(text: str) -> list[tuple[int, int, str]]:
    """Members named with "het lid" / "de leden" and their party in brackets."""
    out = []
    for match in _MEMBERS.finditer(text):
        base = match.start("value")
        for item in regex.finditer(r"[^,]+", match.group("value")):
            for piece in regex.finditer(r"(?:(?<=^)|(?<=\sen\s))(?:(?!\sen\s).)+", item.group()):
                raw = piece.group()
                name = raw.strip()
                if not name or not name.split()[-1][:1].isupper() or len(name.split()) > 5 \
                        or any(c.isdigit() for c in name):
                    continue
                start = base + item.start() + piece.start() + raw.index(name)
                out.append((start, start + len(name), "official named with role"))
    return out
