"""Near-duplicates: the same story republished or trimmed is found; another story is not."""
from articles.ingest.dedup import SIMILARITY, NearDuplicateIndex, signature, similarity

STORY = ("Le conseil municipal de Grenoble a adopté lundi soir un plan de rénovation des écoles de la ville. "
         "Les travaux, estimés à quarante millions d'euros, commenceront à l'été et dureront quatre ans. "
         "L'opposition a dénoncé un calendrier trop serré et réclamé une consultation des parents d'élèves. "
         "Le maire a répondu que les premières écoles rouvriraient dès la rentrée suivante.")
REPUBLISHED = "Grenoble : " + STORY.replace("lundi soir", "lundi") + " Avec l'agence locale."
OTHER = ("Les pêcheurs de Bretagne ont manifesté mardi à Brest contre la hausse du prix du gazole, qui menace "
         "selon eux la survie de nombreuses petites entreprises du littoral finistérien.")


def test_a_republished_story_is_similar_and_another_one_is_not():
    assert similarity(signature(STORY), signature(REPUBLISHED)) >= SIMILARITY
    assert similarity(signature(STORY), signature(OTHER)) < 0.1
    assert signature(STORY) == signature(STORY.upper())
    assert all(0 <= value < 2**32 for value in signature(STORY))


def test_the_index_proposes_the_near_duplicates_only():
    index = NearDuplicateIndex()
    index.add(1, signature(STORY))
    index.add(2, signature(OTHER))
    assert (len(index), index.candidates(signature(REPUBLISHED))) == (2, [1])


def test_short_and_empty_texts_have_signatures_too():
    assert similarity(signature("Oui."), signature("oui")) == 1.0
    assert len(signature("")) == 128


def test_a_key_added_again_is_indexed_by_its_new_signature():
    index = NearDuplicateIndex()
    index.add(1, signature(STORY))
    index.add(1, signature(OTHER))
    assert (len(index), index.candidates(signature(STORY)), index.candidates(signature(OTHER))) == (1, [], [1])
