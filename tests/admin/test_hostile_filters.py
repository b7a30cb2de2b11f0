"""Whatever a curator puts in an admin list's address, they get the list with a message, never a 500."""
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from tests.factories import make_article

pytestmark = pytest.mark.django_db

LISTS = ["article", "actor", "actoralias", "tag", "source", "country", "tagrule", "tagproposal", "pendingindexupdate"]
NUL_VALUES = ["tag=%00", "year=%00", "unknown_date=%00", "source__id__exact=%00", "language__exact=%00", "reviewed__exact=%00",
              "q=a%00b", "o=%00", "review_state__exact=%00", "origin__exact=%00", "failing=%00", "%00=1", "tag=%01x"]


@pytest.fixture
def curator_client(commit_hooks):
    with commit_hooks():
        make_article("Un texte sur les sanctions.", title="Sanctions", tags=["Sanctions"])
    user = get_user_model().objects.create_user("claire", password="pw-for-tests-only", is_staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    user.is_superuser = True  # the index queue's list is for administrators only
    user.save()
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", LISTS)
def test_a_nul_character_in_an_admin_list_address_gives_the_list_and_says_why(curator_client, model):
    for query in NUL_VALUES:
        response = curator_client.get(f"/admin/articles/{model}/?{query}", follow=True)
        assert response.status_code == 200, (model, query, response.status_code)
        assert "caractère de contrôle" in response.content.decode(), (model, query)


@pytest.mark.parametrize("year", ["²", "99999", "0", "-1", "2022.5"])
def test_a_year_that_is_no_year_shows_every_article(curator_client, year):
    response = curator_client.get("/admin/articles/article/", {"year": year})
    assert response.status_code == 200
    assert "Sanctions" in response.content.decode()
