"""The public read API: verified claims with their evidence and sources, and Wagtail's API v2
for live, public explainers.

Only live, verified claims that a live, public explainer cites appear; drafts, unverified,
disputed and false claims never do, nor claims only an unpublished or private explainer
cites (embargoed work). Only live explainer pages (and the explainers index) that no view
restriction hides appear, whoever asks; what each offers is declared on the page models
(`api_fields`). Answers are cached under a key that holds the canonical URL
(explainers.api_cache) and the desk's latest change (explainers.api_changes), so a new
decision, revision or publication is visible on the very next request.
"""

import hashlib

from django.db.models import CharField, Exists, OuterRef, Prefetch, Value
from django.db.models.functions import Cast, Concat
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from rest_framework import viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from wagtail.api.v2.views import PagesAPIViewSet

from explainers.api_cache import answer_canonical, api_cache, claims_query, pages_query
from explainers.api_changes import latest_change
from explainers.models import ExplainerIndexPage, ExplainerPage, RelatedFeature
from explainers.page_cache.keys import API, add_keys, edge_only
from explainers.query_params import check_pages_params
from explainers.serializers import ClaimSerializer
from newsroom.desk.ids import parse_id
from newsroom.desk.models import Claim, Evidence

# A browser or proxy may keep an answer this long; the server's copy lives until the desk
# changes (its key changes), or at most CACHE_SECONDS for edits made outside the admin.
BROWSER_MAX_AGE = 60
CACHE_SECONDS = 300


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
        # Labelled for the edge; at origin the API's own cache answers, keyed on the desk's
        # latest change.
        add_keys(request, [API])
        edge_only(request)
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


class ClaimPagination(PageNumberPagination):
    page_size = 20
    max_page_size = 100
    page_size_query_param = "page_size"


def cited_by_a_public_explainer():
    """Whether a live, public explainer cites the claim: the related-stories index holds a
    ``c:<claim id>`` feature for each one, and only for those (kept in step with publishing,
    unpublishing, deletion, moves and view restrictions in the same transaction)."""
    key = Concat(
        Value(f"{RelatedFeature.Kind.CLAIM}:"),
        Cast(OuterRef("pk"), output_field=CharField()),
        output_field=CharField(),
    )
    return Exists(RelatedFeature.objects.filter(key=key))


def merged_claim_target(claim_id: int | None) -> int | None:
    """The id of the claim that claim `claim_id` was merged into, following merges of
    merges to the one that stands; None if it was not merged."""
    target, seen = None, set()
    while claim_id is not None and claim_id not in seen:
        seen.add(claim_id)
        claim_id = Claim.objects.filter(pk=claim_id).values_list("merged_into", flat=True).first()
        target = claim_id or target
    return target


class VerifiedClaimViewSet(CachedReadMixin, viewsets.ReadOnlyModelViewSet):
    """GET /api/claims/ and /api/claims/<id>/: live, verified claims that a live, public
    explainer cites, newest decision first. A claim cited only by drafts or private pages
    stays unpublished work, however verified."""

    serializer_class = ClaimSerializer
    pagination_class = ClaimPagination

    def canonical_query(self, params, detail):
        return claims_query(params, detail, self.paginator)

    def retrieve(self, request, *args, **kwargs):
        """A claim merged into another answers 301 with the address of the one it became."""
        merged_into = merged_claim_target(parse_id(kwargs.get(self.lookup_field, "")))
        if merged_into is not None:
            url = reverse("verified-claim-detail", args=[merged_into])
            return HttpResponsePermanentRedirect(request.build_absolute_uri(url))
        return super().retrieve(request, *args, **kwargs)

    def get_queryset(self):
        evidence = Evidence.objects.select_related("source__outlet").order_by("sort_order", "pk")
        return (
            Claim.objects.filter(
                cited_by_a_public_explainer(), live=True, status=Claim.Status.VERIFIED
            )
            .prefetch_related(Prefetch("evidence", queryset=evidence), "tags")
            .order_by("-verified_at", "pk")
        )


class ExplainerPagesAPIViewSet(CachedReadMixin, PagesAPIViewSet):
    """Wagtail's pages endpoint, narrowed to live explainers and their index that no view
    restriction hides, for every caller (logged in or holding a page password alike). Its
    query is checked first (explainers.query_params): a bad value is a 400."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        check_pages_params(request.GET)

    def canonical_query(self, params, detail):
        return pages_query(params, detail)

    def cacheable_answer(self, response):
        # Every offset past the last item answers the same empty list: no entry each.
        empty = isinstance(response.data, dict) and response.data.get("items") == []
        return not (empty and self.request.GET.get("offset"))

    def get_base_queryset(self):
        # Asked for several times per request; the view restrictions are read once.
        if getattr(self, "_base_queryset", None) is None:
            queryset = super().get_base_queryset().public().type(ExplainerPage, ExplainerIndexPage)
            self._base_queryset = queryset
        return self._base_queryset.all()

    def get_queryset(self):
        queryset = super().get_queryset()
        if issubclass(queryset.model, ExplainerPage):
            queryset = queryset.prefetch_related("tags")
        return queryset
