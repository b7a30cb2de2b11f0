"""Search index fields of our own, understood by both engines (backends/whoosh, backends/elasticsearch)."""
from haystack import indexes


class ExactTextField(indexes.CharField):
    """The words of another text field as written, for exact mode: searched, never shown.

    `exact_of` names that field; `analyzer` the analysis of its words (e.g. "french_exact").
    Elasticsearch indexes it as a field of its own; the Whoosh engine writes no copy of the text
    but indexes the exact term of each word inside the `exact_of` field, beside its stem.
    """

    def __init__(self, *, exact_of: str, **kwargs):
        super().__init__(**kwargs)
        self.exact_of = exact_of
