"""What the claim form's script asks the admin while an editor writes a claim: a source's
text to quote from, the corroboration the form's evidence rows add up to (both JSON), and
the claims like the statement so far (an HTML fragment of the side panel's list). Without
the script the form works as Wagtail's own (see claim_form_tools.js, similar_claims.js)."""

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, JsonResponse
from django.template.response import TemplateResponse
from django.views import View
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.permissions import policy_registry

from newsroom.desk.anchoring import quote_length_problem
from newsroom.desk.corroboration import EvidenceDraft, corroboration_of_drafts
from newsroom.desk.ids import parse_id, require_ids
from newsroom.desk.models import Claim, Evidence, Source
from newsroom.desk.similar_claims import MAX_STATEMENT, similar_claims

# More evidence rows than any claim form holds: a longer request is not the form's.
MAX_ROWS = 100


class ClaimFormToolView(PermissionCheckedMixin, View):
    """A helper of the claim form: for someone who may fill it in (add or change claims),
    and who may view the sources it reads."""

    model = None  # the claim model, from the viewset: its permission policy is checked
    any_permission_required = ["add", "change"]
    http_method_names = ["get"]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.may_view_sources(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @staticmethod
    def may_view_sources(user) -> bool:
        return policy_registry.get_by_type(Source).user_has_permission(user, "view")

    @staticmethod
    def sources_by_id(ids: list[int]) -> dict[int, Source]:
        """The sources `ids` name, each with its body and outlet id; 404 if one is missing."""
        found = Source.objects.only("title", "body", "outlet").in_bulk(set(ids))
        if len(found) < len(set(ids)):
            raise Http404("No source has that id.")
        return found


class SourceTextView(ClaimFormToolView):
    """A source's title, outlet and body, the text a quote must be word for word from."""

    def get(self, request, pk):
        source_id = parse_id(pk)
        if source_id is None:
            raise Http404("No source has that id.")
        source = Source.objects.select_related("outlet").filter(pk=source_id).first()
        if source is None:
            raise Http404("No source has that id.")
        return JsonResponse(
            {
                "id": source.pk,
                "title": source.title,
                "outlet": source.outlet_name,
                "body": source.body,
            }
        )


class DraftCorroborationView(ClaimFormToolView):
    """What the form's evidence rows add up to under the outlet rule, as they are now:
    `source`, `quote` and `stance`, repeated once per row in the same order."""

    def get(self, request):
        sources = request.GET.getlist("source")
        quotes = request.GET.getlist("quote")
        stances = request.GET.getlist("stance")
        if not len(sources) == len(quotes) == len(stances) or len(sources) > MAX_ROWS:
            raise BadRequest("Each evidence row needs a source, a quote and a stance.")
        if any(stance not in Evidence.Stance.values for stance in stances):
            raise BadRequest("A stance is not one of supports, disputes or context.")
        too_long = next(filter(None, map(quote_length_problem, quotes)), "")
        if too_long:
            raise BadRequest(too_long)
        source_ids = require_ids(sources)
        found = self.sources_by_id(source_ids)
        drafts = [
            EvidenceDraft(found[source_id], quote, stance)
            for source_id, quote, stance in zip(source_ids, quotes, stances, strict=True)
        ]
        corroboration = corroboration_of_drafts(drafts)
        counts = corroboration.counts
        return JsonResponse(
            {
                "summary": corroboration.summary,
                "supporting_sources": counts.supporting_sources,
                "supporting_outlets": counts.supporting_outlets,
                "disputing_sources": counts.disputing_sources,
                "disputing_outlets": counts.disputing_outlets,
                "unanchored": corroboration.unanchored,
            }
        )


class SimilarClaimsView(PermissionCheckedMixin, View):
    """The claims like a statement being written (`statement`), other than the claim being
    edited (`claim`, an id), as the similar-claims panel lists them: for someone who may
    add or change claims."""

    model = None  # the claim model, from the viewset: its permission policy is checked
    any_permission_required = ["add", "change"]
    http_method_names = ["get"]
    template_name = "newsroom/admin/includes/similar_claims.html"

    def get(self, request):
        statement = request.GET.get("statement", "")
        if len(statement) > MAX_STATEMENT:
            raise BadRequest(f"A statement is at most {MAX_STATEMENT} characters.")
        claim = request.GET.get("claim", "")
        exclude = require_ids([claim])[0] if claim else None
        return TemplateResponse(
            request, self.template_name, similar_claims_context(similar_claims(statement, exclude))
        )


def similar_claims_context(found) -> dict:
    """What the similar-claims list needs, wherever it is shown."""
    url_name = Claim.snippet_viewset.get_url_name
    return {
        "similar_claims": found,
        "inspect_url_name": url_name("inspect"),
        "edit_url_name": url_name("edit"),
    }
