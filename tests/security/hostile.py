"""A newsroom full of stored-XSS payloads: in imported text, titles, outlet names, claim
statements, quotes, notes, verification notes, tags and every explainer field, as an
attacker who controls a news site (or an editor's pasted text) would plant them."""

import datetime
from dataclasses import dataclass, field
from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from newsroom.desk.models import Claim, Source
from newsroom.desk.verification import verify_claim
from tests.factories import (
    ClaimFactory,
    EvidenceFactory,
    OutletFactory,
    SourceFactory,
    cited_claim_block,
    explainer_page,
    snippet_url,
)

SCRIPT = "<script>window.__xss=1</script>"
IMG = '"><img src=x onerror=window.__xss=1>'
END_SCRIPT = "</script><script>window.__xss=1</script>"
ATTR = "' onmouseover='window.__xss=1' x='"
PAYLOADS = (SCRIPT, IMG, END_SCRIPT, ATTR)
# What must never reach a page unescaped: the start of each payload's markup.
RAW_MARKERS = ("<script>window.__xss", "<img src=x", "onmouseover='window", "</script><script>")

QUOTE = f"Peskov said {END_SCRIPT} and {IMG} to reporters"
BODY = (
    f"The Kremlin said on 21 December that {SCRIPT} Putin was ready for dialogue.\n\n"
    f"{QUOTE}. {ATTR} The Elysee answered the next day."
)


def hostile(label):
    """A short text with every payload in it."""
    return f"{label} {SCRIPT} {IMG} {END_SCRIPT} {ATTR}"


def hostile_tag(label):
    return f"{label}{IMG}"[:100]


@dataclass
class HostileWorld:
    sources: list
    claim: Claim
    awaiting: Claim
    disputed: Claim
    page: object
    other_page: object
    imported: Source
    outlet: object
    reader_urls: list = field(default_factory=list)
    admin_urls: list = field(default_factory=list)


def hostile_source(outlet_label):
    source = SourceFactory(
        title=hostile(f"Kremlin {outlet_label}"),
        outlet=OutletFactory(name=hostile(outlet_label)[:200]),
        original_text=BODY,
        body=BODY,
        url="https://example.org/" + outlet_label.lower(),
        published_on=datetime.date(2025, 12, 21),
        date_precision="day",
    )
    source.tags.add(hostile_tag("source"))
    source.save()
    return source


def import_hostile_file(tmp_path):
    """A captured page whose chrome lines are payloads: they end up set aside, on show."""
    path = tmp_path / "hostile_capture.txt"
    path.write_text(
        f"{hostile('Headline')}\n\n{SCRIPT}\n{IMG}\n"
        "The Kremlin said on Sunday that Vladimir Putin was ready for dialogue with "
        "Emmanuel Macron, after the French president proposed talks.\n\n"
        f"Paris said talks would involve Kyiv. {END_SCRIPT}\n\n<div onclick=x>\n",
        encoding="utf-8",
    )
    call_command("import_sources", str(path), stdout=StringIO(), stderr=StringIO())
    return Source.objects.get(seed_file__endswith="hostile_capture.txt")


def build_hostile_world(editor, verifier, tmp_path):
    sources = [hostile_source("Tass"), hostile_source("Reuters")]
    claim = ClaimFactory(statement=hostile("Putin is ready"), created_by=editor)
    claim.tags.add(hostile_tag("claim"))
    claim.save()
    for source in sources:
        EvidenceFactory(claim=claim, source=source, quote=QUOTE, note=hostile("Note"))
    verify_claim(claim, verifier, Claim.Status.VERIFIED, note=hostile("Verifier says"))
    claim.refresh_from_db()

    awaiting = ClaimFactory(statement=hostile("Awaiting"), created_by=editor)
    EvidenceFactory(claim=awaiting, source=sources[0], quote=QUOTE, note=hostile("Await note"))
    disputed = ClaimFactory(statement=hostile("Disputed"), created_by=editor)
    EvidenceFactory(claim=disputed, source=sources[1], quote=QUOTE, stance="disputes")
    verify_claim(disputed, verifier, Claim.Status.DISPUTED, note=hostile("Dispute note"))

    body = [
        {"type": "heading", "value": hostile("Heading")},
        cited_claim_block(claim),
        cited_claim_block(awaiting, show_as_unverified=True),
        {
            "type": "pull_quote",
            "value": {"source": sources[0].pk, "quote": QUOTE, "attribution": hostile("By")},
        },
        {
            "type": "timeline",
            "value": {
                "heading": hostile("Timeline"),
                "events": [
                    {
                        "type": "item",
                        "value": {
                            "date": "2025-12-21",
                            "date_label": hostile("Date"),
                            "event": hostile("Event"),
                            "claims": [],
                        },
                    }
                ],
            },
        },
    ]
    page = explainer_page(
        hostile("Explainer"), body=body, standfirst=hostile("Standfirst"), slug="hostile"
    )
    page.tags.add(hostile_tag("page"))
    page.save_revision().publish()
    other = explainer_page(hostile("Related"), body=[cited_claim_block(claim)], slug="other")
    other.tags.add(hostile_tag("page"))
    other.save_revision().publish()
    call_command("rebuild_related", stdout=StringIO(), stderr=StringIO())
    page.refresh_from_db()

    imported = import_hostile_file(tmp_path)
    world = HostileWorld(
        sources, claim, awaiting, disputed, page, other, imported, sources[0].outlet
    )
    world.reader_urls = reader_urls(world)
    world.admin_urls = admin_urls(world)
    return world


def reader_urls(world):
    index = world.page.get_parent()
    tag = world.page.tags.first()
    return [
        world.page.url,
        world.other_page.url,
        index.url,
        index.specific.tag_url(tag),
        "/",
        "/search/?q=Explainer",
        "/search/?q=" + SCRIPT,
    ]


def admin_urls(world):
    urls = [reverse("wagtailadmin_home")]
    for source in (*world.sources, world.imported):
        urls += [
            snippet_url("source", action, source.pk) for action in ("inspect", "edit", "history")
        ]
    for claim in (world.claim, world.awaiting, world.disputed):
        urls += [
            snippet_url("claim", action, claim.pk) for action in ("inspect", "edit", "history")
        ]
        urls.append(snippet_url("claim", "verify", claim.pk))
    urls += [snippet_url("outlet", action, world.outlet.pk) for action in ("inspect", "edit")]
    urls += [snippet_url(model, "list") for model in ("source", "claim", "outlet")]
    urls += [
        snippet_url("source", "list") + "?q=Kremlin",
        snippet_url("claim", "list") + "?q=ready",
        reverse("wagtailadmin_pages:edit", args=[world.page.pk]),
        reverse("wagtailadmin_pages:history", args=[world.page.pk]),
        reverse("wagtailadmin_explore", args=[world.page.get_parent().pk]),
        reverse("wagtailadmin_pages:revisions_index", args=[world.page.pk]),
    ]
    return urls


# Pages that claim to be another source through their canonical link (issue #25, B). Each
# is its own page, with its own text, that names the genuine article's URL as its own.
IMPOSTOR_PARAGRAPHS = [
    "The ministry of agriculture said on Tuesday that grain exports had collapsed in March "
    "and that the corridor would close within the week.",
    "Officials in Odesa said no ship had left port since January and that insurers had "
    "withdrawn cover for every vessel in the Black Sea.",
]


def canonical_impostors(genuine_url: str, other_host_url: str) -> dict[str, str]:
    """{path on the hostile server: the canonical URL it names}: the genuine article's URL
    on the same host, spelt as given and as a page may respell it (query, fragment, trailing
    slash, case, scheme, "www."), and an article's URL on another host."""
    scheme, rest = genuine_url.split("://", 1)
    host, path = rest.split("/", 1)
    return {
        "/impostor/same": genuine_url,
        "/impostor/query": genuine_url + "?utm_source=feed",
        "/impostor/fragment": genuine_url + "#comments",
        "/impostor/slash": genuine_url + "/",
        "/impostor/case": f"{scheme}://{host}/{path.upper()}",
        "/impostor/scheme": f"{'https' if scheme == 'http' else 'http'}://{host}/{path}",
        "/impostor/relative": f"/{path}",
        "/impostor/other-host": other_host_url,
    }


def fill_canonical_impostors(site, impostors: dict[str, str]):
    """Serve each impostor page on `site` (a tests.web_pages.NewsSite)."""
    from tests.web_pages import news_page

    for number, (path, canonical) in enumerate(impostors.items()):
        site.page(
            path,
            news_page(
                f"Grain corridor to close {number}",
                [f"Impostor {number}.", *IMPOSTOR_PARAGRAPHS],
                canonical=canonical,
                author="Someone Else",
            ),
        )
