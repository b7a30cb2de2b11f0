"""The admin pages that curation added or changed, in French and in English, are well-formed HTML (html5lib)."""
import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from articles.models import Actor, Article, ArticleTag, Tag, TagRule
from tests.browser.conftest import build_archive
from tests.test_html import parse_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(commit_hooks):
    with commit_hooks(), transaction.atomic():
        build_archive()
    tag = Tag.objects.get(name="Économie")
    rule = TagRule.objects.create(tag=tag, q="sanctions", filters={"country": ["RU"], "actor": ["xi-jinping"]})
    for article in Article.objects.filter(title__startswith="Sanctions")[:3]:
        ArticleTag.objects.update_or_create(article=article, tag=tag, defaults={
            "origin": "rule", "status": "proposed", "rule": rule, "evidence": rule.describe()})
    return rule


def admin_pages(rule) -> list[tuple[str, str, dict | None]]:
    article = Article.objects.filter(title__startswith="Sanctions").first()
    tags = list(Tag.objects.values_list("pk", flat=True))
    actors = list(Actor.objects.values_list("pk", flat=True)[:2])
    return [
        ("article-list", "/admin/articles/article/?tag=diplomatie", None),
        ("article", f"/admin/articles/article/{article.pk}/change/", None),
        ("tag-list", "/admin/articles/tag/", None),
        ("tag", f"/admin/articles/tag/{rule.tag_id}/change/", None),
        ("rule-list", "/admin/articles/tagrule/", None),
        ("rule-add", "/admin/articles/tagrule/add/?q=sanctions&filters=country%3DRU", None),
        ("rule", f"/admin/articles/tagrule/{rule.pk}/change/", None),
        ("rule-preview", "/admin/articles/tagrule/add/", {"tag": str(rule.tag_id), "q": "sanctions", "filters": "country=RU",
                                                          "date_from": "", "date_to": "", "is_active": "on", "note": "", "_preview": "1"}),
        ("queue", "/admin/articles/tagproposal/", None),
        ("queue-confirm", "/admin/articles/tagproposal/", {"action": "confirm", "_selected_action":
                                                           [str(pk) for pk in ArticleTag.objects.filter(status="proposed").values_list("pk", flat=True)]}),
        ("tag-merge", "/admin/articles/tag/", {"action": "merge", "_selected_action": [str(pk) for pk in tags], "into": str(tags[0]),
                                               "step": "preview"}),
        ("actor-merge", "/admin/articles/actor/", {"action": "merge", "_selected_action": [str(pk) for pk in actors],
                                                   "into": str(actors[0]), "step": "preview"}),
        ("actor-list", "/admin/articles/actor/", None),
        ("source-list", "/admin/articles/source/", None),
    ]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_admin_page_kind_of_curation_is_well_formed_html(client, stored, language):
    client.force_login(get_user_model().objects.create_superuser("root", password="pw-for-tests-only"))
    errors = {}
    for kind, url, data in admin_pages(stored):
        response = client.post(url, data, HTTP_ACCEPT_LANGUAGE=language) if data else client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, kind
        found = parse_errors(response.content.decode())
        if found:
            errors[kind] = found
    assert errors == {}
