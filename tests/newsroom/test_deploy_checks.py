"""`check --deploy` refuses a WAGTAILADMIN_BASE_URL that is not the site's public address:
Wagtail's notification e-mails would link to the wrong place."""

import pytest
from django.core.checks import Tags, run_checks
from django.test import override_settings

from newsroom.desk.checks import check_admin_base_url


def errors_for(value):
    with override_settings(WAGTAILADMIN_BASE_URL=value):
        return check_admin_base_url(None)


@pytest.mark.parametrize(
    "value",
    [
        "https://news.example.org",
        "https://news.example.org/",
        "http://newsroom.test:8443",
        "https://203.0.113.7",
    ],
)
def test_a_public_address_passes(value):
    assert errors_for(value) == []


@pytest.mark.parametrize("value", [None, ""])
def test_an_unset_address_fails(value):
    [error] = errors_for(value)
    assert error.id == "newsroom.E001"
    assert "is not set" in error.msg


@pytest.mark.parametrize(
    "value",
    [
        "http://localhost:8000",
        "https://LOCALHOST",
        "http://localhost./",
        "http://app.localhost:8000",
        "http://127.0.0.1:8000",
        "http://127.0.1.1",
        "http://[::1]:8000",
        "http://0.0.0.0:8000",
    ],
)
def test_a_local_address_fails(value):
    [error] = errors_for(value)
    assert error.id == "newsroom.E001"
    assert "points to this machine" in error.msg


@pytest.mark.parametrize(
    "value",
    ["news.example.org", "//news.example.org", "ftp://news.example.org", "http://x:port", "/"],
)
def test_a_relative_or_non_http_address_fails(value):
    [error] = errors_for(value)
    assert error.id == "newsroom.E001"


def test_it_runs_under_check_deploy_only():
    with override_settings(WAGTAILADMIN_BASE_URL="http://localhost:8000"):
        deploy = run_checks(tags=[Tags.urls], include_deployment_checks=True)
        everyday = run_checks(tags=[Tags.urls])
    assert "newsroom.E001" in [message.id for message in deploy]
    assert "newsroom.E001" not in [message.id for message in everyday]


def test_an_upload_folder_under_a_served_one_is_an_error(settings):
    from newsroom.desk.checks import check_upload_folder

    settings.NEWSROOM_IMPORT_UPLOAD_DIR = settings.MEDIA_ROOT / "imports"
    (error,) = check_upload_folder(None)
    assert error.id == "newsroom.E002"
    assert "inside MEDIA_ROOT" in error.msg

    settings.NEWSROOM_IMPORT_UPLOAD_DIR = "/tmp/newsroom-imports-private"
    assert check_upload_folder(None) == []
