"""Reader-facing views outside the page tree: site search, corrections and robots.txt."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from explainers.models import Correction, ExplainerPage
from explainers.page_cache.query import listing_page, reading
from explainers.query_params import clean_search

RESULTS_PER_PAGE = 20
CORRECTIONS_PER_PAGE = 20


@require_GET
@reading("q")
def search(request):
    """Published explainers matching the query, through Wagtail search (PostgreSQL full-text
    in production, the database backend everywhere). The query is searched as its words
    (explainers.query_params.clean_search), so no text can fail the backend."""
    query = clean_search(request.GET.get("q", ""))
    results = None
    if query:
        found = ExplainerPage.objects.live().public().search(query)
        results = listing_page(request, Paginator(found, RESULTS_PER_PAGE))
    return TemplateResponse(
        request, "explainers/search.html", {"search_query": query, "results": results}
    )


@require_GET
def corrections(request):
    """Every correction on live, public explainers, newest first, each with its explainer."""
    found = Correction.objects.public().select_related("page").defer("page__body")
    listing = listing_page(request, Paginator(found, CORRECTIONS_PER_PAGE))
    return TemplateResponse(request, "explainers/corrections.html", {"corrections": listing})


@require_GET
def robots_txt(request):
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /search/", f"Sitemap: {sitemap_url}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
