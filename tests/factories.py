"""Factories for the evidence desk and explainers, in one place."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from newsroom.desk.models import Claim, Evidence, Outlet, Source

SAMPLE_BODY = (
    "The Kremlin said on 21 December that Putin was ready for dialogue with Macron.\n\n"
    "The Elysee Palace said any talks would be held in full transparency with Kyiv."
)


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


def explainer_page(title, body=(), publish=True, parent=None, **fields):
    """An explainer under the explainers index (`parent`), saved as a revision and published
    unless publish=False, as the admin would."""
    from django.utils.text import slugify

    from explainers.models import ExplainerIndexPage, ExplainerPage

    page = ExplainerPage(
        title=title,
        slug=fields.pop("slug", slugify(title)),
        standfirst=fields.pop("standfirst", "Where the talks stand, claim by claim."),
        body=list(body),
        live=False,
        **fields,
    )
    (parent or ExplainerIndexPage.objects.get()).add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
        page.refresh_from_db()
    return page


def cited_claim_block(claim, show_as_unverified=False):
    """A StreamField "claim" block citing `claim`, as raw data for explainer_page(body=…)."""
    return {"type": "claim", "value": {"claim": claim.pk, "show_as_unverified": show_as_unverified}}


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
