"""Purging after commit: keys gathered over a transaction are purged once when it commits, at
origin (store.py) and at the edge (edge.py); outside a transaction, at once. A request that
began before the commit cannot then refill a cache with what it read: the origin store
drops it (store.py), and the edge is purged only once the new rows are there to be read.

The origin is also purged at once, inside the transaction, as the API's probe is
(explainers.api_changes): the connection that writes sees its own change on its next read
(a command, a test), and a purge that turns out to be of a rolled-back change costs only a
render."""

from collections.abc import Iterable

from django.db import transaction

from explainers.page_cache import edge, store

PENDING = "page_cache_pending"


def purge(purged: Iterable[str]) -> None:
    purged = set(purged)
    if not purged:
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        send(purged)
        return
    store.purge(purged)
    connection.__dict__.setdefault(PENDING, set()).update(purged)
    # The first of these to run sends every key gathered; the others find none left.
    transaction.on_commit(send_pending)


def send_pending() -> None:
    send(transaction.get_connection().__dict__.pop(PENDING, set()))


def send(purged: set[str]) -> None:
    if not purged:
        return
    store.purge(purged)
    edge.purge(purged)
