"""Real pages end to end: import_articles on pages of the development set, then what is stored.

The pages are read from ../shared/gold/dev/pages (they belong to their publishers and are not
copied into the project); what the stored article must be is read from the set's gold.json.
"""
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.ingest.evaluate import normalise
from articles.models import Article

pytestmark = pytest.mark.django_db
DEV = Path(__file__).resolve().parents[2] / "shared" / "gold" / "dev"
# Two saved HTML pages, a text page with blank lines between blocks, two with one block per line
# (one of them crashed clean_text before), each with menus, teasers and comments around the article.
PAGES = ["dev_03_courrier_tunnels.html", "dev_10_figaro_alerte.html", "dev_18_togo_chan.txt",
         "dev_19_20minutes_ciaran.txt", "dev_17_radiocanada_autobus.txt"]
EXACT_ACTORS = {"dev_03_courrier_tunnels.html", "dev_10_figaro_alerte.html", "dev_18_togo_chan.txt"}


@pytest.fixture(scope="module")
def gold():
    if not (DEV / "gold.json").exists():
        pytest.skip(f"the development set is not beside the project ({DEV})")
    return json.loads((DEV / "gold.json").read_text(encoding="utf-8"))["articles"]


@pytest.fixture
def imported(gold, tmp_path, capsys, commit_hooks):
    folder = tmp_path / "pages"
    folder.mkdir()
    for name in PAGES:
        shutil.copy(DEV / "pages" / name, folder / name)
    with commit_hooks():
        call_command("import_articles", str(folder), "--no-progress")
    assert capsys.readouterr().out.strip() == f"Import finished: {len(PAGES)} created, 0 updated, 0 skipped, 0 failed."
    return {Path(article.origin).name: article for article in Article.objects.all()}


def spellings(article):
    names = set()
    for link in article.actor_links.select_related("actor").prefetch_related("actor__aliases"):
        names |= {normalise(link.actor.name), *(normalise(alias.name) for alias in link.actor.aliases.all())}
    return names


def test_each_page_gives_its_own_headline_date_and_outlet(imported, gold):
    for name in PAGES:
        article, expected = imported[name], gold[name]
        assert normalise(article.title) == normalise(expected["title"]), name
        assert article.source and normalise(article.source.name) in {normalise(s) for s in expected["source"]}, name
        if name != "dev_17_radiocanada_autobus.txt":  # its own stamp is an hour alone: not dated yet
            assert article.date_precision == expected["date_precision"], name
            length = {"day": 10, "month": 7, "year": 4}[expected["date_precision"]]
            assert article.published_on.isoformat()[:length] == expected["date"][:length], name


def test_menus_teasers_and_comments_stay_out_of_the_stored_body(imported, gold):
    for name in PAGES:
        body = normalise(imported[name].body)
        assert [s for s in gold[name]["boilerplate"] if normalise(s) in body] == [], name
        assert len(body.split()) >= 60, name  # the article itself is there, not only what was removed


def test_no_actor_or_country_comes_from_the_page_furniture(imported, gold):
    for name in PAGES:
        article, expected = imported[name], gold[name]
        assert spellings(article) & {normalise(s) for s in expected["not_actors"]} == set(), name
        codes = set(article.country_links.values_list("country__code", flat=True))
        assert codes & set(expected.get("not_countries", [])) == set(), name
        assert set(expected["countries"]) <= codes, name


def test_the_actors_of_pages_without_hard_cases_are_exactly_the_articles(imported, gold):
    for name in EXACT_ACTORS:
        article, expected = imported[name], gold[name]
        found = spellings(article)
        groups = [{normalise(s) for s in group} for group in expected["actors"]]
        optional = [{normalise(s) for s in group} for group in expected.get("actors_optional", [])]
        assert [sorted(g)[0] for g in groups if not g & found] == [], name
        for link in article.actor_links.select_related("actor"):
            own = {normalise(link.actor.name)}
            assert any(own & g for g in groups + optional) or any(
                normalise(alias.name) in g for alias in link.actor.aliases.all() for g in groups + optional), \
                (name, link.actor.name)
