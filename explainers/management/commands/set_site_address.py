"""Point the default Wagtail site at the address the site is served on.

Wagtail builds a page's full URL (the "view the page" link of the approval e-mail, feeds,
JSON-LD) from the default Site's hostname and port, which the first migration leaves at
"localhost", port 80. This sets them from WAGTAILADMIN_BASE_URL, so those links carry the
site's real host and port."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site

DEFAULT_PORTS = {"http": 80, "https": 443}


def address(url):
    """The scheme, hostname and port of an absolute http(s) URL."""
    try:
        parts = urlsplit(url or "")
        port = parts.port
    except ValueError as error:
        raise CommandError(f"Not a valid URL: {url!r}") from error
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise CommandError(f"Not an absolute http(s) URL: {url!r}")
    return parts.scheme, parts.hostname, port or DEFAULT_PORTS[parts.scheme]


class Command(BaseCommand):
    help = (
        "Set the default site's hostname and port from WAGTAILADMIN_BASE_URL (or the URL "
        "given), so pages' full URLs and the e-mails that carry them name the real site."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "url", nargs="?", help="The site's address (default: WAGTAILADMIN_BASE_URL)."
        )

    def handle(self, *args, url=None, **options):
        scheme, hostname, port = address(url or settings.WAGTAILADMIN_BASE_URL)
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            raise CommandError("There is no default site (run migrate first).")
        if (site.hostname, site.port) != (hostname, port):
            site.hostname, site.port = hostname, port
            site.save()  # clears Wagtail's cached site root paths
        self.stdout.write(f"Site: {site.root_url}/")
        if scheme == "https" and port != DEFAULT_PORTS["https"]:
            # Wagtail's Site knows https on port 443 only; on any other port it writes http.
            self.stderr.write(f"Note: Wagtail writes this site's URLs as {site.root_url}/")
