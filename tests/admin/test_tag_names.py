"""Tag names: no twin that only accents or case tell apart, a letter or digit in each, and `tag:` asks when it names several."""
import pytest

from articles import services
from articles.models import ArticleTag, Tag
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def add_tag(client, name, slug=""):
    return client.post("/admin/articles/tag/add/", {"name": name, "slug": slug, "description": ""})


def test_a_tag_that_only_accents_or_case_tell_from_another_is_refused(client, curator):
    assert add_tag(client, "Énergie").status_code == 302
    for twin in ("energie", "ÉNERGIE", " Energie "):
        page = add_tag(client, twin)
        assert page.status_code == 200
        assert page.context["adminform"].form.errors["name"] == [
            "Le thème « Énergie » existe déjà : un nom qui n’en diffère que par les accents ou les majuscules serait un "
            "doublon. Choisissez-le, ou renommez-le."]
    assert list(Tag.objects.values_list("name", flat=True)) == ["Énergie"]
    tag = Tag.objects.get()
    renamed = client.post(f"/admin/articles/tag/{tag.pk}/change/", {"name": "énergie", "slug": tag.slug, "description": ""})
    assert renamed.status_code == 302  # its own name, recased
    assert services.tag_for("ENERGIE") == tag  # an import of a twin takes the tag


@pytest.mark.parametrize("name, slug, field, error", [
    ("—", "", "name", "Un nom de thème contient au moins une lettre ou un chiffre."),
    ("Énergie", "-", "slug", "Un identifiant d’URL contient au moins une lettre ou un chiffre ; vide : tiré du nom."),
])
def test_a_tag_without_a_letter_or_digit_is_refused(client, curator, name, slug, field, error):
    page = add_tag(client, name, slug)
    assert page.status_code == 200
    assert page.context["adminform"].form.errors[field] == [error]
    assert not Tag.objects.exists()


def test_a_tag_query_that_names_several_tags_lists_them(client, commit_hooks):
    with commit_hooks():
        make_article("Le gaz.", title="Gaz", tags=["Énergie"])
        make_article("Le pétrole.", title="Pétrole", tags=["Sanctions"])
    Tag.objects.create(name="energie")  # stored before twins were refused
    with commit_hooks():
        other = Tag.objects.get(name="energie")
        ArticleTag.objects.create(article=make_article("Le charbon.", title="Charbon"), tag=other)
    found = client.get("/search/", {"q": "tag:energie"}).context["result"]
    assert sorted(hit.object.title for hit in found.page.object_list) == ["Charbon", "Gaz"]
    assert found.notices == ["« energie » peut désigner plusieurs thèmes : energie, Énergie. Les articles de chacun sont "
                             "montrés ; précisez, par exemple tag:\"energie\"."]


def test_adding_a_tag_name_too_long_says_so(client, curator, commit_hooks):
    with commit_hooks():
        article = make_article("Un texte.")
    page = client.post("/admin/articles/article/", {"action": "add_tag", "_selected_action": [article.pk], "new_tag": "x" * 150,
                                                   "step": "preview"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Assurez-vous que cette valeur comporte au plus 100 caractères (actuellement 150)." in text
    assert "Choisissez un thème ou tapez-en un nouveau." not in text


def test_adding_a_new_tag_spelt_like_an_existing_one_adds_that_one(client, curator, commit_hooks):
    with commit_hooks():
        article = make_article("Un texte.", tags=["Énergie"])
        other = make_article("Un autre texte.")
    base = {"action": "add_tag", "_selected_action": [article.pk, other.pk], "new_tag": "ENERGIE"}
    with commit_hooks():
        assert client.post("/admin/articles/article/", {**base, "step": "apply"}).status_code == 302
    assert list(Tag.objects.values_list("name", flat=True)) == ["Énergie"]
    assert other.tag_links.get().tag.name == "Énergie"
