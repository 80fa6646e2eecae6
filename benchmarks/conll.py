"""PER scores on CoNLL-2002 Dutch ned.testb (evaluation only: the corpus is research-only)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTB = ROOT.parent / "shared" / "data" / "conll2002-nl" / "ned.testb"


def read_conll(path: Path = TESTB, per_doc: int = 20) -> list[tuple[str, set, set]]:
    """Groups of sentences as (text, gold PER char spans, gold PER token char spans)."""
    sentences, tokens = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts:
            if tokens:
                sentences.append(tokens)
            tokens = []
            continue
        if parts[0] == "-DOCSTART-":
            continue
        word = parts[0].replace("\u0081E", "ë")
        tokens.append((word, parts[-1]))
    if tokens:
        sentences.append(tokens)
    groups = []
    for i in range(0, len(sentences), per_doc):
        text, spans, toks, current = "", set(), set(), None
        for sentence in sentences[i:i + per_doc]:
            for word, tag in sentence:
                start = len(text)
                text += word + " "
                if tag.endswith("PER"):
                    toks.add((start, start + len(word)))
                    if tag.startswith("B-") or current is None:
                        if current:
                            spans.add(current)
                        current = (start, start + len(word))
                    else:
                        current = (current[0], start + len(word))
                elif current:
                    spans.add(current)
                    current = None
            if current:
                spans.add(current)
                current = None
            text = text.rstrip() + "\n"
        groups.append((text, spans, toks))
    return groups


def score(groups, predict) -> dict[str, float]:
    """Strict span P/R/F1 and token recall; predict(text) -> list of (start, end)."""
    tp = fp = fn = tok_hit = tok_all = 0
    for text, gold, toks in groups:
        pred = {(s, e) for s, e in predict(text)}
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
        tok_all += len(toks)
        tok_hit += sum(1 for s, e in toks if any(ps <= s and e <= pe for ps, pe in pred))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"P": p, "R": r, "F1": f, "token_R": tok_hit / tok_all if tok_all else 0.0}


def model_predictor(nlp):
    def predict(text):
        return [(e.start_char, e.end_char) for e in nlp(text).ents if e.label_ in ("PER", "PERSON")]
    return predict


def woo_predictor(detector):
    from woo_anon.model import Page

    def predict(text):
        page = Page(1, text, (), ())
        return [(s.start, s.end) for s in detector.detect_page(page) if s.entity == "PERSON"]
    return predict


def deduce_predictor(anchor):
    def predict(text):
        out = []
        for s, e, tag in anchor.find(text):
            if tag in ("persoon", "patient", "person"):
                span = text[s:e]
                # deduce includes titles ("mevrouw P. Jansen"); strip them for strict scoring
                for title in ("de heer ", "mevrouw ", "dhr. ", "mevr. ", "meneer "):
                    if span.lower().startswith(title):
                        s += len(title)
                out.append((s, e))
        return out
    return predict
