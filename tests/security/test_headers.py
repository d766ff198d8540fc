"""Security headers: a Content-Security-Policy on every page (no inline script or style on
a reader's page; relaxed only in Wagtail's admin), and in production HSTS, secure cookies,
nosniff, a referrer policy and frame denial, with `check --deploy` clean."""

import importlib
import os
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from tests.factories import explainer_page
from tests.security.hostile import build_hostile_world

pytestmark = pytest.mark.django_db

PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "x" * 20 + "-not-a-real-key-but-long-and-random-enough-0123456789",
    "DJANGO_ALLOWED_HOSTS": "news.example.org",
    "WAGTAILADMIN_BASE_URL": "https://news.example.org",
}


def csp_directives(response):
    header = response.get("Content-Security-Policy", "")
    directives = {}
    for part in filter(None, (piece.strip() for piece in header.split(";"))):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_reader_pages_carry_a_content_security_policy(client):
    page = explainer_page("Headers")
    for url in (page.url, page.get_parent().url, "/", "/search/?q=x", "/feeds/explainers.rss"):
        response = client.get(url)
        assert response.status_code == 200, url
        policy = csp_directives(response)
        assert policy.get("default-src") == ["'self'"], (url, policy)
        assert policy.get("object-src") == ["'none'"], url
        assert policy.get("base-uri") == ["'self'"], url
        assert "'self'" in policy.get("frame-ancestors", []), url
        # Only the site's own files may run script or style a reader's page: no inline
        # script (an injected <script> or onclick would run), no third-party origin.
        assert policy.get("script-src") == ["'self'"], (url, policy)
        assert policy.get("style-src") == ["'self'"], (url, policy)


# A <script> of these types is data, which CSP does not govern: the browser never runs it.
DATA_SCRIPT_TYPES = ("application/ld+json", "application/json")


def inline_code(html):
    """What a strict policy would block on a page: inline scripts that are not data,
    event-handler attributes, <style> elements and style attributes."""
    soup = BeautifulSoup(html, "html.parser")
    blocked = [
        script
        for script in soup.find_all("script")
        if not script.get("src") and script.get("type") not in DATA_SCRIPT_TYPES
    ]
    blocked += soup.find_all("style")
    for element in soup.find_all(True):
        if "style" in element.attrs or any(name.startswith("on") for name in element.attrs):
            blocked.append(element)
    return blocked


def test_reader_pages_need_no_inline_script_or_style(client, editor, verifier, tmp_path):
    world = build_hostile_world(editor, verifier, tmp_path)
    for url in world.reader_urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        policy = csp_directives(response)
        assert "'unsafe-inline'" not in policy.get("script-src", []), (url, policy)
        assert "'unsafe-inline'" not in policy.get("style-src", []), (url, policy)
        html = response.content.decode()
        assert inline_code(html) == [], url
    # The explainer's JSON-LD is there, as data the strict policy leaves alone.
    explainer = client.get(world.page.url).content.decode()
    assert '<script type="application/ld+json">' in explainer


def test_the_admin_carries_a_content_security_policy(admin_client):
    response = admin_client.get(reverse("wagtailadmin_home"))
    policy = csp_directives(response)
    assert policy.get("default-src") == ["'self'"]
    assert policy.get("object-src") == ["'none'"]
    # Wagtail's admin needs inline scripts and styles; it is the one place they are allowed.
    assert policy.get("script-src") == ["'self'", "'unsafe-inline'"]
    assert policy.get("style-src") == ["'self'", "'unsafe-inline'"]
    assert response["X-Frame-Options"] in ("DENY", "SAMEORIGIN")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_admin_login_gets_the_admin_policy_and_previews_the_readers(client, admin_client):
    login = client.get(reverse("wagtailadmin_login"))
    assert csp_directives(login)["script-src"] == ["'self'", "'unsafe-inline'"]
    # Wagtail renders a preview as a request to the page's own URL, through the middleware,
    # so an editor previews under the policy readers will get.
    page = explainer_page("Previewed", publish=False)
    preview = admin_client.get(reverse("wagtailadmin_pages:view_draft", args=[page.pk]))
    assert preview.status_code == 200
    assert csp_directives(preview)["script-src"] == ["'self'"]
    assert inline_code(preview.content.decode()) == []


def test_the_api_is_never_sniffed_as_html(client):
    response = client.get("/api/claims/")
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.fixture
def production(monkeypatch):
    """The production settings module, imported as it is on a server."""
    for name, value in PRODUCTION_ENV.items():
        monkeypatch.setenv(name, value)
    module = importlib.import_module("newsroom.settings.production")
    return importlib.reload(module)


def test_production_settings_turn_on_https_protections(production):
    assert production.DEBUG is False
    assert PRODUCTION_ENV["DJANGO_SECRET_KEY"] == production.SECRET_KEY
    assert production.ALLOWED_HOSTS == ["news.example.org"]
    assert production.WAGTAILADMIN_BASE_URL == "https://news.example.org"
    assert production.SECURE_HSTS_SECONDS >= 31_536_000
    assert production.SECURE_HSTS_INCLUDE_SUBDOMAINS
    assert production.SECURE_SSL_REDIRECT
    assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
    assert production.SECURE_CONTENT_TYPE_NOSNIFF
    assert production.SECURE_REFERRER_POLICY in ("same-origin", "strict-origin-when-cross-origin")
    assert production.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    import environ

    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "news.example.org")
    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    with pytest.raises(environ.ImproperlyConfigured):
        importlib.reload(importlib.import_module("newsroom.settings.production"))


def production_overrides(production):
    names = [
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "SECURE_REFERRER_POLICY",
        "X_FRAME_OPTIONS",
    ]
    return {name: getattr(production, name) for name in names}


def test_production_responses_carry_hsts_and_secure_cookies(production, editor):
    with override_settings(**production_overrides(production)):
        http = Client()
        plain = http.get("/admin/login/")
        assert plain.status_code == 301
        assert plain["Location"].startswith("https://")

        https = {"HTTP_X_FORWARDED_PROTO": "https"}
        page = http.get("/admin/login/", **https)
        assert page.status_code == 200
        hsts = page["Strict-Transport-Security"]
        assert "max-age=31536000" in hsts and "includeSubDomains" in hsts
        assert page["X-Content-Type-Options"] == "nosniff"
        assert page["Referrer-Policy"] == production.SECURE_REFERRER_POLICY
        assert page["X-Frame-Options"] == production.X_FRAME_OPTIONS
        assert page.cookies[settings.CSRF_COOKIE_NAME]["secure"]

        logged_in = http.post(
            "/admin/login/",
            {"username": "editor", "password": "correct-horse-battery"},
            **https,
        )
        assert (logged_in.status_code, logged_in["Location"]) == (302, reverse("wagtailadmin_home"))
        session = logged_in.cookies[settings.SESSION_COOKIE_NAME]
        assert session["secure"] and session["httponly"]


def check_deploy(**environment):
    """`manage.py check --deploy` with the production settings, as `scripts/test` runs it."""
    env = {
        **os.environ,
        **PRODUCTION_ENV,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
        "DATABASE_URL": "sqlite:///:memory:",
        "EMAIL_URL": "smtp+tls://desk:secret@mail.example.org:587",
        **environment,
    }
    # The browser tests' conftest sets this for Playwright; a server never has it.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env = {name: value for name, value in env.items() if value is not None}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_production_settings():
    result = check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr


def test_check_deploy_fails_without_the_sites_address():
    # Unset, production has no local fallback: e-mails would link nowhere.
    result = check_deploy(WAGTAILADMIN_BASE_URL=None)
    assert result.returncode != 0
    assert "newsroom.E001" in result.stderr
    assert "WAGTAILADMIN_BASE_URL is not set" in result.stderr
