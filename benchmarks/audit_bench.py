"""How long `manage.py audit_evidence` takes over a whole newsroom's database.

    .venv/bin/python benchmarks/audit_bench.py                       # 10k claims, 1k explainers
    .venv/bin/python benchmarks/audit_bench.py --claims 500 --explainers 50
    .venv/bin/python benchmarks/audit_bench.py --rendered 1            # every page cached
    .venv/bin/python benchmarks/audit_bench.py --profile /tmp/audit.prof

Builds a fresh scratch database on the PostgreSQL server named by --database-url (default
DATABASE_URL, else postgres://postgres@127.0.0.1:5432/newsroom_audit; the scratch database
is ``<name>_audit_bench``, created, migrated and dropped by the benchmark).

The synthetic desk: sources of a few KB (paragraphs of reported speech, every sentence
distinct) spread unevenly over 50 outlets; claims quoting 2 or 3 of them, each quote
anchored by ``anchor_quote``; most claims live and verified on two or more outlets, with
their Verification row (never decided by their author), some disputed, unverified or
drafts. Live explainers cite about 10 live claims each (unverified ones labelled as such),
some in key facts, and some carry pull quotes whose rows ``sync_pull_quotes`` anchors.
So the data is clean: the audit should find nothing.

Pages are bulk-inserted as related_bench.py does, each with the live revision that
``save_revision()`` would have written (``serializable_data()``); claims have no revisions,
which the audit does not read. A share of the explainers is rendered once through the test
client, into a memory cache of this process, so the cache check has fragments to compare
(by default a fifth; ``--rendered 1`` is a site whose every explainer was read within the
cache's day, the cache check's worst case: it renders each cached page afresh).
Then the real code: ``call_command("audit_evidence")`` timed, and ``run_audit()`` again with
each check timed (seconds spent inside it, not in reporting its findings).

Target on this 2-core machine: 10k claims and 1k explainers audited in under 60 s.
"""

import argparse
import importlib
import io
import json
import os
import random
import subprocess
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

from scaffold import live_page_row, scratch_database, zipf_choice

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/newsroom_audit"
OUTLETS = 50
# Big enough that no rendered fragment is culled before the audit compares it.
BENCH_CACHE_URL = "locmemcache://audit-bench?max_entries=1000000"
PEOPLE = [
    "Emmanuel Macron", "Vladimir Putin", "Dmitry Peskov", "Kaja Kallas", "Olaf Scholz",
    "the Kremlin’s spokesman", "the Élysée", "Ukraine’s foreign minister", "a NATO official",
]  # fmt: skip
PLACES = ["Paris", "Moscow", "Brussels", "Kyiv", "Rome", "Berlin", "Warsaw", "Geneva"]
TOPICS = [
    "dialogue", "sanctions", "energy prices", "a ceasefire", "security guarantees",
    "prisoner exchanges", "grain exports", "frozen assets",
]  # fmt: skip
VERBS = ["said", "warned", "insisted", "suggested", "told reporters", "confirmed", "denied"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
CHECKS = {
    "newsroom.desk.audit": ("anchoring_findings", "decision_findings"),
    "explainers.audit": (
        "pull_quote_findings",
        "live_revision_findings",
        "citation_findings",
        "cached_page_findings",
    ),
}


def sentence(rng):
    return (
        f"{rng.choice(PEOPLE)} {rng.choice(VERBS)} in {rng.choice(PLACES)} on {rng.choice(DAYS)} "
        f"that talks on {rng.choice(TOPICS)} would continue — case {rng.randrange(10**7)}."
    )


def article(rng):
    """Paragraphs of sentences; the body is them joined, as the importer stores prose."""
    return [[sentence(rng) for _ in range(rng.randint(2, 4))] for _ in range(rng.randint(6, 10))]


def quote_from(rng, sentences):
    """A passage of one sentence, word for word: the whole of it, or its reported speech."""
    chosen = rng.choice(sentences).rstrip(".")
    return chosen[chosen.index("talks on") :] if rng.random() < 0.3 else chosen


# The child process: one fresh database ----------------------------------------------------


def build_desk(rng, claim_count, source_count):
    """Outlets, sources, claims with anchored evidence and their verifications."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from newsroom.desk.anchoring import anchor_quote
    from newsroom.desk.models import Claim, Evidence, Outlet, Source, Verification

    user_model = get_user_model()
    now = timezone.now()
    with transaction.atomic():
        outlets = Outlet.objects.bulk_create(
            Outlet(name=f"Bench Outlet {n}", domain=f"outlet-{n}.example.org")
            for n in range(OUTLETS)
        )
        reporters = user_model.objects.bulk_create(
            user_model(username=f"bench-reporter-{n}") for n in range(6)
        )
        verifiers = user_model.objects.bulk_create(
            user_model(username=f"bench-verifier-{n}") for n in range(3)
        )
        texts = [article(rng) for _ in range(source_count)]
        sources = []
        for number, paragraphs in enumerate(texts):
            body = "\n\n".join(" ".join(paragraph) for paragraph in paragraphs)
            outlet = zipf_choice(rng, outlets, 0.9)
            sources.append(
                Source(
                    title=f"Report {number}: talks on {rng.choice(TOPICS)}",
                    outlet=outlet,
                    url=f"https://{outlet.domain}/news/{number}",
                    language="en",
                    published_on=date(2025, 1, 1) + timedelta(days=rng.randrange(365)),
                    date_precision=Source.DatePrecision.DAY,
                    original_text=body,
                    body=body,
                    content_hash=Source.hash_text(body),
                )
            )
        Source.objects.bulk_create(sources, batch_size=1000)
        sentences = {
            source.pk: [line for paragraph in paragraphs for line in paragraph]
            for source, paragraphs in zip(sources, texts, strict=True)
        }

        claims, quoted = [], []
        for _ in range(claim_count):
            claim, stances = planned_claim(rng, reporters, verifiers, now)
            quotes = quotes_for(rng, sources, sentences, stances)
            # A claim says what its first quote says, as a sentence.
            claim.statement = f"{quotes[0][1][0].upper()}{quotes[0][1][1:]}."
            claims.append(claim)
            quoted.append(quotes)
        Claim.objects.bulk_create(claims, batch_size=2000)

        evidence = []
        for claim, quotes in zip(claims, quoted, strict=True):
            for order, (source, quote, stance) in enumerate(quotes):
                row = Evidence(claim=claim, source=source, quote=quote, stance=stance)
                row.sort_order = order
                row.apply_anchor(anchor_quote(source.body, quote))
                evidence.append(row)
        Evidence.objects.bulk_create(evidence, batch_size=5000)
        verifications = [
            Verification(
                claim=claim,
                status=claim.status,
                verified_by=claim.verified_by,
                fingerprint={
                    "statement": claim.statement,
                    "evidence": sorted(
                        [source.pk, quote, stance, ""] for source, quote, stance in quotes
                    ),
                },
            )
            for claim, quotes in zip(claims, quoted, strict=True)
            if claim.status in Claim.DECIDED
        ]
        Verification.objects.bulk_create(verifications, batch_size=5000)
    return sources, sentences, claims, quoted


def planned_claim(rng, reporters, verifiers, now):
    """A claim (not saved) and the stances of its quotes: 80% verified, 5% disputed, 10%
    unverified, 5% drafts never published."""
    from newsroom.desk.models import Claim, Evidence

    supports, disputes, context = Evidence.Stance.values
    draw = rng.random()
    claim = Claim(statement="", created_by=rng.choice(reporters))
    if draw < 0.80:
        claim.status = Claim.Status.VERIFIED
        stances = [supports, supports] + rng.choice([[], [supports], [context]])
    elif draw < 0.85:
        claim.status = Claim.Status.DISPUTED
        stances = [supports, disputes] + rng.choice([[], [disputes]])
    else:
        claim.status = Claim.Status.UNVERIFIED
        stances = [supports] * rng.randint(2, 3)
        if draw >= 0.95:
            claim.live, claim.has_unpublished_changes = False, True
    if claim.status in Claim.DECIDED:
        claim.verified_by = rng.choice(verifiers)
        claim.verified_at = now - timedelta(days=rng.randrange(300), minutes=rng.randrange(1440))
    return claim, stances


def quotes_for(rng, sources, sentences, stances):
    """(source, quote, stance) per stance, each from a different outlet, so a verified
    claim stands on at least two."""
    chosen, outlets = [], set()
    for stance in stances:
        source = rng.choice(sources)
        while source.outlet_id in outlets:
            source = rng.choice(sources)
        outlets.add(source.outlet_id)
        chosen.append((source, quote_from(rng, sentences[source.pk]), stance))
    return chosen


def explainer_body(rng, cited, sentences, evidence_sources):
    """Raw StreamField data: prose, about ten claim blocks, sometimes key facts and pull
    quotes from sources the page's claims quote."""
    from newsroom.desk.models import Claim

    def block(kind, value):
        return {"type": kind, "value": value, "id": str(uuid.uuid4())}

    def citation(claim):
        return {"claim": claim.pk, "show_as_unverified": claim.status != Claim.Status.VERIFIED}

    body = [block("paragraph", f"<p>{sentence(rng)}</p>")]
    if rng.random() < 0.3:
        facts = [
            {"type": "item", "value": citation(claim), "id": str(uuid.uuid4())}
            for claim in cited[:3]
        ]
        body.append(block("key_facts", {"heading": "Key facts", "facts": facts}))
    for number, claim in enumerate(cited):
        if number % 4 == 0:
            body.append(block("heading", f"What was said, part {number // 4 + 1}"))
        body.append(block("claim", {**citation(claim), "framing": ""}))
        if rng.random() < 0.3:
            body.append(block("paragraph", f"<p>{sentence(rng)} {sentence(rng)}</p>"))
    if rng.random() < 0.4:
        for _ in range(rng.randint(1, 2)):
            source_id = rng.choice(evidence_sources[rng.choice(cited).pk])
            value = {"source": source_id, "quote": quote_from(rng, sentences[source_id])}
            body.insert(
                rng.randrange(1, len(body)), block("pull_quote", {**value, "attribution": ""})
            )
    return body


def build_explainers(rng, count, sentences, claims, quoted):
    """Live explainers with their live revisions and pull quote rows."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.utils import timezone
    from wagtail.models import Page, Revision

    from explainers import pull_quotes
    from explainers.models import ExplainerIndexPage, ExplainerPage

    evidence_sources = {
        claim.pk: [source.pk for source, _, _ in quotes]
        for claim, quotes in zip(claims, quoted, strict=True)
    }
    live_claims = [claim for claim in claims if claim.live]
    now = timezone.now()
    with transaction.atomic():
        index = ExplainerIndexPage.objects.get()
        content_type = ContentType.objects.get_for_model(ExplainerPage)
        rows, bodies = [], []
        for number in range(count):
            title = f"Where the talks on {rng.choice(TOPICS)} stand, {number}"
            slug = f"bench-explainer-{number}"
            published = now - timedelta(days=rng.randrange(200))
            rows.append(live_page_row(index, content_type, number, title, slug, published))
            cited = rng.sample(live_claims, rng.randint(8, 12))
            body = explainer_body(rng, cited, sentences, evidence_sources)
            bodies.append((sentence(rng), json.dumps(body)))
        Page.objects.bulk_create(rows, batch_size=2000)
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO explainers_explainerpage (page_ptr_id, standfirst, body) "
                "VALUES (%s, %s, %s::jsonb)",
                [(row.pk, *content) for row, content in zip(rows, bodies, strict=True)],
            )
        Page.objects.filter(pk=index.pk).update(numchild=count)

        pages = list(ExplainerPage.objects.filter(pk__in=[row.pk for row in rows]).order_by("pk"))
        base_type = pages[0].get_base_content_type() if pages else None
        revisions = Revision.objects.bulk_create(
            [
                Revision(
                    content_type=content_type,
                    base_content_type=base_type,
                    object_id=str(page.pk),
                    created_at=page.last_published_at,
                    object_str=str(page),
                    content=page.serializable_data(),
                )
                for page in pages
            ],
            batch_size=1000,
        )
        for page, revision in zip(pages, revisions, strict=True):
            page.live_revision = page.latest_revision = revision
        Page.objects.bulk_update(pages, ["live_revision", "latest_revision"], batch_size=1000)
        for page in pages:
            if any(item["type"] == "pull_quote" for item in page.body.raw_data):
                pull_quotes.sync_pull_quotes(page)
    return pages


def render_share(pages, share, rng):
    """Serve a share of the explainers once, as readers would, filling the fragment cache."""
    from django.test import Client

    client = Client()
    rendered = rng.sample(pages, round(len(pages) * share))
    for page in rendered:
        response = client.get(page.url)
        if response.status_code != 200:
            raise SystemExit(f"{page.url} answered {response.status_code}")
    return len(rendered)


class CheckTimer:
    """Seconds and queries spent inside each audit check (not in reporting its findings)."""

    def __init__(self):
        self.seconds, self.queries, self.current = {}, {}, None

    def count_query(self, execute, sql, params, many, context):
        if self.current:
            self.queries[self.current] += 1
        return execute(sql, params, many, context)

    def wrap(self, module, name):
        check = getattr(module, name)
        self.seconds[name], self.queries[name] = 0.0, 0

        def timed_check():
            findings = check()
            while True:
                self.current, started = name, time.perf_counter()
                try:
                    finding = next(findings)
                except StopIteration:
                    return
                finally:
                    self.seconds[name] += time.perf_counter() - started
                    self.current = None
                yield finding

        setattr(module, name, timed_check)


def reset_peak_memory():
    """Start the peak RSS afresh (Linux), so ru_maxrss then tells a step's own peak."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def peak_mb():
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(options):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    figures = {"migrate_seconds": time.perf_counter() - started}
    rng = random.Random(2025)
    started = time.perf_counter()
    sources, sentences, claims, quoted = build_desk(rng, options.claims, options.sources)
    figures["desk_seconds"] = time.perf_counter() - started
    started = time.perf_counter()
    pages = build_explainers(rng, options.explainers, sentences, claims, quoted)
    figures["explainers_seconds"] = time.perf_counter() - started
    started = time.perf_counter()
    figures["rendered"] = render_share(pages, options.rendered, rng)
    figures["render_seconds"] = time.perf_counter() - started
    figures["build_peak_mb"] = peak_mb()
    # A live database has its planner statistics; a freshly bulk-loaded one has none until
    # autovacuum comes by, and meanwhile scans all evidence for each page's cache key.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    figures.update(data_sizes(pages))
    del sources, sentences, claims, quoted, pages

    figures.update(time_command())
    figures.update(time_checks())
    if options.profile:
        import cProfile

        from newsroom.desk.audit import run_audit

        with cProfile.Profile() as profiler:
            run_audit()
        profiler.dump_stats(options.profile)
    print(json.dumps(figures))


def data_sizes(pages):
    from explainers.models import PullQuote
    from newsroom.desk.models import Claim, Evidence, Source, Verification

    sources = Source.objects.count()
    body = sum(len(source.body) for source in Source.objects.only("body"))
    return {
        "sources": sources,
        "body_kb": body / 1024 / max(1, sources),
        "claims": Claim.objects.count(),
        "verified": Claim.objects.filter(status=Claim.Status.VERIFIED).count(),
        "live_claims": Claim.objects.filter(live=True).count(),
        "evidence": Evidence.objects.count(),
        "verifications": Verification.objects.count(),
        "explainers": len(pages),
        "citations": sum(len(page.cited_claim_ids()) for page in pages),
        "pull_quotes": PullQuote.objects.count(),
    }


def time_command():
    """`manage.py audit_evidence` as cron runs it, in this process (so with its cache)."""
    from django.core.management import call_command

    figures = {"load_before": os.getloadavg()[0], "audit_reset_peak": reset_peak_memory()}
    figures["audit_start_mb"] = peak_mb()
    printed, errors = io.StringIO(), io.StringIO()
    started, cpu = time.perf_counter(), time.process_time()
    try:
        call_command("audit_evidence", stdout=printed, stderr=errors)
        figures["exit_status"] = 0
    except SystemExit as exit:
        figures["exit_status"] = exit.code
    figures["command_seconds"] = time.perf_counter() - started
    figures["command_cpu_seconds"] = time.process_time() - cpu
    figures["audit_peak_mb"] = peak_mb()
    lines = printed.getvalue().splitlines()
    figures["command_findings"] = sum(line.startswith("[") for line in lines)
    figures["command_said"] = (errors.getvalue() or printed.getvalue()).strip().splitlines()[-1]
    return figures


def time_checks():
    """run_audit() again, with the seconds and queries inside each check."""
    from django.db import connection

    from newsroom.desk.audit import run_audit

    timer = CheckTimer()
    for module_name, names in CHECKS.items():
        module = importlib.import_module(module_name)
        for name in names:
            timer.wrap(module, name)
    with connection.execute_wrapper(timer.count_query):
        started = time.perf_counter()
        result = run_audit()
        seconds = time.perf_counter() - started
    return {
        "run_audit_seconds": seconds,
        # Copies: a profiled run afterwards goes through the same wrapped checks.
        "check_seconds": dict(timer.seconds),
        "check_queries": dict(timer.queries),
        "findings": len(result.findings),
        "finding_lines": [finding.line() for finding in result.findings[:5]],
        "load_after": os.getloadavg()[0],
    }


# The parent process: the scratch database, and the report ---------------------------------


def run_child(options):
    database_url = scratch_database(options.database_url, "audit_bench", create=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE", "API_CACHE_URL")
    }
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="newsroom.settings.test",
        CACHE_URL=BENCH_CACHE_URL,
    )
    command = [sys.executable, __file__, "--child"]
    command += ["--claims", str(options.claims), "--explainers", str(options.explainers)]
    command += ["--sources", str(options.sources), "--rendered", str(options.rendered)]
    if options.profile:
        command += ["--profile", str(Path(options.profile).resolve())]
    try:
        result = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )
    finally:
        scratch_database(options.database_url, "audit_bench", create=False)
    if result.returncode:
        raise SystemExit(f"the benchmark failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def report(figures, options):
    claims, explainers = figures["claims"], figures["explainers"]
    print(
        f"\n== audit_evidence over {claims:,} claims and {explainers:,} explainers, PostgreSQL =="
    )
    print(
        f"data:       {figures['sources']:,} sources over {OUTLETS} outlets "
        f"({figures['body_kb']:.1f} KB body on average); {claims:,} claims "
        f"({figures['live_claims']:,} live, {figures['verified']:,} verified), "
        f"{figures['evidence']:,} anchored quotes, {figures['verifications']:,} verifications"
    )
    print(
        f"            {explainers:,} live explainers with live revisions, "
        f"{figures['citations'] / max(1, explainers):.1f} claims cited each, "
        f"{figures['pull_quotes']:,} pull quotes; {figures['rendered']:,} rendered into the cache"
    )
    print(
        f"generated:  migrate {figures['migrate_seconds']:.1f}s, desk "
        f"{figures['desk_seconds']:.1f}s, explainers "
        f"{figures['explainers_seconds']:.1f}s, renders {figures['render_seconds']:.1f}s "
        f"({figures['render_seconds'] * 1000 / max(1, figures['rendered']):.0f} ms a page)"
    )
    print(
        f"audit:      manage.py audit_evidence {figures['command_seconds']:.1f}s wall, "
        f"{figures['command_cpu_seconds']:.1f}s CPU in this process (target under 60 s); "
        f"exit {figures['exit_status']}, {figures['command_findings']} findings printed: "
        f"“{figures['command_said']}”"
    )
    print(
        f"            run_audit() again {figures['run_audit_seconds']:.1f}s, "
        f"{figures['findings']} findings; inside each check:"
    )
    for name, seconds in figures["check_seconds"].items():
        queries = figures["check_queries"][name]
        print(f"              {name:<24} {seconds:>6.1f}s {queries:>7,} queries")
    for line in figures["finding_lines"]:
        print(f"            e.g. {line}")
    audit_peak = (
        f"{figures['audit_peak_mb']:.0f} MB during the command "
        f"(from {figures['audit_start_mb']:.0f} MB)"
        if figures["audit_reset_peak"]
        else "the audit's own peak not measurable here"
    )
    print(f"memory:     peak RSS {figures['build_peak_mb']:.0f} MB while generating; {audit_peak}")
    print(
        f"load:       load average {figures['load_before']:.1f} before the audit, "
        f"{figures['load_after']:.1f} after, on {os.cpu_count()} cores"
    )
    if options.profile:
        import pstats

        print(f"\nrun_audit() profiled into {options.profile}; by cumulative time:")
        pstats.Stats(options.profile).sort_stats("cumulative").print_stats(25)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=10000)
    parser.add_argument("--explainers", type=int, default=1000)
    parser.add_argument("--sources", type=int, help="default: one per five claims")
    parser.add_argument(
        "--rendered", type=float, default=0.2, help="share of explainers rendered before"
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", DEFAULT_POSTGRES),
        help="a PostgreSQL URL; the scratch database is named after it",
    )
    parser.add_argument("--profile", help="also profile run_audit() into this file")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    options.sources = options.sources or max(OUTLETS, options.claims // 5)
    if options.child:
        sys.path.insert(0, str(ROOT))
        measure(options)
        return
    if not options.database_url.startswith("postgres"):
        raise SystemExit("--database-url must name a PostgreSQL server")
    report(run_child(options), options)


if __name__ == "__main__":
    main()
