"""The desk's latest change, as a short key: part of every cached API answer's key, so a new
decision, revision or publication is visible on the very next request."""

import hashlib
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import Page, PageLogEntry, PageViewRestriction, Revision, get_page_models
from wagtail.models.audit_log import ModelLogEntry

from newsroom.desk.models import Claim, Evidence, Outlet, Source, Verification

# latest_change() is probed at most this often per cache: every write made through the ORM
# (signals below) clears it at once, so only a write that sends no signal (a queryset
# update, raw SQL) waits, and never longer than this, for the probe to notice it.
CHANGE_PROBE_SECONDS = 1
CHANGE_KEY = "newsroom-api:latest-change"


def latest_change() -> str:
    """The desk's latest change as a short key: the probe's answer, kept for
    CHANGE_PROBE_SECONDS, so a burst of requests (cache hits included) costs no query."""
    key = cache.get(CHANGE_KEY)
    if key is None:
        key = probe_latest_change()
        cache.set(CHANGE_KEY, key, CHANGE_PROBE_SECONDS)
    return key


def clear_latest_change() -> None:
    cache.delete(CHANGE_KEY)


def forget_latest_change(**kwargs: Any) -> None:
    """A write that can change an answer: probe again on the next request, and again once
    the write commits (a request in between may have stored the probe from before it);
    once per transaction, however many rows it writes."""
    clear_latest_change()
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return
    if not any(entry[1] is clear_latest_change for entry in connection.run_on_commit):
        transaction.on_commit(clear_latest_change)


def watch_changes() -> None:
    """Clear the probe on every ORM write that can change an answer: revisions, audit log
    entries (publish, unpublish, moves, edits, decisions), decisions, claims, evidence,
    sources, outlets, pages and view restrictions."""
    watched = [
        Revision,
        ModelLogEntry,
        PageLogEntry,
        Verification,
        Source,
        Claim,
        Evidence,
        Outlet,
        PageViewRestriction,
        *get_page_models(),
    ]
    for model in watched:
        for signal in (post_save, post_delete):
            signal.connect(
                forget_latest_change, sender=model, dispatch_uid=f"newsroom-api-{model._meta.label}"
            )
    m2m_changed.connect(
        forget_latest_change,
        sender=PageViewRestriction.groups.through,
        dispatch_uid="api-restriction-groups",
    )


def probe_latest_change() -> str:
    """One query summing up every write that can change an answer: revisions, audit log
    entries (publish, unpublish, edits, decisions), decisions, re-imports, and counts of the
    rows that can be deleted without a log entry."""
    tables = {
        "revision": Revision._meta.db_table,
        "model_log": ModelLogEntry._meta.db_table,
        "page_log": PageLogEntry._meta.db_table,
        "verification": Verification._meta.db_table,
        "source": Source._meta.db_table,
        "claim": Claim._meta.db_table,
        "evidence": Evidence._meta.db_table,
        "outlet": Outlet._meta.db_table,
        "page": Page._meta.db_table,
        "restriction": PageViewRestriction._meta.db_table,
    }
    sql = (
        "SELECT (SELECT MAX(id) FROM {revision}), (SELECT MAX(id) FROM {model_log}),"
        " (SELECT MAX(id) FROM {page_log}), (SELECT MAX(id) FROM {verification}),"
        " (SELECT MAX(updated_at) FROM {source}), (SELECT COUNT(*) FROM {claim}),"
        " (SELECT COUNT(*) FROM {evidence}), (SELECT MAX(id) FROM {evidence}),"
        " (SELECT COUNT(*) FROM {outlet}), (SELECT COUNT(*) FROM {page} WHERE live),"
        " (SELECT MAX(last_published_at) FROM {page}),"
        " (SELECT COUNT(*) FROM {restriction}), (SELECT MAX(id) FROM {restriction})"
    ).format(**{name: connection.ops.quote_name(table) for name, table in tables.items()})
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return hashlib.sha256(repr(row).encode()).hexdigest()[:16]
