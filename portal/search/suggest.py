""""Did you mean": the query with unknown words replaced by the nearest indexed word."""

from __future__ import annotations

from .postings import Postings
from .query import Built


def suggestion(searcher, built: Built, surface: dict[str, str],
               postings: Postings | None = None) -> str | None:
    """The query with unknown words replaced by the nearest indexed word, or None.

    Uses Whoosh's corrector on the unstemmed, folded field, once per word and open
    index when ``postings`` (its ``Postings``) is given. A word typed in plain ASCII
    gets a plain suggestion; any other is shown as the content writes it.
    """
    postings = Postings() if postings is None else postings
    reader = postings.reader(searcher.reader())
    corrector = searcher.corrector("fbody")
    # Where an apostrophe is a letter, the fold field drops it: a word typed in plain
    # ASCII still needs the written form.
    apostrophe = built.analysis.rules.apostrophe
    pieces: list[str] = []
    cursor = 0
    changed = False
    for word in built.words:
        if len(word.fold) != 1 or word.han or word.number or len(word.fold[0]) < 3:
            continue
        term = word.fold[0]
        if reader.doc_frequency("fbody", term) or any(
                reader.doc_frequency(name, t) for t in word.exact
                for name in ("title", "summary", "body")):
            continue
        found = postings.walk(("nearest", term), lambda t=term: _nearest(corrector, t))
        if not found:
            continue
        pieces.append(built.text[cursor:word.start])
        # Someone who typed without accents gets the suggestion without accents
        # ("toii" -> "toi", not "tội"); otherwise the word as the content writes it.
        typed_plain = word.text.isascii() and not apostrophe
        pieces.append(found[0] if typed_plain else surface.get(found[0], found[0]))
        cursor = word.end
        changed = True
    if not changed:
        return None
    pieces.append(built.text[cursor:])
    return " ".join("".join(pieces).split())


def _nearest(corrector, term: str) -> list[str]:
    # Short words have many neighbours two edits away: only suggest one edit.
    found = corrector.suggest(term, limit=1, maxdist=1, prefix=1)
    if not found and len(term) >= 6:
        found = corrector.suggest(term, limit=1, maxdist=2, prefix=1)
    return found
