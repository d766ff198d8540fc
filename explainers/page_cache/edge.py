"""Purges at the edge, through Wagtail's frontend cache (WAGTAILFRONTENDCACHE): by surrogate
key where the backend knows keys (Varnish with xkey, below), else by URL (Cloudflare,
CloudFront and the like), the URLs of the pages and listings the keys name."""

import logging
from urllib.error import URLError
from urllib.request import urlopen

from django.urls import reverse
from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.contrib.frontend_cache.backends.http import PurgeRequest
from wagtail.contrib.frontend_cache.utils import get_backends
from wagtail.models import Page, Site

from explainers.models import ExplainerIndexPage
from explainers.page_cache import keys

logger = logging.getLogger("wagtail.frontendcache")

# The request header deploy/varnish/default.vcl reads the keys to purge from.
PURGE_HEADER = "xkey-purge"


class VarnishXkeyBackend(HTTPBackend):
    """Wagtail's Varnish backend (PURGE by URL), which also purges by surrogate key: a
    PURGE carrying the keys in an `xkey-purge` header, which Varnish's xkey module reads."""

    def purge_keys(self, purged: set[str]) -> None:
        request = PurgeRequest(
            url=f"{self.cache_scheme}://{self.cache_netloc}/",
            headers={
                PURGE_HEADER: " ".join(sorted(purged)),
                "User-Agent": "Newsroom-purge",
            },
        )
        try:
            urlopen(request, timeout=10)  # noqa: S310 - the configured LOCATION
        except URLError as error:
            logger.error("Couldn't purge keys %s from Varnish: %s", sorted(purged), error)


def page_ids(purged: set[str], prefix: str) -> set[int]:
    return {int(key.removeprefix(prefix)) for key in purged if key.startswith(prefix)}


def urls_for(purged: set[str]) -> set[str]:
    """The URLs of what the keys name, for a backend that purges by URL only. (Answers of
    the API under their many query strings are left to their short s-maxage.)"""
    urls = set()
    ids = page_ids(purged, "page-") | page_ids(purged, "related-")
    for page in Page.objects.filter(pk__in=ids).specific(defer=True):
        urls.update(filter(None, [page.full_url]))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return urls
    root = site.root_url
    named = {
        keys.FEEDS: ["explainers_rss", "explainers_atom", "corrections_rss"],
        keys.CORRECTIONS: ["corrections", "corrections_rss"],
        keys.SITEMAP: ["sitemap"],
        keys.ROBOTS: ["robots_txt"],
    }
    for key, names in named.items():
        if key in purged:
            urls.update(root + reverse(name) for name in names)
    tags = [key.removeprefix("tag-") for key in purged if key.startswith("tag-")]
    for index_page in ExplainerIndexPage.objects.live():
        if keys.INDEX in purged:
            urls.update([root + "/", index_page.full_url])
        urls.update(
            index_page.full_url + index_page.reverse_subpage("tag", kwargs={"tag": tag})
            for tag in tags
        )
    return urls


def purge(purged: set[str]) -> None:
    """Purge the keys from every configured frontend cache."""
    url_backends = []
    for backend in get_backends().values():
        if isinstance(backend, VarnishXkeyBackend):
            backend.purge_keys(purged)
        else:
            url_backends.append(backend)
    if url_backends:
        urls = sorted(urls_for(purged))
        for backend in url_backends:
            backend.purge_batch(urls)
