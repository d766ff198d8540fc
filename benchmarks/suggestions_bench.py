"""How fast suggest_evidence() is as the desk grows: seconds per claim for N sources.

    .venv/bin/python benchmarks/suggestions_bench.py                  # 1000 and 5000 sources
    .venv/bin/python benchmarks/suggestions_bench.py --sizes 10000

Fills a fresh SQLite database (a temporary file) with N synthetic articles of 5-9
paragraphs about the same few people and places, so most sources share some terms with
the claim and the database pre-filter has real work to do, then times suggestions for a
few claims. Prints one line per size.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEOPLE = ["Emmanuel Macron", "Vladimir Putin", "Dmitry Peskov", "Kaja Kallas", "Olaf Scholz"]
PLACES = ["Paris", "Moscow", "Brussels", "Kyiv", "Rome", "Berlin", "Warsaw"]
TOPICS = ["dialogue", "sanctions", "energy prices", "a ceasefire", "security guarantees"]
VERBS = ["said", "warned", "insisted", "suggested", "told reporters", "confirmed"]
CLAIMS = [
    "The Kremlin said on 21 December that Putin was ready for dialogue with Macron",
    "Kaja Kallas insisted that no concessions to Moscow should precede any dialogue",
    "Olaf Scholz warned in Berlin that energy prices would keep rising",
]


def body(rng):
    def sentence():
        return (
            f"{rng.choice(PEOPLE)} {rng.choice(VERBS)} in {rng.choice(PLACES)} that talks on "
            f"{rng.choice(TOPICS)} would continue, number {rng.randrange(10**6)}."
        )

    return "\n\n".join(
        " ".join(sentence() for _ in range(rng.randint(2, 4))) for _ in range(rng.randint(5, 9))
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.test")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command

        from newsroom.desk.models import Claim, Outlet, Source
        from newsroom.desk.suggestions import suggest_evidence

        call_command("migrate", verbosity=0)
        rng = random.Random(4)
        outlets = [Outlet.objects.create(name=f"Outlet {n}") for n in range(20)]
        made = 0
        for size in sorted(args.sizes):
            Source.objects.bulk_create(
                Source(title=f"Report {n}", body=body(rng), outlet=rng.choice(outlets))
                for n in range(made, size)
            )
            made = size
            timings, suggested = [], 0
            for statement in CLAIMS:
                claim = Claim(statement=statement)
                claim.save()
                started = time.perf_counter()
                found = suggest_evidence(claim, limit=10)
                timings.append(time.perf_counter() - started)
                suggested += len(found)
            print(
                f"{size:>6} sources: {sum(timings) / len(timings):.3f} s per claim on average, "
                f"{max(timings):.3f} s at worst ({suggested} suggestions for {len(CLAIMS)} claims, "
                "SQLite)"
            )


if __name__ == "__main__":
    main()
