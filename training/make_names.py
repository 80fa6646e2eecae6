"""Write training/names_generated.txt: person names that NO name list knows, synthesised from
syllables and name-building suffixes (deterministic, seed 0), for the generated training sentences.

The model must learn that a word is a name from its shape and its context (a title before it, a
role after it, a signature block, "Surname, First name"), not from list membership: names filled
in from a list teach it the list. So most training names are made up here, in the shapes that
Dutch documents meet: Dutch surnames built like real ones (-inga, -stra, -veld, -kamp, patronymics
in -sen/-szoon), Frisian, Flemish, and the shapes of Moroccan, Turkish, Surinamese-Hindustani,
Slavic, Balkan, West-African, Portuguese/Spanish/Italian, Greek, Armenian, Chinese and Vietnamese
names. Every made-up name that is in a name list, in the project's lexicon of ordinary Dutch words
or in the common-word list is dropped, so these are names no list knows.

The pool is written to a committed file on purpose: benchmarks/woo_testset.py refuses to run when
a held-out test name occurs in any training/*.txt, so the pool can be checked against the test set
without anyone reading the test set.

Usage: python training/make_names.py   (writes training/names_generated.txt)
"""

from __future__ import annotations

import random
from pathlib import Path

from woo_anon import lists

TARGET = Path(__file__).resolve().parent / "names_generated.txt"

# (onsets, vowels, codas, endings) per name shape; a name is 1-3 syllables plus an optional ending
SHAPES: dict[str, dict[str, list[str]]] = {
    "dutch": {"on": ["b", "br", "d", "dr", "f", "fr", "g", "gr", "h", "j", "k", "kl", "kr", "l", "m", "n", "p",
                     "pl", "r", "s", "sch", "schr", "sl", "sm", "sn", "sp", "st", "str", "t", "tr", "v", "vl",
                     "w", "wr", "z", "zw"],
              "v": ["a", "e", "i", "o", "u", "aa", "ee", "oo", "ie", "oe", "ui", "ij", "ei", "eu", "ou", "au"],
              "co": ["", "", "k", "l", "m", "n", "r", "s", "t", "ck", "ng", "nk", "rd", "rt", "lt", "ns", "rs"],
              "last_end": ["inga", "enga", "stra", "sma", "ema", "ink", "ing", "huis", "kamp", "veld", "berg",
                           "man", "mans", "dijk", "hof", "broek", "horst", "voort", "sen", "se", "ers", "ens",
                           "beek", "bosch", "hout", "land", "meijer", "kes", "stee", "werf", "brink", "loo",
                           "donk", "heuvel", "gaard", "hagen", "wijk", "rooij", "kuijl", "molen", "ma", "ga"],
              "first_end": ["", "", "je", "tje", "ke", "ina", "ien", "ard", "old", "bert", "mar", "win", "rik",
                            "da", "na", "lie"]},
    "frisian_flemish": {"on": ["b", "d", "f", "g", "h", "j", "k", "l", "m", "p", "r", "s", "t", "w", "sj", "tj"],
                        "v": ["a", "e", "i", "o", "y", "ae", "oe", "ie", "ou", "ij", "ui"],
                        "co": ["", "k", "l", "n", "r", "s", "t", "rt", "ns"],
                        "last_end": ["stra", "sma", "ema", "inga", "ster", "ckx", "ghe", "aert", "eels",
                                     "aerts", "kens", "mans", "ynck", "eyn", "ebrouck", "aeghe"],
                        "first_end": ["", "e", "ke", "tsje", "ie", "je", "rt"]},
    "maghreb": {"on": ["b", "d", "f", "h", "j", "k", "kh", "l", "m", "n", "r", "s", "t", "y", "z", "ch", "gh"],
                "v": ["a", "ou", "i", "e", "aa", "ai", "ii"],
                "co": ["", "", "d", "f", "l", "m", "n", "r", "s", "b", "h"],
                "last_end": ["i", "ani", "ouni", "ari", "adi", "ach", "ouch", "aoui", "ati"],
                "first_end": ["", "a", "ia", "ine", "ane", "ida", "ir", "ad"]},
    "turkish": {"on": ["b", "c", "ç", "d", "g", "h", "k", "m", "n", "s", "ş", "t", "y", "z", "er", "ö", "ü"],
                "v": ["a", "e", "i", "ı", "o", "u", "ü", "ö"],
                "co": ["", "k", "l", "m", "n", "r", "t", "z", "ş", "y"],
                "last_end": ["oğlu", "can", "soy", "taş", "tekin", "demir", "kaya", "ay", "türk", "han", "ak"],
                "first_end": ["", "an", "em", "ur", "ay", "nur", "can", "ge"]},
    "hindustani": {"on": ["b", "bh", "d", "dh", "g", "j", "k", "kh", "l", "m", "n", "p", "r", "s", "sh", "t", "w"],
                   "v": ["a", "aa", "i", "ie", "oe", "e", "o"],
                   "co": ["", "", "n", "r", "s", "m", "k", "t"],
                   "last_end": ["dien", "sing", "bali", "pal", "das", "persad", "ram", "bhagan", "lal", "nath"],
                   "first_end": ["", "a", "i", "esh", "ita", "an", "wati"]},
    "slavic": {"on": ["b", "br", "d", "dr", "g", "gr", "j", "k", "kr", "l", "m", "n", "p", "pr", "r", "s",
                      "st", "t", "w", "z", "zd", "cz", "sz", "ž", "č"],
               "v": ["a", "e", "i", "o", "u", "y", "ie"],
               "co": ["", "", "n", "r", "s", "l", "k", "w"],
               "last_end": ["ski", "ska", "wicz", "czyk", "ović", "ević", "enko", "ov", "ova", "ak", "ek", "nik",
                            "ić", "ovski"],
               "first_end": ["", "a", "an", "o", "ek", "ina", "ja"]},
    "west_african": {"on": ["b", "d", "f", "k", "kw", "m", "n", "ny", "o", "a", "s", "t", "y", "ch", "gb"],
                     "v": ["a", "e", "i", "o", "u"],
                     "co": ["", "", "", "n", "m"],
                     "last_end": ["ah", "oh", "ku", "ye", "wu", "nde", "mbe", "ola", "ebe"],
                     "first_end": ["", "a", "o", "ah", "ua", "e"]},
    "romance": {"on": ["b", "c", "ch", "d", "f", "g", "gi", "l", "m", "n", "p", "r", "s", "t", "v"],
                "v": ["a", "e", "i", "o", "u", "ai", "ia", "io"],
                "co": ["", "", "l", "n", "r", "s"],
                "last_end": ["ez", "es", "elli", "etti", "ino", "ini", "eira", "inho", "ado", "ales", "ier",
                             "eau", "escu", "aro"],
                "first_end": ["", "o", "a", "ela", "ina", "ès", "ão"]},
    "greek_armenian": {"on": ["k", "p", "t", "d", "g", "m", "n", "s", "v", "ch", "th", "l", "r"],
                       "v": ["a", "e", "i", "o", "ou", "y"],
                       "co": ["", "", "s", "n", "r"],
                       "last_end": ["opoulos", "idis", "akis", "ou", "yan", "ian", "as"],
                       "first_end": ["", "os", "is", "a", "ine", "ik"]},
}
EAST_ASIAN_SYLLABLES = ["Li", "Zhao", "Xu", "Lin", "Guo", "Zhou", "Huang", "Wu", "Feng", "Qian", "Hao", "Jun",
                        "Xiang", "Yan", "Ming", "Pham", "Hoang", "Vu", "Dang", "Bui", "Ngo", "Duong", "Ly",
                        "Anh", "Linh", "Minh", "Quang", "Thu", "Hoa", "Tuan", "Hieu", "Lan", "Kim", "Jin",
                        "Park", "Seo", "Yoon", "Hyun", "Tanaka", "Sato", "Yuki", "Haru"]


def _word(rng: random.Random, shape: dict[str, list[str]], ending: str) -> str:
    end = rng.choice(shape[ending])
    syllables = rng.choice([1, 1, 2] if end else [1, 2, 2, 3])
    parts = [rng.choice(shape["on"]) + rng.choice(shape["v"]) + rng.choice(shape["co"]) for _ in range(syllables)]
    if rng.random() < 0.3:  # names often start with a vowel (Anouk, Ertan, Oduya)
        parts[0] = parts[0].lstrip("bcdfghjklmnpqrstvwxzçčšşž")
    return ("".join(parts) + end).capitalize()


def _plausible(name: str) -> bool:
    """No triple letters, no four consonants in a row, a vowel somewhere, 3-13 letters."""
    low = name.lower()
    if not 3 <= len(low) <= 13 or not any(c in "aeiouyıöüé" for c in low):
        return False
    if any(low[i] == low[i + 1] == low[i + 2] for i in range(len(low) - 2)):
        return False
    run = 0
    for c in low:
        run = 0 if c in "aeiouyıöüéèã" else run + 1
        if run >= 4 and not low.startswith("schr"):
            return False
    return True


def generate(n_first: int = 3000, n_last: int = 5000, seed: int = 0) -> tuple[list[str], list[str]]:
    """Made-up first names and surnames, none of them in a name list or an ordinary word."""
    rng = random.Random(seed)
    known = {n.lower() for n in lists.first_names()} | {n.lower() for n in lists.surnames()}
    ordinary = lists.common_words() | {w.lower() for w in lists.lexicon()}
    shapes = list(SHAPES)
    weights = [5, 2, 2, 2, 1, 2, 1, 1, 1]

    def fresh(candidate: str, seen: set[str]) -> bool:
        low = candidate.lower()
        return (_plausible(candidate) and low not in known and low not in ordinary and low not in seen)

    first: set[str] = set()
    while len(first) < n_first:
        name = _word(rng, SHAPES[rng.choices(shapes, weights)[0]], "first_end")
        if rng.random() < 0.04:
            name = f"{name}-{_word(rng, SHAPES['dutch'], 'first_end')}"
        if fresh(name, first):
            first.add(name)
    last: set[str] = set()
    while len(last) < n_last:
        r = rng.random()
        if r < 0.05:  # East-Asian shapes: two syllables written as one word
            name = rng.choice(EAST_ASIAN_SYLLABLES) + rng.choice(EAST_ASIAN_SYLLABLES).lower()
        elif r < 0.12:  # patronymics built on a made-up first name
            name = rng.choice(sorted(first)).split("-")[0] + rng.choice(["sen", "szoon", "se", "s", "x"])
        else:
            name = _word(rng, SHAPES[rng.choices(shapes, weights)[0]], "last_end")
        if fresh(name, last):
            last.add(name)
    return sorted(first), sorted(last)


def main() -> None:
    first, last = generate()
    TARGET.write_text("# generated by training/make_names.py (seed 0): made-up names in no name list\n"
                      + "".join(f"F\t{n}\n" for n in first) + "".join(f"L\t{n}\n" for n in last),
                      encoding="utf-8")
    print(f"{len(first)} first names, {len(last)} surnames -> {TARGET}")


if __name__ == "__main__":
    main()
