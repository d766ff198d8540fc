"""Desk review's e-mails link to the site's real address, port included: Wagtail builds the
admin links from WAGTAILADMIN_BASE_URL and the page's own link from the default Site, which
`manage.py set_site_address` sets from the same address."""

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from wagtail.models import Site

from tests.explainers.test_workflow import approve, submit

pytestmark = pytest.mark.django_db

BASE_URL = "http://newsroom.test:8443"


def texts(message):
    """The plain text and the HTML of one e-mail."""
    return [message.body, *(content for content, _ in message.alternatives)]


def sent_to(user):
    [message] = [message for message in mail.outbox if message.to == [user.email]]
    return message


@override_settings(WAGTAILADMIN_BASE_URL=BASE_URL)
def test_review_e_mails_link_to_the_sites_address_with_its_port(
    editor, verifier, editor_client, verifier_client, draft, verified_claim
):
    call_command("set_site_address", stdout=None)
    state = submit(editor_client, draft, [verified_claim])
    submitted = sent_to(verifier)
    edit_url = BASE_URL + reverse("wagtailadmin_pages:edit", args=[draft.pk])
    for text in texts(submitted):
        assert edit_url in text
        assert f"{BASE_URL}/admin/pages/workflow/preview/{draft.pk}/" in text
        assert "localhost" not in text

    mail.outbox.clear()
    assert approve(verifier_client, draft, state).status_code == 302
    approved = sent_to(editor)
    assert "approved" in approved.subject
    for text in texts(approved):
        assert f"{BASE_URL}/explainers/are-they-talking/" in text
        assert f"{BASE_URL}/admin/account/" in text
        assert "localhost" not in text


def default_site():
    return Site.objects.get(is_default_site=True)


@override_settings(WAGTAILADMIN_BASE_URL="http://localhost:8123")
def test_set_site_address_takes_the_base_url_and_its_port():
    call_command("set_site_address", stdout=None)
    site = default_site()
    assert (site.hostname, site.port, site.root_url) == (
        "localhost",
        8123,
        "http://localhost:8123",
    )


@pytest.mark.parametrize(
    ("url", "root_url"),
    [
        ("https://news.example.org", "https://news.example.org"),
        ("https://news.example.org/", "https://news.example.org"),
        ("http://news.example.org", "http://news.example.org"),
    ],
)
def test_set_site_address_takes_a_url_given(url, root_url):
    call_command("set_site_address", url, stdout=None)
    assert default_site().root_url == root_url


@pytest.mark.parametrize("url", ["", "news.example.org", "ftp://news.example.org", "http://x:y"])
def test_set_site_address_refuses_what_is_not_an_http_address(url):
    with override_settings(WAGTAILADMIN_BASE_URL=""), pytest.raises(CommandError):
        call_command("set_site_address", url)
    assert (default_site().hostname, default_site().port) == ("localhost", 80)
