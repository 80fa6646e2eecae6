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


def load_pipeline(model: str | None) -> Language:
    """Load a spaCy pipeline; "blank" (or no shipped model) gives a tokenizer-only Dutch pipeline."""
    name = resolve_model(model)
    if name in (None, "blank", "none"):
        if name is None:
            log.warning("no NER model found in %s; names come from rules and lists only", MODELS_DIR)
        nlp = spacy.blank("nl")
    else:
        try:
            nlp = spacy.load(name, exclude=["parser", "tagger", "morphologizer", "attribute_ruler",
                                             "senter", "lemmatizer"] if not Path(name).exists() else [])
        except OSError as exc:
            raise ValueError(f"cannot load spaCy pipeline '{name}': {str(exc).splitlines()[0]}") from None
    if "woo_lower_lemma" not in nlp.pipe_names:
        nlp.add_pipe("woo_lower_lemma", last=True)
    nlp.max_length = 5_000_000
    return nlp
