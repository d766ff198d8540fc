"""The Content-Security-Policy: strict on every reader page, relaxed for Wagtail's admin.

Readers' pages carry no inline script or style (their JSON-LD blocks are data, which CSP
does not govern), so settings.CONTENT_SECURITY_POLICY allows only 'self'. Wagtail's admin,
and the page previews it renders, still need inline scripts and styles, so under the
admin's URL, and only there, this middleware adds 'unsafe-inline' to both."""

from csp.middleware import CSPMiddleware
from django.urls import reverse

ADMIN_RELAXATION = {
    "script-src": ["'unsafe-inline'"],
    "style-src": ["'unsafe-inline'"],
}


def is_admin_path(path):
    return path.startswith(reverse("wagtailadmin_home"))


class NewsroomCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if is_admin_path(request.path_info):
            parts.update = {**ADMIN_RELAXATION, **(parts.update or {})}
        return parts
