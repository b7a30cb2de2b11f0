"""Every feature of the query language, against a real Whoosh index."""
from datetime import date

import pytest

from articles.models import Actor, ActorAlias
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(commit_hooks):
    with commit_hooks():
        make_article("Pékin envoie des drones et de l’aide militaire à Moscou.", title="Drones", published=date(2022, 3, 20),
                     source="Le Courrier", actors=["Vladimir Poutine", "Xi Jinping"], countries=["CN", "RU"], tags=["Armement"])
        make_article("Washington prépare des missiles et des sanctions.", title="Missiles", published=date(2022, 3, 1), precision="month",
                     source="La Gazette", actors=["Joe Biden"], countries=["US"], tags=["Armement", "Sanctions"])
        make_article("Le pétrole russe et les sanctions sanctionnant Moscou.", title="Pétrole", published=date(2022, 1, 1), precision="year",
                     source="La Gazette", actors=["Vladimir Poutine"], countries=["RU"], tags=["Énergie"])
        make_article("Un sommet sans date connue, avec une aide humanitaire.", title="Sommet")
    ActorAlias.objects.create(actor=Actor.objects.get(name="Vladimir Poutine"), name="Putin")


def titles(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    return sorted(hit.object.title for hit in response.context["result"].page.object_list)


def notices(client, **params):
    return client.get("/search/", params).context["result"].notices


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sanctions moscou", ["Pétrole"]),
        ("drones OR missiles", ["Drones", "Missiles"]),
        ("sanctions -pétrole", ["Missiles"]),
        ("sanctions NOT pétrole", ["Missiles"]),
        ('"aide militaire"', ["Drones"]),
        ('"militaire aide"', []),
        ("sanction*", ["Missiles", "Pétrole"]),
        ("(drones OR missiles) washington", ["Missiles"]),
        ("actor:Poutine", ["Drones", "Pétrole"]),
        ('actor:"Xi Jinping"', ["Drones"]),
        ("actor:putin", ["Drones", "Pétrole"]),
        ("country:chine", ["Drones"]),
        ("country:US", ["Missiles"]),
        ("pays:russie sanctions", ["Pétrole"]),
        ("tag:armement", ["Drones", "Missiles"]),
        ('source:"La Gazette"', ["Missiles", "Pétrole"]),
        ("date:2022-03", ["Drones", "Missiles"]),
        ("date:2022", ["Drones", "Missiles", "Pétrole"]),
        ("date:2022-03-15..2022-12", ["Drones"]),
        ("date:..2021", []),
    ],
)
def test_query_language(client, archive, query, expected):
    assert titles(client, q=query) == expected


def test_a_query_that_only_excludes_gives_every_other_article(client, archive):
    assert titles(client, q="-sanctions") == ["Drones", "Sommet"]
    assert titles(client, q="NOT sanctions -aide") == []
    assert titles(client, q="-actor:Poutine") == ["Missiles", "Sommet"]
    assert notices(client, q="-sanctions") == []


def test_an_actors_alias_finds_articles_that_never_spell_it(client, archive):
    assert titles(client, q="Putin") == ["Drones", "Pétrole"]
    assert titles(client, q='"Putin"') == ["Drones", "Pétrole"]
    assert titles(client, q="vladimir poutine") == ["Drones", "Pétrole"]


def test_french_analysis_elisions_accents_and_stemming(client, archive):
    assert titles(client, q="l'aide") == ["Drones", "Sommet"]
    assert titles(client, q="PEKIN") == ["Drones"]
    assert titles(client, q="sanctionné") == ["Missiles", "Pétrole"]
    assert titles(client, q="petrole") == ["Pétrole"]
    assert titles(client, q="sanctionnant") == ["Missiles", "Pétrole"]
    assert titles(client, q="MOSCOU") == ["Drones", "Pétrole"]


@pytest.mark.parametrize("query", ['"aide militaire', "sanctions)", "drones OR", "a*"])
def test_bad_syntax_falls_back_to_plain_words_and_says_so(client, archive, query):
    said = notices(client, q=query)
    assert len(said) == 1 and said[0].startswith("La syntaxe de la recherche n’a pas été comprise")


def test_bad_syntax_fallback_still_finds_the_words(client, archive):
    assert titles(client, q='"aide militaire') == ["Drones"]


def test_an_unknown_actor_in_a_field_is_said(client, archive):
    assert titles(client, q="actor:Napoléon") == []
    assert notices(client, q="actor:Napoléon") == ["Aucun acteur ne correspond à « Napoléon » dans l’archive."]


def test_date_range_respects_precision(client, archive):
    # "mars 2022" lies inside March; "2022" (year only) does not; the unknown date never does.
    assert titles(client, date_from="2022-03-01", date_to="2022-03-31") == ["Drones", "Missiles"]
    assert titles(client, date_from="2022-03-02", date_to="2022-03-31") == ["Drones"]
    assert titles(client, date_from="2022") == ["Drones", "Missiles", "Pétrole"]


def test_a_bad_date_bound_is_ignored_and_said(client, archive):
    said = notices(client, date_from="mars")
    assert said == ["La date « mars » n’a pas été comprise (exemples : 2022, 2022-03, 2022-03-15) ; elle est ignorée."]


def test_a_search_with_no_result_offers_to_drop_each_filter(client, archive):
    response = client.get("/search/", {"q": "drones", "actor": "joe-biden", "tag": "energie"})
    result = response.context["result"]
    assert result.total == 0
    assert [(s.label, s.count, s.url) for s in result.drop_suggestions] == [
        ("Acteur : Joe Biden", 0, "?q=drones&tag=energie"),
        ("Thème : Énergie", 0, "?q=drones&actor=joe-biden"),
        ("tous les filtres", 1, "?q=drones"),
    ]
    response = client.get("/search/", {"actor": "joe-biden", "tag": "energie"})
    assert [(s.label, s.count) for s in response.context["result"].drop_suggestions] == [
        ("Acteur : Joe Biden", 1), ("Thème : Énergie", 1), ("tous les filtres", 4),
    ]


def test_months_are_offered_inside_a_chosen_year(client, archive):
    response = client.get("/search/", {"year": "2022"})
    months = dict(response.context["result"].facets)
    rows = next(rows for facet, rows in months.items() if facet.param == "month")
    assert [(r.value, r.count) for r in rows] == [("2022-03", 2)]
    assert not any(f.param == "month" for f, _ in client.get("/search/").context["result"].facets)


def test_more_shows_every_value_of_a_facet(client, commit_hooks):
    with commit_hooks():
        make_article("Un texte.", actors=[f"Personne {n:02d}" for n in range(15)])
    rows = lambda **p: next(r for f, r in client.get("/search/", p).context["result"].facets if f.param == "actor")
    assert len(rows()) == 10
    assert len(rows(more="actor")) == 15
