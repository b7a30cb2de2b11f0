"""Actors linked within an article, and countries from names, capitals and demonyms."""
from articles.ingest.countries import find_countries, resolve_country
from articles.ingest.entities import find_actors, nlp


def actors(text: str) -> list[tuple[str, str, list[str]]]:
    return [(a.name, a.kind, a.aliases) for a in find_actors(nlp()(text))]


def test_short_forms_link_to_the_full_name():
    text = ("La chancelière Angela Merkel a reçu mardi Emmanuel Macron à Berlin. "
            "Mme Merkel a salué « une amitié solide ». "
            "Selon Macron, les deux pays doivent avancer ensemble. "
            "Vendredi, Merkel se rendra à Bruxelles.")
    assert actors(text) == [
        ("Angela Merkel", "person", ["Merkel", "Mme Merkel"]),
        ("Emmanuel Macron", "person", ["Macron"]),
    ]


def test_weekdays_fragments_and_countries_are_not_actors():
    names = [name for name, _, _ in actors(
        "Dimanche, le ministre Pedro Alvarez a rencontré jusqu’à minuit les dirigeants de l’OTAN. "
        "M. Alvarez n’a rien dit. L’Espagne attend.")]
    assert names == ["Pedro Alvarez", "OTAN"]


def test_each_actor_keeps_its_evidence():
    actor = find_actors(nlp()("Le Conseil a siégé. La députée Claire Fontaine a pris la parole."))[-1]
    assert (actor.name, actor.evidence) == ("Claire Fontaine", "La députée Claire Fontaine a pris la parole.")


def test_countries_from_names_capitals_demonyms_and_elisions():
    text = ("Les autorités nord-coréennes ont répondu à Séoul. L’Allemagne et d’autres alliés de Kyiv "
            "suivent la situation ; la diplomatie chinoise s’est tue, comme la Maison-Blanche. "
            "Le Washington Post cite des responsables.")
    assert [c.code for c in find_countries(text)] == ["KP", "KR", "DE", "UA", "CN", "US"]
    assert find_countries(text)[0].evidence == "Les autorités nord-coréennes ont répondu à Séoul."


def test_a_capital_inside_another_name_is_not_a_country():
    assert find_countries("Le journaliste du Washington Post et George Washington ont parlé à Paris Match.") == []


def test_resolve_country():
    assert [resolve_country(name) for name in (
        "Pékin", "chinoises", "le Kremlin", "Kiev", "américain", "FR", "DEU", "Royaume-Uni", "Germany",
        "Corée", "Atlantide", "",
    )] == ["CN", "CN", "RU", "UA", "US", "FR", "DE", "GB", "DE", None, None, None]
