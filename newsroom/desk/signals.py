"""What the evidence desk tells the rest of the site when something readers see changes.

The desk knows nothing of explainers; explainers listen here (corrections, pull quotes,
related stories). Each signal is sent by the one write path for its change, after the
change is saved, inside its transaction.
"""

from django.dispatch import Signal

# A claim's status changed (a decision, a reopening, a re-check).
# Arguments: claim, previous (a Claim.Status), status, note (why, in words for readers), user.
claim_status_changed = Signal()

# A published claim's wording changed (a new revision of it was published).
# Arguments: claim, previous_statement, statement, user.
claim_reworded = Signal()

# A claim was withdrawn (unpublished). Arguments: claim, note, user.
claim_withdrawn = Signal()

# A source's text changed (re-import, revert, restore, edit). Arguments: source, user.
source_text_changed = Signal()

# A claim was saved in full (created, or a revision published), so what it says or cites
# may have changed. Sent by Claim.save() itself, the one place every such path meets, for
# the desk's own write path (actions.claims.claim_saved) to follow up: the model cannot
# call it directly, as the actions import the models. Arguments: claim, previous_statement
# (None for a claim not saved before).
claim_saved = Signal()
