"""Requests never wait for the search index; a curator is told when a change is not searchable yet."""
from django.contrib import messages
from django.utils.translation import ngettext

from articles.models import PendingIndexUpdate
from articles.search.indexing import queue


class IndexUpdatesMiddleware:
    """Apply a request's index updates only when it costs no wait (queue.bounded_updates).

    When some were left to the queue worker (the index was busy, or the change touched many
    articles), the next page the curator sees says so, with the length of the queue. Placed
    after MessageMiddleware, so that the message is stored with the response.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with queue.bounded_updates() as deferred:
            response = self.get_response(request)
        if deferred.articles and hasattr(request, "_messages"):
            waiting = PendingIndexUpdate.objects.values("article_id").distinct().count()
            messages.info(request, ngettext(
                "La modification est enregistrée. L’index de recherche étant occupé, elle y sera visible dès que la file "
                "d’attente l’aura appliquée, en général d’ici quelques secondes (%(n)d article en attente).",
                "La modification est enregistrée. L’index de recherche étant occupé, elle y sera visible dès que la file "
                "d’attente l’aura appliquée, en général d’ici quelques secondes (%(n)d articles en attente).",
                waiting) % {"n": waiting})
        return response
