"""Topic tags that fill themselves: curators' saved searches (rules) and learned suggestions.

Both only ever propose: a proposal is an ArticleTag with status "proposed", which a curator
confirms or rejects; a rejected link stays, so neither a rule nor a suggestion brings it back.
"""


def request_training() -> None:
    """Ask for the tag suggestions to be learned again, in the current transaction (suggest_tags --watch does it)."""
    from articles.models import TrainingRequest

    TrainingRequest.objects.create()
