"""Merge the generated/TK data and the Frog-silver data into train and dev folders."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import spacy
from spacy.tokens import DocBin


def main() -> None:
    nlp = spacy.blank("nl")
    frog = list(DocBin().from_disk("build/frog/frog.spacy").get_docs(nlp.vocab))
    random.Random(0).shuffle(frog)
    cut = len(frog) // 10
    for folder in ("build/ner-train", "build/ner-dev"):
        Path(folder).mkdir(parents=True, exist_ok=True)
    DocBin(docs=frog[cut:]).to_disk("build/ner-train/frog.spacy")
    DocBin(docs=frog[:cut]).to_disk("build/ner-dev/frog.spacy")
    shutil.copy("build/ner-data/train.spacy", "build/ner-train/synth_tk.spacy")
    shutil.copy("build/ner-data/dev.spacy", "build/ner-dev/synth_tk.spacy")


if __name__ == "__main__":
    main()
