"""Deployment checks (`manage.py check --deploy`): the settings a live site must not leave at
their local-development values."""

import ipaddress
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Warning

LOCAL_HOSTNAMES = {"localhost", "localhost.localdomain"}


def is_local(hostname):
    """localhost, a loopback address (127.0.0.1, ::1) or "any address" (0.0.0.0, ::)."""
    hostname = hostname.rstrip(".").lower()
    if hostname in LOCAL_HOSTNAMES or hostname.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(hostname)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def base_url_problem(value):
    """Why `value` is not a public http(s) address for the site, or None if it is."""
    if not value:
        return "is not set"
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  (raises ValueError for a port that is not a number)
    except ValueError:
        return f"is not a valid URL: {value!r}"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"is not an absolute http(s) URL: {value!r}"
    if is_local(parts.hostname):
        return f"points to this machine, not the site: {value!r}"
    return None


def check_admin_base_url(app_configs, **kwargs):
    """Wagtail's notification e-mails (and the evidence audit's links) are built on
    WAGTAILADMIN_BASE_URL; a live site's must be its public address."""
    problem = base_url_problem(getattr(settings, "WAGTAILADMIN_BASE_URL", None))
    if problem is None:
        return []
    return [
        Error(
            f"WAGTAILADMIN_BASE_URL {problem}.",
            hint=(
                "Set the WAGTAILADMIN_BASE_URL environment variable to the site's public "
                "address, scheme and any port included (https://news.example.org): e-mails "
                "link to it."
            ),
            id="newsroom.E001",
        )
    ]


# Backends that keep e-mails on this machine (or drop them) instead of sending them.
UNSENT_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


def check_email_backend(app_configs, **kwargs):
    """Wagtail's workflow notifications (submitted, approved, rejected) are e-mails; a live
    site's must reach people, so EMAIL_URL names a real mail server."""
    if getattr(settings, "EMAIL_BACKEND", None) not in UNSENT_EMAIL_BACKENDS:
        return []
    return [
        Warning(
            f"E-mails are not sent: EMAIL_BACKEND is {settings.EMAIL_BACKEND}.",
            hint=(
                "Set the EMAIL_URL environment variable to the mail server "
                "(smtp+tls://user:password@mail.example.org:587): workflow notifications "
                "go through it."
            ),
            id="newsroom.W001",
        )
    ]


def check_upload_folder(app_configs, **kwargs):
    """Files uploaded on the Import sources page wait in NEWSROOM_IMPORT_UPLOAD_DIR until
    imported: never where the site serves files from, or anyone could fetch them."""
    folder = Path(settings.NEWSROOM_IMPORT_UPLOAD_DIR).resolve()
    served = [
        (name, Path(getattr(settings, name)).resolve())
        for name in ("MEDIA_ROOT", "STATIC_ROOT")
        if getattr(settings, name, None)
    ]
    return [
        Error(
            f"NEWSROOM_IMPORT_UPLOAD_DIR ({folder}) is inside {name} ({root}), which is served.",
            hint="Set NEWSROOM_IMPORT_UPLOAD_DIR to a private folder outside every served one.",
            id="newsroom.E002",
        )
        for name, root in served
        if folder == root or folder.is_relative_to(root)
    ]
