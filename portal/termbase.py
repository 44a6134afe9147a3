"""The termbase (``translations/termbase.yaml``): how key terms are translated.

One source file, read here and used by the catalogue check (a forbidden rendering
quarantines an entry, a missing approved one or an avoided one is a warning), by the
extractor (the ``Terms:`` note on each entry), by ``/translators/`` and by the TBX
export. The format is documented at the top of the YAML file and in TRANSLATING.md.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

FILENAME = "termbase.yaml"
FIELDS = {"approved", "accept", "forbidden", "avoid", "note"}

# Marks that vary between writers of the same word: Arabic-script vowel signs and
# tatweel, the zero-width (non-)joiner, curly apostrophes.
_INVISIBLE = re.compile(r"[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640\u200C\u200D]")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u02bb": "'"})


def _without_addresses(text: str) -> str:
    """URLs and link targets are not prose: ``…/identify-and-support-victims`` uses no term."""
    from .checks import EMAIL, LINK_TARGET, URL

    for pattern in (URL, EMAIL, LINK_TARGET):
        text = pattern.sub(" ", text)
    return text


def normalise(text: str) -> str:
    """The form both sides are compared in: case, composition and marks folded."""
    text = unicodedata.normalize("NFC", text or "").translate(_APOSTROPHES)
    return _INVISIBLE.sub("", text).casefold()


@dataclass(frozen=True)
class Rendering:
    """One term in one language."""

    approved: str
    accept: tuple[tuple[str, ...], ...]
    forbidden: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()
    note: str = ""

    def __post_init__(self):
        # Folded once here: the check runs for every entry of every catalogue it loads.
        object.__setattr__(self, "_accept", tuple(tuple(normalise(p) for p in item)
                                                  for item in self.accept))
        object.__setattr__(self, "_forbidden", tuple((w, normalise(w)) for w in self.forbidden))
        object.__setattr__(self, "_avoid", tuple((w, normalise(w)) for w in self.avoid))
        object.__setattr__(self, "_parts", frozenset(p for item in self._accept for p in item))

    def accepted_in(self, text: str) -> bool:
        """``text`` is normalised; any one accept item (all of its parts) suffices."""
        return any(all(part in text for part in item) for item in self._accept)

    def parts(self) -> frozenset[str]:
        return self._parts


@dataclass(frozen=True)
class Term:
    id: str
    en: str
    match: re.Pattern
    definition: str
    note: str
    renderings: dict[str, Rendering] = field(default_factory=dict)
    # The English term left in a translation also counts as rendered: for terms that
    # are mostly part of English names (Hertfordshire Modern Slavery Partnership).
    english_counts: bool = False


@dataclass(frozen=True)
class Finding:
    """One termbase problem in one entry. ``forbidden`` quarantines; others warn."""

    term: Term
    kind: str  # "forbidden" | "missing" | "avoid"
    found: str = ""

    @property
    def quarantines(self) -> bool:
        return self.kind == "forbidden"

    def __str__(self) -> str:
        if self.kind == "forbidden":
            return f"term {self.term.en!r}: forbidden rendering {self.found!r}"
        if self.kind == "avoid":
            return f"term {self.term.en!r}: {self.found!r} is not the termbase's word"
        return f"term {self.term.en!r}: approved rendering missing ({self.found})"


class Termbase:
    def __init__(self, terms: list[Term], languages: tuple[str, ...] = ()):
        self.terms = terms
        self.languages = languages
        self.by_id = {term.id: term for term in terms}
        self._found: dict[tuple[str, bool], list[Term]] = {}

    def __len__(self) -> int:
        return len(self.terms)

    def find(self, source: str, nested: bool = False) -> list[Term]:
        """Terms in an English text, in order. A term inside a longer one (``modern
        slavery`` in the helpline's name) is left out unless ``nested``."""
        key = (source, nested)
        if key in self._found:  # every language's catalogue asks about the same English
            return self._found[key]
        if len(self._found) > 20000:
            self._found.clear()
        self._found[key] = found = self._find(source, nested)
        return found

    def _find(self, source: str, nested: bool) -> list[Term]:
        spans = []
        source = _without_addresses(source or "")
        for term in self.terms:
            for m in term.match.finditer(source):
                spans.append((m.start(), m.end(), term))
        found = []
        for start, end, term in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
            inside = any(s <= start and end <= e and (e - s) > (end - start)
                         for s, e, _ in spans)
            if (nested or not inside) and term not in found:
                found.append(term)
        return found

    def check(self, source: str, translation: str, code: str) -> list[Finding]:
        """Term problems of one translation of ``source`` into language ``code``.

        Forbidden and avoided words count for every term, nested ones included (the
        helpline's name contains "exploitation"); a missing approved rendering only
        for terms standing on their own."""
        if not translation:
            return []
        terms = [t for t in self.find(source, nested=True) if code in t.renderings]
        if not terms:
            return []
        own = {t.id for t in self.find(source)}
        text = normalise(translation)
        findings = []
        for term in terms:
            rendering = term.renderings[code]
            # A word forbidden for one term may be the approved word of another term in
            # the same sentence (Persian حمایت: support yes, protection no).
            others = set().union(*(t.renderings[code].parts() for t in terms if t is not term))
            for word, folded in rendering._forbidden:
                if folded in text and not any(folded in part for part in others):
                    findings.append(Finding(term, "forbidden", word))
            for word, folded in rendering._avoid:
                if folded in text:
                    findings.append(Finding(term, "avoid", word))
            if term.english_counts and term.match.search(translation):
                continue
            if term.id in own and not rendering.accepted_in(text):
                findings.append(Finding(term, "missing", rendering.approved))
        return findings

    def notes_for(self, source: str) -> list[str]:
        """The extractor's notes naming the terms in an entry: one short line each, so
        no tool wraps them."""
        return [f"Term: {t.en} (see the termbase)" for t in self.find(source)]


def parse(data: dict) -> Termbase:
    """Build a termbase from the YAML structure, refusing what the format does not allow."""
    if not isinstance(data, dict) or not isinstance(data.get("terms"), list):
        raise ValueError("termbase: a mapping with a list of terms is expected")
    terms, languages, seen = [], [], set()
    for raw in data["terms"]:
        term_id = str(raw["id"])
        if term_id in seen:
            raise ValueError(f"termbase: duplicate term id {term_id}")
        seen.add(term_id)
        renderings = {}
        for code, entry in (raw.get("lang") or {}).items():
            unknown = set(entry) - FIELDS
            if unknown or "approved" not in entry:
                raise ValueError(f"termbase: {term_id}/{code}: fields {sorted(unknown)} "
                                 "unknown or approved missing")
            accept = entry.get("accept") or [entry["approved"]]
            renderings[str(code)] = Rendering(
                approved=str(entry["approved"]),
                accept=tuple(tuple(map(str, item)) if isinstance(item, list) else (str(item),)
                             for item in accept),
                forbidden=tuple(map(str, entry.get("forbidden") or ())),
                avoid=tuple(map(str, entry.get("avoid") or ())),
                note=str(entry.get("note") or ""),
            )
            if str(code) not in languages:
                languages.append(str(code))
        terms.append(Term(
            id=term_id, en=str(raw["en"]),
            match=re.compile(raw.get("match") or re.escape(raw["en"]), re.IGNORECASE),
            definition=" ".join(str(raw.get("definition") or "").split()),
            note=" ".join(str(raw.get("note") or "").split()),
            renderings=renderings,
            english_counts=bool(raw.get("english_counts")),
        ))
    return Termbase(terms, tuple(languages))


EMPTY = Termbase([])


@lru_cache(maxsize=8)
def _load(path: str, mtime: float) -> Termbase:
    with open(path, encoding="utf-8") as fp:
        return parse(yaml.load(fp, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))


def load(path: Path | str) -> Termbase:
    """The termbase at ``path`` (re-read when the file changes); empty when absent."""
    path = Path(path)
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return EMPTY
    return _load(str(path), mtime)


def for_directory(directory: Path | str) -> Termbase:
    """The termbase kept beside the catalogues in ``directory``."""
    return load(Path(directory) / FILENAME)
