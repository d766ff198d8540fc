"""The public read API: verified claims with their evidence and sources, and Wagtail's API v2
for live, public explainers.

Only live, verified claims that a live, public explainer cites appear; drafts, unverified,
disputed and false claims never do, nor claims only an unpublished or private explainer
cites (embargoed work). Only live explainer pages (and the explainers index) that no view
restriction hides appear, whoever asks. Answers are cached under a key that holds the
canonical URL (explainers.api_cache) and the desk's latest change, so a new decision, revision
or publication is visible on the very next request.
"""

import hashlib

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import CharField, Exists, OuterRef, Prefetch, Value
from django.db.models.functions import Cast, Concat
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from rest_framework import serializers, viewsets
from rest_framework.fields import Field
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from wagtail.api import APIField
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.models import Page, PageLogEntry, PageViewRestriction, Revision
from wagtail.models.audit_log import ModelLogEntry

from explainers.api_cache import (
    answer_canonical,
    api_cache,
    as_int,
    claims_query,
    pages_query,
)
from newsroom.desk.ids import DATABASE_INT_MAX
from newsroom.desk.models import Claim, Evidence, Outlet, Source, Verification

# A browser or proxy may keep an answer this long; the server's copy lives until the desk
# changes (its key changes), or at most CACHE_SECONDS for edits made outside the admin.
BROWSER_MAX_AGE = 60
CACHE_SECONDS = 300
# latest_change() is probed at most this often per cache: every write made through the ORM
# (signals below) clears it at once, so only a write that sends no signal (a queryset
# update, raw SQL) waits, and never longer than this, for the probe to notice it.
CHANGE_PROBE_SECONDS = 1
CHANGE_KEY = "newsroom-api:latest-change"


def latest_change():
    """The desk's latest change as a short key: the probe's answer, kept for
    CHANGE_PROBE_SECONDS, so a burst of requests (cache hits included) costs no query."""
    key = cache.get(CHANGE_KEY)
    if key is None:
        key = probe_latest_change()
        cache.set(CHANGE_KEY, key, CHANGE_PROBE_SECONDS)
    return key


def clear_latest_change():
    cache.delete(CHANGE_KEY)


def forget_latest_change(**kwargs):
    """A write that can change an answer: probe again on the next request, and again once
    the write commits (a request in between may have stored the probe from before it);
    once per transaction, however many rows it writes."""
    clear_latest_change()
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return
    if not any(entry[1] is clear_latest_change for entry in connection.run_on_commit):
        transaction.on_commit(clear_latest_change)


def watch_changes():
    """Clear the probe on every ORM write that can change an answer: revisions, audit log
    entries (publish, unpublish, moves, edits, decisions), decisions, claims, evidence,
    sources, outlets, pages and view restrictions."""
    from wagtail.models import get_page_models

    watched = [
        Revision,
        ModelLogEntry,
        PageLogEntry,
        Verification,
        Source,
        Claim,
        Evidence,
        Outlet,
        PageViewRestriction,
        *get_page_models(),
    ]
    for model in watched:
        for signal in (post_save, post_delete):
            signal.connect(
                forget_latest_change, sender=model, dispatch_uid=f"newsroom-api-{model._meta.label}"
            )
    m2m_changed.connect(
        forget_latest_change,
        sender=PageViewRestriction.groups.through,
        dispatch_uid="api-restriction-groups",
    )


def probe_latest_change():
    """One query summing up every write that can change an answer: revisions, audit log
    entries (publish, unpublish, edits, decisions), decisions, re-imports, and counts of the
    rows that can be deleted without a log entry."""
    tables = {
        "revision": Revision._meta.db_table,
        "model_log": ModelLogEntry._meta.db_table,
        "page_log": PageLogEntry._meta.db_table,
        "verification": Verification._meta.db_table,
        "source": Source._meta.db_table,
        "claim": Claim._meta.db_table,
        "evidence": Evidence._meta.db_table,
        "outlet": Outlet._meta.db_table,
        "page": Page._meta.db_table,
        "restriction": PageViewRestriction._meta.db_table,
    }
    sql = (
        "SELECT (SELECT MAX(id) FROM {revision}), (SELECT MAX(id) FROM {model_log}),"
        " (SELECT MAX(id) FROM {page_log}), (SELECT MAX(id) FROM {verification}),"
        " (SELECT MAX(updated_at) FROM {source}), (SELECT COUNT(*) FROM {claim}),"
        " (SELECT COUNT(*) FROM {evidence}), (SELECT MAX(id) FROM {evidence}),"
        " (SELECT COUNT(*) FROM {outlet}), (SELECT COUNT(*) FROM {page} WHERE live),"
        " (SELECT MAX(last_published_at) FROM {page}),"
        " (SELECT COUNT(*) FROM {restriction}), (SELECT MAX(id) FROM {restriction})"
    ).format(**{name: connection.ops.quote_name(table) for name, table in tables.items()})
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return hashlib.sha256(repr(row).encode()).hexdigest()[:16]


class CachedReadMixin:
    """Serve GET answers from the API's cache, keyed on the canonical absolute URL and
    latest_change(); the request is answered as that canonical URL (explainers.api_cache).
    Only JSON is rendered, and nothing depends on who asks, so one copy serves everyone.
    Each view using it says how it reads its query: canonical_query(params, detail), with
    one of explainers.api_cache's rules."""

    renderer_classes = [JSONRenderer]
    authentication_classes = []
    permission_classes = [AllowAny]

    def cacheable_answer(self, response):
        """Whether a 200 answer to a cacheable query is worth an entry of its own."""
        return True

    def dispatch(self, request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return super().dispatch(request, *args, **kwargs)
        canonical = self.canonical_query(request.GET, detail=bool(kwargs))
        answer_canonical(request, canonical)
        if not canonical.cacheable:
            return self.uncached(super().dispatch(request, *args, **kwargs))
        url = request.build_absolute_uri()
        key = "newsroom-api:" + hashlib.sha256(f"{latest_change()}|{url}".encode()).hexdigest()
        cached = api_cache().get(key)
        if cached is not None:
            content, content_type = cached
            return self.cache_headers(HttpResponse(content, content_type=content_type), "hit")
        response = super().dispatch(request, *args, **kwargs)
        if response.status_code != 200 or not self.cacheable_answer(response):
            return self.uncached(response)
        response.render()
        api_cache().set(key, (response.content, response["Content-Type"]), CACHE_SECONDS)
        return self.cache_headers(response, "miss")

    def uncached(self, response):
        return self.cache_headers(response, "bypass") if response.status_code == 200 else response

    @staticmethod
    def cache_headers(response, outcome):
        patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE)
        response["X-Newsroom-Cache"] = outcome
        return response


class SourceSerializer(serializers.ModelSerializer):
    outlet = serializers.CharField(source="outlet_name")

    class Meta:
        model = Source
        fields = ["id", "title", "outlet", "url", "kind", "language", "published_on"]


class EvidenceSerializer(serializers.ModelSerializer):
    source = SourceSerializer()
    passage = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["quote", "passage", "stance", "source"]

    def get_passage(self, evidence):
        """The passage of the source's text the quote is anchored at, word for word as the
        source has it; null while the quote no longer anchors."""
        return evidence.anchored_text if evidence.is_anchored else None


class ClaimSerializer(serializers.ModelSerializer):
    evidence = EvidenceSerializer(many=True)
    tags = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = [
            "id",
            "statement",
            "status",
            "verified_at",
            "single_source",
            "verification_note",
            "tags",
            "evidence",
        ]

    def get_tags(self, claim):
        return sorted((tag.name for tag in claim.tags.all()), key=str.casefold)


class ClaimPagination(PageNumberPagination):
    page_size = 20
    max_page_size = 100
    page_size_query_param = "page_size"


def cited_by_a_public_explainer():
    """Whether a live, public explainer cites the claim: the related-stories index holds a
    ``c:<claim id>`` feature for each one, and only for those (kept in step with publishing,
    unpublishing, deletion, moves and view restrictions in the same transaction)."""
    from explainers.models import RelatedFeature

    key = Concat(
        Value(f"{RelatedFeature.Kind.CLAIM}:"),
        Cast(OuterRef("pk"), output_field=CharField()),
        output_field=CharField(),
    )
    return Exists(RelatedFeature.objects.filter(key=key))


class VerifiedClaimViewSet(CachedReadMixin, viewsets.ReadOnlyModelViewSet):
    """GET /api/claims/ and /api/claims/<id>/: live, verified claims that a live, public
    explainer cites, newest decision first. A claim cited only by drafts or private pages
    stays unpublished work, however verified."""

    serializer_class = ClaimSerializer
    pagination_class = ClaimPagination

    def canonical_query(self, params, detail):
        return claims_query(params, detail, self.paginator)

    def get_queryset(self):
        evidence = Evidence.objects.select_related("source__outlet").order_by("sort_order", "pk")
        return (
            Claim.objects.filter(
                cited_by_a_public_explainer(), live=True, status=Claim.Status.VERIFIED
            )
            .prefetch_related(Prefetch("evidence", queryset=evidence), "tags")
            .order_by("-verified_at", "pk")
        )


class TagNamesField(Field):
    """A page's tag names, from its prefetched tags (Wagtail's own field queries per page)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, tags):
        return sorted((tag.name for tag in tags.all()), key=str.casefold)


class CitedClaimsField(Field):
    """The claims an explainer cites, as readers see them: statement and status, and for a
    verified claim, where the claims endpoint has its evidence."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, page):
        ids = page.cited_claim_ids()
        claims = Claim.objects.filter(pk__in=ids, live=True).only("pk", "statement", "status")
        by_id = {claim.pk: claim for claim in claims}
        return [self.claim_summary(by_id[pk]) for pk in ids if pk in by_id]

    def claim_summary(self, claim):
        verified = claim.status == Claim.Status.VERIFIED
        request = self.context.get("request")
        url = f"/api/claims/{claim.pk}/" if verified else None
        if url and request is not None:
            url = request.build_absolute_uri(url)
        return {"id": claim.pk, "statement": claim.statement, "status": claim.status, "url": url}


def explainer_models():
    from explainers.models import ExplainerIndexPage, ExplainerPage

    return ExplainerPage, ExplainerIndexPage


def explainer_api_fields(model):
    """The fields the API offers for an explainer model: the model's own `api_fields` when
    it declares them, else the ones a reader's app needs."""
    declared = getattr(model, "api_fields", None)
    if declared:
        return list(declared)
    explainer_page, index_page = explainer_models()
    if issubclass(model, explainer_page):
        return [
            APIField("standfirst"),
            APIField("tags", serializer=TagNamesField()),
            APIField("last_published_at"),
            APIField("body"),
            APIField("cited_claims", serializer=CitedClaimsField()),
        ]
    if issubclass(model, index_page):
        return [APIField("intro")]
    return []


class BoundedPagination(WagtailPagination):
    """Wagtail's offset pagination, refusing an offset the database cannot take as it
    refuses a negative one (a 400), instead of failing on it."""

    def paginate_queryset(self, queryset, request, view=None):
        offset = as_int(request.GET.get("offset"))
        if offset is not None and offset > DATABASE_INT_MAX:
            raise BadRequestError(f"offset cannot be higher than {DATABASE_INT_MAX}")
        return super().paginate_queryset(queryset, request, view=view)


class ExplainerPagesAPIViewSet(CachedReadMixin, PagesAPIViewSet):
    """Wagtail's pages endpoint, narrowed to live explainers and their index that no view
    restriction hides, for every caller (logged in or holding a page password alike)."""

    pagination_class = BoundedPagination

    def canonical_query(self, params, detail):
        return pages_query(params, detail)

    def cacheable_answer(self, response):
        # Every offset past the last item answers the same empty list: no entry each.
        empty = isinstance(response.data, dict) and response.data.get("items") == []
        return not (empty and self.request.GET.get("offset"))

    @classmethod
    def get_body_fields(cls, model):
        return cls._convert_api_fields(cls.body_fields + explainer_api_fields(model))

    def get_base_queryset(self):
        # Asked for several times per request; the view restrictions are read once.
        if getattr(self, "_base_queryset", None) is None:
            queryset = super().get_base_queryset().public().type(*explainer_models())
            self._base_queryset = queryset
        return self._base_queryset.all()

    def get_queryset(self):
        queryset = super().get_queryset()
        explainer_page, _ = explainer_models()
        if issubclass(queryset.model, explainer_page):
            queryset = queryset.prefetch_related("tags")
        return queryset
