"""Curation in the Django admin; each module registers the admin of one part of the archive."""
from articles.admin import actors, articles, index_queue, vocabulary  # noqa: F401  (registers the admins)
