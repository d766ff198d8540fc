"""Site search indexes an explainer with the statements of the live claims it cites
(ExplainerPage.cited_statements). Saving a page re-indexes it; a claim's publication or
withdrawal changes what readers see on every live page citing it, so those are re-indexed
here, in the same transaction as the change."""

from wagtail.search import index

from explainers.models import ExplainerPage


def reindex_explainers_citing(claim_id):
    """Re-index the live explainers, public or private, that cite the claim."""
    page_ids = ExplainerPage.live_citing_pages([claim_id]).get(claim_id, [])
    for page in ExplainerPage.objects.filter(pk__in=page_ids):
        index.insert_or_update_object(page)
