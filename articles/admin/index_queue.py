"""The queue of search index updates, read-only: what is waiting, since when, and what fails."""
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.models import PendingIndexUpdate
from articles.admin.confirm import SelectionChecked


class FailingFilter(admin.SimpleListFilter):
    title = _("état")
    parameter_name = "failing"

    def lookups(self, request, model_admin):
        return [("1", _("en échec")), ("0", _("en attente"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(attempts__gt=0)
        if self.value() == "0":
            return queryset.filter(attempts=0)
        return queryset


@admin.register(PendingIndexUpdate)
class PendingIndexUpdateAdmin(SelectionChecked, admin.ModelAdmin):
    list_display = ["article_id", "created_at", "attempts", "retry_at", "last_error"]
    list_filter = [FailingFilter]
    ordering = ["created_at"]
    search_fields = ["article_id"]

    def changelist_view(self, request, extra_context=None):
        failing = PendingIndexUpdate.objects.filter(attempts__gt=0)
        count = failing.values("article_id").distinct().count()
        if count:
            latest = failing.order_by("-retry_at").first()
            messages.error(request, ngettext(
                "La mise à jour de l’index de recherche échoue pour %(n)d article : elle sera retentée "
                "automatiquement. Dernière erreur : %(error)s",
                "La mise à jour de l’index de recherche échoue pour %(n)d articles : elle sera retentée "
                "automatiquement. Dernière erreur : %(error)s",
                count) % {"n": count, "error": latest.last_error})
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # rows are written with each change and applied by the index sync, never by hand

    def has_delete_permission(self, request, obj=None):
        return False  # deleting a row would lose its update
