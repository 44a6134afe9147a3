"""Queries built from user text, never parsed: no field names, wildcards, ranges or
operators can come from a reader. Every word goes through the same analysers as the
index, and the query is assembled from ``whoosh.query`` objects.

* Each word may match exactly, accent-folded, one typo away (words of four letters or
  more, on the unstemmed folded field), or as a form sharing its first 60 % (a crude
  stemmer for the languages Whoosh cannot stem). Typos and forms are looked up in
  the index once per query and capped, so no word expands to more than a few terms.
* All words first, falling back to any word when that finds too little; ranked by
  BM25F times the share of words a document holds, so documents with every word
  come first. The words as a phrase rank higher.
* The text is cut before anything else, and the number of words is capped; the
  collector has a result cap and a time limit.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from markupsafe import Markup, escape
from whoosh.collectors import TimeLimit, TimeLimitCollector
from whoosh.query import And, AndMaybe, FuzzyTerm, Or, Phrase, Query, Term

from .analysis import HAN, analysis_for

QUERY_CAP = 200  # characters, as SEARCH_QUERY_CAP
MAX_WORDS = 12
FUZZY_MIN = 4  # a typo is matched only in words this long or longer
FUZZY_MAX = 24
FOLD_BOOST = 0.7  # exact spellings rank above folded ones, which rank above typos
FUZZY_BOOST = 0.3
PHRASE_BOOST = 2.0  # a phrase in a title counts double one anywhere
PHRASE_BONUS = 1.5  # hits holding the words as a phrase
SNIPPET = 160  # characters of context shown per result
SNIPPET_CANDIDATES = 4  # matching blocks compared per result

# Anything invisible or unprintable: control, format (bidi overrides, BOM …),
# surrogates, private use, unassigned. ZWNJ and ZWJ stay: they are part of words.
_DROP = {"Cc", "Cf", "Cs", "Co", "Cn"}
_KEEP = {"\u200c", "\u200d"}


def clean(text: str, cap: int = QUERY_CAP) -> str:
    """The user's text, cut to ``cap`` characters, without invisible characters."""
    if not isinstance(text, str):
        return ""
    text = text[:cap]
    return "".join(
        c if (c in _KEEP or unicodedata.category(c) not in _DROP) else " " for c in text
    )


@dataclass
class Word:
    """One word of the query, as typed and as each field indexes it."""

    start: int
    end: int
    text: str
    exact: list[str]
    fold: list[str]
    # Indexed words one typo away, and indexed words that share the typed word's
    # first 60 % (a crude stemmer for languages Whoosh cannot stem), once looked up
    # in a reader; None: not yet.
    typos: list[str] | None = None
    stems: list[str] = field(default_factory=list)

    @property
    def han(self) -> bool:
        return bool(HAN.search(self.text))

    def fuzzy(self) -> bool:
        return (len(self.fold) == 1 and not self.han
                and FUZZY_MIN <= len(self.fold[0]) <= FUZZY_MAX)


@dataclass
class Built:
    """A query ready to run: the strict (all words) and loose (any word) forms."""

    text: str
    code: str
    words: list[Word] = field(default_factory=list)
    strict: Query | None = None
    loose: Query | None = None
    phrase: Query | None = None
    _matcher: _Matcher | None = field(default=None, repr=False)

    @property
    def empty(self) -> bool:
        return self.strict is None

    @property
    def exact_terms(self) -> set[str]:
        return {t for w in self.words for t in w.exact}

    @property
    def fold_terms(self) -> set[str]:
        return {t for w in self.words for t in w.fold}

    @property
    def fuzzy_terms(self) -> set[str]:
        return {w.fold[0] for w in self.words if w.fuzzy()}

    def matcher(self) -> _Matcher:
        if self._matcher is None:
            self._matcher = _Matcher(self)
        return self._matcher


def _fields_and(field_name: str, terms: list[str], boost: float = 1.0) -> Query:
    if len(terms) == 1:
        return Term(field_name, terms[0], boost=boost)
    return And([Term(field_name, t) for t in terms], boost=boost)


def word_query(word: Word) -> Query:
    """One word: found on the folded field (as typed, or as one of its typo or
    prefix-sharing variants); scored also on the exact fields when they hold it.

    Matching runs on the one folded field (it holds title, summary and body), and the
    exact fields are only consulted for documents that match: half the work of a
    union over every field, with the same documents found.
    """
    core: list[Query] = []
    if word.fold:
        core.append(_fields_and("fbody", word.fold, FOLD_BOOST))
        if word.typos is not None:
            core += [Term("fbody", v, boost=FUZZY_BOOST) for v in word.typos + word.stems]
        elif word.fuzzy():
            core.append(FuzzyTerm("fbody", word.fold[0], boost=FUZZY_BOOST, maxdist=1,
                                  prefixlength=1))
    extras: list[Query] = [_fields_and(name, word.exact)
                           for name in ("title", "summary", "body") if word.exact]
    if word.fold:
        extras.append(_fields_and("ftitle", word.fold, FOLD_BOOST))
    if not core:
        return Or(extras)
    found = core[0] if len(core) == 1 else Or(core)
    return AndMaybe(found, Or(extras)) if extras else found


def phrase_query(words: list[Word]) -> Query | None:
    """The words in order: as written in a title, or anywhere (accents folded)."""
    exact = [t for w in words for t in w.exact]
    folded = [t for w in words for t in w.fold]
    subs: list[Query] = []
    if len(exact) >= 2:
        subs.append(Phrase("title", exact, boost=PHRASE_BOOST))
    if len(folded) >= 2:
        subs.append(Phrase("fbody", folded, boost=PHRASE_BOOST))
    return (Or(subs) if len(subs) > 1 else subs[0]) if subs else None


def build_query(text: str, code: str, cap: int = QUERY_CAP,
                max_words: int = MAX_WORDS) -> Built:
    """The query for ``text`` in the language of locale ``code``. Never raises on any
    string: what is not a word is a separator."""
    analysis = analysis_for(code or "en")
    text = clean(text, cap)
    built = Built(text=text, code=code)
    for start, end, raw in analysis.units(text):
        exact = analysis.exact_terms(raw)
        folded = analysis.fold_terms(raw)
        if not exact and not folded:
            continue  # a stop word
        built.words.append(Word(start, end, raw, exact, folded))
        if len(built.words) >= max_words:
            break
    if built.words:
        queries, built.phrase = tiers(built.words)
        built.strict, built.loose = queries[0], queries[-1]
    return built


def tiers(words: list[Word], known: list[bool] | None = None
          ) -> tuple[list[Query], Query | None]:
    """The strict query (every word), for two words or more the loose one (any word),
    and the phrase query.

    Words the index does not know at all (``known`` False) are left out, so one
    unknown word does not empty the strict query. Runs of two or more consecutive
    words are sought as phrases: not while collecting (a phrase over common words
    is the costliest part of a query) but among the hits, which it then lifts.
    """
    if known is None:
        known = [True] * len(words)
    kept = [w for w, k in zip(words, known, strict=False) if k]
    if not kept:
        return [], None
    runs: list[list[Word]] = [[]]
    for word, k in zip(words, known, strict=False):
        if k:
            runs[-1].append(word)
        elif runs[-1]:
            runs.append([])
    phrases = [p for p in (phrase_query(run) for run in runs if len(run) > 1) if p]
    phrase = (Or(phrases) if len(phrases) > 1 else phrases[0]) if phrases else None
    clauses = [word_query(w) for w in kept]
    out: list[Query] = [And(clauses) if len(clauses) > 1 else clauses[0]]
    if len(clauses) > 1:
        out.append(Or(clauses))
    return out, phrase


MAX_VARIANTS = 8  # indexed words matched per typed word beyond the word itself
COMMON_DOCS, COMMON_SHARE = 50, 0.02  # words in more documents than both: no variants
PREFIX_MIN = 3
PREFIX_SCAN = 64  # terms read per prefix, at most


def truncation(term: str) -> str | None:
    """The part of a word that its inflected forms share, roughly: its first 60 %."""
    if len(term) < PREFIX_MIN:
        return None
    return term[:max(min(len(term), 4), -(-len(term) * 3 // 5))]


def _shared(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def expand_typos(reader, word: Word):
    """Look up, once, the indexed words one edit away from the typed one, and those
    that share its stem-like prefix (paszport → paszportu, baasaboor → baasaboorkaaga).

    Both lists are capped, so no query expands to more than a few terms per word.
    """
    word.typos, word.stems = [], []
    if len(word.fold) != 1 or word.han:
        return
    term = word.fold[0]
    # A word in a large share of a large index needs no variants: they would cost
    # much (long posting lists) and add little.
    if reader.doc_frequency("fbody", term) >= max(COMMON_DOCS, COMMON_SHARE * reader.doc_count()):
        return
    if word.fuzzy():
        near = [t for t in reader.terms_within("fbody", term, 1, prefix=1) if t != term]
        if len(near) > MAX_VARIANTS:
            near.sort(key=lambda t: -reader.doc_frequency("fbody", t))
        word.typos = near[:MAX_VARIANTS]
    prefix = truncation(term)
    if prefix is None:
        return
    stems = []
    for i, btext in enumerate(reader.expand_prefix("fbody", prefix)):
        if i >= PREFIX_SCAN:
            break
        text = btext.decode("utf-8") if isinstance(btext, bytes) else btext
        if text != term and text not in word.typos:
            stems.append(text)
    stems.sort(key=lambda t: (-_shared(t, term), -reader.doc_frequency("fbody", t)))
    word.stems = stems[:MAX_VARIANTS]


def word_known(reader, word: Word) -> bool:
    """Whether any field holds the word: exact, folded, or one typo away."""
    for term in word.exact:
        if any(reader.doc_frequency(name, term) for name in ("title", "summary", "body")):
            return True
    if word.fold and all(reader.doc_frequency("fbody", t) for t in word.fold):
        return True
    return bool(word.typos or word.stems)


# Most people who search are the people the portal is for: their pages first, then
# the public's, then professionals' and businesses', then pages about the site.
AUDIENCE_WEIGHT = {"victims": 1.3, "public": 1.1, "anyone": 1.1, "about": 0.8}
KIND_WEIGHT = {"news": 0.6}


VARIANT_MATCH = 0.75  # a word found only through a typo or a stem-like prefix


def _holders(searcher, query: Query, docnums: list[int]) -> set[int]:
    """Which of ``docnums`` (sorted) match ``query``: one pass of skip_to, no scoring."""
    out: set[int] = set()
    matcher = query.matcher(searcher, searcher.boolean_context())
    for docnum in docnums:
        if not matcher.is_active():
            break
        if matcher.id() < docnum:
            matcher.skip_to(docnum)
        if matcher.is_active() and matcher.id() == docnum:
            out.add(docnum)
    return out


def coordination(searcher, words: list[Word], docnums: list[int]) -> dict[int, float]:
    """Per document, the share of the query's words it holds (a typo or a
    prefix-sharing form counts ``VARIANT_MATCH``). Checked for the top hits only."""
    docs = sorted(docnums)
    share = dict.fromkeys(docs, 0.0)
    if not words:
        return dict.fromkeys(docs, 1.0)
    for word in words:
        plain = [Term(name, t) for t in word.exact for name in ("title", "summary", "body")]
        plain += [Term(name, t) for t in word.fold for name in ("ftitle", "fbody")]
        variants = [Term("fbody", t) for t in (word.typos or []) + word.stems]
        found = _holders(searcher, Or(plain), docs) if plain else set()
        near = _holders(searcher, Or(variants), docs) if variants else set()
        for docnum in docs:
            if docnum in found:
                share[docnum] += 1.0
            elif docnum in near:
                share[docnum] += VARIANT_MATCH
    return {d: v / len(words) for d, v in share.items()}


def run(searcher, built: Built, cap: int, time_limit: float,
        enough: int = 10) -> list[tuple[int, dict]]:
    """Every word first; any word when that does not find ``enough``.

    The top ``cap`` candidates are ranked by BM25F score times the square of the
    share of query words they hold, so documents with all the words come first, and
    a strong match on most words beats a document that holds the last one only as a
    typo; times a bonus when they hold the words as a phrase; then by audience (the
    portal's readers first) and kind (news last).

    :return: (docnum, stored fields) per hit, best first.
    """
    if built.empty:
        return []
    reader = searcher.reader()
    for word in built.words:
        expand_typos(reader, word)
    known = [word_known(reader, w) for w in built.words]
    words = [w for w, k in zip(built.words, known, strict=False) if k]
    queries, phrase = tiers(built.words, known)
    scores: dict[int, float] = {}
    for query in queries:
        for hit in collect(searcher, query, cap, time_limit):
            scores.setdefault(hit.docnum, hit.score)
        if len(scores) >= enough:
            break
    docs = sorted(scores)
    shares = coordination(searcher, words, docs) if len(words) > 1 else {}
    in_phrase = _holders(searcher, phrase, docs) if phrase is not None else set()
    ranked = []
    for docnum, score in scores.items():
        stored = searcher.stored_fields(docnum)
        weight = (AUDIENCE_WEIGHT.get(stored.get("audience", ""), 1.0)
                  * KIND_WEIGHT.get(stored.get("kind", ""), 1.0))
        if docnum in in_phrase:
            weight *= PHRASE_BONUS
        share = shares.get(docnum, 1.0)
        ranked.append((score * weight * share * share, docnum, stored))
    ranked.sort(key=lambda item: (-item[0], item[1]))
    return [(docnum, stored) for _, docnum, stored in ranked]


def collect(searcher, query: Query, cap: int, time_limit: float):
    """Top ``cap`` hits, cut off after ``time_limit`` seconds (partial results kept)."""
    collector = TimeLimitCollector(searcher.collector(limit=cap), timelimit=time_limit,
                                   use_alarm=False)
    try:
        searcher.search_with_collector(query, collector)
    except TimeLimit:
        pass
    return collector.results()


# Snippets ---------------------------------------------------------------------------

def within_one(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` are at most one edit apart."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la > lb:
        a, b, la, lb = b, a, lb, la
    i = 0
    while i < la and a[i] == b[i]:
        i += 1
    if la == lb:
        return a[i + 1:] == b[i + 1:]
    return a[i:] == b[i + 1:]


class _Matcher:
    """Which query words a word of the text matches, cached per written word.

    Uses the analysers' cached per-word terms, and the typo and prefix variants the
    search looked up in the index (or, before any lookup, an edit-distance check).
    """

    def __init__(self, built: Built):
        self.analysis = analysis_for(built.code)
        self.exact: dict[str, set[int]] = defaultdict(set)
        self.fold: dict[str, set[int]] = defaultdict(set)
        self.fuzzy: list[tuple[int, str]] = []
        for i, word in enumerate(built.words):
            for t in word.exact:
                self.exact[t].add(i)
            for t in word.fold:
                self.fold[t].add(i)
            if word.typos is None:
                if word.fuzzy():
                    self.fuzzy.append((i, word.fold[0]))
            else:
                for t in word.typos + word.stems:
                    self.fold[t].add(i)
        self.cache: dict[str, frozenset[int]] = {}

    def __call__(self, word: str) -> frozenset[int]:
        found = self.cache.get(word)
        if found is None:
            ids: set[int] = set()
            for t in self.analysis.exact_terms(word):
                ids |= self.exact.get(t, set())
            for t in self.analysis.fold_terms(word):
                ids |= self.fold.get(t, set())
                if len(t) >= FUZZY_MIN:
                    ids.update(i for i, q in self.fuzzy if q[0] == t[0] and within_one(q, t))
            found = self.cache[word] = frozenset(ids)
        return found


def match_spans(text: str, built: Built) -> tuple[list[tuple[int, int]], set[int]]:
    """Character spans of ``text`` that match the query, and which query words matched."""
    matcher = built.matcher()
    spans: list[tuple[int, int]] = []
    found: set[int] = set()
    for start, end, word in matcher.analysis.units(text):
        ids = matcher(word)
        if ids:
            spans.append((start, end))
            found |= ids
    return _merge(spans), found


def _merge(spans):
    out: list[list[int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


_SPACE = re.compile(r"\s")


def _cut(text: str, start: int, end: int) -> tuple[int, int]:
    """Move a window's edges to spaces, where the text has any nearby."""
    if start > 0:
        space = _SPACE.search(text, start, min(start + 20, len(text)))
        start = space.end() if space else start
    if end < len(text):
        back = text.rfind(" ", max(end - 20, start), end)
        end = back if back > start else end
    return start, end


def snippet(texts: list[tuple[str, str]], built: Built, width: int = SNIPPET
            ) -> tuple[Markup, str]:
    """A short passage around the matched words, escaped, matches in ``<mark>``.

    :param texts: (text, language code) per block, in reading order.
    :return: the passage and the language it is in.
    """
    best = None
    matching = 0
    for text, code in texts:
        if not text:
            continue
        spans, found = match_spans(text, built)
        if not spans:
            continue
        matching += 1
        if best is None or len(found) > best[0]:
            best = (len(found), text, code, spans)
        # Enough: a passage with every word, or the best of the first few that match.
        if best[0] >= len(built.words) or matching >= SNIPPET_CANDIDATES:
            break
    if best is None:
        text, code = next(((t, c) for t, c in texts if t), ("", built.code))
        start, end = _cut(text, 0, width) if len(text) > width else (0, len(text))
        return Markup(escape(text[start:end]) + ("…" if end < len(text) else "")), code
    _, text, code, spans = best
    # The window that covers the most matches, starting a little before the first.
    window_start = 0
    best_count = -1
    for a, _ in spans:
        begin = max(0, a - 30)
        count = sum(1 for s, e in spans if s >= begin and e <= begin + width)
        if count > best_count:
            window_start, best_count = begin, count
    start, end = _cut(text, window_start, min(len(text), window_start + width))
    out = ["…"] if start > 0 else []
    cursor = start
    for a, b in spans:
        if b <= start or a >= end:
            continue
        a, b = max(a, start), min(b, end)
        out.append(str(escape(text[cursor:a])))
        out.append(f"<mark>{escape(text[a:b])}</mark>")
        cursor = b
    out.append(str(escape(text[cursor:end])))
    if end < len(text):
        out.append("…")
    return Markup("".join(out)), code


# "Did you mean" ----------------------------------------------------------------------

def suggestion(searcher, built: Built, surface: dict[str, str]) -> str | None:
    """The query with unknown words replaced by the nearest indexed word, or None.

    Uses Whoosh's corrector on the unstemmed, folded field. A word typed in plain
    ASCII gets a plain suggestion; any other is shown as the content writes it.
    """
    reader = searcher.reader()
    corrector = searcher.corrector("fbody")
    # Where an apostrophe is a letter, the fold field drops it: a word typed in plain
    # ASCII still needs the written form.
    apostrophe = analysis_for(built.code).rules.apostrophe
    pieces: list[str] = []
    cursor = 0
    changed = False
    for word in built.words:
        if len(word.fold) != 1 or word.han or len(word.fold[0]) < 3:
            continue
        term = word.fold[0]
        if reader.doc_frequency("fbody", term) or any(
                reader.doc_frequency(name, t) for t in word.exact
                for name in ("title", "summary", "body")):
            continue
        # Short words have many neighbours two edits away: only suggest one edit.
        found = corrector.suggest(term, limit=1, maxdist=1, prefix=1)
        if not found and len(term) >= 6:
            found = corrector.suggest(term, limit=1, maxdist=2, prefix=1)
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
