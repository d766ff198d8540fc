from datetime import timedelta

from django.db import models, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

# Times a wrong guess looks again for its row, should a sweep delete it in between.
RECORD_ATTEMPTS = 3


class FailedGuessesQuerySet(models.QuerySet):
    def failures(self, address: str, cooloff: timedelta) -> int:
        """Wrong guesses from `address`, if the last is within `cooloff`; else 0."""
        current = self.filter(address=address, last_failure__gt=timezone.now() - cooloff)
        return current.values_list("failures", flat=True).first() or 0

    def record(self, address: str, cooloff: timedelta) -> int:
        """Count one more wrong guess from `address` and return the count, which starts at 1
        again once `cooloff` has passed since the last. One UPDATE adds it in the database,
        so guesses at the same moment (other workers, other servers) are each counted."""
        now = timezone.now()
        for _ in range(RECORD_ATTEMPTS):
            with transaction.atomic():
                self.get_or_create(address=address, defaults={"last_failure": now})
                added = self.filter(address=address).update(
                    failures=Case(
                        When(last_failure__lte=now - cooloff, then=Value(1)),
                        default=F("failures") + 1,
                    ),
                    last_failure=now,
                )
                if added:
                    # The UPDATE holds the row until commit: this is our own count.
                    return self.filter(address=address).values_list("failures", flat=True).get()
        raise RuntimeError(f"Could not count a wrong guess from {address}")

    def forget_expired(self, cooloff: timedelta) -> int:
        """Delete the counts whose cool-off has passed; how many."""
        deleted, _ = self.filter(last_failure__lte=timezone.now() - cooloff).delete()
        return deleted


class FailedGuesses(models.Model):
    """Wrong page passwords from one client address, counted until AXES_COOLOFF_TIME has
    passed since the last: the page-password lockout reads it (newsroom/lockout.py). In the
    database rather than a cache, so that no flood of cached pages can evict it."""

    address = models.GenericIPAddressField(unique=True)
    failures = models.PositiveIntegerField(default=0)
    last_failure = models.DateTimeField(db_index=True)

    objects = FailedGuessesQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "failed guesses"

    def __str__(self):
        return f"{self.address}: {self.failures}"
