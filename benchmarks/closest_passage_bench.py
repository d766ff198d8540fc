"""How long closest_passage() takes for a refused quote: seconds for quotes of 1, 10 and
100 KB against sources of 100 KB and 1 MB.

    .venv/bin/python benchmarks/closest_passage_bench.py
    .venv/bin/python benchmarks/closest_passage_bench.py --repeat 5

The sources are synthetic news prose in paragraphs, about the same few people and places,
so the quote's words stand all over them; each quote is made of the same kind of sentences
with other numbers and verbs, so it is in the source nowhere word for word and the search
has real work to do. Prints one line per pair, the best of --repeat runs. Nothing here
touches a database.
"""

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEOPLE = ["Emmanuel Macron", "Vladimir Putin", "Dmitry Peskov", "Kaja Kallas", "Olaf Scholz"]
PLACES = ["Paris", "Moscow", "Brussels", "Kyiv", "Rome", "Berlin", "Warsaw"]
TOPICS = ["dialogue", "sanctions", "energy prices", "a ceasefire", "security guarantees"]
VERBS = ["said", "warned", "insisted", "suggested", "told reporters", "confirmed"]
SOURCE_SIZES = [100_000, 1_000_000]
QUOTE_SIZES = [1_000, 10_000, 100_000]


def prose(rng: random.Random, size: int) -> str:
    """About `size` characters of paragraphs of news-like sentences."""
    paragraphs, length = [], 0
    while length < size:
        paragraph = " ".join(
            f"{rng.choice(PEOPLE)} {rng.choice(VERBS)} in {rng.choice(PLACES)} that talks on "
            f"{rng.choice(TOPICS)} would continue, number {rng.randrange(10**6)}."
            for _ in range(rng.randint(2, 5))
        )
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
    return "\n\n".join(paragraphs)[:size]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per pair; the best is kept")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from newsroom.desk.anchoring import anchor_quote, closest_passage

    rng = random.Random(14)
    for source_size in SOURCE_SIZES:
        body = prose(rng, source_size)
        for quote_size in QUOTE_SIZES:
            quote = prose(rng, quote_size)
            assert anchor_quote(body, quote) is None, "the quote must be refused"
            timings = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                passage = closest_passage(body, quote)
                timings.append(time.perf_counter() - started)
            print(
                f"source {source_size // 1000:>5} KB, quote {quote_size // 1000:>3} KB: "
                f"{min(timings):.3f} s (passage of {len(passage):,} characters)"
            )


if __name__ == "__main__":
    main()
