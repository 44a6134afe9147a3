"""Search quality and speed, measured (``make bench``; ``BENCH_ONLY=search`` for this alone).

1. Relevance on the real index (built afresh from content/ and the current .po files):
   success@3 and MRR per language over tests/search/relevance.yaml.
2. Latency p50/p99 of the same queries on the real index, and on a synthetic index of
   BENCH_SEARCH_DOCS documents (default 100,000) generated once into bench/out/.
3. The same corpus and queries on SQLite FTS5 in the same run, as a yardstick:
   its relevance, its latency, and the Whoosh/FTS5 ratio.

Environment:
  BENCH_SEARCH_DOCS=100000   synthetic documents (generated once, then reused)
  BENCH_SEARCH_WORDS=50      body words per synthetic document
  BENCH_SEARCH_PROCS=2       writer processes for the synthetic build (multisegment)
  BENCH_SEARCH_REPEAT=5      times each query is run for the latency figures
  BENCH_SEARCH_OUT=bench/out where the generated indexes live
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from portal import create_app  # noqa: E402
from portal.i18n import get_i18n  # noqa: E402
from portal.reader import reader_for  # noqa: E402
from portal.search import WhooshSearch  # noqa: E402
from portal.search.analysis import VERSION, analysis_for, units  # noqa: E402
from portal.search.index import (  # noqa: E402
    Document,
    build,
    documents,
    swap,
    write_locale,
)
from portal.search.query import build_query  # noqa: E402
from portal.search.ranking import run  # noqa: E402

RELEVANCE = ROOT / "tests" / "search" / "relevance.yaml"


def env(name: str, default: int) -> int:
    value = os.environ.get(f"BENCH_SEARCH_{name}")
    return int(value) if value else default


def heading(title: str):
    print(f"\n== {title} " + "=" * max(0, 74 - len(title)), flush=True)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def target(url: str) -> str:
    return url.split("/", 2)[2]


# The real corpus ---------------------------------------------------------------------

def real_app(out: Path):
    """The portal over the repository's content, catalogues compiled into ``out``."""
    from portal import pofiles
    from portal.catalogs import DOMAINS
    from portal.locales import SERVED

    translations = out / "translations"
    shutil.rmtree(translations, ignore_errors=True)
    shutil.copytree(ROOT / "translations", translations)
    for lang in SERVED[1:]:
        for domain in DOMAINS:
            try:
                pofiles.compile_catalog(translations, lang, domain)
            except Exception as exc:  # a file being saved: keep the old .mo
                print(f"  {lang.code}/{domain}: not compiled ({exc.__class__.__name__})")
    return create_app({"TESTING": True, "TRANSLATIONS_DIR": str(translations),
                       "INDEX_DIR": str(out / "real-index"), "RELOAD_INTERVAL": 60.0})


def corpus(app) -> dict[str, list[Document]]:
    return {lang.code: list(documents(reader_for(lang, app)))
            for lang in get_i18n(app).registry.public}


# SQLite FTS5 ---------------------------------------------------------------------------

def fts_build(path: Path, docs_by_lang: dict[str, list[Document]]) -> float:
    if path.exists():
        path.unlink()
    started = time.perf_counter()
    db = sqlite3.connect(path)
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(locale UNINDEXED, url UNINDEXED, "
               "title, summary, body, tokenize = 'unicode61 remove_diacritics 2')")
    for code, docs in docs_by_lang.items():
        db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?)",
                       [(code, d.url, d.title, d.summary, "\n".join(d.body)) for d in docs])
    db.commit()
    db.close()
    return time.perf_counter() - started


def fts_match(text: str, code: str, joiner: str) -> str | None:
    """Every word as a quoted FTS5 string (no operators from users), AND or OR."""
    analysis = analysis_for(code)
    words = []
    for _, _, word in analysis.units(text[:200]):
        if analysis.exact_terms(word) or analysis.fold_terms(word):  # not a stop word
            words.append('"' + word.replace('"', '""') + '"')
    return f" {joiner} ".join(words[:12]) or None


def fts_search(db, code: str, text: str, limit: int = 10) -> list[str]:
    urls: list[str] = []
    for joiner in ("AND", "OR"):
        match = fts_match(text, code, joiner)
        if match is None:
            return urls
        rows = db.execute("SELECT url FROM docs WHERE docs MATCH ? AND locale = ? "
                          "ORDER BY bm25(docs, 0, 0, 4.0, 1.5, 1.0) LIMIT ?",
                          (match, code, limit)).fetchall()
        urls += [u for (u,) in rows if u not in urls]
        if len(urls) >= 3:
            break
    return urls[:limit]


# Relevance ---------------------------------------------------------------------------

def relevance(app, engine, db, cases):
    heading("Search relevance (real index)")
    langs = app.extensions["i18n"].registry
    scores: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    with app.test_request_context("/en/search"):
        for case in cases:
            found = engine.search(langs.get(case["lang"]), case["q"])
            whoosh = [target(h.url) for h in found.hits + found.english]
            fts = [target(u) for u in fts_search(db, case["lang"], case["q"])]
            for name, shown in (("whoosh", whoosh), ("fts5", fts)):
                ranks = [i for i, got in enumerate(shown, 1) if got in case["top3"]]
                first = ranks[0] if ranks else None
                scores[case["lang"]][f"{name}_s3"].append(1.0 if first and first <= 3 else 0)
                scores[case["lang"]][f"{name}_rr"].append(1.0 / first if first else 0.0)
    print(f"{'lang':8} {'queries':>7} {'s@3':>6} {'MRR':>6}   {'FTS5 s@3':>8} {'MRR':>6}")
    total: Counter = Counter()
    for code in sorted(scores):
        s = scores[code]
        n = len(s["whoosh_s3"])
        row = {k: sum(v) / n for k, v in s.items()}
        for k, v in s.items():
            total[k] += sum(v)
        total["n"] += n
        print(f"{code:8} {n:7} {row['whoosh_s3']:6.2f} {row['whoosh_rr']:6.2f}   "
              f"{row['fts5_s3']:8.2f} {row['fts5_rr']:6.2f}")
    n = total["n"]
    print(f"{'all':8} {n:7} {total['whoosh_s3'] / n:6.2f} {total['whoosh_rr'] / n:6.2f}   "
          f"{total['fts5_s3'] / n:8.2f} {total['fts5_rr'] / n:6.2f}")


# Latency -----------------------------------------------------------------------------

def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def latency(label: str, engine: WhooshSearch, db, queries, langs, repeat: int):
    full, core, fts = [], [], []
    for code, text in queries:
        lang = langs[code]
        engine.search(lang, text)  # warm: open searchers, fill caches
        searcher, _ = engine._searcher(code)

        def core_run(code=code, text=text, searcher=searcher):
            run(searcher, build_query(text, code), engine.result_cap, engine.time_limit)

        full += timed(lambda lang=lang, text=text: engine.search(lang, text), repeat)
        core += timed(core_run, repeat)
        fts += timed(lambda code=code, text=text: fts_search(db, code, text), repeat)
    p = {name: (pct(v, 0.5), pct(v, 0.99)) for name, v in
         (("full", full), ("core", core), ("fts", fts))}
    print(f"{label}: {len(queries)} queries x {repeat}")
    print(f"  Whoosh, page results (query + snippets + suggestion): "
          f"p50 {p['full'][0]:7.2f} ms  p99 {p['full'][1]:7.2f} ms")
    print(f"  Whoosh, query only:                                   "
          f"p50 {p['core'][0]:7.2f} ms  p99 {p['core'][1]:7.2f} ms")
    print(f"  SQLite FTS5 (AND, then OR):                           "
          f"p50 {p['fts'][0]:7.2f} ms  p99 {p['fts'][1]:7.2f} ms")
    print(f"  ratio Whoosh query / FTS5: p50 {p['core'][0] / p['fts'][0]:5.1f}x  "
          f"p99 {p['core'][1] / p['fts'][1]:5.1f}x")


# The synthetic index ---------------------------------------------------------------------

def synthetic_docs(vocabulary: list[str], weights: list[float], count: int, words: int,
                   seed: int = 7):
    rng = random.Random(seed)
    for i in range(count):
        body = rng.choices(vocabulary, weights, k=words)
        title = " ".join(rng.choices(vocabulary, weights, k=5))
        summary = " ".join(rng.choices(vocabulary, weights, k=14))
        yield Document(
            key=f"page:synthetic-{i}", kind="page", slug=f"synthetic-{i}",
            url=f"/en/synthetic-{i}", audience=rng.choice(["victims", "public", "business"]),
            title=title, summary=summary,
            body=[" ".join(body[j:j + 12]) for j in range(0, len(body), 12)],
            langs={"title": "en", "summary": "en", "body": []},
        )


def _show(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def synthetic(out: Path, english: list[Document], count: int, words: int, procs: int):
    """Generate (once) a Whoosh index and an FTS5 database of ``count`` documents whose
    words follow the English pages' own frequencies."""
    folder = out / f"synthetic-{count}-{words}-v{VERSION}"
    stamp = folder / "done.json"
    freq: Counter = Counter()
    for doc in english:
        for text in [doc.title, doc.summary, *doc.body]:
            freq.update(w for _, _, w in units(text, "en"))
    vocabulary = sorted(freq)
    weights = [freq[w] for w in vocabulary]
    if stamp.exists():
        info = json.loads(stamp.read_text())
        print(f"synthetic index: reusing {_show(folder)} "
              f"(built in {info['whoosh_s']:.0f} s; FTS5 {info['fts_s']:.1f} s)")
        return folder, info
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    print(f"synthetic index: generating {count:,} documents of {words} words "
          f"into {_show(folder)} (once; procs={procs}) …", flush=True)
    started = time.perf_counter()
    build_dir = folder / "build-synthetic"
    write_locale(build_dir / "en", "en", synthetic_docs(vocabulary, weights, count, words),
                 procs=procs, multisegment=procs > 1, limitmb=256)
    swap(folder, build_dir)
    whoosh_s = time.perf_counter() - started
    fts_s = fts_build(folder / "fts.sqlite",
                      {"en": list(synthetic_docs(vocabulary, weights, count, words))})
    size = sum(p.stat().st_size for p in build_dir.rglob("*") if p.is_file())
    info = {"whoosh_s": whoosh_s, "fts_s": fts_s, "docs": count, "bytes": size,
            "fts_bytes": (folder / "fts.sqlite").stat().st_size}
    stamp.write_text(json.dumps(info))
    print(f"  built: Whoosh {whoosh_s:.0f} s ({size / 1e6:.0f} MB), "
          f"FTS5 {fts_s:.1f} s ({info['fts_bytes'] / 1e6:.0f} MB)")
    return folder, info


def main():
    out = Path(os.environ.get("BENCH_SEARCH_OUT") or ROOT / "bench" / "out")
    out.mkdir(parents=True, exist_ok=True)
    repeat = env("REPEAT", 5)
    cases = yaml.safe_load(RELEVANCE.read_text(encoding="utf-8"))

    heading("Search: build the real index")
    app = real_app(out)
    started = time.perf_counter()
    build(Path(app.config["INDEX_DIR"]),
          [reader_for(lang, app) for lang in get_i18n(app).registry.public],
          Path(app.config["CONTENT_DIR"]), Path(app.config["TRANSLATIONS_DIR"]))
    whoosh_build = time.perf_counter() - started
    docs = corpus(app)
    fts_s = fts_build(out / "real-fts.sqlite", docs)
    total = sum(len(v) for v in docs.values())
    print(f"{total} documents in {len(docs)} languages: Whoosh {whoosh_build:.1f} s, "
          f"FTS5 {fts_s:.2f} s")
    engine = app.extensions["search"]
    db = sqlite3.connect(out / "real-fts.sqlite")
    relevance(app, engine, db, cases)

    heading("Search latency (real index)")
    langs = {lang.code: lang for lang in get_i18n(app).registry.public}
    queries = [(c["lang"], c["q"]) for c in cases]
    with app.test_request_context("/en/search"):
        latency("real index, every relevance query", engine, db, queries, langs, repeat)
    db.close()

    count, words = env("DOCS", 100_000), env("WORDS", 50)
    heading(f"Search latency (synthetic index, {count:,} documents)")
    folder, info = synthetic(out, docs["en"], count, words, env("PROCS", 2))
    synth = WhooshSearch(str(folder), reload_interval=3600, locales=("en",))
    db = sqlite3.connect(folder / "fts.sqlite")
    english = [("en", c["q"]) for c in cases if c["lang"] == "en"]
    latency("synthetic index, the English relevance queries", synth, db, english, langs,
            repeat)
    print(f"  build (once): Whoosh {info['whoosh_s']:.0f} s, {info['bytes'] / 1e6:.0f} MB; "
          f"FTS5 {info['fts_s']:.1f} s, {info['fts_bytes'] / 1e6:.0f} MB; "
          f"ratio {info['whoosh_s'] / max(info['fts_s'], 1e-9):.0f}x")
    db.close()


if __name__ == "__main__":
    main()
