"""The one adapter between an engine's hits and the pages: Whoosh's and Elasticsearch's shapes alike."""
from types import SimpleNamespace

from articles.search import hits


def test_a_whoosh_highlight_is_a_dict_of_fragments_per_field():
    hit = SimpleNamespace(highlighted={"text": ["les <mark>sanctions</mark> de Pékin"]})
    assert hits.highlight(hit) == "les <mark>sanctions</mark> de Pékin"


def test_an_elasticsearch_highlight_is_a_list_of_fragments():
    # haystack's Elasticsearch backend sets result.highlighted to the content field's list
    hit = SimpleNamespace(highlighted=["des <mark>sanctions</mark>", "<mark>sanctionné</mark> hier"])
    assert hits.highlight(hit) == "des <mark>sanctions</mark> … <mark>sanctionné</mark> hier"


def test_a_hit_without_highlight_gives_an_empty_snippet():
    assert hits.highlight(SimpleNamespace()) == ""
    assert hits.highlight(SimpleNamespace(highlighted=None)) == ""
    assert hits.highlight(SimpleNamespace(highlighted={"title": ["x"]})) == ""
