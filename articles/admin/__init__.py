"""Curation in the Django admin; each module registers the admin of one part of the archive."""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from articles.admin import actors, articles, index_queue, tagging, vocabulary  # noqa: F401  (registers the admins)

admin.site.site_header = _("NewsArchive · curation")
admin.site.site_title = _("NewsArchive · curation")
admin.site.index_title = _("Curation de l’archive")
admin.site.site_url = "/"
