"""Admin views of the evidence desk that Wagtail's generic views don't provide."""

from wagtail.admin.views.generic import InspectView

from newsroom.models import Evidence


class SourceInspectView(InspectView):
    """A source as an editor checks it: provenance, the body as imported, and every
    claim that cites it with the quote it cites."""

    template_name = "newsroom/admin/source_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["citations"] = (
            Evidence.objects.filter(source=self.object)
            .select_related("claim")
            .order_by("claim_id", "sort_order")
        )
        return context
