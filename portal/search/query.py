"""Queries built from user text, never parsed: no field names, wildcards, ranges or
operators can come from a reader. Every word goes through the same analysers as the
index, and the query is assembled from ``whoosh.query`` objects.

* Each word may match exactly, accent-folded, as a form sharing its first 60 % (a
  crude stemmer for the languages Whoosh cannot stem), or one typo away (words of
  four letters or more, on the unstemmed folded field, first letter fixed). Forms are
  looked up in the index once per query; typos only for a word the index barely
  knows, or when the exact search found too little (``ranking.run``): the walk of
  the lexicon is the costliest part of a query. Both are capped, so no word expands
  to more than a few terms.
* A reader's phrasing may name what the pages call otherwise ("send me back" for
  removal): the language's reviewed synonyms (``synonyms.py``) add the pages' words
  as alternatives of the phrase.
* All words first, falling back to any word when that finds too little (ranking,
  in ``ranking.py``). Passages around the matches are in ``snippets.py``, "did you
  mean" in ``suggest.py``.
* The text is cut before anything else, and the number of words is capped.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from whoosh.matching import UnionMatcher
from whoosh.query import And, AndMaybe, FuzzyTerm, Or, Phrase, Query, Term

from ..config import QUERY_CAP
from ..locales import ENGLISH, Lang
from .analysis import HAN, Analysis, analysis_for
from .postings import Postings

MAX_WORDS = 12
FUZZY_MIN = 4  # a typo is matched only in words this long or longer
FUZZY_MAX = 24
FUZZY_PREFIX = 1  # letters a typo never changes: the lexicon walk starts there
FOLD_BOOST = 0.7  # exact spellings rank above folded ones, which rank above typos
FUZZY_BOOST = 0.3
STEM_BOOST = 0.2  # a form sharing a prefix is a looser guess than one typo away
PHRASE_BOOST = 2.0  # a phrase in a title counts double one anywhere
SYNONYM_BOOST = 0.8  # the pages' word for the reader's phrase


class Any(Or):
    """``Or`` as a tree of unions. Whoosh's default for small indexes pre-reads 2,048
    scores per clause into an array, which the profile showed as the largest single
    cost of a query on the portal's few hundred documents. The tree keeps the
    clauses' order: Whoosh would weigh them by their estimated sizes, re-reading the
    lexicon for every leaf at every level of the tree (three in five of a query's
    lexicon look-ups), for a union whose documents and scores do not depend on its
    shape."""

    def _matcher(self, subs, searcher, context):
        return self._tree_matcher(subs, UnionMatcher, searcher, context, None)

# Anything invisible or unprintable: control, format (bidi overrides, BOM …),
# surrogates, private use, unassigned. ZWNJ and ZWJ stay: they are part of words.
_DROP = {"Cc", "Cf", "Cs", "Co", "Cn"}
_DIGITS = frozenset("0123456789")  # folding reads every script's digits as these
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
    # Synonyms: the pages' words for this phrase, each a list of folded terms (all
    # needed), from the language's reviewed list.
    alts: list[list[str]] = field(default_factory=list)

    @property
    def han(self) -> bool:
        return bool(HAN.search(self.text))

    @property
    def number(self) -> bool:
        """Holding a digit: matched as written, since one digit off is another
        number (a phone number or a date), not a typo or an inflected form."""
        return any(c in _DIGITS for t in self.fold for c in t)

    def fuzzy(self) -> bool:
        return (len(self.fold) == 1 and not self.han and not self.number
                and FUZZY_MIN <= len(self.fold[0]) <= FUZZY_MAX)


@dataclass
class Built:
    """A query ready to run: the strict (all words) and loose (any word) forms."""

    text: str
    code: str
    analysis: Analysis
    words: list[Word] = field(default_factory=list)
    strict: Query | None = None
    loose: Query | None = None
    phrase: Query | None = None

    @property
    def empty(self) -> bool:
        return self.strict is None


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
            core += [Term("fbody", v, boost=FUZZY_BOOST) for v in word.typos]
            core += [Term("fbody", v, boost=STEM_BOOST) for v in word.stems]
        elif word.fuzzy():
            core.append(FuzzyTerm("fbody", word.fold[0], boost=FUZZY_BOOST, maxdist=1,
                                  prefixlength=FUZZY_PREFIX))
    core += [_fields_and("fbody", alt, SYNONYM_BOOST) for alt in word.alts]
    extras: list[Query] = [_fields_and(name, word.exact)
                           for name in ("title", "summary", "body") if word.exact]
    if word.fold:
        extras.append(_fields_and("ftitle", word.fold, FOLD_BOOST))
    # A page named for what the reader means ranks as one named in the reader's words.
    extras += [_fields_and("ftitle", alt, SYNONYM_BOOST) for alt in word.alts]
    if not core:
        return Any(extras)
    found = core[0] if len(core) == 1 else Any(core)
    return AndMaybe(found, Any(extras)) if extras else found


def phrase_query(words: list[Word]) -> Query | None:
    """The words in order: as written in a title, or anywhere (accents folded)."""
    exact = [t for w in words for t in w.exact]
    folded = [t for w in words for t in w.fold]
    subs: list[Query] = []
    if len(exact) >= 2:
        subs.append(Phrase("title", exact, boost=PHRASE_BOOST))
    if len(folded) >= 2:
        subs.append(Phrase("fbody", folded, boost=PHRASE_BOOST))
    return (Any(subs) if len(subs) > 1 else subs[0]) if subs else None


def build_query(text: str, lang: Lang | str, cap: int = QUERY_CAP,
                max_words: int = MAX_WORDS, synonyms=None) -> Built:
    """The query for ``text`` in ``lang`` (or the language of a locale code). Never
    raises on any string: what is not a word is a separator.

    :param synonyms: the language's ``Synonyms`` (from the index), or None.
    """
    analysis = analysis_for(lang or ENGLISH.code)
    text = clean(text, cap)
    code = lang.code if isinstance(lang, Lang) else lang
    built = Built(text=text, code=code, analysis=analysis)
    for start, end, raw in analysis.units(text):
        exact = analysis.exact_terms(raw)
        folded = analysis.fold_terms(raw)
        if not exact and not folded:
            continue  # a stop word
        built.words.append(Word(start, end, raw, exact, folded))
        if len(built.words) >= max_words:
            break
    if synonyms is not None:
        built.words = synonyms.apply(built.words, text)
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
    phrase = (Any(phrases) if len(phrases) > 1 else phrases[0]) if phrases else None
    clauses = [word_query(w) for w in kept]
    out: list[Query] = [And(clauses) if len(clauses) > 1 else clauses[0]]
    if len(clauses) > 1:
        out.append(Any(clauses))
    return out, phrase


MAX_VARIANTS = 8  # indexed words matched per typed word beyond the word itself
MAX_STEMS = 4  # forms sharing its prefix, closest first (each is a posting list to read)
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


def common(reader, term: str) -> bool:
    """A word in a large share of a large index needs no variants: they would cost
    much (long posting lists) and add little."""
    return reader.doc_frequency("fbody", term) >= max(COMMON_DOCS,
                                                      COMMON_SHARE * reader.doc_count())


def expand_stems(reader, word: Word, postings: Postings | None = None):
    """Look up the indexed words that share the typed word's stem-like prefix
    (paszport → paszportu, baasaboor → baasaboorkaaga): a short, capped walk of the
    lexicon from a prefix of three letters or more; once per open index when
    ``postings`` (its ``Postings``) is given."""
    word.stems = []
    if len(word.fold) != 1 or word.han or word.number:
        return
    term = word.fold[0]
    postings = Postings() if postings is None else postings
    word.stems = postings.walk(("stems", term), lambda: _stems(reader, term))


def _stems(reader, term: str) -> list[str]:
    prefix = truncation(term)
    if prefix is None or common(reader, term):
        return []
    stems = []
    for i, btext in enumerate(reader.expand_prefix("fbody", prefix)):
        if i >= PREFIX_SCAN:
            break
        text = btext.decode("utf-8") if isinstance(btext, bytes) else btext
        if text != term:
            stems.append(text)
    stems.sort(key=lambda t: (-_shared(t, term), -reader.doc_frequency("fbody", t)))
    return stems[:MAX_STEMS]


def expand_typos(reader, word: Word, postings: Postings | None = None):
    """Look up the indexed words one edit away from the typed one (first
    ``FUZZY_PREFIX`` letters fixed), for words of ``FUZZY_MIN`` letters or more;
    once per open index when ``postings`` is given."""
    word.typos = []
    if not word.fuzzy():
        return
    term = word.fold[0]
    postings = Postings() if postings is None else postings
    near = postings.walk(("typos", term), lambda: _typos(reader, term))
    word.typos = [t for t in near if t not in word.stems][:MAX_VARIANTS]


def _typos(reader, term: str) -> list[str]:
    if common(reader, term):
        return []
    near = [t for t in reader.terms_within("fbody", term, 1, prefix=FUZZY_PREFIX)
            if t != term]
    near.sort(key=lambda t: -reader.doc_frequency("fbody", t))
    return near


def docs_holding(reader, word: Word) -> int:
    """Roughly how many documents hold the word as typed, folded or as a stem-like
    form (the largest of those counts: cheap, and enough to tell rare from known)."""
    counts = [reader.doc_frequency("fbody", t) for t in word.fold + word.stems]
    counts += [reader.doc_frequency(name, t) for t in word.exact
               for name in ("title", "summary", "body")]
    counts += [min((reader.doc_frequency("fbody", t) for t in alt), default=0)
               for alt in word.alts]
    return max(counts, default=0)


def word_known(reader, word: Word) -> bool:
    """Whether any field holds the word: exact, folded, or one typo away."""
    for term in word.exact:
        if any(reader.doc_frequency(name, term) for name in ("title", "summary", "body")):
            return True
    if word.fold and all(reader.doc_frequency("fbody", t) for t in word.fold):
        return True
    if any(all(reader.doc_frequency("fbody", t) for t in alt) for alt in word.alts):
        return True
    return bool(word.typos or word.stems)
