"""Curation in the Django admin; each module registers the admin of one part of the archive."""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from articles.admin import actors, articles, index_queue, tagging, vocabulary  # noqa: F401  (registers the admins)
from articles.admin.confirm import SelectionChecked

admin.site.site_header = _("NewsArchive · curation")
admin.site.site_title = _("NewsArchive · curation")
admin.site.index_title = _("Curation de l’archive")
admin.site.site_url = "/"


def check_every_selection(site: admin.AdminSite) -> None:
    """Give every list of the site, Django's and other apps' too (users, groups, axes' login
    attempts), the refusal of a selection that is no row: their own response_action answers
    500 to `_selected_action=abc`. The archive's admins mix it in themselves."""
    for model, model_admin in list(site._registry.items()):
        if not isinstance(model_admin, SelectionChecked):
            site.unregister(model)
            site.register(model, type(type(model_admin).__name__, (SelectionChecked, type(model_admin)), {}))


# "articles" comes last in INSTALLED_APPS, so every other app's admin is registered by now.
check_every_selection(admin.site)
