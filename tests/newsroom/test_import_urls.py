"""`import_sources` with URLs: pages fetched from a local server (tests/web_pages.py) become
sources with their metadata, outlet and captured copy; every bad answer is one clear line
and writes nothing; no address but a public one is fetched unless a setting allows it."""

import hashlib
import ipaddress

import pytest

from newsroom.desk.importing.fetching import FetchLimits, refusal
from newsroom.desk.models import Outlet, Source, SourceCapture
from tests.web_pages import GRAIN_PARAGRAPHS

pytestmark = pytest.mark.django_db


def test_a_page_becomes_a_source_with_its_metadata_and_its_captured_copy(run_import, news_site):
    url = f"{news_site.url}/news/grain-exports"
    status, out, err = run_import(url)

    assert (status, err) == (0, "")
    assert f"{url}: imported: “Grain exports reach a record”" in out
    source = Source.objects.get()
    assert source.title == "Grain exports reach a record"
    assert source.url == url
    assert source.outlet.name == "Kyiv Daily"
    assert source.outlet.domain == "127.0.0.1"
    assert source.author == "Olena Petrenko"
    assert str(source.published_on) == "2025-04-02"
    assert source.language == "en"
    for paragraph in GRAIN_PARAGRAPHS:
        assert paragraph in source.body
    for chrome in ("cookies", "Related stories", "Odesa ports brace", "All rights reserved"):
        assert chrome not in source.body
    capture = SourceCapture.objects.get(source=source)
    served = news_site.pages["/news/grain-exports"][2]
    assert bytes(capture.content) == served
    assert capture.sha256 == hashlib.sha256(served).hexdigest()
    assert (capture.requested_url, capture.final_url, capture.status) == (url, url, 200)
    assert capture.content_type == "text/html; charset=utf-8"
    assert capture.revision == source.latest_revision
    assert source.captured_at == capture.fetched_at
    assert all("NewsroomBot/" in agent for _, agent in news_site.requests)


def test_a_redirect_is_followed_and_the_page_keeps_its_canonical_url(run_import, news_site):
    status, out, err = run_import(f"{news_site.url}/old/grain")

    assert status == 0, err
    source = Source.objects.get()
    assert source.url == f"{news_site.url}/news/grain-exports"
    capture = source.captures.get()
    assert capture.requested_url == f"{news_site.url}/old/grain"
    assert capture.final_url == f"{news_site.url}/news/grain-exports"
    assert [path for path, _ in news_site.requests] == ["/old/grain", "/news/grain-exports"]


@pytest.mark.parametrize(
    ("path", "words", "encoding"),
    [
        ("/news/zerno", "Міністерство аграрної політики заявило", "cp1251"),
        ("/news/cereales", "Le ministère a déclaré mardi", "cp1252"),
    ],
    ids=["windows-1251 in the header", "iso-8859-1 in a meta tag"],
)
def test_pages_in_legacy_charsets_are_decoded_as_they_declare(
    run_import, news_site, path, words, encoding
):
    status, out, err = run_import(f"{news_site.url}{path}")

    assert status == 0, err
    assert f"decoded as {encoding}" in out
    source = Source.objects.get()
    assert words in source.body
    assert "Ã" not in source.body and "Ð" not in source.body


def test_a_plain_text_page_is_a_source_named_for_its_domain(run_import, news_site):
    status, out, err = run_import(f"{news_site.url}/statement.txt")

    assert status == 0, err
    source = Source.objects.get()
    assert source.title == "Statement of the ministry"
    assert GRAIN_PARAGRAPHS[1] in source.body
    assert source.outlet.name == "127.0.0.1"


BAD_ANSWERS = [
    ("/missing", "answered 404 Not Found"),
    ("/broken", "answered 500 Internal Server Error"),
    ("/slow", "timed out after 1 s"),
    ("/huge", "too large: over the 5.0 MB limit"),
    ("/huge-unannounced", "too large: over the 5.0 MB limit"),
    ("/photo.png", "not a web page or text: its content type is image/png"),
    ("/chain/1", "too many redirects: more than 5"),
    (
        "/to/metadata",
        "refused: 169.254.169.254 is a link-local address; only public addresses are fetched",
    ),
    ("/to/private", "refused: 10.0.0.1 is a private address; only public addresses are fetched"),
    ("/to/ipv6-loopback", "refused: ::1 is a loopback address; only public addresses are fetched"),
    ("/to/file", "refused: only http and https are fetched, not file:"),
]


@pytest.mark.parametrize(("path", "reason"), BAD_ANSWERS, ids=[path for path, _ in BAD_ANSWERS])
def test_each_bad_answer_is_one_clear_line_and_writes_nothing(run_import, news_site, path, reason):
    url = f"{news_site.url}{path}"
    status, out, err = run_import(url)

    assert status == 1
    assert err.splitlines()[0] == f"{url}: failed: {reason}"
    assert "1 of 1 files failed" in err
    assert "0 imported, 0 updated, 0 unchanged, 1 failed" in out
    assert not Source.objects.exists()
    assert not SourceCapture.objects.exists()
    assert not Outlet.objects.exists()


def test_with_the_protection_on_a_loopback_address_is_refused_before_any_connection(
    run_import, news_site, settings
):
    settings.NEWSROOM_FETCH_ALLOWED_NETWORKS = []
    url = f"{news_site.url}/news/grain-exports"

    status, out, err = run_import(url)

    assert status == 1
    assert err.splitlines()[0] == (
        f"{url}: failed: refused: 127.0.0.1 is a loopback address; "
        "only public addresses are fetched"
    )
    assert news_site.requests == []
    assert not Source.objects.exists()


def test_the_protection_is_on_by_default():
    from newsroom.settings import base

    assert base.NEWSROOM_FETCH_ALLOWED_NETWORKS == []


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "a loopback address"),
        ("::1", "a loopback address"),
        ("::ffff:127.0.0.1", "a loopback address"),
        ("::ffff:10.1.2.3", "a private address"),
        ("10.0.0.1", "a private address"),
        ("172.16.5.4", "a private address"),
        ("192.168.1.1", "a private address"),
        ("fd12:3456::1", "a private address"),
        ("169.254.169.254", "a link-local address"),
        ("fe80::1", "a link-local address"),
        ("224.0.0.1", "a multicast address"),
        ("ff02::1", "a multicast address"),
        ("0.0.0.0", "an unspecified address"),
        ("::", "an unspecified address"),
        ("240.0.0.1", "a reserved address"),
        (
            "100.64.0.1",
            "a special-purpose address, shared address space (carrier-grade NAT) (100.64.0.0/10)",
        ),
        ("93.184.215.14", ""),
        ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", ""),
    ],
)
def test_only_public_addresses_pass(address, kind):
    limits = FetchLimits(1, 1, 1, (), "test")
    assert refusal(address, limits) == kind


def test_allowing_loopback_allows_nothing_else():
    limits = FetchLimits(1, 1, 1, (ipaddress.ip_network("127.0.0.0/8"),), "test")
    assert refusal("127.0.0.1", limits) == ""
    assert refusal("::ffff:127.0.0.1", limits) == ""
    assert refusal("::1", limits) == "a loopback address"
    assert refusal("10.0.0.1", limits) == "a private address"


def test_urls_from_a_file_import_alongside_and_a_bad_one_fails_alone(
    run_import, news_site, tmp_path
):
    listed = tmp_path / "urls.txt"
    listed.write_text(
        f"# morning links\n{news_site.url}/news/grain-exports\n\n"
        f"{news_site.url}/missing\n{news_site.url}/news/cereales\n"
    )

    status, out, err = run_import("--urls-from", listed)

    assert status == 1
    assert err.splitlines()[0] == f"{news_site.url}/missing: failed: answered 404 Not Found"
    assert "2 imported, 0 updated, 0 unchanged, 1 failed" in out
    assert Source.objects.count() == 2


def test_a_urls_file_with_a_line_that_is_no_url_is_refused_whole(run_import, news_site, tmp_path):
    listed = tmp_path / "urls.txt"
    listed.write_text(f"{news_site.url}/news/grain-exports\nftp://example.org/file\n")

    status, out, err = run_import("--urls-from", listed)

    assert status == 1
    assert "not an http(s) URL: ftp://example.org/file" in err
    assert not Source.objects.exists()


def test_an_unchanged_page_is_unchanged_on_a_second_import(run_import, news_site):
    url = f"{news_site.url}/news/grain-exports"
    run_import(url)

    status, out, err = run_import(url)

    assert status == 0, err
    assert f"{url}: unchanged" in out
    assert SourceCapture.objects.count() == 1


def test_the_outlet_is_found_through_its_aliases_and_its_domain(run_import, news_site):
    by_alias = Outlet.objects.create(name="The Kyiv Daily Newspaper", aliases="Kyiv Daily")
    run_import(f"{news_site.url}/news/grain-exports")
    assert Source.objects.get().outlet == by_alias

    Source.objects.all().delete()
    by_alias.delete()
    by_domain = Outlet.objects.create(name="Capital Gazette", domain="127.0.0.1")
    run_import(f"{news_site.url}/news/grain-exports")
    assert Source.objects.get().outlet == by_domain
    assert Outlet.objects.count() == 1
