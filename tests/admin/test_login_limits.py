"""Password guessing on /admin/login/ is stopped after a few tries; a superuser can lift the lock."""
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db
PASSWORD = "the-right-password-for-tests-31"


@pytest.fixture(autouse=True)
def quick_hashes(settings):
    """A fast password hash: these tests log in dozens of times, and the real one takes a while on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def curator():
    return get_user_model().objects.create_user("claire", password=PASSWORD, is_staff=True)


def log_in(password, *, username="claire", address="203.0.113.7", client=None):
    client = client or Client(REMOTE_ADDR=address)
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_after_five_wrong_passwords_even_the_right_one_is_refused(curator):
    for n in range(4):
        assert log_in(f"guess-{n}").status_code == 200  # the login form again, with its error
    assert log_in("guess-5").status_code == 429
    page = log_in(PASSWORD)
    assert page.status_code == 429
    assert "Connexion bloquée" in page.content.decode()
    assert "_auth_user_id" not in page.client.session


def test_the_lock_holds_for_that_name_from_that_address_only(curator):
    for n in range(5):
        log_in(f"guess-{n}")
    assert log_in(PASSWORD, address="198.51.100.20").status_code == 302  # the curator elsewhere
    get_user_model().objects.create_user("marc", password=PASSWORD, is_staff=True)
    assert log_in(PASSWORD, username="marc").status_code == 302  # another curator behind the same address


def test_a_superuser_unlocks_a_curator_from_the_command_line(curator, capsys):
    for n in range(5):
        log_in(f"guess-{n}")
    assert log_in(PASSWORD).status_code == 429
    call_command("axes_reset_username", "claire")
    assert log_in(PASSWORD).status_code == 302


def test_a_superuser_unlocks_a_curator_in_the_admin(curator, admin_client):
    for n in range(5):
        log_in(f"guess-{n}")
    attempts = admin_client.get("/admin/axes/accessattempt/")
    assert attempts.status_code == 200 and "claire" in attempts.content.decode()
    from axes.models import AccessAttempt

    pk = AccessAttempt.objects.get(username="claire").pk
    admin_client.post(f"/admin/axes/accessattempt/{pk}/delete/", {"post": "yes"})
    assert log_in(PASSWORD).status_code == 302


def test_behind_a_proxy_the_address_comes_from_the_proxy_not_the_client(curator, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client = Client()
    for n in range(5):  # a guesser who writes a new X-Forwarded-For each time; the proxy appends the real one
        client.post("/admin/login/", {"username": "claire", "password": f"guess-{n}"},
                    HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 203.0.113.7", REMOTE_ADDR="127.0.0.1")
    page = client.post("/admin/login/", {"username": "claire", "password": PASSWORD},
                       HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.7", REMOTE_ADDR="127.0.0.1")
    assert page.status_code == 429
