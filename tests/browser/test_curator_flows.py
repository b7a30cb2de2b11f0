"""A curator's work in the admin, in Chromium, and what readers then see in the public search."""
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from playwright.sync_api import expect

from tests.browser.conftest import browser_db, screenshot
from tests.factories import make_article

pytestmark = [pytest.mark.browser, browser_db]
PASSWORD = "a-test-only-password-9431"


@pytest.fixture
def curator():
    user = get_user_model().objects.create_user("claire", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    return user


def log_in(page):
    page.goto("/admin/")
    page.get_by_label("Nom d’utilisateur").fill("claire")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Curation de l’archive")


def run_action(page, label: str):
    page.locator("select[name=action]").select_option(label=label)
    page.get_by_role("button", name="Envoyer").click()


def facet_rows(page, region: str) -> dict[str, str]:
    facet = page.get_by_role("complementary", name="Affiner").get_by_role("region", name=region)
    rows = {}
    for link in facet.locator("li a").all():
        label, count = link.locator(".label").inner_text().strip(" ✓"), link.locator(".count").inner_text()
        rows[label] = count
    return rows


def test_bulk_tag_the_results_of_an_admin_search_then_see_the_facet(page, archive, curator):
    log_in(page)
    page.goto("/admin/articles/article/?q=Washington+durcit")
    expect(page.locator("#result_list tbody tr")).to_have_count(4)
    page.locator("#action-toggle").check()
    run_action(page, "Ajouter un thème aux articles sélectionnés")
    page.get_by_label("ou un nouveau thème").fill("Sanctions américaines")
    page.get_by_role("button", name="Voir ce qui va changer").click()
    expect(page.locator("ul.changes")).to_have_text("« Sanctions américaines » sera ajouté à 4 articles.")
    screenshot(page, "admin-bulk-tag-confirmation")
    page.get_by_role("button", name="Oui, appliquer").click()
    expect(page.locator(".messagelist")).to_contain_text("« Sanctions américaines » ajouté à 4 articles.")

    page.goto("/search/?q=sanctions")
    assert facet_rows(page, "Thèmes")["Sanctions américaines"] == "4"
    page.goto("/search/?tag=sanctions-americaines")
    expect(page.locator(".toolbar .count")).to_contain_text("4 articles")


def test_merge_two_actors_then_search_counts_them_as_one(page, archive, curator):
    with transaction.atomic():
        make_article("Le président Xi reçoit son homologue à Pékin.", title="Visite à Pékin", actors=["Président Xi"], countries=["CN"])
    log_in(page)
    page.goto("/admin/articles/actor/?q=xi")
    for name in ["Président Xi", "Xi Jinping"]:
        page.locator("#result_list tbody tr", has_text=name).locator("input.action-select").check()
    run_action(page, "Fusionner les acteurs sélectionnés")
    page.get_by_label("Xi Jinping").check()
    page.get_by_label("Garder les noms fusionnés comme alias").check()  # the same man, named otherwise
    page.get_by_role("button", name="Voir ce qui va changer").click()
    expect(page.locator("ul.changes")).to_contain_text("« Président Xi » : 1 lien d’article passera à « Xi Jinping ».")
    expect(page.locator("ul.changes")).to_contain_text("Le nom « Président Xi » deviendra un alias de « Xi Jinping ».")
    page.get_by_role("button", name="Oui, appliquer").click()
    expect(page.locator(".messagelist")).to_contain_text("1 acteur fusionné dans « Xi Jinping » ; 1 article mis à jour.")

    page.goto("/search/")
    actors = facet_rows(page, "Acteurs")
    assert actors["Xi Jinping"] == "25"
    assert "Président Xi" not in actors
    page.goto("/search/?q=%22Pr%C3%A9sident+Xi%22")  # the old name, now an alias, finds the actor's articles
    expect(page.locator(".toolbar .count")).to_contain_text("25 articles")


def test_reject_an_actor_and_it_leaves_the_public_facets(page, archive, curator):
    log_in(page)
    page.goto("/admin/articles/actor/?review_state__exact=new")
    page.locator("#result_list tbody tr", has_text="Vladimir Poutine").locator("input.action-select").check()
    run_action(page, "Rejeter : ce n’est pas un acteur")
    expect(page.locator("ul.changes")).to_contain_text("« Vladimir Poutine » ne sera plus un acteur : 14 liens vers des articles seront retirés.")
    page.get_by_role("button", name="Oui, appliquer").click()
    expect(page.locator(".messagelist")).to_contain_text("1 acteur rejeté ; 14 articles mis à jour.")

    page.goto("/search/?q=sanctions")
    assert "Vladimir Poutine" not in facet_rows(page, "Acteurs")
    assert re.search(r"Xi Jinping", " ".join(facet_rows(page, "Acteurs")))
