"""E-mail is configured like the database: production reads EMAIL_URL, and `check --deploy`
warns (newsroom.W001) while e-mails would stay on the machine instead of being sent."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.checks import Tags, run_checks
from django.test import override_settings

from newsroom.desk.checks import check_email_backend

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
    "DJANGO_SECRET_KEY": "a-production-key-long-and-random-enough-for-check-deploy-0123456789",
    "DJANGO_ALLOWED_HOSTS": "news.example.org",
    "WAGTAILADMIN_BASE_URL": "https://news.example.org",
}


def production(args, **environment):
    """Run `args` with the production settings and `environment`, as a deployment would."""
    # Not the test run's own: EMAIL_URL, DATABASE_URL, and what the browser tests' conftest
    # sets for Playwright (a server never has it, and check --deploy warns about it).
    leave_out = ("EMAIL_URL", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {key: value for key, value in os.environ.items() if key not in leave_out}
    env.update(PRODUCTION, **environment)
    return subprocess.run(
        [sys.executable, *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )


@pytest.mark.parametrize("backend", ["console", "locmem", "dummy", "filebased"])
def test_a_backend_that_sends_nothing_is_warned_about(backend):
    with override_settings(EMAIL_BACKEND=f"django.core.mail.backends.{backend}.EmailBackend"):
        [warning] = check_email_backend(None)
    assert warning.id == "newsroom.W001"
    assert "EMAIL_URL" in warning.hint


def test_an_smtp_backend_passes():
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend"):
        assert check_email_backend(None) == []


def test_it_runs_under_check_deploy_only():
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend"):
        deploy = run_checks(tags=[Tags.security], include_deployment_checks=True)
        everyday = run_checks(tags=[Tags.security])
    assert "newsroom.W001" in [message.id for message in deploy]
    assert "newsroom.W001" not in [message.id for message in everyday]


def test_production_sends_through_email_url():
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.EMAIL_HOST_USER, "
        "s.DEFAULT_FROM_EMAIL)"
    )
    result = production(
        ["-c", script],
        EMAIL_URL="smtp+tls://desk:secret@mail.example.org:587",
        DEFAULT_FROM_EMAIL="desk@news.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "mail.example.org",
        "587",
        "True",
        "desk",
        "desk@news.example.org",
    ]


def test_check_deploy_warns_without_email_url_and_is_clean_with_it():
    check = ["manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    unset = production(check)
    assert unset.returncode == 1
    assert "newsroom.W001" in unset.stderr
    assert "console.EmailBackend" in unset.stderr

    configured = production(check, EMAIL_URL="smtp+tls://desk:secret@mail.example.org:587")
    assert configured.returncode == 0, configured.stderr
    assert "System check identified no issues" in configured.stdout
