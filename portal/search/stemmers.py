"""Stemmers from the snowballstemmer package, for languages Whoosh has none for
(Turkish, Lithuanian: ``stem="snowball:<algorithm>"`` in ``portal/scripts.py``)."""

from __future__ import annotations

import threading
from functools import lru_cache

import snowballstemmer
from whoosh.analysis import Filter

SNOWBALL = "snowball:"


class SnowballStem(Filter):
    """A stemmer of the snowballstemmer package, for languages Whoosh has none for.

    Its stemmers keep state while they work: one per thread. Pickled (in an index's
    schema) as the algorithm's name alone."""

    def __init__(self, algorithm: str):
        self.algorithm = algorithm

    def __eq__(self, other):
        return self.__class__ is other.__class__ and self.algorithm == other.algorithm

    def __hash__(self):
        return hash((self.__class__.__name__, self.algorithm))

    def __getstate__(self):
        return {"algorithm": self.algorithm}

    def __setstate__(self, state):
        self.__init__(state["algorithm"])

    def __call__(self, tokens):
        stem = _snowball_stem
        for t in tokens:
            if not t.stopped:
                t.text = stem(self.algorithm, t.text)
            yield t


_SNOWBALL = threading.local()


@lru_cache(maxsize=20_000)
def _snowball_stem(algorithm: str, word: str) -> str:
    """Snowball is pure Python here and slow: each word is stemmed once."""
    stemmers = _SNOWBALL.__dict__.setdefault("stemmers", {})
    if algorithm not in stemmers:
        stemmers[algorithm] = snowballstemmer.stemmer(algorithm)
    return stemmers[algorithm].stemWord(word)
