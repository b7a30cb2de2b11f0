"""Requests never wait for the search index; a curator is told when a change is not searchable yet."""
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles.models import PendingIndexUpdate
from articles.search.indexing import queue
from articles.search.request import CONTROL_CHARACTERS


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


class AdminControlCharactersMiddleware:
    """Drop the parameters of an admin address that hold control characters, and say so.

    PostgreSQL refuses a NUL in any string, so a list filter (or the search box) given one would
    be a server error; the curator gets the same list without that parameter and a message.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/admin/") and request.method in ("GET", "HEAD"):
            pairs = [(key, value) for key, values in request.GET.lists() for value in values]
            kept = [(key, value) for key, value in pairs if not CONTROL_CHARACTERS.search(key + value)]
            if len(kept) < len(pairs):
                if hasattr(request, "_messages"):
                    dropped = sorted({CONTROL_CHARACTERS.sub("�", key) for key, value in pairs if (key, value) not in kept})
                    messages.warning(request, _("Un filtre de l’adresse contenait un caractère de contrôle (comme %%00) : "
                                                "il est ignoré (%(names)s).") % {"names": ", ".join(dropped)})
                return HttpResponseRedirect(request.path + ("?" + urlencode(kept) if kept else ""))
        return self.get_response(request)
