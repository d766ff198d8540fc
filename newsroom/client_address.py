"""Whose request this is: the address a trusted proxy vouches for, never one a client wrote.

Behind Varnish every request comes from Varnish's own address, so counting wrong passwords
per REMOTE_ADDR would lock one page's password for every reader at once. Varnish therefore
sets X-Forwarded-For to the address that connected to it (deploy/varnish/default.vcl), and
django-axes reads it through django-ipware (AXES_IPWARE_* in settings), for the admin's
login and for pages' passwords alike (newsroom/lockout.py).

That header is believed only from the proxies named in NEWSROOM_TRUSTED_PROXIES (addresses
or networks): from anyone else it is dropped before any code can read it, so a client
talking to gunicorn directly cannot choose whom its guesses count against.
"""

import ipaddress
from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

FORWARDED_FOR = "HTTP_X_FORWARDED_FOR"


@cache
def trusted_networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def is_trusted_proxy(address: str | None) -> bool:
    try:
        peer = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    networks = trusted_networks(tuple(settings.NEWSROOM_TRUSTED_PROXIES))
    return any(peer.version == network.version and peer in network for network in networks)


class TrustedProxyMiddleware:
    """Drops X-Forwarded-For from requests that did not come from a trusted proxy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_trusted_proxy(request.META.get("REMOTE_ADDR")):
            request.META.pop(FORWARDED_FOR, None)
        return self.get_response(request)
