"""The home page and the article page."""
from datetime import date

import pytest
from django.urls import reverse

from tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_article_page_shows_text_metadata_and_links_to_the_pages_of_what_it_names(client, commit_hooks):
    with commit_hooks():
        article = make_article(
            "Premier paragraphe.\n\nSecond paragraphe.", title="Un titre", published=date(2022, 3, 1), precision="month",
            source="Le Courrier", actors=["Li Keqiang"], countries=["CN"], tags=["Diplomatie"],
        )
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<h1 id="article-title">Un titre</h1>' in html
    assert "mars 2022" in html and "1 mars 2022" not in html
    assert "au mois près : la page ne donne pas le jour" in html
    assert "<p>Premier paragraphe.</p>" in html and "<p>Second paragraphe.</p>" in html
    for link, label in [("/actors/li-keqiang/", "Li Keqiang"), ("/countries/cn/", "Chine"), ("/tags/diplomatie/", "Diplomatie"), ("/sources/le-courrier/", "Le Courrier")]:
        assert f'<a href="{link}">{label}</a>' in html
    assert f'<a href="/articles/{article.pk}/raw/">page brute telle que reçue</a>' in html


def test_unknown_date_and_missing_title_are_said(client, commit_hooks):
    with commit_hooks():
        article = make_article("Le ministre a affiché mardi sa détermination à renforcer la coopération militaire.")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "date inconnue" in html
    assert "Cette page ne donne pas de titre" in html
    assert "Le ministre a affiché mardi sa détermination à renforcer la coopération militaire." in html


def test_missing_article_is_a_friendly_404(client):
    response = client.get("/articles/999999/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_raw_page_is_served_as_plain_text(client, commit_hooks):
    with commit_hooks():
        article = make_article("<b>brut</b>")
    response = client.get(reverse("articles:raw", args=[article.pk]))
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == "<b>brut</b>"


def test_home_page_lists_latest_articles_and_facets(client, commit_hooks):
    with commit_hooks():
        make_article("Texte.", title="Le plus récent", actors=["Joe Biden"])
    html = client.get("/").content.decode()
    assert "Le plus récent" in html
    assert "1 article dans l’archive." in html
    assert "Joe Biden" in html


def test_article_page_shows_the_same_story_and_more_like_this(client, commit_hooks):
    from articles.models import Article

    with commit_hooks():
        first = make_article("Les céréales ukrainiennes passent par la mer Noire malgré la guerre et les mines.", title="Céréales en mer Noire")
        again = make_article("Reprise : les céréales ukrainiennes passent par la mer Noire malgré la guerre.", title="Céréales, reprise")
        make_article("Les mines de la mer Noire gênent les cargos de céréales ukrainiennes.", title="Cargos et mines")
        make_article("Un festival de musique à Lyon attire la foule.", title="Festival")
    Article.objects.filter(pk=again.pk).update(story=first)

    def section(html, heading_id):
        start = html.index(f'id="{heading_id}"')
        return html[start:html.index("</section>", start)]

    html = client.get(first.get_absolute_url()).content.decode()
    assert "Céréales, reprise" in section(html, "same-story-heading")
    assert "Cargos et mines" in section(html, "more-like-this-heading")
    assert "Festival" not in html
    back = client.get(again.get_absolute_url()).content.decode()
    assert "Céréales en mer Noire" in section(back, "same-story-heading")
