"""What the PostgreSQL benchmarks share: a scratch database each, Zipf-like choices for
realistic skew, and live explainer page rows made in bulk."""

import uuid


def zipf_choice(rng, items, s=1.1):
    """Rank r is chosen with weight 1/r^s: a few very common items, a long tail of rare
    ones (weights kept per list length and exponent)."""
    key = (len(items), s)
    weights = zipf_choice.weights.get(key)
    if weights is None:
        weights = zipf_choice.weights[key] = [1 / (rank**s) for rank in range(1, len(items) + 1)]
    return rng.choices(items, weights=weights)[0]


zipf_choice.weights = {}


def scratch_database(server_url, suffix, create):
    """Drop (and with `create`, create anew) the database `<name>_<suffix>` on the server of
    `server_url`; return its URL."""
    import psycopg

    base, _, name = server_url.rpartition("/")
    scratch = f"{name}_{suffix}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        if create:
            admin.execute(f'CREATE DATABASE "{scratch}"')
    return f"{base}/{scratch}"


def live_page_row(index, content_type, number, title, slug, published):
    """The tree row of a live page, the `number`th child of `index`, for bulk_create: what
    add_child() and publishing would leave, without a query each."""
    from wagtail.models import Page

    from newsroom.desk.wagtail_internals import child_page_path

    return Page(
        title=title,
        draft_title=title,
        slug=slug,
        content_type=content_type,
        path=child_page_path(index, number + 1),
        depth=index.depth + 1,
        numchild=0,
        url_path=f"{index.url_path}{slug}/",
        live=True,
        has_unpublished_changes=False,
        first_published_at=published,
        last_published_at=published,
        latest_revision_created_at=published,
        locale_id=index.locale_id,
        translation_key=uuid.uuid4(),
    )
