"""What every response tells the browser: a Content-Security-Policy, and a CSRF cookie no script can read."""
import re
from datetime import date

import pytest

from tests.factories import make_article

pytestmark = pytest.mark.django_db
POLICY = {"default-src": "'self'", "script-src": "'self'", "style-src": "'self'", "img-src": "'self' data:",
          "object-src": "'none'", "base-uri": "'none'", "form-action": "'self'", "frame-ancestors": "'none'"}


def policy(response) -> dict[str, str]:
    """Return the Content-Security-Policy's directives: {name: sources}."""
    return dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))


@pytest.fixture
def public_pages(commit_hooks):
    with commit_hooks():
        article = make_article("Pékin et Moscou.", title="Un titre", published=date(2022, 3, 20), source="Le Courrier",
                               actors=["Xi Jinping"], countries=["CN"], tags=["Diplomatie"])
    return ["/", "/search/?q=pekin", "/search/?q=zzzz", f"/articles/{article.pk}/", "/actors/xi-jinping/",
            "/countries/cn/", "/tags/diplomatie/", "/sources/le-courrier/", "/2022/", "/2022/03/", "/help/", "/nowhere/"]


def test_every_public_page_has_the_policy_and_no_inline_script_or_style(client, public_pages):
    for url in public_pages:
        response = client.get(url)
        assert policy(response) == POLICY, url
        html = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url  # every script, if any, from a file
        assert not re.search(r"<style\b|\sstyle=|\son[a-z]+=", html), url


def test_the_admin_has_the_policy_too(admin_client):
    for url in ["/admin/", "/admin/articles/article/", "/admin/articles/article/add/", "/admin/login/"]:
        assert policy(admin_client.get(url)) == POLICY, url


def test_the_csrf_cookie_cannot_be_read_by_scripts(client):
    response = client.get("/admin/login/")
    cookie = response.cookies["csrftoken"]
    assert (cookie["httponly"], cookie["samesite"]) == (True, "Lax")
