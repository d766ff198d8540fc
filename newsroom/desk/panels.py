"""Panels of the desk's edit forms that tell the editor what readers will see."""

from wagtail.admin.panels import Panel

from newsroom.desk.actions.claims import live_citations
from newsroom.desk.models import Claim


class ClaimReadersPanel(Panel):
    """At the top of a claim's form: how many live explainers cite it, and what their
    readers will see when the change is published (for a decided claim, the decided
    version until a verifier approves the change in Claim review)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "newsroom/admin/includes/claim_readers_panel.html"

        @property
        def claim(self) -> Claim | None:
            return self.instance if self.instance and self.instance.pk else None

        def is_shown(self) -> bool:
            return self.claim is not None

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            claim = self.claim
            live = Claim.objects.filter(pk=claim.pk).first()
            context.update(
                claim=claim,
                live=live,
                citing=live_citations([claim.pk]).get(claim.pk, []),
                in_review=claim.workflow_in_progress,
                reviewed=bool(live and live.live and live.is_decided),
            )
            return context
