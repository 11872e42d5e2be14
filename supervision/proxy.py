"""Who sent a request: the one answer login throttling (django-axes) and the request log share.

Behind TRUSTED_PROXY_COUNT reverse proxies, each proxy appends the address it received the
request from to X-Forwarded-For, so the client is the address the outermost of them wrote: that
many entries from the right. Whatever lies further left was written by the client and proves
nothing. With no proxy configured the header is the client's own word and is ignored.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        # Not through every proxy (a health check from the host, a misrouted request): the
        # address that reached us is all we know.
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
