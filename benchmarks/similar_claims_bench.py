"""How fast the similar-claims lookup is as the desk grows: p50 and p95 per statement.

    .venv/bin/python benchmarks/similar_claims_bench.py          # 100k on PostgreSQL, 10k on SQLite
    .venv/bin/python benchmarks/similar_claims_bench.py --postgres 20000 --sqlite 5000

PostgreSQL gets a fresh scratch database on the server named by DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/newsroom_d; the scratch database is ``<name>_similar``,
created, migrated and dropped by the benchmark); SQLite a temporary file.

The synthetic desk: claims say who did what about which subject, where and when, in
several sentence shapes; four in ten are about a famous few people, places and subjects
picked with Zipf-like skew, the others about Faker's long tail of people, organisations,
towns and topics, so statements share words the way a real desk's do. They are
bulk-inserted with their statement hashes (as Claim.save() would set them). Half the
timed statements reword an existing claim (words moved, a word changed, case and quote
marks changed, a clause added), half are new; each lookup is similar_claims() as the claim
form's panel calls it, with its evidence counts and citing explainers, and the recall
counts the rewordings whose original it lists. After the bulk load the benchmark runs
VACUUM ANALYZE, as autovacuum would: it merges the GIN indexes' pending lists and tells
PostgreSQL which words are common. Target: under 50 ms
at p95 for 100k claims on PostgreSQL.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scaffold import scratch_database, zipf_choice

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/newsroom_d"

# The famous few, in many claims; Faker supplies the long tail of people, organisations,
# towns and topics (factory_boy's dependency, seeded, so every run builds the same desk).
PEOPLE = (
    """Emmanuel Macron|Vladimir Putin|Dmitry Peskov|Kaja Kallas|Olaf Scholz|Giorgia Meloni|
    Ursula von der Leyen|Antonio Costa|Donald Tusk|Keir Starmer|Viktor Orban|Volodymyr Zelensky|
    Sergei Lavrov|Friedrich Merz|Mark Rutte""".replace("\n", "")
    .replace("    ", "")
    .split("|")
)
VERBS = [
    "said",
    "announced",
    "denied",
    "confirmed",
    "proposed",
    "rejected",
    "promised",
    "warned",
    "suggested",
    "insisted",
    "claimed",
    "argued",
    "signed",
    "approved",
    "blocked",
    "postponed",
    "welcomed",
    "criticised",
]
SUBJECTS = """talks on a ceasefire|new sanctions on Russian oil|a loan of 90 billion euros|
    security guarantees for Ukraine|a special envoy to Moscow|the frozen Russian assets|
    energy price caps|a summit in Geneva|grain exports through the Black Sea|
    a prisoner exchange|the accession talks|air defence deliveries|a peace plan in 12 points|
    visa restrictions|the reconstruction fund|a tariff on steel|the migration pact|
    a gas pipeline|nuclear plant inspections|election observers""".replace("\n", "").split("|")
PLACES = [
    "Paris",
    "Moscow",
    "Brussels",
    "Kyiv",
    "Rome",
    "Berlin",
    "Warsaw",
    "Geneva",
    "Ankara",
    "Budapest",
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
SHAPES = [
    "{person} {verb} {subject} in {place} on {day} {month}",
    "{org} {verb} {subject}, {person} told reporters in {place}",
    "{person}, {job} at {org}, {verb} plans to {bs}",
    "On {day} {month} {year}, {org} {verb} {subject} worth {amount} million euros",
    "Officials in {place} {verb} that {person} would {bs} before {month}",
]


def statement(rng, fake):
    """A claim as a desk writes them: who did what about which subject, where and when."""
    famous = rng.random() < 0.4
    return rng.choice(SHAPES).format(
        person=zipf_choice(rng, PEOPLE) if famous else fake.name(),
        org=fake.company(),
        job=fake.job().split(",")[0].lower(),
        verb=rng.choice(VERBS),
        subject=zipf_choice(rng, SUBJECTS, s=0.8) if famous else fake.catch_phrase().lower(),
        bs=fake.bs(),
        place=zipf_choice(rng, PLACES) if famous else fake.city(),
        day=rng.randint(1, 28),
        month=rng.choice(MONTHS),
        year=rng.randint(2019, 2026),
        amount=rng.randint(2, 900),
    )


CLAUSES = [
    ", according to {org}",
    ", officials in {place} said on {day} {month}",
    ", as {person} had said earlier",
    " after a meeting with {person}",
]


def reworded(rng, fake, text):
    """An existing statement as another editor might write it again: two words swapped, a
    word replaced, case and quote marks changed, or a clause added."""
    words = text.split()
    change = rng.randrange(4)
    if change == 3:
        return text + rng.choice(CLAUSES).format(
            org=fake.company(),
            place=fake.city(),
            person=fake.name(),
            day=rng.randint(1, 28),
            month=rng.choice(MONTHS),
        )
    if change == 0:
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    elif change == 1:
        words[rng.randrange(len(words))] = rng.choice(VERBS)
    else:
        words = [f"“{word}”" if rng.random() < 0.1 else word.upper() for word in words]
    return " ".join(words)


def measure(size, queries):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from newsroom.desk.models import Claim
    from newsroom.desk.similar_claims import similar_claims
    from newsroom.desk.text import statement_hash

    call_command("migrate", verbosity=0, interactive=False)
    from faker import Faker

    rng, fake = random.Random(17), Faker("en_US")
    fake.seed_instance(17)
    started = time.perf_counter()
    texts = [statement(rng, fake) for _ in range(size)]
    for start in range(0, size, 5000):
        Claim.objects.bulk_create(
            Claim(statement=text, statement_hash=statement_hash(text), live=True)
            for text in texts[start : start + 5000]
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE newsroom_claim")
    figures = {"size": size, "vendor": connection.vendor}
    figures["build_seconds"] = time.perf_counter() - started

    # Odd lookups reword an existing claim (the original to find), even ones are new.
    originals = [rng.choice(texts) if n % 2 else None for n in range(queries)]
    asked = [reworded(rng, fake, text) if text else statement(rng, fake) for text in originals]
    similar_claims(asked[0])  # a first lookup warms the connection and the caches
    timings, found, recalled = [], [], 0
    for text, original in zip(asked, originals, strict=True):
        started = time.perf_counter()
        listed = similar_claims(text)
        timings.append((time.perf_counter() - started) * 1000)
        found.append(len(listed))
        recalled += any(similar.claim.statement == original for similar in listed)
    figures["ms"] = timings
    figures["found"] = found
    figures["recall"] = [recalled, sum(1 for text in originals if text)]
    print(json.dumps(figures))


def run(size, queries, database_url):
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="newsroom.settings.test")
    result = subprocess.run(
        [sys.executable, __file__, "--child", str(size), "--queries", str(queries)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise SystemExit(f"{database_url} failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def report(figures):
    timings = sorted(figures["ms"])
    p95 = timings[min(len(timings) - 1, round(0.95 * len(timings)) - 1)]
    listed = figures["found"]
    recalled, reworded_asked = figures["recall"]
    print(
        f"{figures['size']:>7,} claims on {figures['vendor']:<10} "
        f"p50 {statistics.median(timings):6.1f} ms, p95 {p95:6.1f} ms, max {timings[-1]:6.1f} ms "
        f"over {len(timings)} lookups ({sum(1 for n in listed if n)} found similar claims; "
        f"{recalled} of {reworded_asked} rewordings found their original; "
        f"built in {figures['build_seconds']:.0f}s)"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", type=int, default=100_000, help="claims on PostgreSQL")
    parser.add_argument("--sqlite", type=int, default=10_000, help="claims on SQLite")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT))
        measure(args.child, args.queries)
        return
    server_url = os.environ.get("DATABASE_URL", DEFAULT_POSTGRES)
    if args.postgres:
        try:
            database_url = scratch_database(server_url, "similar", create=True)
            report(run(args.postgres, args.queries, database_url))
        finally:
            scratch_database(server_url, "similar", create=False)
    if args.sqlite:
        with tempfile.TemporaryDirectory() as scratch:
            report(run(args.sqlite, args.queries, f"sqlite:///{scratch}/bench.sqlite3"))


if __name__ == "__main__":
    main()
