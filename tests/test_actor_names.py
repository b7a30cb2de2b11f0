"""Actors found by their name however a language spells it, and never through another person's short form."""
import pytest

from articles.ingest.types import ActorMention, ArticleData
from articles.models import Actor, ArticleActor
from articles.services import article_upsert
from tests.factories import make_article

pytestmark = pytest.mark.django_db


def import_page(body: str, *mentions: ActorMention, origin: str):
    """Store an extracted page's actors as an import does."""
    data = ArticleData(body=body, raw=body, raw_format="text", actors=list(mentions))
    return article_upsert(data=data, origin=origin).article


def actor_names(article) -> list[str]:
    return sorted(ArticleActor.objects.filter(article=article).values_list("actor__name", flat=True))


def test_an_english_spelling_finds_the_actor_known_in_french():
    first = import_page("Vladimir Poutine a parlé. M. Poutine a insisté.",
                        ActorMention("Vladimir Poutine", aliases=["M. Poutine", "Poutine"]), origin="a.txt")
    second = import_page("Vladimir Putin spoke; Putin insisted.", ActorMention("Vladimir Putin", aliases=["Putin"]),
                         origin="b.txt")
    third = import_page("Le ministre Sergueï Choïgou a parlé.", ActorMention("Sergueï Choïgou"), origin="c.txt")
    fourth = import_page("Sergei Shoigu spoke.", ActorMention("Sergei Shoigu"), origin="d.txt")
    assert actor_names(first) == actor_names(second) == ["Vladimir Poutine"]
    assert actor_names(third) == actor_names(fourth) == ["Sergueï Choïgou"]
    assert Actor.objects.count() == 2
    assert {"Vladimir Putin", "Putin", "Poutine"} <= set(Actor.objects.get(name="Vladimir Poutine").aliases.values_list("name", flat=True))


def test_a_short_form_never_draws_another_person_to_an_actor():
    one = import_page("Li Keqiang a parlé. M. Li a insisté.", ActorMention("Li Keqiang", aliases=["Li", "M. Li"]), origin="a.txt")
    other = import_page("Li Shangfu est arrivé. M. Li a salué.", ActorMention("Li Shangfu", aliases=["Li", "M. Li"]), origin="b.txt")
    assert actor_names(one) == ["Li Keqiang"]
    assert actor_names(other) == ["Li Shangfu"]


def test_search_finds_an_actor_by_a_spelling_nobody_recorded(client, commit_hooks):
    with commit_hooks():
        import_page("Vladimir Poutine a rencontré Volodymyr Zelensky. Poutine a refusé.",
                    ActorMention("Vladimir Poutine", aliases=["Poutine"]), ActorMention("Volodymyr Zelensky"),
                    origin="a.txt")
        make_article("Un article sans rapport avec eux.", title="Autre")
    for query in ("Putin", "Zelenskyy", 'actor:"Vladimir Putin"', "actor:Zelenskyy"):
        hits = client.get("/search/", {"q": query}).context["result"].page.object_list
        assert [hit.object.origin for hit in hits] == ["a.txt"], query


def test_a_word_stands_for_the_one_actor_whose_last_name_it_is_as_the_actor_is_named_now():
    from articles.search.resolve import actor_slugs_by_name

    president = Actor.objects.create(name="Volodymyr Zelensky")
    Actor.objects.create(name="Anna Kovalenko")
    Actor.objects.create(name="Petro Kovalenko")
    Actor.objects.create(name="Ivan Bondarenko", review_state=Actor.Review.REJECTED)
    found = actor_slugs_by_name(["Zelenskyy", "Kovalenko", "Bondarenko", "Volodymyr"])
    assert found == {"zelenskyy": president.slug}  # two Kovalenkos, a rejected one, a first name: none
    president.name = "Olena Zelenska"
    president.save()
    assert actor_slugs_by_name(["Zelenskyy", "Zelenska"]) == {"zelenska": president.slug}
    president.refresh_from_db()
    assert president.surname_key == president.name_key.rsplit(" ", 1)[-1]
