"""Counts in messages agree with their number: one article, 0 confirmée (French), no "(s)"."""
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.search.build import MAX_PREFIXES
from articles.search.indexing.queue import IndexUpdateFailed
from articles.tagging.suggestions import SuggestReport, TagReport
from tests.factories import make_article

ROOT = Path(__file__).resolve().parent.parent


def test_a_failed_reindex_of_one_article_says_one_article():
    assert str(IndexUpdateFailed(0, {7: "disk full"})) == "1 article could not be re-indexed: disk full"
    assert str(IndexUpdateFailed(0, {7: "disk full", 8: "x"})) == "2 articles could not be re-indexed: disk full"


def test_the_suggestion_report_counts_counter_examples_in_the_singular_and_plural():
    report = SuggestReport(tags=[TagReport(tag="Énergie", positives=10, negatives=1), TagReport(tag="Gaz", positives=10, negatives=2)])
    assert report.lines() == ["Énergie: learned from 10 confirmed and 1 counter-example; 0 proposed, 0 re-scored, 0 withdrawn",
                              "Gaz: learned from 10 confirmed and 2 counter-examples; 0 proposed, 0 re-scored, 0 withdrawn"]


@pytest.mark.django_db
def test_an_export_of_one_article_says_one_article(tmp_path, capsys, commit_hooks):
    with commit_hooks():
        make_article("Un texte.", title="Un")
    call_command("export_articles", "--output", str(tmp_path / "one.jsonl"))
    assert "1 article written to" in capsys.readouterr().err


@pytest.mark.django_db
def test_one_prefix_too_many_is_one_more(client, commit_hooks):
    with commit_hooks():
        make_article("Un texte.", title="Un")
    words = " ".join(f"{letter}x*" for letter in "abcdefghijklmnopqrstuvwxyz"[:MAX_PREFIXES + 1])
    notices = client.get("/search/", {"q": words}).context["result"].notices
    assert f"Seuls les {MAX_PREFIXES} premiers préfixes (mot*) sont développés ; 1 autre est cherché comme un mot entier." in notices


def test_no_catalogue_keeps_a_stale_source_string_with_s_in_parentheses():
    for catalogue in ROOT.glob("locale/*/LC_MESSAGES/django.po"):
        assert "(s)" not in catalogue.read_text(encoding="utf-8"), catalogue
