"""The verification desk's panels on the Wagtail admin home: the claims that need someone."""

from urllib.parse import urlencode

from wagtail.admin.ui.components import Component
from wagtail.permissions import policy_registry

from newsroom.desk.admin_urls import snippet_list_url, snippet_url
from newsroom.desk.models import AuditRun, Claim

PANEL_SIZE = 10


class ClaimQueuePanel(Component):
    """One queue of claims (a ClaimQuerySet method), newest first, each with its author
    (marked when it is the user's own), and a link to the whole queue in the claim list.

    In a queue of claims awaiting a decision (`decides`), a user who may verify goes from
    each row straight to the verification form; everyone else goes to the edit form."""

    template_name = "newsroom/admin/dashboard/claim_queue.html"

    def __init__(self, name, heading, queue, list_filter, order, empty, user, decides=False):
        self.name, self.heading, self.queue = name, heading, queue
        self.list_filter, self.order, self.empty = list_filter, order, empty
        self.user, self.decides = user, decides

    def get_context_data(self, parent_context):
        queryset = getattr(Claim.objects, self.queue)()
        claims = list(
            queryset.select_related("created_by").order_by("-created_at", "-pk")[:PANEL_SIZE]
        )
        total = len(claims) if len(claims) < PANEL_SIZE else queryset.count()
        list_url = snippet_list_url(Claim)
        return {
            "panel": self,
            "rows": [self.row(claim) for claim in claims],
            "total": total,
            "more": total > len(claims),
            "list_url": f"{list_url}?{urlencode(self.list_filter)}",
        }

    def row(self, claim):
        return {
            "claim": claim,
            "url": snippet_url(claim, "verify" if self.decides else "edit"),
            "edit_url": snippet_url(claim, "edit") if self.decides else "",
            "author": claim.created_by,
            "is_you": claim.created_by_id is not None and claim.created_by_id == self.user.pk,
        }


class AuditPanel(Component):
    """The last evidence audit: when it ran and what it found."""

    name = "evidence-audit"
    order = 100
    template_name = "newsroom/admin/dashboard/audit.html"

    def get_context_data(self, parent_context):
        run = AuditRun.objects.order_by("-started_at", "-pk").first()
        findings = run.findings if run else []
        return {
            "run": run,
            "findings": findings,
            "shown": findings[:PANEL_SIZE],
            "more": max(0, len(findings) - PANEL_SIZE),
        }


def verification_panels(user):
    """The panels this user gets: anyone who may see claims sees the queues. A user who may
    verify goes from the queues awaiting a decision straight to the verification form."""
    claims = policy_registry.get_by_type(Claim)
    if not claims.user_has_any_permission(user, ["view", "change"]):
        return []
    decides = claims.user_has_permission(user, "verify")
    return [
        AuditPanel(),
        ClaimQueuePanel(
            "needs-recheck",
            "Claims that need re-checking",
            "needs_recheck",
            {"status": Claim.Status.NEEDS_RECHECK},
            order=101,
            empty="No cited quote has moved or gone from its source.",
            user=user,
            decides=decides,
        ),
        ClaimQueuePanel(
            "awaiting-verification",
            "Claims awaiting verification",
            "awaiting_verification",
            {"awaiting": "true"},
            order=102,
            empty="Every claim with evidence has been decided.",
            user=user,
            decides=decides,
        ),
        ClaimQueuePanel(
            "single-source",
            "Verified on a single source",
            "single_source",
            {"single_source": "true"},
            order=103,
            empty="No claim rests on a single outlet.",
            user=user,
        ),
        ClaimQueuePanel(
            "disputed",
            "Disputed claims",
            "disputed",
            {"status": Claim.Status.DISPUTED},
            order=104,
            empty="No claim is disputed.",
            user=user,
        ),
    ]
