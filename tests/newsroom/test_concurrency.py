"""Two verifiers acting on one claim at the same moment, each on its own PostgreSQL
connection: the row lock and the version check mean no decision is lost or mixed."""

import threading
import time

import pytest
from django.db import connection, transaction
from wagtail.models import ModelLogEntry

from newsroom.desk.models import Claim, Verification
from newsroom.desk.verification import VerificationError, verification_version, verify_claim
from tests.factories import ClaimFactory, EvidenceFactory, UserFactory

# serialized_rollback restores what the data migrations made (the groups) after the flush,
# and keeps the flush from upsetting other transactional tests that restore the same way.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def claim():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises whole transactions")
    claim = ClaimFactory(created_by=UserFactory(username="author", groups=["Editors"]))
    for _ in range(2):
        EvidenceFactory(claim=claim)
        EvidenceFactory(claim=claim, quote="any talks would be held", stance="disputes")
    return claim


@pytest.fixture
def verifiers():
    return [UserFactory(username=name, groups=["Verifiers"]) for name in ("anna", "boris")]


class Worker(threading.Thread):
    """Runs `action` on its own database connection and keeps its result or error."""

    def __init__(self, action):
        super().__init__(daemon=True)
        self.action, self.result, self.error = action, None, None

    def run(self):
        try:
            self.result = self.action()
        except Exception as error:  # noqa: BLE001 - the test inspects it
            self.error = error
        finally:
            connection.close()


def test_a_verifier_waits_for_the_lock_and_then_sees_the_other_decision(claim, verifiers):
    anna, boris = verifiers
    seen = verification_version(claim)
    locked, release = threading.Event(), threading.Event()

    def anna_disputes():
        with transaction.atomic():
            Claim.objects.select_for_update().get(pk=claim.pk)
            locked.set()
            release.wait(10)
            return verify_claim(claim, anna, Claim.Status.DISPUTED, "A", seen_version=seen)

    def boris_verifies():
        locked.wait(10)
        return verify_claim(claim, boris, Claim.Status.VERIFIED, "B", seen_version=seen)

    first, second = Worker(anna_disputes), Worker(boris_verifies)
    first.start()
    second.start()
    locked.wait(10)
    time.sleep(0.5)
    assert second.is_alive(), "Boris should be waiting on the row lock"
    release.set()
    first.join(10)
    second.join(10)

    assert first.error is None
    assert isinstance(second.error, VerificationError)
    assert "Someone else has just decided on this claim (it is now disputed)" in str(second.error)
    claim.refresh_from_db()
    assert (claim.status, claim.verified_by, claim.verification_note) == ("disputed", anna, "A")
    assert list(Verification.objects.values_list("status", "verified_by__username")) == [
        ("disputed", "anna")
    ]


def test_two_simultaneous_decisions_are_both_kept_and_never_mixed(claim, verifiers):
    anna, boris = verifiers
    start = threading.Barrier(2)

    def decide(user, status, note):
        def action():
            start.wait(10)
            return verify_claim(claim, user, status, note)

        return action

    workers = [
        Worker(decide(anna, Claim.Status.VERIFIED, "Anna checked both outlets.")),
        Worker(decide(boris, Claim.Status.DISPUTED, "Boris found the Elysee's caveat.")),
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(10)

    assert [worker.error for worker in workers] == [None, None]
    history = list(Verification.objects.filter(claim=claim).order_by("pk"))
    assert len(history) == 2
    last = history[-1]
    claim.refresh_from_db()
    assert (claim.status, claim.verified_by_id, claim.verification_note) == (
        last.status,
        last.verified_by_id,
        last.note,
    )
    assert ModelLogEntry.objects.filter(action__startswith="newsroom.claim.").count() == 2
