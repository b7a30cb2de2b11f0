"""The queue of search index updates, read-only: what is waiting, since when."""
from django.contrib import admin

from articles.models import PendingIndexUpdate


@admin.register(PendingIndexUpdate)
class PendingIndexUpdateAdmin(admin.ModelAdmin):
    list_display = ["article_id", "created_at"]
    ordering = ["created_at"]
    search_fields = ["article_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # rows are written with each change and applied by the index sync, never by hand

    def has_delete_permission(self, request, obj=None):
        return False  # deleting a row would lose its update
