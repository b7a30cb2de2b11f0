"""Finding the article's own run of lines in a raw text page full of furniture (pages written for the test)."""
import pytest

from articles.ingest.clean import clean_text, remove_inline_related
from articles.ingest.locate import addresses_reader, is_prose
from articles.ingest.pipeline import ExtractionError, extract_article

MENU = "\n".join(["Accueil", "Politique", "Économie", "Culture", "Sport", "Régions", "Se connecter", "S'abonner"])
LEAD = "Le conseil régional a voté jeudi un plan de deux cents millions d’euros pour les lignes de car rurales."
PARAGRAPHS = [
    "Les élus de l’opposition ont voté contre, jugeant le calendrier trop long pour les villages les plus isolés.",
    "Le président du conseil, Marc Olivier, a promis que les premiers cars circuleraient dès la rentrée prochaine.",
    "Les syndicats de transporteurs demandent de leur côté une hausse des tarifs payés par kilomètre parcouru.",
]
HEADLINE = "Les cars ruraux auront leur plan régional"


def test_menus_before_and_teasers_after_stay_out_of_the_body():
    page = clean_text("\n".join([
        MENU, "Transports", HEADLINE, LEAD, "Par Jeanne Roux", "Publié le 4 mars 2024 à 10h05",
        "Partager", "Facebook", *PARAGRAPHS,
        "Les plus lus", "Un incendie ravage un entrepôt à Brest", "Le festival de Lorient affiche complet",
        "Mentions légales", "© La Gazette du Nord",
    ]))
    assert page.title == HEADLINE
    assert page.body == "\n\n".join([LEAD, *PARAGRAPHS])
    assert page.header == ["Par Jeanne Roux", "Publié le 4 mars 2024 à 10h05"]
    assert "Les plus lus" in page.removed and "Accueil" in page.removed and "Transports" in page.removed


def test_a_comment_thread_longer_than_the_article_is_not_the_article():
    comments = []
    for n in range(12):
        comments += [f"lecteur{n}", f"Le {n + 1} mars 2024 à 12:{n:02d}", "Répondre",
                     "Je ne suis pas du tout d’accord avec ce plan, qui oublie une fois de plus les petites "
                     f"communes du sud du département et leurs habitants sans voiture, numéro {n}."]
    page = clean_text("\n".join([MENU, HEADLINE, LEAD, *PARAGRAPHS, "12 commentaires", *comments]))
    assert page.body == "\n\n".join([LEAD, *PARAGRAPHS])


def test_a_newsletter_box_inside_the_article_is_dropped_and_its_repeats_too():
    box = ["Notre lettre du matin", "Recevez chaque jour l’essentiel de l’actualité régionale.", "Votre adresse email",
           "En vous inscrivant, vous acceptez nos conditions d’utilisation."]
    page = clean_text("\n".join([MENU, HEADLINE, LEAD, PARAGRAPHS[0], *box, *PARAGRAPHS[1:], *box]))
    assert page.body == "\n\n".join([LEAD, *PARAGRAPHS])


def test_subheadings_inside_the_text_are_kept_but_not_tag_lines_before_it():
    page = clean_text("\n".join([
        MENU, HEADLINE, "Transports, Région, Marc Olivier", LEAD, PARAGRAPHS[0], "Un calendrier contesté", *PARAGRAPHS[1:],
    ]))
    assert page.body == "\n\n".join([LEAD, PARAGRAPHS[0], "Un calendrier contesté", *PARAGRAPHS[1:]])
    assert "Transports, Région, Marc Olivier" in page.removed


def test_the_headline_is_the_line_the_text_is_about_not_a_caption_or_a_box_title():
    page = clean_text("\n".join([
        MENU, "Région", HEADLINE, "Par Jeanne Roux", "4 mars 2024",
        "Un car scolaire sur une route de campagne",  # a caption without its credit, below the byline
        LEAD, *PARAGRAPHS,
    ]))
    assert page.title == HEADLINE


def test_a_headline_shown_twice_wins_over_a_nearer_summary():
    summary = "Un plan voté jeudi pour les lignes de car rurales, contesté par l’opposition et les transporteurs"
    page = clean_text("\n".join([HEADLINE, summary, HEADLINE, "Un autre résumé sans rapport avec le reste", LEAD, *PARAGRAPHS]))
    assert page.title == HEADLINE


def test_a_bare_read_also_heading_opens_a_box_that_is_not_the_article():
    page = clean_text("\n".join([
        MENU, HEADLINE, LEAD, *PARAGRAPHS, "À lire aussi :", "Le port de Brest en travaux",
        "Le port de Brest ferme deux quais pour six mois de travaux, a annoncé la chambre de commerce.",
    ]))
    assert page.body == "\n\n".join([LEAD, *PARAGRAPHS])
    assert "Le port de Brest en travaux" in page.removed


def test_a_read_also_box_in_the_middle_of_the_text_keeps_both_halves():
    # A box heading costs as much as a long paragraph: the text after it must be longer to be kept.
    more = "La région étudie aussi des lignes de transport à la demande pour les hameaux, a précisé Marc Olivier."
    page = clean_text("\n".join([MENU, HEADLINE, LEAD, PARAGRAPHS[0], "À lire aussi :", "Le port de Brest en travaux",
                                 *PARAGRAPHS[1:], more]))
    assert page.body == "\n\n".join([LEAD, *PARAGRAPHS, more])


def test_a_read_also_box_glued_into_a_paragraph_is_cut_out():
    assert remove_inline_related("Le maire a parlé. À LIRE AUSSI Le port ferme ses quaisIl a ensuite quitté la salle.") == (
        "Le maire a parlé. Il a ensuite quitté la salle.")
    assert remove_inline_related("Il faut lire aussi le rapport.") == "Il faut lire aussi le rapport."


def test_glued_read_also_line_and_a_credit_at_the_end_of_a_caption_are_furniture():
    page = clean_text("\n".join([
        HEADLINE, LEAD, "À lire aussiLe port de Brest en travaux",
        "Les cars à l’arrêt au dépôt de Quimper. REUTERS/Jane Doe", *PARAGRAPHS]))
    assert page.body == "\n\n".join([LEAD, *PARAGRAPHS])
    assert page.captions == ["Les cars à l’arrêt au dépôt de Quimper. REUTERS/Jane Doe"]


def test_an_embedded_post_and_its_signature_go_to_captions():
    page = clean_text("\n".join([HEADLINE, LEAD, "Les cars arrivent enfin chez nous https://t.co/abc",
                                 "— Marc Olivier (@marcolivier) March 4, 2024", *PARAGRAPHS]))
    assert page.body == "\n\n".join([LEAD, *PARAGRAPHS])
    assert page.captions[-1] == "— Marc Olivier (@marcolivier) March 4, 2024"


def test_prose_and_reader_address():
    assert is_prose("« Nous avons tout perdu », a dit Anne Roy.")
    assert not is_prose("Les cars ruraux auront-ils enfin leur plan régional ?")  # a lone question: a headline
    assert is_prose("Le plan est voté. Mais qui paiera ?")
    assert addresses_reader("Recevez chaque matin notre lettre d’information.")
    assert addresses_reader("Votre adresse email n’est pas valide.")
    assert not addresses_reader("« Vous ne passerez pas », a lancé le maire aux manifestants.")
    assert not addresses_reader(LEAD)


def test_a_page_of_menus_only_gives_no_article():
    with pytest.raises(ExtractionError, match="no article text found"):
        extract_article(MENU + "\n" + "\n".join(["Plan du site", "Contact", "© La Gazette du Nord"]))
