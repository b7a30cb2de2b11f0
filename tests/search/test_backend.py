"""The Whoosh engine subclass against Whoosh itself: same hits, facet counts and order, faster.

Each comparison runs the same query through the engine's vectorised search and through
haystack's own Whoosh search (which uses Whoosh's groupedby facets and collectors) on one index.
"""
import random
from datetime import date, timedelta

import pytest
from django.db import transaction
from haystack.inputs import Exact
from haystack.query import SearchQuerySet

from articles.models import Article
from tests.factories import make_article

pytestmark = pytest.mark.django_db

FACETS = ["actors_exact", "countries_exact", "tags_exact", "source_exact", "year_exact"]
WORDS = ["sanctions", "pétrole", "drones", "missiles", "céréales", "élections", "frontière", "accord",
         "ministre", "aide", "militaire", "banque", "réfugiés", "sommet", "otage", "blé"]
ACTORS = ["Vladimir Poutine", "Xi Jinping", "Joe Biden", "Emmanuel Macron", "Olaf Scholz", "Recep Erdogan"]
COUNTRIES = ["RU", "CN", "US", "FR", "DE", "TR", "UA"]
TAGS = ["Diplomatie", "Économie", "Défense", "Énergie"]
SOURCES = ["Le Courrier", "La Gazette", "Le Réveil"]


@pytest.fixture
def corpus(commit_hooks):
    """Sixty random articles: some share a date, some have no date, one source has none."""
    rng = random.Random(4)
    with commit_hooks():
        for n in range(60):
            words = rng.choices(WORDS, k=rng.randint(5, 40))
            if rng.random() < 0.3:
                words.insert(rng.randrange(len(words)), "aide militaire")
            published = None if n % 9 == 0 else date(2021, 1, 1) + timedelta(days=rng.choice([0, 0, 30, 400, 500]))
            make_article(
                " ".join(words) + f". Dépêche {n}.", title=f"Article {n:02d}", published=published,
                source=rng.choice(SOURCES + [""]), actors=rng.sample(ACTORS, rng.randint(0, 3)),
                countries=rng.sample(COUNTRIES, rng.randint(1, 3)), tags=rng.sample(TAGS, rng.randint(0, 2)),
            )


QUERIES = [
    "sanctions", "drones missiles", "drones OR missiles", "sanctions -pétrole", "sanctions NOT pétrole",
    '"aide militaire"', "sanc*", "*", "(drones OR blé) sommet", "nothingatall",
    '(sanctions) AND actors_exact:("joe-biden")',
    '(*) AND countries_exact:("RU") AND countries_exact:("CN")',
    'tags_exact:("diplomatie" OR "defense")',
    '(accord) AND tags_exact:("diplomatie" OR "defense") AND year_exact:("2022")',
    "published:([20210201000000 to])",
]


def both(backend, query, **kwargs):
    """Return (ours, haystack's Whoosh) results of one search."""
    kwargs.setdefault("facets", {name: {} for name in FACETS})
    return backend.search(query, **kwargs), backend._haystack_search(query, **kwargs)


def test_hits_and_facet_counts_equal_whooshs_groupedby(search_backend, corpus):
    for query in QUERIES:
        ours, whoosh = both(search_backend, query, end_offset=1)
        assert ours["hits"] == whoosh["hits"], query
        expected = whoosh["facets"]["fields"] if whoosh["hits"] else {name: [] for name in FACETS}
        assert ours["facets"]["fields"] == expected, query


def test_scores_and_order_equal_whooshs(search_backend, corpus):
    for query in QUERIES:
        ours, whoosh = both(search_backend, query, end_offset=100, facets=None)
        ours_scores = [(r.pk, round(r.score, 9)) for r in ours["results"]]
        whoosh_scores = [(r.pk, round(r.score, 9)) for r in whoosh["results"]]
        assert sorted(ours_scores) == sorted(whoosh_scores), query
        if " " not in query:  # one term: Whoosh's sums cannot differ from ours in the last bit
            assert ours_scores == whoosh_scores, query


def test_pages_put_together_give_every_result_once_in_order(search_backend, corpus):
    for sort_by in (None, ["-published"], ["published"]):
        whole = [r.pk for r in search_backend.search("*", sort_by=sort_by, end_offset=100)["results"]]
        pages = [
            r.pk
            for start in range(0, 60, 7)
            for r in search_backend.search("*", sort_by=sort_by, start_offset=start, end_offset=start + 7)["results"]
        ]
        assert pages == whole
        assert sorted(whole) == sorted(str(pk) for pk in Article.objects.values_list("pk", flat=True))


def test_unknown_dates_sort_last_newest_and_oldest(search_backend, corpus):
    undated = {str(pk) for pk in Article.objects.filter(published_on=None).values_list("pk", flat=True)}
    for sort_by, reverse in ((["-published"], True), (["published"], False)):
        results = search_backend.search("*", sort_by=sort_by, end_offset=100)["results"]
        dated = [r for r in results if r.pk not in undated]
        assert {r.pk for r in results[len(dated):]} == undated
        dates = [r.published for r in dated]
        assert dates == sorted(dates, reverse=reverse)


def test_facet_filters_combine_with_and_or(corpus):
    both_countries = SearchQuerySet().filter(countries_exact=Exact("RU")).filter(countries_exact=Exact("CN"))
    either_tag = SearchQuerySet().filter(tags_exact__in=["diplomatie", "defense"])
    expected_and = Article.objects.filter(country_links__country="RU").filter(country_links__country="CN")
    expected_or = Article.objects.filter(tags__slug__in=["diplomatie", "defense"]).distinct()
    assert sorted(int(r.pk) for r in both_countries) == sorted(a.pk for a in expected_and)
    assert sorted(int(r.pk) for r in either_tag) == sorted(a.pk for a in expected_or)
    counts = dict(both_countries.facet("countries").facet_counts()["fields"]["countries"])
    assert counts["RU"] == counts["CN"] == expected_and.count()


def test_highlights_escape_the_article_and_mark_french_forms(commit_hooks):
    with commit_hooks():
        make_article("Les <b>sanctions</b> & l’aide « militaire » <script>x()</script> sanctionnées.", title="Piège")
    result = SearchQuerySet().auto_query("sanction").highlight()[0]
    snippet = result.highlighted["text"][0]
    assert "<mark>sanctions</mark>" in snippet and "<mark>sanctionnées</mark>" in snippet
    assert "&lt;b&gt;" in snippet and "&lt;script&gt;" in snippet and "&amp;" in snippet
    assert "<b>" not in snippet and "<script>" not in snippet


def test_a_change_is_visible_to_the_next_search(commit_hooks):
    with commit_hooks():
        article = make_article("Un sommet sur les céréales.", title="Sommet")
    assert SearchQuerySet().auto_query("céréales").count() == 1  # the shared searcher is open now
    with commit_hooks():
        with transaction.atomic():
            article.body = "Un sommet sur le pétrole."
            article.save()
    assert SearchQuerySet().auto_query("céréales").count() == 0
    assert [r.pk for r in SearchQuerySet().auto_query("pétrole")] == [str(article.pk)]
    with commit_hooks():
        article.delete()
    assert SearchQuerySet().auto_query("pétrole").count() == 0


def test_bulk_update_writes_what_the_plain_update_writes(search_backend, corpus, search_options):
    before = {query: both(search_backend, query, end_offset=100)[0] for query in QUERIES}
    spelling_before = spelling(search_backend)
    assert len(spelling_before[0]) > 10
    search_backend = search_options(BULK_MIN_DOCUMENTS=10)
    index = search_backend_index()
    search_backend.clear()
    search_backend.update(index, list(index.index_queryset()))
    # The bulk writer wrote it: it keeps one spelling posting per word, weighted by its articles.
    common = max(spelling_before[0], key=spelling_before[0].get)
    assert search_backend.index.reader().doc_frequency("spell_text", common) == 1 < spelling_before[0][common]
    assert spelling(search_backend) == spelling_before
    search_backend.update(index, list(index.index_queryset()))  # replaces, never duplicates
    assert search_backend.index.doc_count() == 60
    for query in QUERIES:
        after = both(search_backend, query, end_offset=100)[0]
        assert after["hits"] == before[query]["hits"]
        assert after["facets"] == before[query]["facets"]
        assert sorted(r.pk for r in after["results"]) == sorted(r.pk for r in before[query]["results"])


def spelling(backend):
    """Return the spelling words with their frequencies, and suggestions for misspellings."""
    reader = backend.index.reader()
    words = {word: reader.frequency("spell_text", word) for word in reader.lexicon("spell_text")}
    corrector = reader.corrector("text")
    return words, [corrector.suggest(word, limit=3) for word in ("sanctoins", "petrol", "milliatire", "drone")]


def search_backend_index():
    from articles.search.indexing.queue import article_index

    return article_index()


@pytest.mark.parametrize("options", [
    {"positions": True, "chars": True, "mode": "query"},
    {"chars": True, "mode": "query", "removestops": False},
    {"no_morph": True},
    {"positions": True, "tokenize": False},
])
def test_the_one_pass_analyzer_gives_the_filter_chains_tokens(options):
    from articles.search.backends.whoosh.analysis import FrenchAnalyzer, french_filter_chain

    text = (
        "L’Ukraine et l'aide d’urgence : qu'il sanctionne aujourd'hui les céréales, À PÉKIN, "
        "le 3 mars 2022 ; jusqu’à présent les électeurs s' et ' l' ’ « militaires » n°12 Côte-d’Ivoire."
    )

    def tokens(analyzer):
        return [(t.text, getattr(t, "pos", None), getattr(t, "startchar", None), getattr(t, "endchar", None), t.stopped)
                for t in analyzer(text, **options)]

    assert tokens(FrenchAnalyzer()) == tokens(french_filter_chain())


def test_index_time_adds_the_stem_without_accents_and_the_exact_word_at_the_same_position():
    from articles.search.backends.whoosh.analysis import french_analyzer

    tokens = [(t.text, t.pos) for t in french_analyzer()("céréalières négociées à Pékin", positions=True, mode="index")]
    assert tokens == [
        ("cereali", 0), ("cerealier", 0), ("=céréalières", 0),
        ("negoci", 1), ("negocie", 1), ("=négociées", 1),
        ("pekin", 2), ("=pékin", 2),
    ]


def test_the_one_pass_indexer_gives_the_analyzers_postings_and_spelling_words():
    from whoosh.fields import TEXT

    from articles.search.backends.whoosh.analysis import FrenchText, french_analyzer

    text = "Le  pétrole, l’Ukraine et les sanctions : la 2e sanction d'aujourd'hui vise le pétrole russe."
    fast, whoosh = FrenchText(analyzer=french_analyzer(), spelling=True), TEXT(analyzer=french_analyzer(), spelling=True)
    assert sorted(fast.index(text)) == sorted(whoosh.index(text))
    assert list(fast.spellable_words(text)) == list(whoosh.spellable_words(text))


@pytest.mark.parametrize(("query", "accented"), [("cerealieres", "céréalières"), ("negociee", "négociée"), ("sanctionnees", "sanctionnées"), ("pekin", "Pékin")])
def test_words_typed_without_accents_find_and_highlight_their_accented_forms(commit_hooks, query, accented):
    with commit_hooks():
        make_article(f"Un texte où figure le mot {accented} parmi d’autres.", title="Mot")
    results = SearchQuerySet().auto_query(query).highlight()
    assert len(results) == 1
    assert f"<mark>{accented}</mark>" in results[0].highlighted["text"][0]


def test_threads_searching_at_once_get_what_one_search_alone_gets(search_backend, corpus):
    """Evaluated queries and postings are kept by the index generation and shared by threads."""
    from concurrent.futures import ThreadPoolExecutor

    def answer(query):
        found = search_backend.search(query, end_offset=100, facets={name: {} for name in FACETS})
        return found["hits"], [r.pk for r in found["results"]], found["facets"]

    alone = {query: answer(query) for query in QUERIES}
    search_backend.clear_query_cache()
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(answer, QUERIES * 4))
    assert together == [alone[query] for query in QUERIES * 4]


def test_snippets_leave_the_title_out_and_mark_every_cut(commit_hooks):
    from articles.browse import page_articles
    from articles.search.page import run_search
    from articles.search.request import SearchRequest

    long_text = ("Le début du texte parle d’autre chose pendant longtemps, de la météo, des marchés et du sport. " * 3
                 + "Au milieu, les sanctions visent les banques. "
                 + "La suite parle encore d’autre chose, des élections, des routes et des écoles du pays. " * 3)
    with commit_hooks():
        make_article(long_text, title="Les sanctions du jour")
        make_article("Un texte court qui ne cite pas le mot, suivi de bien d’autres mots encore pour faire long. " * 4,
                     title="Sanctions sans le mot dans le texte")
    snippets = {item.article.title: item.snippet for item in page_articles(run_search(SearchRequest(q="sanctions")).page)}
    middle = snippets["Les sanctions du jour"]
    assert middle.startswith("… ") and middle.endswith(" …")
    assert "Au milieu, les <mark>sanctions</mark> visent les banques." in middle
    assert "Les sanctions du jour" not in middle  # the title is the result's heading, not its text
    lead = snippets["Sanctions sans le mot dans le texte"]
    assert lead.startswith("Un texte court qui ne cite pas le mot") and lead.endswith(" …")
    assert not lead[:-2].endswith(("enc", "faire lo"))  # cut after a whole word
    assert len(lead) <= 245


def edited(corpus_articles, rng):
    """Edit a few articles one commit at a time: each edit adds a segment and deletes a document."""
    for article in rng.sample(corpus_articles, 5):
        with transaction.atomic():
            article.body = article.body + " sanctionnés pétrolier drone"
            article.save()


def test_after_edits_scores_order_and_marked_words_equal_whooshs(search_backend, corpus, commit_hooks):
    from whoosh import query as wq

    from articles.search.backends.whoosh import evaluation, snapshot

    with commit_hooks():
        edited(list(Article.objects.all()), random.Random(2))
    snap = snapshot.current(search_backend.index)
    assert len(snap.segments) > 1 and snap.has_deletions
    reader = snap.searcher.reader()
    words = list(reader.lexicon("text"))
    assert snap.doc_frequencies("text", words).tolist() == [reader.doc_frequency("text", w) for w in words]
    for query in QUERIES + ["sanctions drones sommet accord", "dr* mi*", "(sanc* OR blé) -pétrole"]:
        if "*" not in query[1:]:  # Whoosh scores a prefix of several words otherwise (README)
            ours, whoosh = both(search_backend, query, end_offset=100, facets=None)
            assert sorted((r.pk, round(r.score, 9)) for r in ours["results"]) == sorted((r.pk, round(r.score, 9)) for r in whoosh["results"]), query
        expected = {t.decode() for f, t in search_backend.parser.parse(query).existing_terms(reader, expand=True) if f == "text"}
        assert set(search_backend._content_terms(query)) == expected, query
    # A prefix is the OR of its words, each scored alone, to the last bit.
    for prefix in ["dr", "mi", "sanc", "p"]:
        expanded = sorted({b for _, b in wq.Prefix("text", prefix).existing_terms(reader, expand=True)})
        hits = evaluation.evaluate(wq.Prefix("text", prefix), snap)
        alone = evaluation._or([evaluation._term(wq.Term("text", b), snap) for b in expanded])
        assert (hits.docs.tolist(), hits.scores.tolist()) == (alone.docs.tolist(), alone.scores.tolist()), prefix


def test_a_prefix_and_its_marked_words_include_the_word_an_edit_just_added(commit_hooks):
    with commit_hooks():
        article = make_article("Un sommet sur les céréales.", title="Sommet")
        make_article("Un sommet sur le zinc.", title="Zinc")
    assert SearchQuerySet().filter(content__startswith="zi").count() == 1  # kept by the generation and its segments
    with commit_hooks():
        with transaction.atomic():
            article.body = "Un sommet sur le zirconium."
            article.save()
    found = SearchQuerySet().filter(content__startswith="zi").highlight()
    assert sorted(r.title for r in found) == ["Sommet", "Zinc"]
    assert [r.highlighted["text"][0] for r in found if r.title == "Sommet"] == ["Un sommet sur le <mark>zirconium</mark>."]


PHRASES = [
    '"aide militaire"', '"militaire aide"', '"aide militaire sommet"', '"drones drones"', '"aide militaire"~3',
    '"drones missiles"~2', '"sommet drones"~4', '"aide militaire" -pétrole', '("aide militaire" OR "accord ministre") sommet',
    '"aide la militaire"', '"aide nothingatall"', '(aide militaire) AND countries_exact:("RU")',
    '"militaire drones sanctions"', '"aide militaire drones missiles"', '"sanctions aide militaire"~3',
]


def test_phrases_are_found_and_scored_as_whooshs_phrase_matcher_does_without_it(search_backend, corpus, commit_hooks, monkeypatch):
    # Whoosh's matcher walked every document holding the words, one at a time in Python: 250 ms
    # for a phrase of 3,000 hits at 100,000 articles, and again after every edit.
    from articles.search.backends.whoosh import evaluation

    with commit_hooks():
        edited(list(Article.objects.all()), random.Random(5))  # several segments, deletions
    whoosh_answers = {query: both(search_backend, query, end_offset=100, facets={n: {} for n in FACETS[:2]})[1] for query in PHRASES}
    search_backend.clear_query_cache()

    def refused(query, snapshot):
        raise AssertionError(f"Whoosh's matcher asked for {query!r}")
    monkeypatch.setattr(evaluation, "_by_whoosh", refused)
    found_some = 0
    for query in PHRASES:
        ours = search_backend.search(query, end_offset=100, facets={n: {} for n in FACETS[:2]})
        whoosh = whoosh_answers[query]
        assert ours["hits"] == whoosh["hits"], query
        # A phrase alone to the last bit: its words' scores are added in Whoosh's order (an AND of
        # three words or more may differ in the last bit, test_scores_and_order_equal_whooshs).
        digits = 20 if query.startswith('"') else 9
        assert sorted((r.pk, round(r.score, digits)) for r in ours["results"]) == sorted((r.pk, round(r.score, digits)) for r in whoosh["results"]), query
        assert ours["facets"]["fields"] == (whoosh["facets"]["fields"] if whoosh["hits"] else {n: [] for n in FACETS[:2]}), query
        found_some += ours["hits"] > 0
    assert found_some >= 6  # not a list of empty answers


def test_a_phrase_across_an_edit_reads_only_the_new_segment(search_backend, corpus, commit_hooks):
    from articles.search.backends.whoosh import segments, snapshot

    assert search_backend.search('"aide militaire"')["hits"]
    calls = []
    original = segments.SegmentData._phrase_docs
    segments.SegmentData._phrase_docs = lambda self, *args: calls.append(self.segment_id) or original(self, *args)
    try:
        with commit_hooks():
            article = Article.objects.order_by("pk").first()
            article.body += " une aide militaire de plus"
            article.save()
        hits = search_backend.search('"aide militaire"')["hits"]
    finally:
        segments.SegmentData._phrase_docs = original
    snap = snapshot.current(search_backend.index)
    assert calls == [snap.segments[-1].segment_id]  # the edit's segment, none of the others
    assert str(article.pk) in {r.pk for r in search_backend.search('"aide militaire"', end_offset=100)["results"]}
    assert hits == search_backend._haystack_search('"aide militaire"')["hits"]
