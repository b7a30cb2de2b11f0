"""The API as a program reads it: what each endpoint answers, its errors, CORS, the schema and its page."""
import json

import pytest

pytestmark = pytest.mark.django_db


def get_json(client, url, params=None, status=200):
    response = client.get(url, params or {})
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_search_gives_results_facets_and_pages(client, archive):
    found = get_json(client, "/api/search/", {"q": "sanctions", "country": "CN", "sort": "newest"})
    assert found["total"] == 4
    assert found["query"] == {"q": "sanctions", "country": ["CN"], "sort": "newest"}
    assert [r["title"] for r in found["results"]] == ["Pékin et Moscou", "Appel avec Washington", "Une année de guerre", "Sans date"]
    first = found["results"][0]
    assert first["id"] == archive.pk
    assert (first["published"], first["date_precision"]) == ("2022-03-20", "day")
    assert first["source"] == {"slug": "le-courrier", "name": "Le Courrier", "page_url": "http://testserver/sources/le-courrier/",
                               "api_url": "http://testserver/api/sources/le-courrier/"}
    assert [a["name"] for a in first["actors"]] == ["Vladimir Poutine", "Xi Jinping"]
    assert [(c["code"], c["name"]) for c in first["countries"]] == [("CN", "Chine"), ("RU", "Russie")]
    assert [(t["name"], t["status"]) for t in first["tags"]] == [("Diplomatie", "confirmed")]
    assert "<mark>sanctions</mark>" in first["snippet_html"]
    assert first["page_url"] == f"http://testserver/articles/{archive.pk}/"
    assert first["api_url"] == f"http://testserver/api/articles/{archive.pk}/"
    countries = next(f for f in found["facets"] if f["param"] == "country")
    assert countries["title"] == "Pays"
    assert countries["rows"][:2] == [
        {"value": "CN", "label": "Chine", "count": 4, "selected": True,
         "toggle_url": "http://testserver/api/search/?q=sanctions&sort=newest",
         "page_url": "http://testserver/countries/cn/", "api_url": "http://testserver/api/countries/cn/"},
        {"value": "RU", "label": "Russie", "count": 1, "selected": False,
         "toggle_url": "http://testserver/api/search/?q=sanctions&country=CN&country=RU&sort=newest",
         "page_url": "http://testserver/countries/ru/", "api_url": "http://testserver/api/countries/ru/"},
    ]
    assert (found["page"], found["pages"], found["next"], found["previous"]) == (1, 1, None, None)
    assert found["page_url"] == "http://testserver/search/?q=sanctions&country=CN&sort=newest"


def test_search_pages_link_to_each_other(client, commit_hooks):
    from tests.factories import make_article

    with commit_hooks():
        for n in range(45):
            make_article(f"Sanctions numéro {n}.")
    found = get_json(client, "/api/search/", {"q": "sanctions", "page": "2"})
    assert (found["total"], found["page"], found["pages"], len(found["results"])) == (45, 2, 3, 20)
    assert found["next"] == "http://testserver/api/search/?q=sanctions&page=3"
    assert found["previous"] == "http://testserver/api/search/?q=sanctions"
    assert len(get_json(client, found["next"])["results"]) == 5


def test_search_notices_are_the_pages(client, archive):
    found = get_json(client, "/api/search/", {"q": "(((sanctions"})
    assert found["total"] == 4
    assert any("syntaxe" in notice for notice in found["notices"])
    found = get_json(client, "/api/search/", {"q": "sanctoins"})
    assert found["suggestion"] == {"q": "sanctions", "url": "http://testserver/api/search/?q=sanctions"}
    found = get_json(client, "/api/search/", {"q": "céréales", "country": "CN"})
    assert found["total"] == 0
    assert [(s["label"], s["count"]) for s in found["drop_suggestions"]] == [("Pays : Chine", 1)]


@pytest.mark.parametrize("params, parameter", [
    ({"sort": "sideways"}, "sort"), ({"page": "0"}, "page"), ({"page": "x"}, "page"), ({"page": "10001"}, "page"),
    ({"date_from": "2022-13"}, "date_from"), ({"date_to": "hier"}, "date_to"), ({"exact": "yes"}, "exact"),
    ({"more": "nothing"}, "more"), ({"confirmed": "2"}, "confirmed"), ({"format": "xml"}, "format"),
])
def test_a_bad_parameter_is_a_json_400_that_names_it(client, archive, params, parameter):
    error = get_json(client, "/api/search/", params, status=400)
    assert error["parameter"] == parameter
    assert error["detail"]


def test_an_unknown_format_elsewhere_is_a_400_too_and_json_is_accepted(client, archive):
    assert get_json(client, "/api/actors/xi-jinping/", {"format": "csv"}, status=400)["parameter"] == "format"
    assert get_json(client, "/api/search/", {"q": "sanctions", "format": "json"})["total"] == 4


def test_unknown_things_are_json_404s(client, archive):
    for url in ("/api/articles/999999/", "/api/actors/nobody/", "/api/countries/zz/", "/api/tags/none/", "/api/sources/none/",
                "/api/nothing/", "/api/articles/-1/", "/api/actors/%3Cscript%3E/"):
        assert get_json(client, url, status=404)["detail"], url


def test_writes_are_refused_in_json(client, archive):
    response = client.post("/api/search/", {"q": "x"})
    assert response.status_code == 405
    assert response.json() == {"detail": "Méthode «\u00a0POST\u00a0» non autorisée."}


def test_article_gives_everything_its_page_shows(client, archive):
    article = get_json(client, f"/api/articles/{archive.pk}/")
    assert article["title"] == "Pékin et Moscou"
    assert article["body"] == "Xi Jinping et Vladimir Poutine parlent des sanctions contre Moscou."
    assert article["raw_url"] == f"http://testserver/articles/{archive.pk}/raw/"
    assert article["same_story"] == []
    assert all(set(s) == {"id", "title", "published", "date_precision", "source", "page_url", "api_url"} for s in article["similar"])
    assert article["origin"] == "test"


def test_actor_gives_its_counts_timeline_and_company(client, archive):
    actor = get_json(client, "/api/actors/xi-jinping/")
    assert (actor["kind"], actor["value"], actor["name"], actor["total"]) == ("actor", "xi-jinping", "Xi Jinping", 4)
    assert actor["facts"] == {"kind": "person", "aliases": []}
    assert actor["timeline"]["unit"] == "month"
    assert [(b["period"], b["count"]) for b in actor["timeline"]["bars"] if b["count"]] == [("2022-03", 2)]
    assert actor["timeline"]["not_drawn"] == 2
    assert [(r["label"], r["count"]) for r in actor["related"]["actor"]] == [("Joe Biden", 1), ("Vladimir Poutine", 1)]
    assert [(r["value"], r["count"]) for r in actor["related"]["country"]] == [("CN", 4), ("RU", 1), ("US", 1)]
    assert [a["title"] for a in actor["articles"]] == ["Pékin et Moscou", "Appel avec Washington", "Une année de guerre", "Sans date"]
    assert actor["search_url"] == "http://testserver/api/search/?actor=xi-jinping"
    oldest = get_json(client, "/api/actors/xi-jinping/", {"sort": "oldest"})
    assert [a["title"] for a in oldest["articles"]][:1] == ["Une année de guerre"]
    assert get_json(client, "/api/actors/xi-jinping/", {"sort": "relevance"}, status=400)["parameter"] == "sort"


def test_country_tag_and_source(client, archive):
    country = get_json(client, "/api/countries/cn/")
    assert (country["name"], country["total"], country["facts"]) == ("Chine", 4, {"code": "CN", "name_fr": "Chine", "name_en": "China"})
    assert get_json(client, "/api/countries/CN/")["total"] == 4
    tag = get_json(client, "/api/tags/economie/")
    assert (tag["name"], tag["total"], tag["facts"]) == ("Économie", 2, {"description": ""})
    source = get_json(client, "/api/sources/la-gazette/")
    assert (source["name"], source["total"], source["facts"]) == ("La Gazette", 2, {"is_agency": False, "url": None})


def test_get_is_allowed_from_any_origin(client, archive):
    response = client.get("/api/search/", {"q": "sanctions"}, HTTP_ORIGIN="https://notebook.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    preflight = client.options("/api/search/", HTTP_ORIGIN="https://notebook.example.org", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert preflight.status_code == 200
    assert set(preflight["Access-Control-Allow-Methods"].replace(" ", "").split(",")) == {"GET", "HEAD", "OPTIONS"}
    page = client.get("/search/", {"q": "sanctions"}, HTTP_ORIGIN="https://notebook.example.org")
    assert "Access-Control-Allow-Origin" not in page  # the HTML pages and the admin are not shared


def test_the_schema_is_served_and_its_page_is_linked_from_help(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {"/api/search/", "/api/articles/{id}/", "/api/actors/{key}/", "/api/countries/{key}/",
                                    "/api/tags/{key}/", "/api/sources/{key}/"}
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "<script>" not in html and "<style>" not in html  # the CSP forbids them: every script is a file of ours
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
    assert 'href="/api/docs/"' in client.get("/help/").content.decode()


def test_without_the_database_the_api_answers_a_json_503():
    from tests.test_health import run_without_database

    run = run_without_database(
        "import django, json; django.setup()\n"
        "from django.test import Client\n"
        "c = Client(raise_request_exception=False)\n"
        "out = {}\n"
        "for url in ['/api/search/?q=sanctions', '/api/articles/1/', '/api/actors/xi-jinping/']:\n"
        "    r = c.get(url)\n"
        "    out[url] = [r.status_code, r.get('Retry-After'), r['Content-Type'], r.json()]\n"
        "print(json.dumps(out))\n")
    answers = json.loads(run.stdout.strip().splitlines()[-1])
    for url, (status, retry, content_type, body) in answers.items():
        assert (status, retry, content_type) == (503, "30", "application/json"), url
        assert body == {"detail": "La base de données de l’archive ne répond pas ; réessayez dans un instant."}, url
