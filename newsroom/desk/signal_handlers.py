"""The desk's own receivers: thin, each hands its change to the write path that owns it."""

from django.dispatch import receiver

from newsroom.desk.actions import claims as claim_actions
from newsroom.desk.models import Claim
from newsroom.desk.signals import claim_saved


@receiver(claim_saved, sender=Claim)
def follow_up_claim_save(sender, claim, previous_statement, **kwargs):
    claim_actions.claim_saved(claim, previous_statement)
