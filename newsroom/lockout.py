"""Brakes on password guessing: the page shown once a login form is locked, and the limit
on guesses at a page's password.

The admin's login goes through authenticate(), which django-axes watches through
`LoginBackend` (settings: AXES_FAILURE_LIMIT, AXES_COOLOFF_TIME); a locked-out login gets
`lockout_response`. A page's password (Wagtail's PageViewRestriction) is not checked by
authenticate(), so `authenticate_with_password` wraps Wagtail's view and counts its wrong
passwords per client address under the same two settings, in the database
(newsroom.throttling), where no cache eviction can reach them.

Both read the client's address as django-axes does (get_client_ip_address): behind the
trusted proxies (NEWSROOM_TRUSTED_PROXIES) the one it put in X-Forwarded-For, so one
reader's guesses lock out only that reader (newsroom/client_address.py).
"""

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from wagtail import views as wagtail_views

from newsroom.throttling.models import FailedGuesses

LOCKOUT_STATUS = 429


class LoginBackend(AxesStandaloneBackend, ModelBackend):
    """Django's own users and permissions, refusing a username and address django-axes has
    locked out. One backend rather than django-axes' beside Django's, so code that asks who
    holds a permission (User.objects.with_perm) need not say which backend to ask."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        # django-axes raises PermissionDenied for a locked-out pair, which authenticate() stops at.
        AxesStandaloneBackend.authenticate(self, request, username, password, **kwargs)
        return ModelBackend.authenticate(self, request, username, password, **kwargs)


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """The page a locked-out form answers with: what happened and when to try again."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    response = render(request, "lockout.html", context, status=LOCKOUT_STATUS)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


def authenticate_with_password(
    request: HttpRequest, page_view_restriction_id: int, page_id: int
) -> HttpResponse:
    """Wagtail's page-password form, locked after AXES_FAILURE_LIMIT wrong passwords from one
    client address until AXES_COOLOFF_TIME has passed since the last of them."""
    address = get_client_ip_address(request)
    cooloff = settings.AXES_COOLOFF_TIME
    if (
        request.method == "POST"
        and FailedGuesses.objects.failures(address, cooloff) >= settings.AXES_FAILURE_LIMIT
    ):
        return lockout_response(request)
    response = wagtail_views.authenticate_with_password(request, page_view_restriction_id, page_id)
    # Wagtail redirects on the right password and shows the form again on a wrong one.
    if request.method != "POST" or response.status_code != 200:
        return response
    failures = FailedGuesses.objects.record(address, cooloff)
    # As django-axes does for the admin: the guess that reaches the limit gets the lockout page.
    return lockout_response(request) if failures >= settings.AXES_FAILURE_LIMIT else response
