"""Curators edit an article in the admin; search and facets follow at once."""
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.forms.formsets import ManagementForm

from articles.models import Actor, Tag
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator_client(client):
    user = get_user_model().objects.create_superuser("curator", password="not-used-here")
    client.force_login(user)
    return client


def form_data(response) -> dict:
    """Return the POST data of an admin change form as the browser would send it unchanged."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = ManagementForm(initial={
            "TOTAL_FORMS": formset.total_form_count(), "INITIAL_FORMS": formset.initial_form_count(),
            "MIN_NUM_FORMS": 0, "MAX_NUM_FORMS": 1000,
        }, prefix=formset.prefix)
        forms += [management, *formset.forms]
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if value is None:
                continue
            if isinstance(value, (list, tuple)):
                data[form.add_prefix(name)] = [str(v) for v in value]
            elif isinstance(value, bool):
                if value:
                    data[form.add_prefix(name)] = "on"
            else:
                data[form.add_prefix(name)] = str(value.pk if hasattr(value, "pk") else value)
    return data


def facet_counts(client, param, **params):
    response = client.get("/search/", params)
    rows = next(rows for facet, rows in response.context["result"].facets if facet.param == param)
    return {row.value: row.count for row in rows}


def test_tags_actors_and_countries_edited_in_the_admin_show_in_search_at_once(curator_client, commit_hooks):
    with commit_hooks():
        article = make_article("Les sanctions frappent Moscou.", title="Sanctions", published=date(2022, 3, 1), actors=["Vladimir Poutine"], countries=["RU"], tags=["Guerre"])
        make_article("Les sanctions et la Chine.", title="Autre", tags=["Guerre"])
    economy = Tag.objects.create(name="Économie")
    biden = Actor.objects.create(name="Joe Biden")
    url = f"/admin/articles/article/{article.pk}/change/"
    data = form_data(curator_client.get(url))
    data["tag_links-0-DELETE"] = "on"  # Guerre removed
    data["tag_links-1-tag"] = str(economy.pk)  # Économie added
    data["actor_links-1-actor"] = str(biden.pk)  # a new actor line
    data["country_links-0-DELETE"] = "on"  # Russia removed
    data["country_links-1-country"] = "US"
    with commit_hooks():
        response = curator_client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response

    assert facet_counts(curator_client, "tag", q="sanctions") == {"guerre": 1, "economie": 1}
    assert facet_counts(curator_client, "actor", q="sanctions") == {"joe-biden": 1, "vladimir-poutine": 1}
    assert facet_counts(curator_client, "country", q="sanctions") == {"US": 1}
    narrowed = curator_client.get("/search/", {"q": "sanctions", "tag": "economie"})
    assert [hit.object.pk for hit in narrowed.context["result"].page.object_list] == [article.pk]
    assert article.actor_links.get(actor=biden).origin == "curator"
    # Guerre, deleted on the form, stays as a rejected link: neither import nor rule gives it back.
    assert dict(article.tag_links.values_list("tag__name", "status")) == {"Guerre": "rejected", "Économie": "confirmed"}
    # Russia, deleted on the form, stays as a rejected link: extraction will not propose it again.
    assert dict(article.country_links.values_list("country_id", "status")) == {"RU": "rejected", "US": "confirmed"}


def test_renaming_a_tag_in_the_admin_renames_it_in_facets(curator_client, commit_hooks):
    with commit_hooks():
        make_article("Un texte sur la guerre.", tags=["Guere"])
    tag = Tag.objects.get(name="Guere")
    with commit_hooks():
        curator_client.post(f"/admin/articles/tag/{tag.pk}/change/", {"name": "Guerre", "description": ""})
    response = curator_client.get("/search/", {"q": "guerre"})
    rows = next(rows for facet, rows in response.context["result"].facets if facet.param == "tag")
    assert [(row.label, row.count) for row in rows] == [("Guerre", 1)]


def test_admin_lists_and_autocomplete_answer(curator_client, commit_hooks):
    with commit_hooks():
        make_article("Texte.", title="Un article", actors=["Xi Jinping"], countries=["CN"], tags=["Asie"])
    for path in ["article", "actor", "tag", "source", "country"]:
        assert curator_client.get(f"/admin/articles/{path}/").status_code == 200
    actors = curator_client.get("/admin/autocomplete/", {"term": "jinp", "app_label": "articles", "model_name": "articleactor", "field_name": "actor"})
    assert [r["text"] for r in actors.json()["results"]] == ["Xi Jinping"]
    countries = curator_client.get("/admin/autocomplete/", {"term": "chin", "app_label": "articles", "model_name": "articlecountry", "field_name": "country"})
    assert [r["text"] for r in countries.json()["results"]] == ["Chine", "R.A.S. chinoise de Hong Kong", "R.A.S. chinoise de Macao"]
    tags = curator_client.get("/admin/autocomplete/", {"term": "as", "app_label": "articles", "model_name": "articletag", "field_name": "tag"})
    assert [r["text"] for r in tags.json()["results"]] == ["Asie"]


def test_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get("/admin/articles/article/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_index_queue_is_visible_to_a_superuser_and_read_only(curator_client, commit_hooks):
    from articles.models import PendingIndexUpdate

    PendingIndexUpdate.objects.create(article_id=42)
    response = curator_client.get("/admin/articles/pendingindexupdate/")
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    assert curator_client.get("/admin/articles/pendingindexupdate/add/").status_code == 403


def test_the_article_list_counts_actors_and_countries_sorts_by_them_and_offers_the_years(curator_client):
    make_article("Xi Jinping et Vladimir Poutine à Pékin.", title="Sommet", published=date(2022, 3, 20),
                 actors=["Xi Jinping", "Vladimir Poutine"], countries=["CN", "RU", "UA"])
    make_article("Le conseil vote.", title="Vote", published=date(2019, 6, 1), actors=["Xi Jinping"])
    make_article("Sans date ni nom.", title="Rien")
    page = curator_client.get("/admin/articles/article/", {"o": "-4"})  # the actors column, most first
    rows = [(a.display_title, a.actor_total, a.country_total) for a in page.context["cl"].result_list]
    assert rows == [("Sommet", 2, 3), ("Vote", 1, 0), ("Rien", 0, 0)]
    assert page.context["cl"].result_count == 3
    years = next(spec for spec in page.context["cl"].filter_specs if spec.parameter_name == "year")
    assert years.lookup_choices == [("2022", "2022"), ("2019", "2019")]
