"""In Chromium, the Content-Security-Policy blocks nothing the archive itself uses, and blocks what it must."""
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from tests.browser.conftest import browser_db
from tests.factories import make_article

pytestmark = [pytest.mark.browser, browser_db]
PASSWORD = "a-test-only-password-5127"


def watch_policy(page) -> list[str]:
    """Collect what the browser refuses because of the Content-Security-Policy."""
    refused = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None)
    return refused


def test_public_pages_and_the_admin_run_under_the_policy_without_a_refusal(page):
    article = make_article("Pékin et Moscou renforcent leurs échanges.", title="Échanges", countries=["CN"], tags=["Diplomatie"])
    user = get_user_model().objects.create_user("claire", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    refused = watch_policy(page)
    for path in ["/", "/search/?q=moscou", f"/articles/{article.pk}/", "/countries/cn/", "/help/"]:
        page.goto(path)
    page.goto("/admin/")
    page.get_by_label("Nom d’utilisateur").fill("claire")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    for path in ["/admin/articles/article/", f"/admin/articles/article/{article.pk}/change/", "/admin/articles/tag/"]:
        page.goto(path)
    page.locator("#action-toggle").check()  # the change list's own script runs
    assert page.locator("input.action-select:checked").count() >= 1
    assert refused == []


def test_an_inline_script_slipped_into_a_page_does_not_run(page):
    make_article("Un texte.", title="Titre")
    refused = watch_policy(page)
    page.goto("/")
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.ran = true';
                             document.body.appendChild(s); }""")
    assert page.evaluate("() => window.ran === true") is False
    assert refused and "script-src 'self'" in refused[0]
