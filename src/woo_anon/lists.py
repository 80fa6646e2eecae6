"""Word lists: deduce's Dutch lookup data (names, streets, places) and the project's own lists."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

DATA = Path(__file__).parent / "data"
_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """The comparison form of a term: lower case, runs of white space made one space."""
    return _SPACE.sub(" ", text).strip().lower()


def term_key(text: str) -> str:
    """How allow- and deny-list terms are compared: folded, commas ignored ("Jansen, J." is
    "jansen j.")."""
    return fold(text.replace(",", " "))


def _deduce_src() -> Path:
    """deduce's list folder, found without importing deduce: its __init__ calls
    logging.basicConfig(stream=sys.stdout, level=DEBUG), which would make every library log
    (pdfminer prints page text at DEBUG) go to stdout."""
    spec = find_spec("deduce")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("deduce is not installed")
    return Path(spec.submodule_search_locations[0]) / "data" / "lookup" / "src"


def read_lines(path: Path) -> list[str]:
    """Non-empty, non-comment lines of a list file (empty when the file is absent)."""
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _deduce_list(relative: str, exceptions: bool = True) -> frozenset[str]:
    folder = _deduce_src() / relative
    items = set(read_lines(folder / "items.txt"))
    if exceptions:
        items -= set(read_lines(folder / "exceptions.txt"))
    return frozenset(items)


@lru_cache(maxsize=None)
def first_names() -> frozenset[str]:
    return _deduce_list("names/lst_first_name") | frozenset(read_lines(DATA / "first_names_extra.txt"))


@lru_cache(maxsize=None)
def surnames() -> frozenset[str]:
    return _deduce_list("names/lst_surname") | frozenset(read_lines(DATA / "surnames_extra.txt"))


@lru_cache(maxsize=None)
def interfix_surnames() -> frozenset[str]:
    """Surnames that take a tussenvoegsel ("Jong" of "de Jong", "Boer" of "de Boer")."""
    return _deduce_list("names/lst_interfix_surname")


@lru_cache(maxsize=None)
def interfixes() -> frozenset[str]:
    """Tussenvoegsels, lower case: van, van der, de, ter, ..."""
    return frozenset(i.lower() for i in _deduce_list("names/lst_interfix"))


@lru_cache(maxsize=None)
def common_words() -> frozenset[str]:
    """Lower-case Dutch words that are never a name on their own."""
    words = _deduce_list("whitelist/lst_common_word") | _deduce_list("whitelist/lst_stop_word")
    return frozenset(w.lower() for w in words) | not_names()


@lru_cache(maxsize=None)
def not_names() -> frozenset[str]:
    """Lower-case words that look like names in documents but never are (data/not_names.txt)."""
    return frozenset(w.lower() for w in read_lines(DATA / "not_names.txt"))


@lru_cache(maxsize=None)
def streets() -> frozenset[str]:
    return frozenset(s.lower() for s in _deduce_list("locations/lst_street"))


@lru_cache(maxsize=None)
def places() -> frozenset[str]:
    names = set()
    for sub in ("lst_residence", "lst_municipality", "lst_province", "lst_region"):
        names |= _deduce_list(f"locations/lst_placename/{sub}")
    names |= set(read_lines(DATA / "world_places.txt"))  # "Wenen", "Vienna", "Berlijn"
    return frozenset(n.lower() for n in names)


@lru_cache(maxsize=None)
def countries() -> frozenset[str]:
    """Country and territory names in Dutch and English, lower case (CLDR through babel)."""
    from babel import Locale

    names: set[str] = set()
    for locale in ("nl", "en"):
        names |= {n.lower() for n in Locale(locale).territories.values()}
    return frozenset(names)


@lru_cache(maxsize=None)
def languages() -> frozenset[str]:
    """Language names in Dutch ("Grieks", "Turks"), lower case (CLDR through babel)."""
    from babel import Locale

    return frozenset(n.lower() for n in Locale("nl").languages.values())


@lru_cache(maxsize=None)
def organisations() -> frozenset[str]:
    """Parties, government bodies and department words (data/organisations.txt) and hospitals
    and care institutions (deduce), lower case: never a person's name."""
    items = {t.lower() for t in read_lines(DATA / "organisations.txt")}
    for sub in ("lst_hospital", "lst_hospital_abbr"):
        items |= {t.lower() for t in _deduce_list(f"institutions/{sub}")}
    return frozenset(items)


@lru_cache(maxsize=None)
def latin_terms() -> frozenset[str]:
    """Medical and biological terms, lower case (deduce): "coli" in "E. coli" is no surname."""
    return frozenset(t.lower() for t in _deduce_list("whitelist/lst_medical_term")
                     | _deduce_list("whitelist/lst_eponymous_disease"))


def is_never_a_person(text: str) -> bool:
    """A country, language, party, public body, department word, hospital or medical term."""
    low = fold(text.strip(" ,.;:"))
    return (low in countries() or low in languages() or low in organisations()
            or low in latin_terms())


def read_term_file(path: str | Path) -> list[str]:
    """A user list: one term per line, `#` comments, optionally `term<TAB>ground` (a deny-list
    term with its own Woo ground); TOML files with `terms = [...]` or `[[terms]]` tables
    (`text = "..."`, `ground = "5.1.1d"`) also work. A term with a ground comes back as
    `term<TAB>ground` (see `split_term`)."""
    path = Path(path)
    if path.suffix == ".toml":
        import tomllib

        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return [_toml_term(t) for t in data.get("terms", [])]
    return read_lines(path)


def _toml_term(item) -> str:
    if isinstance(item, dict):
        text, ground = str(item.get("text", "")), str(item.get("ground", "")).strip()
        return f"{text}\t{ground}" if ground else text
    return str(item)


def split_term(line: str) -> tuple[str, str]:
    """(term, ground) of a list line `term<TAB>ground`; ground "" for a plain term."""
    term, _, ground = line.partition("\t")
    return term.strip(), ground.strip()


@lru_cache(maxsize=None)
def lexicon() -> frozenset[str]:
    """Ordinary Dutch words (lower case), from public-domain government text."""
    return frozenset(read_lines(DATA / "nl_lexicon.txt"))


def is_ordinary_word(token: str) -> bool:
    """An ordinary Dutch word or compound that is not also a known name ("Melding",
    "Klantcontactcentrum"; but not "Bakker", which is a surname too)."""
    if token in surnames() or token in first_names():
        return False
    low = token.lower()
    if low in lexicon() or low in common_words():
        return True
    # compounds ending in an ordinary word of 5+ letters: klantcontact|centrum, bouw|advies
    common = common_words()
    return any(low[i:] in lexicon() or low[i:] in common for i in range(3, len(low) - 4))
