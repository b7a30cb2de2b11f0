"""Saving an article in the admin changes only what the curator changed; the raw page never."""
import json
from datetime import date

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model

from articles.importer import import_paths, reextract_articles
from articles.models import Article
from tests.admin.test_article_admin import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator_client(client):
    client.force_login(get_user_model().objects.create_superuser("curator", password="not-used-here"))
    return client


def as_a_browser_sends_it(data: dict) -> dict:
    """Return the POST data with every line end as CRLF, as browsers send textareas."""
    return {k: v.replace("\n", "\r\n") if isinstance(v, str) else v for k, v in data.items()}


@pytest.fixture
def imported(commit_hooks, seeds_dir):
    with commit_hooks():
        import_paths([seeds_dir / "000_31e098282308b3f9.txt"], progress=False)
    return Article.objects.get()


def test_changing_only_the_date_leaves_raw_and_body_byte_for_byte(curator_client, commit_hooks, imported):
    raw, body = imported.raw, imported.body
    assert "\n" in body
    url = f"/admin/articles/article/{imported.pk}/change/"
    data = form_data(curator_client.get(url))
    assert "raw" not in data  # the page as received is shown, not editable
    data["published_on"] = "2022-03-21"
    with commit_hooks():
        response = curator_client.post(url, as_a_browser_sends_it(data))
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    article = Article.objects.get()
    assert (article.raw.encode(), article.body.encode()) == (raw.encode(), body.encode())
    assert article.published_on == date(2022, 3, 21)
    assert article.curated_fields == ["published_on"]
    history = LogEntry.objects.get(object_id=str(article.pk))
    assert json.loads(history.change_message) == [{"changed": {"fields": ["Publié le"]}}]


def test_saving_unchanged_records_nothing_as_curated(curator_client, commit_hooks, imported):
    url = f"/admin/articles/article/{imported.pk}/change/"
    with commit_hooks():
        assert curator_client.post(url, as_a_browser_sends_it(form_data(curator_client.get(url)))).status_code == 302
    assert Article.objects.get().curated_fields == []
    assert json.loads(LogEntry.objects.get().change_message) == []


def test_curated_captions_stick_on_reextraction(curator_client, commit_hooks, imported):
    url = f"/admin/articles/article/{imported.pk}/change/"
    data = form_data(curator_client.get(url))
    data["captions"] = "Une légende écrite par le curateur.\nUne seconde."
    with commit_hooks():
        assert curator_client.post(url, as_a_browser_sends_it(data)).status_code == 302
    assert Article.objects.get().curated_fields == ["captions"]
    with commit_hooks():
        reextract_articles(progress=False)
    assert Article.objects.get().captions == ["Une légende écrite par le curateur.", "Une seconde."]


def test_a_body_a_curator_edits_is_stored_with_its_line_ends_as_typed(curator_client, commit_hooks, imported):
    url = f"/admin/articles/article/{imported.pk}/change/"
    data = form_data(curator_client.get(url))
    data["body"] = "Premier paragraphe corrigé.\n\nSecond paragraphe."
    with commit_hooks():
        assert curator_client.post(url, as_a_browser_sends_it(data)).status_code == 302
    article = Article.objects.get()
    assert article.body == "Premier paragraphe corrigé.\n\nSecond paragraphe."
    assert article.curated_fields == ["body"]
