"""Who is asking: the client's address, as the login rate limiting (django-axes) counts it."""
from django.conf import settings


def client_address(request) -> str | None:
    """Return the address of the client that sent the request.

    Without proxies it is the connection's (REMOTE_ADDR). Behind TRUSTED_PROXY_COUNT proxies, each
    of which appends the address it was connected from to X-Forwarded-For, it is the N-th address
    from the right: the ones further left were written by the client and can be anything. (Written
    here rather than through django-ipware: these three lines are the whole rule.)
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if proxies and len(hops) >= proxies:
        return hops[-proxies]
    return request.META.get("REMOTE_ADDR")
