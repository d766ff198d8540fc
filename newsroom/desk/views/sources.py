"""Admin views of a source beyond Wagtail's generic ones: the source as an editor checks it,
and putting back a line the importer set aside."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.views import View
from wagtail.admin.views.generic import InspectView

from newsroom.desk.importing.restoring import NotSetAside, restore_line
from newsroom.desk.models import Evidence
from newsroom.desk.views.base import DeskObjectView


class SourceInspectView(InspectView):
    """A source as an editor checks it: provenance, the body as imported, every claim that
    cites it with the quote it cites, and each line the importer set aside, and why."""

    template_name = "newsroom/admin/source_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["citations"] = (
            Evidence.objects.filter(source=self.object)
            .select_related("claim")
            .order_by("claim_id", "sort_order")
        )
        context["set_aside"] = self.object.set_aside
        context["can_restore"] = self.user_has_permission_for_instance("change", self.object)
        return context


class RestoreSetAsideLineView(DeskObjectView, View):
    """POST: put one set-aside line back into the source's body, then re-anchor its quotes."""

    permission_required = "change"
    http_method_names = ["post"]

    def post(self, request, pk, line):
        source = self.object
        try:
            entry, flagged = restore_line(source, line, user=request.user)
        except NotSetAside as error:
            raise Http404(f"Line {line} of this source is not set aside.") from error
        message = f"Line {entry['line']} is back in the body: “{entry['text'][:80]}”."
        if flagged:
            message += f" {len(flagged)} claims citing this source need re-checking."
        messages.success(request, message)
        return redirect(self.object_url(self.inspect_url_name))
