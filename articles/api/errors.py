"""Errors under /api/ are JSON, whatever raised them: DRF's views, an address no route matches, a crash."""
import sys

from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

from articles import health

API_PREFIX = "/api/"


def is_api(request) -> bool:
    return request is not None and request.path.startswith(API_PREFIX)


def not_found(request, exception=None):
    """handler404: {"detail": …} under /api/, the 404 page elsewhere."""
    if is_api(request):
        return JsonResponse({"detail": _("Aucune ressource à cette adresse.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """handler500: JSON under /api/ (503 when the database does not answer), the pages' 500 or 503 elsewhere."""
    if not is_api(request):
        return health.server_error(request)
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        response = JsonResponse({"detail": _("La base de données de l’archive ne répond pas ; réessayez dans un instant.")}, status=503)
        response["Retry-After"] = str(health.RETRY_AFTER_SECONDS)
        return response
    return JsonResponse({"detail": _("Erreur du serveur.")}, status=500)
