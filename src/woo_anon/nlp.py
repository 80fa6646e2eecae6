"""Loading the Dutch spaCy pipeline: the shipped model, an installed one by name, or a blank one."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import spacy
from spacy.language import Language

log = logging.getLogger(__name__)

DEFAULT_MODEL = "nl_woo_ner"
# The model is package data: it is in the wheel and found wherever the package is installed.
MODELS_DIR = Path(__file__).resolve().parent / "models"


@Language.component("woo_lower_lemma")
def woo_lower_lemma(doc):
    """presidio's context words match lemmas; an NER-only pipeline has none, so use lower case."""
    for token in doc:
        if not token.lemma_:
            token.lemma_ = token.lower_
    return doc


def resolve_model(model: str | None) -> str | None:
    """The model to load: explicit name/path, $WOO_ANON_MODEL, or the shipped nl_woo_ner."""
    if model:
        return model
    if os.environ.get("WOO_ANON_MODEL"):
        return os.environ["WOO_ANON_MODEL"]
    shipped = MODELS_DIR / DEFAULT_MODEL
    return str(shipped) if (shipped / "config.cfg").exists() else None


def check_model(model: str | None) -> None:
    """Fail early, with one line, when a named pipeline is neither installed nor a folder."""
    name = resolve_model(model)
    if name in (None, "blank", "none"):
        return
    if not (spacy.util.is_package(name) or Path(name).is_dir()):
        from woo_anon.errors import BadInputError

        raise BadInputError(f"cannot load spaCy pipeline '{name}': not an installed package "
                            "and not a folder")


def _load_folder(path: Path) -> Language:
    """A pipeline saved in a folder, its tokenizer built once. spaCy builds the language's
    tokenizer from the config and then reads the saved one over it, loading its ~9,000 special
    cases twice (half a second of start-up). The saved tokenizer is read only when it differs
    from the one the config built (compared byte for byte in its serialised form)."""
    nlp = spacy.load(path, exclude=["tokenizer"])
    saved = path / "tokenizer"
    if saved.is_file() and saved.read_bytes() != nlp.tokenizer.to_bytes(exclude=["vocab"]):
        nlp.tokenizer.from_disk(saved, exclude=["vocab"])
    return nlp


def load_pipeline(model: str | None) -> Language:
    """Load a spaCy pipeline; "blank" (or no shipped model) gives a tokenizer-only Dutch pipeline."""
    name = resolve_model(model)
    if name in (None, "blank", "none"):
        if name is None:
            log.warning("no NER model found in %s; names come from rules and lists only", MODELS_DIR)
        nlp = spacy.blank("nl")
    else:
        try:
            if Path(name).is_dir():
                nlp = _load_folder(Path(name))
            else:
                nlp = spacy.load(name, exclude=["parser", "tagger", "morphologizer",
                                                "attribute_ruler", "senter", "lemmatizer"])
        except OSError as exc:
            raise ValueError(f"cannot load spaCy pipeline '{name}': {str(exc).splitlines()[0]}") from None
    if "woo_lower_lemma" not in nlp.pipe_names:
        nlp.add_pipe("woo_lower_lemma", last=True)
    nlp.max_length = 5_000_000
    return nlp
