"""Panels of the desk's edit forms that tell the editor what readers will see."""

from django import forms
from django.urls import reverse
from wagtail.admin.panels import InlinePanel, Panel

from newsroom.desk.actions.claims import live_citations
from newsroom.desk.corroboration import EvidenceDraft, corroboration_of_drafts
from newsroom.desk.models import Claim, Source


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


class ClaimCorroborationPanel(Panel):
    """Under the claim's evidence: what its quotes add up to under the outlet rule ("2
    supporting sources, 1 outlet: needs 1 more outlet or a verifier's single-source note").
    Without JavaScript it says so of the claim as saved; the form's script
    (claim_form_tools.js, which this panel brings) asks again as rows, sources, quotes and
    stances change, and also shows each chosen source's text beside its quote field."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "newsroom/admin/includes/claim_corroboration_panel.html"

        @property
        def media(self):
            return forms.Media(
                js=["newsroom/desk/claim_form_tools.js"],
                css={"all": ["newsroom/desk/claim_form_tools.css"]},
            )

        def saved_drafts(self) -> list[EvidenceDraft]:
            """The claim's evidence rows as the form was opened on them, with their sources
            loaded in one query."""
            if not (self.instance and self.instance.pk):
                return []
            rows = [row for row in self.instance.evidence.all() if row.source_id]
            sources = Source.objects.only("title", "body", "outlet").in_bulk(
                {row.source_id for row in rows}
            )
            return [
                EvidenceDraft(sources[row.source_id], row.quote, row.stance)
                for row in rows
                if row.source_id in sources
            ]

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            url_name = Claim.snippet_viewset.get_url_name
            context.update(
                summary=corroboration_of_drafts(self.saved_drafts()).summary,
                corroboration_url=reverse(url_name("draft_corroboration")),
                # The script puts a chosen source's id in place of the 0.
                source_text_url=reverse(url_name("source_text"), args=[0]),
            )
            return context


def with_corroboration(panels: list[Panel]) -> list[Panel]:
    """The claim form's panels, with the corroboration panel right after the evidence."""
    placed = []
    for panel in panels:
        placed.append(panel)
        if isinstance(panel, InlinePanel) and panel.relation_name == "evidence":
            placed.append(ClaimCorroborationPanel(heading="Corroboration"))
    return placed
