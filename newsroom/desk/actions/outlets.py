"""The ways an outlet changes that readers can see: an edit (its name shows beside every
quote from it) and a merge of two outlets that are one publisher (after which their quotes
count as one outlet, so a claim verified on both may no longer meet the outlet rule)."""

from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.actions.edit import EditAction
from wagtail.log_actions import log
from wagtail.permissions import policy_registry

from newsroom.desk.actions.sources import citing_claims
from newsroom.desk.models import Claim, Outlet, Source
from newsroom.desk.verification import recheck_claims

MERGED = "newsroom.outlet.merged"


def touch_sources(outlet_ids: Iterable[int]) -> None:
    """What readers see of these outlets' sources changed: their pages' caches follow
    `Source.updated_at`, so bump it."""
    Source.objects.filter(outlet_id__in=outlet_ids).update(updated_at=timezone.now())


class EditOutlet(EditAction):
    """Wagtail's edit action for outlets (the admin's edit view takes it from the action
    registry), refreshing what readers see of the outlet's sources. A renamed outlet keeps
    its old name as an alias, as a merged one does, so a re-import that still names it by
    its old name finds it instead of making a second outlet."""

    def _save_instance(self) -> None:
        previous = Outlet.objects.filter(pk=self.instance.pk).values_list("name", flat=True)
        old_name = previous.first()
        if old_name and old_name != self.instance.name:
            self.instance.add_aliases(old_name)
        super()._save_instance()
        touch_sources([self.instance.pk])


class MergeOutlets:
    """Fold `merged` into `target`: its sources move to `target`, its name and domain
    become aliases of `target` (so the importer reuses them), it is deleted, and every
    decided claim that no longer meets the rules is sent back for a re-check."""

    def __init__(self, target: Outlet, merged: Outlet, user: AbstractBaseUser | None = None):
        self.target, self.merged, self.user = target, merged, user

    @staticmethod
    def check_permissions(
        user: AbstractBaseUser, target: Outlet | None, merged: Outlet | None
    ) -> None:
        """Merging deletes `merged`, changes `target` and moves sources: each is checked."""
        policy = policy_registry.get_by_type(Outlet)
        for outlet, action in ((target, "change"), (merged, "delete")):
            if outlet and not policy.user_has_permission_for_instance(user, action, outlet):
                raise PermissionDenied(f"You may not {action} the outlet “{outlet}”.")
        if not policy_registry.get_by_type(Source).user_has_permission(user, "change"):
            raise PermissionDenied("You may not change sources, whose outlet a merge changes.")

    def check(self) -> None:
        if self.user is not None:
            self.check_permissions(self.user, self.target, self.merged)
        if self.target.pk == self.merged.pk:
            raise ValidationError("An outlet cannot be merged into itself.")

    def execute(self, skip_permission_checks: bool = False) -> list[Claim]:
        if not skip_permission_checks:
            self.check()
        with transaction.atomic():
            target = Outlet.objects.select_for_update().get(pk=self.target.pk)
            merged = Outlet.objects.select_for_update().get(pk=self.merged.pk)
            source_ids = list(merged.sources.values_list("pk", flat=True))
            claim_ids = citing_claims(*source_ids)
            Source.objects.filter(pk__in=source_ids).update(outlet=target)
            touch_sources([target.pk])
            target.add_aliases(*merged.names, merged.domain)
            merged_name = merged.name
            merged.delete()
            target.save()
            log(
                instance=target,
                action=MERGED,
                user=self.user,
                data={"merged": merged_name, "sources": len(source_ids)},
            )
            reason = (
                f"The outlet “{merged_name}” was merged into “{target.name}”: their quotes "
                "now count as one outlet."
            )
            flagged = recheck_claims(claim_ids, reason, self.user)
        self.target = target
        return flagged
