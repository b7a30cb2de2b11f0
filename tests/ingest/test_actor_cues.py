"""Actors found by the words around a name, whatever label the model gives it (sentences written for the tests)."""
import pytest

from articles.ingest.entities import find_actors, nlp


def found(text: str) -> dict[str, tuple[str, list[str]]]:
    return {a.name: (a.kind, a.aliases) for a in find_actors(nlp()(text))}


def test_a_name_the_model_calls_a_noun_is_still_a_name_unless_the_dictionary_knows_it():
    names = found("La plainte a été déposée mardi par Vigilor auprès du tribunal. "
                  "Vigilor réclame une enquête. La Constitution ne dit rien de tel.")
    assert "Vigilor" in names
    assert "Constitution" not in names


def test_a_common_noun_before_a_name_makes_it_an_organisation():
    names = found("Le conseil municipal estime que les entreprises Voltrix et Pedalo n’ont pas su encadrer "
                  "leurs engins. La maison d’édition Plume Rouge publiera le rapport, "
                  "et la start-up suédoise Nordlys Analytics en fera des cartes.")
    assert {"Voltrix", "Pedalo", "Plume Rouge", "Nordlys Analytics"} <= set(names)
    assert all(names[name][0] == "organisation" for name in ("Voltrix", "Pedalo", "Plume Rouge"))


def test_a_role_next_to_a_name_makes_it_a_person():
    names = found("« Les comptes sont solides », prévient le PDG, Arvo Kallinen.\n\n"
                  "Tarmo Velikanen, député socialiste du Nord, a voté contre le texte.")
    assert names.get("Arvo Kallinen", ("",))[0] == "person"
    assert "Tarmo Velikanen" in names and "Velikanen" not in names


def test_an_institution_noun_makes_the_name_an_organisation_and_stays_when_the_rest_is_no_name():
    names = found("Le Parquet national financier a ouvert une enquête sur la fondation. "
                  "Des chercheurs de l’université Ouverte de Valmorel ont publié une étude.")
    assert names.get("Parquet national financier", ("",))[0] == "organisation"
    assert "Université Ouverte de Valmorel" in names and "Ouverte de Valmorel" not in names


def test_a_place_named_after_a_place_noun_is_a_place_wherever_it_is_written():
    names = found("Deux braconniers de la localité de Kpelimba ont été condamnés. "
                  "Les notables de Kpelimba avaient demandé leur aide à Fodé Camara.")
    assert "Kpelimba" not in names
    assert "Fodé Camara" in names


def test_a_capitalised_place_noun_is_a_name_not_a_classifier():
    names = found("« Tout est prêt », a assuré le directeur adjoint du Village Tomas Reval Van Dijk hier.")
    assert "Tomas Reval Van Dijk" in names


def test_a_dictionary_word_is_the_short_form_of_the_organisation_it_opens():
    names = found("La Justice de paix de Kolondo a condamné les deux hommes. "
                  "Cette décision de Justice a été saluée par les habitants.")
    assert "Justice" not in names
    assert "Justice" in names["Justice de paix de Kolondo"][1]


def test_a_portfolio_given_to_a_person_is_no_actor():
    names = found("Le gouvernement compte trois nouveaux venus : Paul Ferrandon à la Culture, "
                  "Hélène Marsac aux Affaires sociales et Yves Brenot au Logement.")
    assert {"Paul Ferrandon", "Hélène Marsac", "Yves Brenot"} <= set(names)
    assert "Affaires sociales" not in names


@pytest.mark.parametrize("title", ["M.", "Mme"])
def test_a_civility_title_never_becomes_part_of_a_name(title):
    names = found(f"Le président Anton Berezin a reçu son homologue. {title} Berezin a salué la rencontre.")
    assert f"{title} Berezin" not in names
    assert f"{title} Berezin" in names["Anton Berezin"][1]


def test_actors_are_listed_in_the_order_the_article_names_them():
    article = ("Le ministre Lars Eriksen a rencontré Maria Okonkwo à Oslo. Plus tard, la présidente "
               "Maria Okonkwo a parlé à la presse avec Lars Eriksen.")
    assert list(found(article)) == ["Lars Eriksen", "Maria Okonkwo"]


# What a review on pages written for it found the cues above doing wrong (each failed before its fix).

def test_a_verb_after_a_comma_is_no_role():
    names = found("Pascal Rivière, secrétaire général de la CFDT, juge le report insuffisant.")
    assert names["CFDT"][0] == "organisation"


def test_a_party_label_between_a_role_and_a_name_is_neither_the_person_nor_part_of_the_name():
    names = found("L'élu RN Thibaut Lemarchand a demandé une dissolution. "
                  "La députée LFI Clémence Aubry a dénoncé un tour de passe-passe.")
    assert names.get("Thibaut Lemarchand", ("",))[0] == "person"
    assert "RN Thibaut Lemarchand" not in names
    assert names.get("LFI", ("organisation",))[0] == "organisation"


@pytest.mark.parametrize("text", [
    "À Marseille, une association de retraités a lancé une pétition.",
    "À Genève, une organisation humanitaire a demandé un accès aux prisonniers.",
    "Elle a publié le formulaire sur le site Internet de la mairie.",
])
def test_a_place_or_a_word_next_to_an_organisation_noun_is_no_organisation(text):
    assert found(text) == {}


def test_one_move_to_an_organisation_is_no_list_of_appointments():
    names = found("Le passage de Claire Vautrin au Crédit Agricole a été annoncé lundi. La réunion avec "
                  "Emmanuel Macron à Bruxelles et Olaf Scholz au Conseil européen a duré trois heures.")
    assert {"Crédit Agricole", "Conseil européen"} <= set(names)


def test_a_camp_named_after_a_person_is_no_place():
    assert "Trump" in found("Dans le camp Trump, on se réjouit. Trump a salué la décision.")


def test_an_institution_noun_before_a_name_the_model_calls_a_person():
    names = found("Le candidat du parti Pastef, Ibrahima Faye, revendique la victoire.")
    assert names["Pastef"][0] == "organisation"


def test_an_acronym_spelt_by_the_initials_gives_the_whole_name():
    names = found("Le Conseil du café-cacao (CCC), qui fixe les prix, a justifié la décision. Les diplomates "
                  "se sont réunis à l'Institut de hautes études en administration publique (IDHEAP).")
    assert "CCC" in names["Conseil du café-cacao"][1]
    assert "IDHEAP" in names["Institut de hautes études en administration publique"][1]
