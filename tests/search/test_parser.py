"""The query language, parsed without an engine or a database."""
from datetime import date

import pytest

from articles.search.parser import And, Field, Not, Or, Phrase, QuerySyntaxError, Word, parse, parse_period, plain_words


@pytest.mark.parametrize(
    ("query", "tree"),
    [
        ("sanctions pékin", And((Word("sanctions"), Word("pékin")))),
        ("drones OR missiles", Or((Word("drones"), Word("missiles")))),
        ("sanctions -pétrole NOT gaz", And((Word("sanctions"), Not(Word("pétrole")), Not(Word("gaz"))))),
        ('"aide  militaire" sanction*', And((Phrase("aide militaire"), Word("sanction", prefix=True)))),
        ("(drones OR missiles) AND iran", And((Or((Word("drones"), Word("missiles"))), Word("iran")))),
        ('actor:"Vladimir Poutine" pays:chine date:2022-03', And((Field("actor", "Vladimir Poutine"), Field("country", "chine"), Field("date", "2022-03")))),
        ("Jean-Luc Mélenchon", And((Word("Jean-Luc"), Word("Mélenchon")))),
        ("http://x.org", Word("http://x.org")),
        ("-pétrole NOT gaz", And((Not(Word("pétrole")), Not(Word("gaz"))))),
        ("", None),
    ],
)
def test_valid_queries(query, tree):
    assert parse(query) == tree


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"aide militaire', "un guillemet n’est pas fermé"),
        ("AND", "un opérateur n’a pas de mot sur lequel porter"),
        ("sanctions OR", "OR demande un mot de chaque côté"),
        ("((", "une parenthèse n’est pas fermée"),
        ("sanctions)", "une parenthèse fermante n’a pas d’ouvrante"),
        ("()", "parenthèses vides"),
        ("a*", "un préfixe demande au moins 2 lettres avant \\*"),
        ("actor:", "« actor: » demande une valeur"),
        ('""', "guillemets vides"),
    ],
)
def test_invalid_queries_say_why(query, message):
    with pytest.raises(QuerySyntaxError, match=message):
        parse(query)


def test_plain_words_drop_operators_and_signs():
    assert plain_words('"aide militaire (OR -Pékin*') == ["aide", "militaire", "Pékin"]


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("2022", (date(2022, 1, 1), date(2022, 12, 31))),
        ("2022-02", (date(2022, 2, 1), date(2022, 2, 28))),
        ("2022-03-15", (date(2022, 3, 15), date(2022, 3, 15))),
        ("2022-01..2022-06", (date(2022, 1, 1), date(2022, 6, 30))),
        ("2022-03..", (date(2022, 3, 1), None)),
        ("..2021", (None, date(2021, 12, 31))),
    ],
)
def test_periods(text, period):
    assert parse_period(text) == period


@pytest.mark.parametrize(("text", "message"), [("2022-13", "n’est pas une date réelle"), ("mars", "n’est pas une date comme"), ("2023..2022", "finit avant de commencer"), ("..", "au moins une borne")])
def test_bad_periods(text, message):
    with pytest.raises(QuerySyntaxError, match=message):
        parse_period(text)
