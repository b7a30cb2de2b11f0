"""Where a name ends and what is not an actor: rules of French usage, tested on sentences written for the test."""
import pytest

from articles.ingest.actor_rules import acronym_definitions, is_common_word
from articles.ingest.countries import find_countries
from articles.ingest.entities import find_actors, nlp


def names(text: str) -> list[str]:
    return [actor.name for actor in find_actors(nlp()(text))]


def test_a_person_span_ends_where_the_name_ends():
    found = names("Le président Emmanuel Macron a reçu les syndicats. Il a demandé au président Macron de réduire "
                  "les délais, a dit Sophie Binet.")
    assert "Emmanuel Macron" in found and not any("réduire" in name for name in found)


def test_particles_and_hyphens_stay_in_names():
    found = names("La députée Laure de la Raudière a interrogé la présidente Park Geun-hye lors de sa visite à Paris.")
    assert "Laure de la Raudière" in found and "Park Geun-hye" in found


def test_an_institution_noun_before_its_name_belongs_to_it():
    found = names("Le ministère de l'Intérieur a publié un communiqué mardi, a indiqué la préfecture du Nord.")
    assert {"Ministère de l'Intérieur", "Préfecture du Nord"} <= set(found)


def test_places_things_and_product_codes_are_not_actors():
    found = names("Le camion venait de Lyon. La tempête Zoé a frappé la plage de Vendres, près de Carnoux. "
                  "L'Airbus A350 de la compagnie a dû se poser, a expliqué Jean Dupin.")
    assert found == ["Jean Dupin"]


def test_titles_roles_and_portfolios_alone_are_not_actors():
    found = names("Le Premier ministre a parlé. Représentante du personnel, Anne Roy a répondu au ministre des "
                  "Comptes publics.")
    assert found == ["Anne Roy"]


def test_a_dictionary_word_that_only_opens_sentences_is_not_a_name():
    assert is_common_word("Étrange") and not is_common_word("Greenpeace")
    found = names("Étrange. Le maire, Paul Girard, a ri. Surpeuplé, le quartier attend.")
    assert found == ["Paul Girard"]


def test_an_acronym_is_an_alias_of_the_name_it_abbreviates_or_no_actor_for_a_common_noun():
    assert acronym_definitions("la Fédération togolaise de football (FTF) et le fichier national des "
                               "auteurs d'infractions (Fnai)") == {
        "FTF": ("Fédération togolaise de football", True),
        "Fnai": ("fichier national des auteurs d'infractions", False)}
    actors = find_actors(nlp()("La Fédération togolaise de football (FTF) suspend le championnat. "
                               "La FTF a été saisie par le club."))
    assert [(a.name, a.aliases) for a in actors] == [("Fédération togolaise de football", ["FTF"])]


@pytest.mark.parametrize("text, codes", [
    ("Les montagnes russes du parc ont rouvert.", []),
    ("Le règlement Dublin II s'applique aux demandeurs d'asile.", []),
    ("Les élus de la province de Luxembourg ont voté.", []),
    ("François Hollande a parlé. Plus tard, Hollande a souri.", []),
    ("Le président Hollande a parlé.", []),
    ("Le maire de Montréal a reçu les élus de Charleroi.", ["CA", "BE"]),
    ("Montréal accueille le sommet avec la Russie.", ["RU"]),  # a town opening a sentence is no clue
])
def test_countries_in_context(text, codes):
    assert [c.code for c in find_countries(text)] == codes


def test_a_storm_named_once_is_no_actor_wherever_its_name_comes_again():
    found = names("La tempête Eunice a touché la côte. Selon les prévisionnistes, Eunice a provoqué des rafales. "
                  "Le passage d'Eunice a privé 10 000 foyers d'électricité, a déclaré Jean Dupont.")
    assert found == ["Jean Dupont"]


def test_a_person_who_shares_a_storms_first_name_is_still_an_actor():
    found = names("L'ouragan Maria a ravagé l'île. Maria Durand, maire de la ville, a demandé de l'aide.")
    assert "Maria Durand" in found


def test_a_name_never_runs_on_over_a_line_break():
    found = names("Le gouvernement a nommé François Bayrou, Sylvie Goulard et Marielle de Sarnez\n\nMai 2017 : "
                  "tout change.")
    assert "Marielle de Sarnez" in found and not any("\n" in name for name in found)


def test_regions_of_the_world_are_places_not_organisations():
    found = names("Au Proche-Orient, la situation au Sahel et en Amérique latine préoccupe l'Union européenne, "
                  "a dit Anne Roy.")
    assert "Anne Roy" in found and "Union européenne" in found
    assert not {"Proche-Orient", "Sahel", "Amérique latine"} & set(found)


def test_a_verb_that_opens_a_numbered_point_is_not_an_organisation():
    found = names("Chaque matin, j'ai deux priorités. 1) D'abord l'électricité pour les voisins. 2) Essayer de "
                  "trouver du gaz pour la cuisine, a raconté Paul Girard.")
    assert found == ["Paul Girard"]


def test_an_organisations_short_form_after_its_full_name_is_an_alias_of_it():
    found = find_actors(nlp()("La Commission nationale de contrôle des techniques de renseignement donnera son avis. "
                              "La Commission de contrôle devra répondre en 24 heures, a dit Anne Roy."))
    names_found = {actor.name: actor.aliases for actor in found}
    assert "Commission de contrôle" not in names_found
    assert "Commission de contrôle" in names_found["Commission nationale de contrôle des techniques de renseignement"]


def with_entities(text: str, entities: list[tuple[str, str]]):
    """Return the model's parse of a text with the named spans as its entities, as a model may give them."""
    from spacy.tokens import Span

    doc = nlp()(text)
    spans = []
    for written, label in entities:
        start = text.index(written, spans[-1].end_char if spans else 0)
        spans.append(doc.char_span(start, start + len(written), label=label))
    doc.ents = spans
    return doc


def test_an_organisation_that_runs_on_into_a_persons_name_is_cut_and_both_are_actors():
    doc = with_entities("Interrogé par CNN Jake Sullivan a répondu lundi. Jake Sullivan conseille le président.",
                        [("CNN Jake Sullivan", "ORG"), ("Jake Sullivan", "PER")])
    assert sorted(actor.name for actor in find_actors(doc)) == ["CNN", "Jake Sullivan"]


def test_an_institution_named_after_a_person_keeps_the_name():
    doc = with_entities("La Fondation Jean Jaurès publie une note. Jean Jaurès fut député du Tarn.",
                        [("Fondation Jean Jaurès", "ORG"), ("Jean Jaurès", "PER")])
    assert "Fondation Jean Jaurès" in [actor.name for actor in find_actors(doc)]


def test_a_portfolio_before_a_surname_is_no_first_name():
    doc = with_entities("Le ministre chinois de la Défense Li est arrivé lundi. M. Li a rencontré Paul Girard.",
                        [("M. Li", "PER"), ("Paul Girard", "PER")])
    found = [actor.name for actor in find_actors(doc)]
    assert "Défense Li" not in found and "Paul Girard" in found
