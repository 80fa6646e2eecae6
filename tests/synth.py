"""Synthetic Dutch personal data and simple PDF writers, for samples, tests, benchmarks and
training data (a test helper: not part of the installed package). Every identifier is made valid by its real checksum; every person is invented."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import pymupdf
from stdnum import iban as std_iban
from stdnum.nl import bsn as std_bsn

FIRST = ["Jan", "Pieter", "Sanne", "Anouk", "Daan", "Femke", "Willem", "Marieke", "Bram",
         "Lotte", "Mohammed", "Fatima", "Youssef", "Khadija", "Mehmet", "Ayşe", "Emre", "Zeynep",
         "Rajesh", "Sunita", "Kishan", "Priya", "Wojciech", "Agnieszka", "Piotr", "Sjoerd",
         "Wietske", "Tjitske", "Hylke", "Ramon", "Naima", "Ingrid", "Gerrit", "Hendrika",
         "Joost", "Esther", "Kofi", "Olga", "Thijs", "Noor"]
LAST = [("", "Jansen"), ("de", "Vries"), ("van den", "Berg"), ("", "Bakker"), ("", "Visser"),
        ("", "Smit"), ("", "Meijer"), ("de", "Boer"), ("", "Mulder"), ("de", "Groot"),
        ("", "Yılmaz"), ("", "Kaya"), ("", "Demir"), ("El", "Amrani"), ("", "Bouzid"),
        ("", "Benali"), ("", "Ramdin"), ("", "Jagessar"), ("", "Sewdien"), ("", "Kowalski"),
        ("", "Nowak"), ("", "Wiśniewski"), ("", "Hoekstra"), ("", "Terpstra"), ("", "Dijkstra"),
        ("van der", "Meer"), ("", "Postma"), ("ter", "Horst"), ("van", "Dijk"), ("", "Vermeulen"),
        ("", "Hendriks"), ("van", "Leeuwen"), ("", "Koster"), ("", "Prins"), ("", "Huisman")]
STREETS = ["Kerkstraat", "Dorpsweg", "Lindenlaan", "Molenweg", "Stationsplein", "Prinsengracht",
           "Julianastraat", "Beatrixlaan", "Eikenlaan", "Havenkade", "Schoolstraat", "Kastanjehof",
           "Zuiderdijk", "Oranjesingel", "Burgemeester de Withstraat"]
PLACES = ["Amsterdam", "Diemen", "Utrecht", "Zwolle", "Leeuwarden", "Tilburg", "Almere",
          "Den Haag", "Groningen", "Eindhoven"]


@dataclass(frozen=True)
class Person:
    first: str
    interfix: str
    last: str

    @property
    def surname(self) -> str:
        return f"{self.interfix} {self.last}".strip()

    @property
    def full(self) -> str:
        return f"{self.first} {self.surname}"

    @property
    def initials(self) -> str:
        return f"{self.first[0]}. {self.surname}"

    def email(self, domain: str) -> str:
        local = f"{self.first[0]}.{self.surname.replace(' ', '')}".lower()
        return local.encode("ascii", "ignore").decode() + "@" + domain


def person(rng: random.Random) -> Person:
    interfix, last = rng.choice(LAST)
    return Person(rng.choice(FIRST), interfix, last)


def bsn(rng: random.Random) -> str:
    while True:
        number = f"{rng.randint(10000000, 99999999):08d}" + str(rng.randint(0, 9))
        if std_bsn.is_valid(number) and number[0] != "0":
            return number


def iban(rng: random.Random, bank: str = "") -> str:
    bank = bank or rng.choice(["ABNA", "INGB", "RABO", "SNSB", "TRIO", "ASNB"])
    account = f"{rng.randint(0, 9999999999):010d}"
    check = std_iban.calc_check_digits("NL00" + bank + account)
    return f"NL{check}{bank}{account}"


def iban_spaced(value: str) -> str:
    return " ".join(value[i:i + 4] for i in range(0, len(value), 4))


def mobile(rng: random.Random) -> str:
    return f"06-{rng.randint(1, 5)}{rng.randint(1000000, 9999999)}"


def landline(rng: random.Random) -> str:
    area = rng.choice(["020", "010", "030", "050", "058", "038", "013", "040"])
    return f"{area}-{rng.randint(1000000, 9999999)}"


def postcode(rng: random.Random) -> str:
    letters = "ABCEGHJKLMNPRTVWXZ"
    return f"{rng.randint(1000, 9999)} {rng.choice(letters)}{rng.choice(letters)}"


def address(rng: random.Random) -> tuple[str, str]:
    street = f"{rng.choice(STREETS)} {rng.randint(1, 250)}{rng.choice(['', '', 'a', '-II', ' bis'])}"
    return street, f"{postcode(rng)} {rng.choice(PLACES)}"


def plate(rng: random.Random) -> str:
    letters = "BDFGHJKLNPRSTVXZ"
    pick = lambda n: "".join(rng.choice(letters) for _ in range(n))  # noqa: E731
    return rng.choice([f"{rng.randint(10, 99)}-{pick(3)}-{rng.randint(1, 9)}",
                       f"{pick(1)}-{rng.randint(100, 999)}-{pick(2)}",
                       f"{pick(2)}-{rng.randint(100, 999)}-{pick(1)}"])


def write_pdf(path: str | Path, pages: list[str], rotate: dict[int, int] | None = None,
              fontsize: float = 10.5) -> Path:
    """Write plain text pages (A4, Helvetica); `rotate` maps page index to a rotation."""
    doc = pymupdf.open()
    for index, text in enumerate(pages):
        page = doc.new_page(width=595, height=842)
        page.insert_textbox(pymupdf.Rect(60, 60, 535, 800), text, fontsize=fontsize,
                            fontname="helv", lineheight=1.25)
        if rotate and index in rotate:
            page.set_rotation(rotate[index])
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.set_metadata({"title": path.stem, "author": "woo-anon synth"})
    doc.save(path, garbage=3, deflate=True)
    doc.close()
    return path


def write_table_pdf(path: str | Path, title: str, header: list[str], rows: list[list[str]],
                    widths: list[float]) -> Path:
    """A one-page table with cell borders, landscape A4."""
    doc = pymupdf.open()
    page = doc.new_page(width=842, height=595)
    page.insert_text((40, 50), title, fontsize=13, fontname="hebo")
    y = 75
    for row_index, row in enumerate([header] + rows):
        x = 40
        for cell, width in zip(row, widths):
            rect = pymupdf.Rect(x, y, x + width, y + 20)
            page.draw_rect(rect, color=(0, 0, 0), width=0.5)
            page.insert_text((x + 3, y + 14), cell, fontsize=8.5,
                             fontname="hebo" if row_index == 0 else "helv")
            x += width
        y += 20
    doc.save(path, garbage=3, deflate=True)
    doc.close()
    return Path(path)
