from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Archive")

    def ready(self):
        from articles import checks  # noqa: F401  (registers the system checks)
        from articles.search.indexing import queue as index_queue

        from articles.tagging import rules

        index_queue.connect_signals()
        index_queue.articles_indexed.connect(rules.rules_follow_index, dispatch_uid="tag_rules_follow_index")
