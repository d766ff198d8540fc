"""How related stories scale: full rebuild, one publish, and the widget's render cost.

    .venv/bin/python benchmarks/related_bench.py                    # 1k and 10k explainers
    .venv/bin/python benchmarks/related_bench.py --sizes 1000 10000 100000

Each size gets a fresh scratch database on the PostgreSQL server named by DATABASE_URL
(default postgres://postgres@127.0.0.1:5432/newsroom_d; the scratch database is
``<name>_bench``, created, migrated and dropped by the benchmark).

The synthetic site: explainers come in story clusters (about 20 per cluster, like a
newsroom's running stories), each cluster with its own pool of claims, sources, words and
tags; three in ten explainers also cite a neighbouring cluster; general tags and words
follow a Zipf law, and outlets are few and uneven (a big wire on many pages). So pages share
claims, sources, outlets, tags and words the way real ones do: a little with many, a lot
with few.

Creating 100k real pages through Wagtail (``add_child`` and ``publish``) takes hours, so the
site is bulk-inserted: ``wagtailcore_page`` and ``explainers_explainerpage`` rows written
directly, with valid tree paths, URL paths and live flags, plus real claims, evidence,
sources, outlets and tags. Everything after that is the real code: ``rebuild_all`` extracts
features from the pages' StreamField bodies; one publish goes through Wagtail's
``save_revision().publish()``, the signals and the (eager) Celery task.

Targets on this 2-core machine: one publish on a 100k site recomputes under 1% of pages in
under 1 s; a full rebuild of 10k pages in under 60 s.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

from scaffold import live_page_row, scratch_database, zipf_choice

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/newsroom_d"
CLUSTER_SIZE = 20
SYLLABLES = [
    "ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "dre", "gan", "por", "sel", "tur", "vin",
    "bra", "cor", "dis", "fen", "hal", "mar", "nos", "pel", "qua", "ster",
]  # fmt: skip


def word(rng):
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


# The child process: one size, one fresh database ------------------------------------------


def build_site(size, rng):
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone
    from taggit.models import Tag
    from wagtail.models import Page

    from explainers.models import ExplainerIndexPage, ExplainerPage, ExplainerPageTag
    from newsroom.desk.models import Claim, Evidence, Outlet, Source

    quote = "Putin was ready for dialogue with Macron"
    body_text = f"The Kremlin said on 21 December that {quote}."
    clusters = max(1, size // CLUSTER_SIZE)
    general_words = list({word(rng) for _ in range(3000)})
    general_tags = [f"topic-{n}" for n in range(400)]

    with transaction.atomic():
        outlets = Outlet.objects.bulk_create([Outlet(name=f"Outlet {n}") for n in range(60)])
        sources, claims, evidence = [], [], []
        cluster_claims, cluster_words, cluster_tags = [], [], []
        for cluster in range(clusters):
            pool = [
                Source(
                    title=f"Report {cluster}-{n}",
                    outlet=zipf_choice(rng, outlets, 0.9),
                    original_text=body_text,
                    body=body_text,
                    content_hash=f"{cluster}-{n}",
                )
                for n in range(6)
            ]
            sources.extend(pool)
            vocabulary = [word(rng) for _ in range(15)]
            cluster_words.append(vocabulary)
            cluster_tags.append([f"story-{cluster}-a", f"story-{cluster}-b"])
            own = []
            for _ in range(12):
                statement = " ".join(
                    rng.sample(vocabulary, 4) + [zipf_choice(rng, general_words) for _ in range(4)]
                )
                claim = Claim(statement=statement, status=rng.choice(list(Claim.Status.values)))
                claims.append(claim)
                own.append(claim)
                evidence.append((claim, rng.choice(pool)))
            cluster_claims.append(own)
        Source.objects.bulk_create(sources, batch_size=5000)
        Claim.objects.bulk_create(claims, batch_size=5000)
        Evidence.objects.bulk_create(
            [Evidence(claim=c, source=s, quote=quote, sort_order=0) for c, s in evidence],
            batch_size=5000,
        )

        index = ExplainerIndexPage.objects.get()
        content_type = ContentType.objects.get_for_model(ExplainerPage)
        now = timezone.now()
        pages, bodies, tagging = [], [], []
        for number in range(size):
            cluster = rng.randrange(clusters)
            cited = rng.sample(cluster_claims[cluster], 5)
            words = rng.sample(cluster_words[cluster], 4)
            tags = [rng.choice(cluster_tags[cluster]), zipf_choice(rng, general_tags)]
            if rng.random() < 0.3:
                neighbour = (cluster + 1) % clusters
                cited.append(rng.choice(cluster_claims[neighbour]))
                tags.append(rng.choice(cluster_tags[neighbour]))
            title = " ".join(words + [zipf_choice(rng, general_words) for _ in range(2)])
            title = f"{title.capitalize()} {number}"
            slug = f"explainer-{number}"
            pages.append(live_page_row(index, content_type, number, title, slug, now))
            standfirst = " ".join(
                rng.sample(cluster_words[cluster], 3)
                + [zipf_choice(rng, general_words) for _ in range(8)]
            )
            body = [
                {
                    "type": "claim",
                    "value": {"claim": claim.pk, "show_as_unverified": True, "framing": ""},
                    "id": str(uuid.uuid4()),
                }
                for claim in cited
            ]
            bodies.append((standfirst, json.dumps(body)))
            tagging.append(set(tags))
        Page.objects.bulk_create(pages, batch_size=5000)
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO explainers_explainerpage (page_ptr_id, standfirst, body) "
                "VALUES (%s, %s, %s::jsonb)",
                [
                    (page.pk, standfirst, body)
                    for page, (standfirst, body) in zip(pages, bodies, strict=True)
                ],
            )
        Page.objects.filter(pk=index.pk).update(numchild=size)
        names = sorted({tag for tags in tagging for tag in tags})
        Tag.objects.bulk_create([Tag(name=name, slug=name) for name in names], batch_size=5000)
        tag_ids = dict(Tag.objects.values_list("name", "pk"))
        ExplainerPageTag.objects.bulk_create(
            [
                ExplainerPageTag(content_object_id=page.pk, tag_id=tag_ids[tag])
                for page, tags in zip(pages, tagging, strict=True)
                for tag in tags
            ],
            batch_size=5000,
        )
    return [page.pk for page in pages]


def timed(module, name, store):
    original = getattr(module, name)

    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        result = original(*args, **kwargs)
        store.setdefault(name, []).append(time.perf_counter() - started)
        if name == "refresh_pages":
            store.setdefault("affected", []).append(len(result))
        return result

    setattr(module, name, wrapper)


def measure(size, samples):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.template import Context, Template
    from django.test.utils import CaptureQueriesContext

    from explainers.models import ExplainerPage, RelatedFeature, RelatedState, RelatedStory
    from explainers.related import changes, regeneration

    call_command("migrate", verbosity=0, interactive=False)
    rng = random.Random(2025)
    started = time.perf_counter()
    page_ids = build_site(size, rng)
    figures = {"size": size, "build_seconds": time.perf_counter() - started}

    started, cpu = time.perf_counter(), time.process_time()
    regeneration.rebuild_all()
    figures["rebuild_seconds"] = time.perf_counter() - started
    figures["rebuild_cpu_seconds"] = time.process_time() - cpu
    figures["load_average"] = os.getloadavg()[0]
    figures["features"] = RelatedFeature.objects.count()
    figures["stories"] = RelatedStory.objects.count()

    calls = {}
    timed(changes, "refresh_pages", calls)
    timed(regeneration, "regenerate_related", calls)
    publishes, recomputed = [], []
    for page_id in rng.sample(page_ids, samples):
        page = ExplainerPage.objects.get(pk=page_id)
        page.title = page.title + " (updated)"
        started = time.perf_counter()
        before = timezone_now()
        with transaction.atomic():
            page.save_revision().publish()
        publishes.append(time.perf_counter() - started)
        recomputed.append(RelatedState.objects.filter(computed_at__gte=before).count())
    figures["publish_seconds"] = publishes
    figures["recomputed"] = recomputed
    figures["refresh_seconds"] = calls.get("refresh_pages", [])
    figures["regenerate_seconds"] = calls.get("regenerate_related", [])
    figures["affected"] = calls.get("affected", [])
    figures["stale_left"] = RelatedState.objects.filter(stale=True).count()

    template = Template("{% load related_tags %}{% related_stories page %}")
    sample = list(ExplainerPage.objects.filter(pk__in=rng.sample(page_ids, 300)))
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        for page in sample:
            template.render(Context({"page": page}))
        figures["render_ms"] = (time.perf_counter() - started) * 1000 / len(sample)
    figures["render_queries"] = len(queries) / len(sample)
    print(json.dumps(figures))


def timezone_now():
    from django.utils import timezone

    return timezone.now()


# The parent process: a scratch database per size, and the report ------------------------


def run_size(size, samples, server_url):
    database_url = scratch_database(server_url, "bench", create=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="newsroom.settings.test")
    try:
        result = subprocess.run(
            [sys.executable, __file__, "--child", str(size), "--samples", str(samples)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        scratch_database(server_url, "bench", create=False)
    if result.returncode:
        raise SystemExit(f"size {size} failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def report(figures):
    size = figures["size"]
    publish = figures["publish_seconds"]
    recomputed = figures["recomputed"]
    print(f"\n== {size:,} explainers (site built in {figures['build_seconds']:.1f}s) ==")
    print(
        f"full rebuild:   {figures['rebuild_seconds']:.1f}s "
        f"({figures['features']:,} index rows, {figures['stories']:,} stories stored; "
        f"{figures['rebuild_cpu_seconds']:.1f}s CPU in this process, "
        f"load average {figures['load_average']:.1f} on {os.cpu_count()} cores)"
    )
    print(
        f"one publish:    pages recomputed median {statistics.median(recomputed):.0f}, "
        f"max {max(recomputed)} ({max(recomputed) / size:.2%} of the site) "
        f"over {len(publish)} publishes"
    )
    print(
        f"                whole publish median {statistics.median(publish) * 1000:.0f} ms, "
        f"max {max(publish) * 1000:.0f} ms (Wagtail's publish, the signals and the task)"
    )
    print(
        f"                of which index refresh + affected set median "
        f"{statistics.median(figures['refresh_seconds']) * 1000:.0f} ms, regeneration median "
        f"{statistics.median(figures['regenerate_seconds']) * 1000:.0f} ms"
    )
    print(
        f"widget render:  {figures['render_ms']:.2f} ms and "
        f"{figures['render_queries']:.0f} query per render"
    )
    print(f"stale markers left after the publishes: {figures['stale_left']}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--samples", type=int, default=5, help="publishes measured per size")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT))
        measure(args.child, args.samples)
        return
    server_url = os.environ.get("DATABASE_URL", DEFAULT_POSTGRES)
    for size in args.sizes:
        report(run_size(size, args.samples, server_url))


if __name__ == "__main__":
    main()
