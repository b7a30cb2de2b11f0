"""What a name in a query or a filter stands for: words of tag and source names, ambiguous aliases,
publishers, agencies and articles without a source."""
from datetime import date

import pytest

from articles.models import Actor, ActorAlias, Source, Tag
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(commit_hooks):
    with commit_hooks():
        make_article("Pékin n’envoie pas d’armes à Moscou.", title="Armes", published=date(2022, 3, 20), source="Le Courrier",
                     tags=["Assistance militaire"], actors=["Li Keqiang"])
        make_article("Le Premier ministre chinois reçoit une délégation.", title="Délégation", published=date(2023, 3, 20),
                     source="La Gazette", tags=["Diplomatie"], actors=["Li Qiang"])
        make_article("Une dépêche sur le pétrole russe.", title="Dépêche", source="La Gazette", tags=["Énergie"])
        make_article("Un texte dont la source est inconnue.", title="Anonyme", tags=["Énergie"])
    ActorAlias.objects.create(actor=Actor.objects.get(name="Li Keqiang"), name="Li")
    with commit_hooks():
        from articles.models import Article

        afp = Source.objects.create(name="AFP", is_agency=True)
        for article in Article.objects.filter(title__in=["Armes", "Dépêche"]):
            article.agency = afp
            article.save()


def result(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    return response.context["result"]


def titles(client, **params):
    return sorted(hit.object.title for hit in result(client, **params).page.object_list)


def facet(client, param, **params):
    return {row.label: row.count for f, rows in result(client, **params).facets if f.param == param for row in rows}


@pytest.mark.parametrize("query, expected", [
    ("tag:assistance", ["Armes"]),
    ("tag:militaire", ["Armes"]),
    ('tag:"assistance militaire"', ["Armes"]),
    ("tag:energie", ["Anonyme", "Dépêche"]),  # accents optional, through the slug
    ("source:courrier", ["Armes"]),
    ("source:gazette", ["Délégation", "Dépêche"]),
    ("source:AFP", ["Armes", "Dépêche"]),  # an agency is a source of the article too
    ("agence:afp", ["Armes", "Dépêche"]),
])
def test_tag_and_source_accept_a_word_of_the_name(client, archive, query, expected):
    assert titles(client, q=query) == expected
    assert result(client, q=query).notices == []


def test_an_unknown_tag_says_so_in_good_french(client, archive):
    assert result(client, q="tag:cuisine").notices == ["Aucun thème ne correspond à « cuisine » dans l’archive."]
    assert result(client, q="source:inexistante").notices == ["Aucune source ne correspond à « inexistante » dans l’archive."]


def test_an_ambiguous_one_word_alias_lists_the_candidates_instead_of_picking_one(client, archive):
    found = result(client, q="actor:Li")
    assert sorted(hit.object.title for hit in found.page.object_list) == ["Armes", "Délégation"]
    assert found.notices == ["« Li » peut désigner plusieurs acteurs : Li Keqiang, Li Qiang. Les articles de chacun sont montrés ; "
                             "précisez, par exemple actor:\"Li Keqiang\"."]
    bare = result(client, q="Li")
    assert bare.notices == ["« Li » peut désigner plusieurs acteurs : Li Keqiang, Li Qiang. La recherche porte sur le mot ; "
                            "pour un acteur, précisez-le : actor:\"Li Keqiang\"."]
    assert titles(client, q='actor:"Li Qiang"') == ["Délégation"]


def test_sources_count_publishers_agencies_have_their_facet_and_unknown_source_is_a_value(client, archive):
    assert facet(client, "source") == {"La Gazette": 2, "Le Courrier": 1, "source inconnue": 1}
    assert facet(client, "agency") == {"AFP": 2}
    assert titles(client, source="-") == ["Anonyme"]
    assert titles(client, agency="afp") == ["Armes", "Dépêche"]
    assert titles(client, source="la-gazette", agency="afp") == ["Dépêche"]


def test_a_renamed_tag_gets_a_new_address_and_its_articles_follow(client, archive, commit_hooks):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("root", password="pw-for-tests-only"))
    tag = Tag.objects.get(name="Assistance militaire")
    with commit_hooks():
        response = client.post(f"/admin/articles/tag/{tag.pk}/change/", {"name": "Aide militaire", "slug": "aide-militaire", "description": ""})
    assert response.status_code == 302
    assert titles(client, tag="aide-militaire") == ["Armes"]
    assert titles(client, tag="assistance-militaire") == []
    assert client.get("/tags/aide-militaire/").status_code == 200
