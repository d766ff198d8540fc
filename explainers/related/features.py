"""What a page is indexed by: its features, each a key (kind and value) with a weight. They
are the claims it cites (weighted by status), the sources and outlets behind them and behind
its pull quotes, its tags, and the significant terms of its title, standfirst and claims."""

import json
from collections import Counter, defaultdict, namedtuple
from typing import TYPE_CHECKING

from explainers.citations import iter_cited_claims, iter_pull_quote_sources
from explainers.models import ExplainerPageTag, RelatedFeature
from newsroom.desk.models import Claim, Evidence, Source
from newsroom.desk.text import STOPWORDS, content_words

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from explainers.models import ExplainerPage

Kind = RelatedFeature.Kind


def feature_key(kind: str, value: object) -> str:
    return f"{kind}:{value}"


# A shared verified claim says more than a shared claim still in doubt.
CLAIM_STATUS_WEIGHTS = {
    Claim.Status.VERIFIED: 1.0,
    Claim.Status.UNVERIFIED: 0.8,
    Claim.Status.DISPUTED: 0.7,
    Claim.Status.NEEDS_RECHECK: 0.6,
    Claim.Status.FALSE: 0.5,
}


PageText = namedtuple("PageText", "pk title standfirst body")


def extract_features(pages: "QuerySet[ExplainerPage]") -> dict[int, dict[str, float]]:
    """Each page's features (pages: a queryset of explainers) as ``{page id: {key: weight}}``,
    in a fixed number of queries."""
    pages = [
        PageText(pk, title, standfirst, _raw(body))
        for pk, title, standfirst, body in pages.values_list("pk", "title", "standfirst", "body")
    ]
    claims_of = {
        page.pk: list(dict.fromkeys(c for c, _ in iter_cited_claims(page.body))) for page in pages
    }
    quoted_of = {page.pk: list(iter_pull_quote_sources(page.body)) for page in pages}
    claim_ids = {claim for ids in claims_of.values() for claim in ids}
    claims = {
        row["pk"]: row
        for row in Claim.objects.filter(pk__in=claim_ids).values("pk", "statement", "status")
    }
    sources_of_claim = defaultdict(set)
    outlet_of = {}
    for claim_id, source_id, outlet_id in Evidence.objects.filter(
        claim_id__in=claim_ids
    ).values_list("claim_id", "source_id", "source__outlet_id"):
        sources_of_claim[claim_id].add(source_id)
        outlet_of[source_id] = outlet_id
    quoted = {source for ids in quoted_of.values() for source in ids} - set(outlet_of)
    outlet_of.update(Source.objects.filter(pk__in=quoted).values_list("pk", "outlet_id"))
    tags_of = defaultdict(list)
    for page_id, slug in ExplainerPageTag.objects.filter(
        content_object_id__in=[page.pk for page in pages]
    ).values_list("content_object_id", "tag__slug"):
        tags_of[page_id].append(slug)

    features = {}
    for page in pages:
        found = {}
        cited = [claims[c] for c in claims_of[page.pk] if c in claims]
        for claim in cited:
            found[feature_key(Kind.CLAIM, claim["pk"])] = CLAIM_STATUS_WEIGHTS.get(
                claim["status"], 0.8
            )
        sources = {s for claim in cited for s in sources_of_claim[claim["pk"]]}
        sources |= {s for s in quoted_of[page.pk] if s in outlet_of}
        for source in sources:
            found[feature_key(Kind.SOURCE, source)] = 1.0
            if outlet_of.get(source):
                found[feature_key(Kind.OUTLET, outlet_of[source])] = 1.0
        for slug in tags_of[page.pk]:
            found[feature_key(Kind.TAG, slug)] = 1.0
        text = [page.title, page.title, page.standfirst, *(claim["statement"] for claim in cited)]
        found.update(significant_terms(" ".join(text)))
        features[page.pk] = found
    return features


def _raw(body):
    # A StreamField read with values_list() may come back as a StreamValue or as raw data.
    if isinstance(body, str):
        return json.loads(body or "[]")
    return getattr(body, "raw_data", body) or []


TERMS_PER_PAGE = 12
# Two stories are not related for happening in the same week or year.
TERM_STOPWORDS = STOPWORDS | {"week", "year", "years"}


def significant_terms(text: str) -> dict[str, float]:
    """The text's most frequent content words as term features, weighted 0–1 by frequency."""
    words = [_stem(word) for word in content_words(text, TERM_STOPWORDS)]
    counts = Counter(words).most_common(TERMS_PER_PAGE)
    if not counts:
        return {}
    top = counts[0][1]
    return {feature_key(Kind.TERM, word[:110]): round(n / top, 3) for word, n in counts}


def _stem(word):
    # Just enough stemming that "sanction" and "sanctions" meet.
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word
