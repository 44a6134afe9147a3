"""Search quality and speed, measured (``make bench``; ``BENCH_ONLY=search`` for this alone).

1. Relevance on the real index (built afresh from content/ and the current .po files):
   success@3 and MRR per language over tests/search/relevance.yaml.
2. Latency p50/p99 of the same queries on the real index, and on a synthetic index of
   BENCH_SEARCH_DOCS documents (default 100,000) generated once into bench/out/. Each
   timed search starts with the result cache empty: the figures are the work a new
   query costs (a repeated one is a cache hit, timed apart).
3. The same corpus and queries on SQLite FTS5 in the same run, as a yardstick:
   its relevance, its latency, and the Whoosh/FTS5 ratio.
4. Memory: in a fresh process, the resident memory search adds to a worker after one
   search in every language (RSS after minus before), then after a flood of distinct
   searches; with the configured SEARCH_OPEN_INDEXES bound.
5. BENCH_SEARCH_PROFILE=1: a cProfile of the relevance queries (the top functions).

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
from portal.search.postings import Postings  # noqa: E402
from portal.search.query import build_query  # noqa: E402
from portal.search.ranking import run  # noqa: E402

from . import table  # noqa: E402

RELEVANCE = ROOT / "tests" / "search" / "relevance.yaml"
RELEVANCE_WAVE2 = ROOT / "tests" / "search" / "relevance-wave2.yaml"


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

def real_app(out: Path, compile_catalogs: bool = True):
    """The portal over the repository's content, catalogues compiled into ``out``."""
    from portal import pofiles
    from portal.catalogs import DOMAINS
    from portal.locales import SERVED

    translations = out / "translations"
    if not compile_catalogs:
        return create_app({"TESTING": True, "TRANSLATIONS_DIR": str(translations),
                           "INDEX_DIR": str(out / "real-index"), "RELOAD_INTERVAL": 60.0})
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
    en = scores.get("en", {}).get("whoosh_s3", [])
    table.record("relevance (success@3)",
                 f"{total['whoosh_s3'] / n:.2f} overall, "
                 f"{sum(en) / max(len(en), 1):.2f} English ({len(en)}), {n} queries; "
                 f"FTS5 {total['fts5_s3'] / n:.2f}")


def relevance_wave2(app, engine, cases):
    """Issue 21's goal: at most one miss at rank 3 in each wave-2 language."""
    heading("Search relevance, wave-2 languages (goal: at most one miss each)")
    langs = app.extensions["i18n"].registry
    misses: dict[str, list[str]] = defaultdict(list)
    counts: Counter = Counter()
    with app.test_request_context("/en/search"):
        for case in cases:
            found = engine.search(langs.get(case["lang"]), case["q"])
            shown = [target(h.url) for h in found.hits + found.english][:3]
            counts[case["lang"]] += 1
            if not set(shown) & set(case["top3"]):
                misses[case["lang"]].append(case["q"])
    met = 0
    for code in counts:
        met += len(misses[code]) <= 1
        print(f"{code:8} {counts[code]:3} queries, {len(misses[code])} missed"
              + (f": {'; '.join(misses[code])}" if misses[code] else ""))
    table.record("wave-2 relevance (misses at 3)",
                 f"{met} of {len(counts)} languages at most one miss; "
                 f"{sum(len(v) for v in misses.values())} of {sum(counts.values())} missed")


# Latency -----------------------------------------------------------------------------

def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def latency(label: str, engine: WhooshSearch, db, queries, langs, repeat: int) -> dict:
    """Per query, ``repeat`` runs of each. "Query only" runs as a search is served:
    the open index's postings hold what earlier searches looked up (the warm-up
    search has looked up this query's terms); "nothing held" gives each run empty
    ones, as for the first search of its words since the index was opened."""
    full, core, first, fts, cached = [], [], [], [], []
    for code, text in queries:
        lang = langs[code]
        engine.search(lang, text)  # warm: open the index, fill the analysers' caches
        with engine._searcher(code) as (searcher, index):

            def core_run(code=code, text=text, searcher=searcher, index=index, held=True):
                run(searcher, build_query(text, code, synonyms=index.synonyms),
                    engine.result_cap, engine.time_limit,
                    postings=index.postings if held else Postings())

            core += timed(core_run, repeat)
            first += timed(lambda f=core_run: f(held=False), repeat)

        def cold(lang=lang, text=text):
            engine.cache.clear()
            engine.search(lang, text)

        full += timed(cold, repeat)
        cached += timed(lambda lang=lang, text=text: engine.search(lang, text), repeat)
        fts += timed(lambda code=code, text=text: fts_search(db, code, text), repeat)
    p = {name: (pct(v, 0.5), pct(v, 0.99)) for name, v in
         (("full", full), ("core", core), ("first", first), ("fts", fts),
          ("cached", cached))}
    print(f"{label}: {len(queries)} queries x {repeat} (load average "
          f"{os.getloadavg()[0]:.2f})")
    print(f"  Whoosh, page results (query + snippets + suggestion): "
          f"p50 {p['full'][0]:7.2f} ms  p99 {p['full'][1]:7.2f} ms")
    print(f"  Whoosh, query only:                                   "
          f"p50 {p['core'][0]:7.2f} ms  p99 {p['core'][1]:7.2f} ms")
    print(f"  Whoosh, query only, nothing held (its words' first):  "
          f"p50 {p['first'][0]:7.2f} ms  p99 {p['first'][1]:7.2f} ms")
    print(f"  Whoosh, the same search again (result cache):         "
          f"p50 {p['cached'][0]:7.2f} ms  p99 {p['cached'][1]:7.2f} ms")
    print(f"  SQLite FTS5 (AND, then OR):                           "
          f"p50 {p['fts'][0]:7.2f} ms  p99 {p['fts'][1]:7.2f} ms")
    print(f"  ratio Whoosh query / FTS5: p50 {p['core'][0] / p['fts'][0]:5.1f}x  "
          f"p99 {p['core'][1] / p['fts'][1]:5.1f}x; nothing held: "
          f"p50 {p['first'][0] / p['fts'][0]:5.1f}x  p99 {p['first'][1] / p['fts'][1]:5.1f}x")
    return p


def profile(app, engine, cases, langs, top: int = 25):
    """Where a new query's time goes: cProfile over every relevance query, cache off."""
    import cProfile
    import pstats

    heading("Search profile (cProfile, every relevance query, result cache cleared)")
    profiler = cProfile.Profile()
    with app.test_request_context("/en/search"):
        for case in cases:  # warm
            engine.search(langs[case["lang"]], case["q"])
        profiler.enable()
        for case in cases:
            engine.cache.clear()
            engine.search(langs[case["lang"]], case["q"])
        profiler.disable()
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(top)


_MEMORY_CHILD = r"""
import json, random, sys
sys.path.insert(0, sys.argv[1])
from bench.search import real_app
from pathlib import Path
from portal.i18n import get_i18n

def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
app = real_app(Path(sys.argv[2]), compile_catalogs=False)
engine = app.extensions["search"]
langs = list(get_i18n(app).registry.public)
client = app.test_client()
for lang in langs:  # every page a worker may have served: search's share comes after
    client.get(f"/{lang.code}/")
before = rss()
with app.test_request_context("/en/search"):
    for lang in langs:
        engine.search(lang, "help passport work")
    after = rss()
    rng = random.Random(7)
    words = [w for c in json.loads(sys.argv[3]) for w in c.split()]
    for i in range(int(sys.argv[4])):
        lang = langs[i % len(langs)]
        engine.search(lang, " ".join(rng.choice(words) for _ in range(8)) + f" {i}")
    flooded = rss()
print(json.dumps({"before": before, "after": after, "flooded": flooded,
                  "languages": len(langs), "open": len(engine.open_codes()),
                  "bound": engine.open_indexes, "cache": len(engine.cache)}))
"""


def memory(out: Path, cases, searches: int = 3000):
    import subprocess

    heading("Search memory per worker (fresh process)")
    done = subprocess.run(
        [sys.executable, "-c", _MEMORY_CHILD, str(ROOT), str(out),
         json.dumps([c["q"] for c in cases]), str(searches)],
        capture_output=True, text=True, timeout=900, cwd=ROOT)
    try:
        m = json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        print(f"failed: {done.stderr.strip()[-400:]}")
        return
    share = m["after"] - m["before"]
    print(f"{m['languages']} languages, at most {m['bound']} indexes open "
          f"(SEARCH_OPEN_INDEXES); {m['open']} open at the end")
    print(f"  RSS before any search (every home page rendered): {m['before']:.1f} MiB")
    print(f"  after one search in every language: {m['after']:.1f} MiB "
          f"(search adds {share:+.1f} MiB)")
    print(f"  after {searches:,} more distinct searches: {m['flooded']:.1f} MiB "
          f"({m['flooded'] - m['before']:+.1f} MiB; result cache {m['cache']} entries)")
    table.record("memory per worker that search adds",
                 f"search adds {share:.0f} MiB ({m['languages']} languages, "
                 f"{m['bound']} open at most; {m['before']:.0f} -> {m['after']:.0f} MiB), "
                 f"{m['flooded'] - m['before']:.0f} MiB after {searches:,} searches")


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
    relevance_wave2(app, engine, yaml.safe_load(RELEVANCE_WAVE2.read_text(encoding="utf-8")))

    heading("Search latency (real index)")
    langs = {lang.code: lang for lang in get_i18n(app).registry.public}
    queries = [(c["lang"], c["q"]) for c in cases]
    with app.test_request_context("/en/search"):
        real = latency("real index, every relevance query", engine, db, queries, langs,
                       repeat)
    db.close()
    table.record("real index, one query, Whoosh query only",
                 f"p50 {real['core'][0]:.2f} ms, p99 {real['core'][1]:.2f} ms "
                 f"(FTS5 {real['fts'][0]:.2f} / {real['fts'][1]:.2f} ms; nothing held "
                 f"{real['first'][0]:.2f} / {real['first'][1]:.2f} ms)")
    table.record("same, full results page (query + snippets + suggestion)",
                 f"p50 {real['full'][0]:.2f} ms, p99 {real['full'][1]:.2f} ms "
                 f"(cached {real['cached'][0]:.2f} / {real['cached'][1]:.2f} ms)")
    table.record("ratio to SQLite FTS5 on the same corpus and queries",
                 f"{real['core'][0] / real['fts'][0]:.1f}x at p50, "
                 f"{real['core'][1] / real['fts'][1]:.1f}x at p99 (nothing held: "
                 f"{real['first'][0] / real['fts'][0]:.1f}x at p50)")
    if os.environ.get("BENCH_SEARCH_PROFILE"):
        profile(app, engine, cases, langs)
    memory(out, cases)

    count, words = env("DOCS", 100_000), env("WORDS", 50)
    heading(f"Search latency (synthetic index, {count:,} documents)")
    folder, info = synthetic(out, docs["en"], count, words, env("PROCS", 2))
    synth = WhooshSearch(str(folder), reload_interval=3600, locales=("en",))
    db = sqlite3.connect(folder / "fts.sqlite")
    english = [("en", c["q"]) for c in cases if c["lang"] == "en"]
    synthetic_p = latency("synthetic index, the English relevance queries", synth, db,
                          english, langs, repeat)
    table.record("synthetic index, Whoosh query",
                 f"p50 {synthetic_p['core'][0]:.0f} ms, p99 {synthetic_p['core'][1]:.0f} ms "
                 f"(FTS5 {synthetic_p['fts'][0]:.1f} / {synthetic_p['fts'][1]:.1f} ms): "
                 f"p99 {synthetic_p['core'][1] / synthetic_p['fts'][1]:.1f}x FTS5")
    print(f"  build (once): Whoosh {info['whoosh_s']:.0f} s, {info['bytes'] / 1e6:.0f} MB; "
          f"FTS5 {info['fts_s']:.1f} s, {info['fts_bytes'] / 1e6:.0f} MB; "
          f"ratio {info['whoosh_s'] / max(info['fts_s'], 1e-9):.0f}x")
    db.close()


if __name__ == "__main__":
    main()
