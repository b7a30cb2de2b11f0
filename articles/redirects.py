"""Links that last: the addresses of merged and renamed actors, tags and sources redirect (301).

A merge keeps the merged slugs as OldSlug rows pointing at the one kept (and moves the merged
ones' own old slugs there too, so a chain of merges redirects in one step); a rename keeps the
previous slug (SluggedModel.save). A live slug always wins over an old one.
"""
from __future__ import annotations

from django.http import Http404

from articles.models import OldSlug
from articles.search.facets import ENTITY_FACETS


def keep_old_slugs(kind: str, slugs, target_id: int, *, merged_ids=()) -> None:
    """Make slugs lead to target_id; the old slugs of merged_ids lead there too from now on."""
    if merged_ids:
        OldSlug.objects.filter(kind=kind, target_id__in=list(merged_ids)).update(target_id=target_id)
    for slug in slugs:
        OldSlug.objects.update_or_create(kind=kind, slug=slug, defaults={"target_id": target_id})


def current_key(param: str, key: str) -> str | None:
    """Return the key of the page an old address of an actor, tag or source now leads to, or None."""
    facet = ENTITY_FACETS.get(param)
    if facet is None or param == "country":
        return None
    target = OldSlug.objects.filter(kind=param, slug=key).values_list("target_id", flat=True).first()
    if target is None:
        return None
    return facet.model.objects.filter(pk=target).values_list("slug", flat=True).first()


def get_object_or_moved(param: str, key: str):
    """Return (object, None) for a live key, (None, new key) for an old one; raise Http404 otherwise."""
    facet = ENTITY_FACETS[param]
    try:
        return facet.get_object(key), None
    except Http404:
        moved = current_key(param, key)
        if moved is None:
            raise
        return None, moved
