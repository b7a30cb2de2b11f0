"""Links that last: merged and renamed things redirect (301) to what they became; sitemap.xml, robots.txt."""
import xml.etree.ElementTree as ET

import pytest

from articles import curation
from articles.models import Actor, Source, Tag
from tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(commit_hooks):
    with commit_hooks():
        first = make_article("Poutine et Xi.", title="Un", source="Le Courrier", actors=["Vladimir Poutine"], tags=["Diplomatie"])
        second = make_article("Putin et Xi.", title="Deux", source="Courrier (Le)", actors=["V. Putin"], tags=["Diplo"])
    return first, second


def test_a_merged_actors_old_address_redirects_to_the_one_kept(client, archive, commit_hooks):
    kept, merged = Actor.objects.get(slug="vladimir-poutine"), Actor.objects.get(slug="v-putin")
    with commit_hooks():
        curation.actor_merge(actors=[kept, merged], into=kept)
    response = client.get("/actors/v-putin/?sort=oldest")
    assert (response.status_code, response["Location"]) == (301, "/actors/vladimir-poutine/?sort=oldest")
    assert client.get(response["Location"]).status_code == 200
    api = client.get("/api/actors/v-putin/")
    assert (api.status_code, api["Location"]) == (301, "/api/actors/vladimir-poutine/")
    assert client.get("/feeds/actors/v-putin/").status_code == 301


def test_merges_that_follow_each_other_redirect_in_one_step(client, archive, commit_hooks):
    a, b = Tag.objects.get(slug="diplo"), Tag.objects.get(slug="diplomatie")
    c = Tag.objects.create(name="Relations internationales")
    with commit_hooks():
        curation.tag_merge(tags=[a, b], into=b)
        curation.tag_merge(tags=[b, c], into=c)
    for old in ("diplo", "diplomatie"):
        response = client.get(f"/tags/{old}/")
        assert (response.status_code, response["Location"]) == (301, "/tags/relations-internationales/")


def test_a_merged_source_redirects(client, archive, commit_hooks):
    kept, merged = Source.objects.get(name="Le Courrier"), Source.objects.get(name="Courrier (Le)")
    with commit_hooks():
        curation.source_merge(sources=[kept, merged], into=kept)
    response = client.get(f"/sources/{merged.slug}/")
    assert (response.status_code, response["Location"]) == (301, "/sources/le-courrier/")


def test_a_renamed_tag_keeps_its_old_address_as_a_redirect(client, archive, commit_hooks):
    tag = Tag.objects.get(slug="diplomatie")
    tag.name, tag.slug = "Diplomatie et sommets", "diplomatie-et-sommets"
    with commit_hooks():
        tag.save()
    response = client.get("/tags/diplomatie/")
    assert (response.status_code, response["Location"]) == (301, "/tags/diplomatie-et-sommets/")
    tag.slug = "sommets"
    tag.save()
    assert client.get("/tags/diplomatie/")["Location"] == "/tags/sommets/"
    assert client.get("/tags/diplomatie-et-sommets/")["Location"] == "/tags/sommets/"


def test_a_live_thing_wins_over_an_old_address(client, archive, commit_hooks):
    tag = Tag.objects.get(slug="diplomatie")
    tag.name, tag.slug = "Sommets", "sommets"
    tag.save()
    Tag.objects.create(name="Diplomatie")  # takes the old slug back
    assert client.get("/tags/diplomatie/").status_code == 200


def test_an_address_that_never_was_is_still_a_404(client, archive):
    assert client.get("/actors/nobody/").status_code == 404


NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_locations(client) -> list[str]:
    """Return every address of the sitemap index's sitemaps, each page of them."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    locations = []
    for sitemap in ET.fromstring(response.content).findall("s:sitemap/s:loc", NS):
        part = client.get(sitemap.text.removeprefix("http://testserver"))
        assert part.status_code == 200, sitemap.text
        locations += [loc.text for loc in ET.fromstring(part.content).findall("s:url/s:loc", NS)]
    return locations


def test_the_sitemap_lists_every_article_and_entity(client, archive):
    locations = sitemap_locations(client)
    first, second = archive
    for path in (f"/articles/{first.pk}/", f"/articles/{second.pk}/", "/actors/vladimir-poutine/", "/tags/diplo/",
                 "/sources/le-courrier/", "/"):
        assert f"http://testserver{path}" in locations, path


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_the_sitemap_pages_past_its_limit(client, archive, monkeypatch):
    from articles import sitemaps

    monkeypatch.setattr(sitemaps.ArticleSitemap, "limit", 1)
    locations = sitemap_locations(client)
    assert sum("/articles/" in loc for loc in locations) == 2
