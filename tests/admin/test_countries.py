"""ISO countries in the admin: curators edit their aliases but never delete one; a superuser's deletion is recorded."""
import pytest
from django.contrib.admin.models import LogEntry

from articles.models import Article, ArticleCountry, Country
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_a_curator_cannot_delete_a_country_by_its_page_or_the_bulk_action(client, curator, commit_hooks):
    with commit_hooks():
        article = make_article("Vilnius et Pékin.", countries=["LT"])
    assert client.get("/admin/articles/country/LT/delete/").status_code == 403
    assert client.post("/admin/articles/country/LT/delete/", {"post": "yes"}).status_code == 403
    page = client.get("/admin/articles/country/")
    assert "delete_selected" not in page.content.decode()
    client.post("/admin/articles/country/", {"action": "delete_selected", "_selected_action": ["LT"], "post": "yes"})
    assert Country.objects.filter(code="LT").exists()
    assert list(article.country_links.values_list("country_id", flat=True)) == ["LT"]


def test_a_curator_still_edits_a_country_s_aliases(client, curator):
    page = client.post("/admin/articles/country/LT/change/", {"name_fr": "Lituanie", "name_en": "Lithuania", "aliases": "Vilnius\nlituanien"})
    assert page.status_code == 302
    assert Country.objects.get(code="LT").aliases == ["Vilnius", "lituanien"]


def test_a_superuser_is_asked_and_the_links_the_deletion_removes_stay_in_the_history(admin_client, commit_hooks):
    with commit_hooks():
        first = make_article("Vilnius et Pékin.", countries=["LT", "CN"])
        second = make_article("Vilnius encore.", countries=["LT"])
    ArticleCountry.objects.filter(article=second).update(status="rejected", origin="curator")
    asked = admin_client.get("/admin/articles/country/LT/delete/")
    assert asked.status_code == 200 and "Voulez-vous vraiment supprimer" in asked.content.decode()
    with commit_hooks():
        assert admin_client.post("/admin/articles/country/LT/delete/", {"post": "yes"}).status_code == 302
    assert not Country.objects.filter(code="LT").exists()
    history = {entry.object_id: entry.get_change_message() for entry in LogEntry.objects.filter(content_type__model="article")}
    assert history == {
        str(first.pk): "Pays « Lituanie » (LT) supprimé : son lien est retiré (proposé, extraction automatique).",
        str(second.pk): "Pays « Lituanie » (LT) supprimé : son lien est retiré (rejeté, curateur).",
    }
    assert list(Article.objects.get(pk=first.pk).country_links.values_list("country_id", flat=True)) == ["CN"]
