"""What an explainer's body cites, read from its raw StreamField data: no blocks, no database,
so the publish guard, the page's digest, corrections and the related-stories index can all
read a body (a live one, a revision's, one being posted) the same way."""

import copy
from collections.abc import Iterable, Iterator
from typing import Any, TypeAlias

# Raw StreamField data: [{"type": …, "value": …, "id": …}, …], or None for an empty body.
StreamData: TypeAlias = Iterable[dict[str, Any]] | None


def iter_cited_claims(stream_data: StreamData) -> Iterator[tuple[int, bool]]:
    """Yield (claim id, show_as_unverified) for every claim cited in raw StreamField data."""
    for item in stream_data or []:
        yield from _iter_claims(item.get("type"), item.get("value"))


def iter_pull_quote_sources(stream_data: StreamData) -> Iterator[int]:
    """Yield the source id of every pull quote in raw StreamField data."""
    for item in stream_data or []:
        if item.get("type") == "pull_quote" and (item.get("value") or {}).get("source"):
            yield item["value"]["source"]


def _iter_claims(block_type, value):
    value = value or {}
    if block_type == "claim":
        if value.get("claim"):
            yield value["claim"], bool(value.get("show_as_unverified"))
    elif block_type == "key_facts":
        for fact in _list_values(value.get("facts")):
            yield from _iter_claims("claim", fact)
    elif block_type == "timeline":
        for event in _list_values(value.get("events")):
            for cited in _list_values((event or {}).get("claims")):
                yield from _iter_claims("claim", cited)


def _list_values(items):
    # ListBlock data is stored as [{"type": "item", "value": …, "id": …}] (or bare values in
    # data written before Wagtail 2.16).
    for item in items or []:
        if isinstance(item, dict) and item.get("type") == "item" and "value" in item:
            yield item["value"]
        else:
            yield item


def replace_cited_claim(stream_data: StreamData, old_id: int, new_id: int) -> list[dict[str, Any]]:
    """A copy of raw StreamField data citing claim `new_id` wherever it cited `old_id`
    (each citation keeps its label and framing), for moving a merged claim's citations."""
    moved = copy.deepcopy(list(stream_data or []))
    for item in moved:
        for value in _iter_claim_values(item.get("type"), item.get("value")):
            if str(value.get("claim")) == str(old_id):
                value["claim"] = new_id
    return moved


def _iter_claim_values(block_type, value):
    """The dicts holding a claim citation in a block's raw value, to change in place."""
    if not isinstance(value, dict):
        return
    if block_type == "claim":
        yield value
    elif block_type == "key_facts":
        for fact in _list_values(value.get("facts")):
            yield from _iter_claim_values("claim", fact)
    elif block_type == "timeline":
        for event in _list_values(value.get("events")):
            for cited in _list_values((event or {}).get("claims")):
                yield from _iter_claim_values("claim", cited)
