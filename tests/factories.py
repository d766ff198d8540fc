"""Factories and shared helpers for the evidence desk and explainers, in one place."""

from urllib.parse import urlencode

import factory
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from newsroom.desk.anchoring import anchor_quote
from newsroom.desk.models import Claim, Evidence, Outlet, Source
from newsroom.desk.verification import verify_claim

SAMPLE_BODY = (
    "The Kremlin said on 21 December that Putin was ready for dialogue with Macron.\n\n"
    "The Elysee Palace said any talks would be held in full transparency with Kyiv."
)
# What a quote of SAMPLE_BODY says for each stance: the first sentence supports a claim that
# Putin is ready to talk; the second is what disputes or frames it.
SAMPLE_QUOTES = {
    Evidence.Stance.SUPPORTS: "Putin was ready for dialogue with Macron",
    Evidence.Stance.DISPUTES: "any talks would be held in full transparency",
    Evidence.Stance.CONTEXT: "any talks would be held in full transparency",
}


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@newsroom.invalid")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*(Group.objects.get(name=name) for name in extracted))
        self.save()


class OutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outlet
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Outlet {n}")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    title = factory.Sequence(lambda n: f"Source {n}")
    outlet = factory.SubFactory(OutletFactory)
    kind = Source.Kind.ARTICLE
    language = "en"
    original_text = SAMPLE_BODY
    body = factory.LazyAttribute(lambda source: source.original_text)


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    statement = factory.Sequence(lambda n: f"Claim number {n} is a fact.")
    created_by = factory.SubFactory(UserFactory)


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence
        skip_postgeneration_save = True

    claim = factory.SubFactory(ClaimFactory)
    source = factory.SubFactory(SourceFactory)
    quote = "Putin was ready for dialogue with Macron"
    stance = Evidence.Stance.SUPPORTS

    @factory.post_generation
    def anchor(self, create, extracted, **kwargs):
        self.clean()
        if create:
            self.save()


def claim_with_evidence(author, stances, **fields):
    """A claim by `author` with one anchored quote of SAMPLE_BODY per stance in `stances`
    (SAMPLE_QUOTES says which sentence), each from a source of an outlet of its own."""
    claim = ClaimFactory(created_by=author, **fields)
    for stance in stances:
        EvidenceFactory(claim=claim, stance=stance, quote=SAMPLE_QUOTES[stance])
    return claim


def verified(claim, verifier, status=Claim.Status.VERIFIED, note=""):
    """`claim` decided by `verifier` through the verification service, as the admin does."""
    return verify_claim(claim, verifier, status, note=note)


def explainer_index():
    from explainers.models import ExplainerIndexPage

    return ExplainerIndexPage.objects.get()


def explainer_page(
    title="What the Kremlin said", body=(), publish=True, parent=None, tags=(), **fields
):
    """An explainer under `parent` (the explainers index unless given), saved as a revision
    and published unless publish=False, as the admin would."""
    from django.utils.text import slugify

    from explainers.models import ExplainerPage

    page = ExplainerPage(
        title=title,
        slug=fields.pop("slug", slugify(title)),
        standfirst=fields.pop("standfirst", "Where the talks stand, claim by claim."),
        body=list(body),
        live=False,
        **fields,
    )
    (parent or explainer_index()).add_child(instance=page)
    if tags:
        page.tags.add(*tags)
    revision = page.save_revision()
    if publish:
        revision.publish()
        page.refresh_from_db()
    return page


def cited_claim(claim, show_as_unverified=False):
    """A claim as key facts and timeline events list it, as raw StreamField data."""
    return {"claim": claim.pk, "show_as_unverified": show_as_unverified}


def cited_claim_block(claim, show_as_unverified=False, framing=""):
    """A StreamField "claim" block citing `claim`, as raw data for explainer_page(body=…)."""
    return {
        "type": "claim",
        "value": {**cited_claim(claim, show_as_unverified), "framing": framing},
    }


def source_form_data(source, **changes):
    """The source edit form as the admin posts it, with `changes`."""
    data = {
        "title": source.title,
        "outlet": source.outlet_id or "",
        "url": source.url or "",
        "kind": source.kind,
        "language": source.language,
        "published_on": source.published_on.isoformat() if source.published_on else "",
        "date_precision": source.date_precision,
        "tags": "",
    }
    data.update(changes)
    return data


def transcript_evidence(claim, source, stance=Evidence.Stance.SUPPORTS):
    """A quote of the transcript_source fixture's second segment (01:42)."""
    return EvidenceFactory(
        claim=claim, source=source, quote="Putin is ready for dialogue with Macron", stance=stance
    )


def import_text(run_import, path, text, outlet=None):
    """Import `text` as the file `path` through the run_import fixture; `outlet` is what a
    manifest beside it says (none unless given)."""
    path.write_text(text, encoding="utf-8")
    manifest = path.parent / "sources.toml"
    if outlet:
        manifest.write_text(f'[files."{path.name}"]\noutlet = "{outlet}"\n', encoding="utf-8")
    elif manifest.exists():
        manifest.unlink()
    status, out, err = run_import(path)
    assert status == 0, err
    return out


def logged_in_client(user):
    client = Client()
    client.force_login(user)
    return client


def admin_login_url(next_url):
    """Where the admin sends someone not logged in who asked for `next_url`."""
    return reverse("wagtailadmin_login") + "?" + urlencode({"next": next_url}, safe="/")


def snippet_url(model, action, *args, **kwargs):
    """The admin URL of `action` on the desk's `model` snippets ("claim", "source", …)."""
    return reverse(f"wagtailsnippets_newsroom_{model}:{action}", args=args, kwargs=kwargs or None)


def claim_url(action, claim=None):
    """The admin URL of `action` on `claim`, or on claims at large (for "add", "list")."""
    return snippet_url("claim", action, *([] if claim is None else [claim.pk]))


def messages_of(response):
    """The messages a rendered admin page shows, as one string."""
    return " ".join(str(message) for message in response.context["messages"])


def soup_of(client, page):
    """The reader's page, parsed; it must answer 200."""
    response = client.get(page.url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def anchored(body, quote):
    """Where anchor_quote places `quote` in `body`: (the text there, the method), or None."""
    anchor = anchor_quote(body, quote)
    return anchor and (body[anchor.start : anchor.end], anchor.method)
