"""Building the index: what each reader sees, per locale, swapped in atomically.

Layout under ``INDEX_DIR``::

    current -> build-20261129T183000-1234   (a symlink, replaced atomically)
    build-…/stamp.json                      (analysis version, source signature)
    build-…/<locale>/                       (one Whoosh index per locale)
    build-…/<locale>/surface.json           (folded word → the word as written)

Serving opens ``os.path.realpath(current)`` read-only and never writes here.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, STORED, TEXT, Schema

from .. import about
from ..locales import ENGLISH, Lang
from ..pages import LEAFLETS
from ..reader import Reader
from ..render import text_of
from .analysis import FOLDED, VERSION, analysis_for

LINK = "current"
STAMP = "stamp.json"
SURFACE = "surface.json"
SYNONYMS = "synonyms.json"
BUILD_PREFIX = "build-"
INDEX_NAME = "MAIN"
KEEP_BUILDS = 2  # the new one, and the one readers may still have open


def schema_for(lang: Lang | str) -> Schema:
    """The fields of one locale's index; analysers are that language's."""
    analysis = analysis_for(lang)
    exact, folded = analysis.exact, analysis.fold
    return Schema(
        key=ID(unique=True, stored=True),  # "page:get-help-now"
        locale=ID(stored=True),
        kind=ID(stored=True),  # page, service, news
        slug=ID(stored=True),
        url=STORED(),
        audience=ID(stored=True),
        title=TEXT(analyzer=exact, stored=True, field_boost=4.0),
        summary=TEXT(analyzer=exact, stored=True, field_boost=1.5),
        body=TEXT(analyzer=exact, stored=True),
        # Never stemmed, accents folded: typo matching and "did you mean" use these.
        ftitle=TEXT(analyzer=folded, field_boost=3.0),
        fbody=TEXT(analyzer=folded),
        # The language each stored block is really shown in (English when it fell back).
        langs=STORED(),
        # Per shown block (summary, then body), its terms as " a b c ": snippets only
        # analyse the blocks that hold a query term, never the whole document.
        terms=STORED(),
    )


@dataclass
class Document:
    """One page or service as a reader of one locale sees it."""

    key: str
    kind: str
    slug: str
    url: str
    audience: str
    title: str
    summary: str
    body: list[str]
    langs: dict = field(default_factory=dict)

    def fields(self, code: str) -> dict:
        body = "\n".join(self.body)
        analysis = analysis_for(code)
        return {
            "key": self.key, "locale": code, "kind": self.kind, "slug": self.slug,
            "url": self.url, "audience": self.audience, "title": self.title,
            "summary": self.summary, "body": body,
            "ftitle": self.title, "fbody": f"{self.title}\n{self.summary}\n{body}",
            "langs": self.langs,
            "terms": [block_terms(analysis, t) for t in [self.summary, *self.body]],
        }


def block_terms(analysis, text: str) -> str:
    """The exact and folded terms of one block, each once, between spaces; folded
    ones marked ``~`` (never in a term), so an exact stem that is spelt as another
    word's folded form is not taken for it: " keep passport ~keep ~passport "."""
    exact = sorted({t.text for t in analysis.exact(text)})
    folded = sorted({t.text for t in analysis.fold(text)})
    terms = exact + [FOLDED + t for t in folded]
    return " " + " ".join(terms) + " " if terms else ""


def _texts(rendered) -> tuple[list[str], list[str]]:
    texts, langs = [], []
    for item in rendered:
        text = " ".join(text_of(item).split())
        if text:
            texts.append(text)
            langs.append(item.lang.code)
    return texts, langs


def documents(reader: Reader) -> Iterator[Document]:
    """Every page, service and news item as ``reader`` sees them."""
    store = reader.store
    code = reader.lang.code
    render = reader.blocks

    for page in store.sorted_pages():
        rendered = render(page.blocks)
        body, body_langs = _texts(rendered[2:])
        yield Document(
            key=f"page:{page.slug}", kind="page", slug=page.slug,
            url=f"/{code}/{page.slug}", audience=page.audience,
            title=text_of(rendered[0]), summary=text_of(rendered[1]), body=body,
            langs={"title": rendered[0].lang.code, "summary": rendered[1].lang.code,
                   "body": body_langs},
        )
    for service in sorted(store.services.values(), key=lambda s: s.id):
        # The name block comes first: shown as the reader's pages show it.
        rendered = render(service.blocks)
        name = rendered[0]
        texts, text_langs = _texts(rendered[1:])
        summary, summary_lang = (texts[0], text_langs[0]) if texts else ("", ENGLISH.code)
        body, body_langs = texts[1:], text_langs[1:]
        # The English name and organisation stay findable in every language.
        for extra in (service.name, service.organization):
            if extra and extra != text_of(name):
                body.append(extra)
                body_langs.append(ENGLISH.code)
        yield Document(
            key=f"service:{service.id}", kind="service", slug=service.id,
            url=f"/{code}/services/{service.id}", audience=service.eligibility,
            title=text_of(name), summary=summary, body=body,
            langs={"title": name.lang.code, "summary": summary_lang, "body": body_langs},
        )
    for item in store.sorted_news():
        rendered = render(item.blocks)
        body, body_langs = _texts(rendered[2:])
        yield Document(
            key=f"news:{item.slug}", kind="news", slug=item.slug,
            url=f"/{code}/news/{item.slug}", audience="public",
            title=text_of(rendered[0]), summary=text_of(rendered[1]), body=body,
            langs={"title": rendered[0].lang.code, "summary": rendered[1].lang.code,
                   "body": body_langs},
        )
    yield from _about_pages(reader)


def _about_pages(reader: Reader) -> Iterator[Document]:
    """The partners and resources pages: app pages made of UI strings and names."""
    store = reader.store

    def ui(text: str, **values) -> tuple[str, str]:
        shown, shown_lang = reader.ui(text, **values)
        return shown, shown_lang.code

    code = reader.lang.code
    title, title_lang = ui(about.PARTNERS)
    summary, summary_lang = ui(about.PARTNERS_SUMMARY, num=about.PARTNER_COUNT)
    names = [p["name"] for p in store.partners]
    yield Document(
        key="page:partners", kind="page", slug="partners", url=f"/{code}/partners",
        audience="about", title=title, summary=summary, body=names,
        langs={"title": title_lang, "summary": summary_lang,
               "body": [ENGLISH.code] * len(names)},
    )
    title, title_lang = ui(about.RESOURCES)
    summary, summary_lang = ui(about.RESOURCES_SUMMARY)
    card, card_lang = ui(about.HELPLINE_CARD)
    leaflets = [reader.block(store.pages[s].title_block) for s in LEAFLETS if s in store.pages]
    body, body_langs = _texts(leaflets)
    yield Document(
        key="page:resources", kind="page", slug="resources", url=f"/{code}/resources",
        audience="about", title=title, summary=summary, body=[card, *body],
        langs={"title": title_lang, "summary": summary_lang, "body": [card_lang, *body_langs]},
    )


def surface_forms(lang: Lang | str, texts: Iterable[str]) -> dict[str, str]:
    """Folded word → its commonest written form, so suggestions keep their accents."""
    analysis = analysis_for(lang)
    seen: dict[str, Counter] = defaultdict(Counter)
    for text in texts:
        for _, _, word in analysis.units(text):
            folded = analysis.fold_terms(word)
            if len(folded) == 1:
                seen[folded[0]][word.lower()] += 1
    return {k: c.most_common(1)[0][0] for k, c in seen.items()}


def synonym_entries(reader: Reader) -> list[str]:
    """The reviewed synonym entries as ``reader``'s language has them: its own
    translation only (an entry shown in English there is no use to its readers)."""
    from .synonyms import blocks

    out = []
    for block in blocks(reader.store.root):
        text, shown = reader.i18n.translate(reader.lang, block.context, block.text)
        if shown.code == reader.lang.code:
            out.append(text)
    return out


def write_locale(directory: Path, lang: Lang | str, docs: Iterable[Document],
                 procs: int = 1, multisegment: bool = False, limitmb: int = 128,
                 synonyms: list[str] = ()) -> int:
    """One locale's (or locale code's) index in ``directory``; returns the number of
    documents.

    :param synonyms: the language's synonym entries (``synonyms.py``).
    """
    code = lang.code if isinstance(lang, Lang) else lang
    directory.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(directory), schema_for(lang), indexname=INDEX_NAME)
    options = {"limitmb": limitmb}
    if procs > 1:
        options.update(procs=procs, multisegment=multisegment)
    writer = ix.writer(**options)
    count = 0
    texts: list[str] = []
    try:
        for doc in docs:
            writer.add_document(**doc.fields(code))
            texts.append(doc.title)
            texts.append(doc.summary)
            texts.extend(doc.body)
            count += 1
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    finally:
        ix.close()
    (directory / SURFACE).write_text(
        json.dumps(surface_forms(lang, texts), ensure_ascii=False), encoding="utf-8")
    from .synonyms import rules_for

    (directory / SYNONYMS).write_text(
        json.dumps(rules_for(code, list(synonyms)), ensure_ascii=False), encoding="utf-8")
    return count


# Staleness -------------------------------------------------------------------------

def source_files(content_dir: Path, translations_dir: Path) -> list[Path]:
    files = [p for p in Path(content_dir).rglob("*") if p.is_file()]
    files += list(Path(translations_dir).glob("*/LC_MESSAGES/*.mo"))
    return sorted(files)


def source_signature(content_dir: Path, translations_dir: Path) -> dict:
    """The newest mtime of the sources, and a digest of every file's mtime and size."""
    digest = hashlib.sha256()
    newest = 0.0
    for path in source_files(content_dir, translations_dir):
        try:
            stat = path.stat()
        except OSError:
            continue
        newest = max(newest, stat.st_mtime)
        digest.update(f"{path}\0{stat.st_mtime_ns}\0{stat.st_size}\n".encode())
    return {"newest": newest, "digest": digest.hexdigest()}


def read_stamp(index_dir: Path) -> dict | None:
    try:
        return json.loads((Path(index_dir) / LINK / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_stale(index_dir: Path, content_dir: Path, translations_dir: Path,
             locales: Iterable[str]) -> str | None:
    """Why the index needs building, or None when it is up to date."""
    stamp = read_stamp(index_dir)
    if stamp is None:
        return "no index"
    if stamp.get("version") != VERSION:
        return "analysis changed"
    if sorted(stamp.get("locales", [])) != sorted(locales):
        return "locales changed"
    current = source_signature(content_dir, translations_dir)
    if current["newest"] > stamp.get("sources", {}).get("newest", 0):
        return "content or translations are newer"
    if current["digest"] != stamp.get("sources", {}).get("digest"):
        return "content or translations changed"
    root = Path(index_dir) / LINK
    for code in locales:
        if not (root / code).is_dir():
            return f"{code} missing"
    return None


# Building and swapping ---------------------------------------------------------------

@contextlib.contextmanager
def build_lock(index_dir: Path):
    """One builder at a time (a second waits); readers never take this lock."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".build.lock", "w") as fp:
        fcntl.flock(fp, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fp, fcntl.LOCK_UN)


def swap(index_dir: Path, build: Path):
    """Point ``current`` at ``build`` in one rename; readers see old or new, never none."""
    link = index_dir / LINK
    if link.exists() and not link.is_symlink():
        raise RuntimeError(f"{link} is not a symlink; move it away and build again")
    tmp = index_dir / f".{LINK}.{os.getpid()}.tmp"
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    os.symlink(build.name, tmp)
    os.replace(tmp, link)


def clean_old(index_dir: Path, keep: int = KEEP_BUILDS):
    """Remove all builds but the current one and the newest ``keep - 1`` others."""
    current = os.path.realpath(index_dir / LINK)
    builds = sorted((p for p in index_dir.iterdir()
                     if p.name.startswith(BUILD_PREFIX) and p.is_dir()),
                    key=lambda p: p.name, reverse=True)
    others = [p for p in builds if os.path.realpath(p) != current]
    for path in others[max(keep - 1, 0):]:
        shutil.rmtree(path, ignore_errors=True)
    for tmp in index_dir.glob(f".{LINK}.*.tmp"):
        with contextlib.suppress(OSError):
            tmp.unlink()


def build(index_dir: Path, readers: list[Reader], content_dir: Path,
          translations_dir: Path,
          wrap: Callable[[list], Iterable] = lambda items: items) -> Path:
    """Build every reader's locale into a new directory, then swap it in.

    :param wrap: wraps the list of readers (a progress bar).
    :return: the new build directory.
    """
    index_dir = Path(index_dir)
    with build_lock(index_dir):
        sources = source_signature(content_dir, translations_dir)
        name = f"{BUILD_PREFIX}{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
        target = index_dir / name
        target.mkdir(parents=True)
        counts = {}
        try:
            for reader in wrap(readers):
                lang = reader.lang
                counts[lang.code] = write_locale(target / lang.code, lang, documents(reader),
                                                 synonyms=synonym_entries(reader))
            stamp = {"version": VERSION, "sources": sources, "built": time.time(),
                     "locales": sorted(counts), "documents": counts}
            (target / STAMP).write_text(json.dumps(stamp, indent=1), encoding="utf-8")
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            raise
        swap(index_dir, target)
        clean_old(index_dir)
    return target
