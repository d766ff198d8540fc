"""How fast `import_sources` is: sources per second, first import and unchanged re-import.

    .venv/bin/python benchmarks/import_bench.py                       # SQLite and PostgreSQL
    .venv/bin/python benchmarks/import_bench.py --databases sqlite --sizes 1000
    .venv/bin/python benchmarks/import_bench.py --urls 1000 --databases postgresql

With --urls N it imports N web pages instead, fetched from a local server this benchmark
starts on a free loopback port (each page the same synthetic news text in HTML with site
chrome around it), through the fetcher's limits and address checks; target: 1k pages in
under 60 s.

Writes N synthetic news files (realistic noise: site chrome, hashtag walls, tracking codes,
captions, reader prompts, comment widgets, teasers after the end; one in ten a timestamped
transcript) and imports them into a fresh database: SQLite in a temporary file, and
PostgreSQL in a scratch database on the server named by DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/newsroom_a), created and dropped by the benchmark.
Targets on a 2-core machine: 10k sources in under 60 s on PostgreSQL, and the unchanged
re-import at least 5x faster than the first.
"""

import argparse
import html
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/newsroom_a"

PEOPLE = ["Emmanuel Macron", "Vladimir Putin", "Dmitry Peskov", "Kaja Kallas", "Olaf Scholz"]
PLACES = ["Paris", "Moscow", "Brussels", "Kyiv", "Rome", "Berlin", "Warsaw"]
TOPICS = ["dialogue", "sanctions", "energy prices", "a ceasefire", "security guarantees"]
VERBS = ["said", "warned", "insisted", "suggested", "told reporters", "confirmed"]
CHROME = ["Skip to main content", "Category", "News", "Politics", "Read more", "News Feed"]


def sentence(rng):
    return (
        f"{rng.choice(PEOPLE)} {rng.choice(VERBS)} in {rng.choice(PLACES)} on "
        f"{rng.choice(['Monday', 'Tuesday', 'Friday'])} that talks on {rng.choice(TOPICS)} "
        f"would continue, number {rng.randrange(10**6)}."
    )


def paragraph(rng):
    return " ".join(sentence(rng) for _ in range(rng.randint(2, 4)))


def article(rng, number):
    lines = [rng.choice(CHROME), "", f"{rng.choice(PEOPLE)} Signals Shift on Talks {number}", ""]
    lines += [f"{rng.randint(1, 9)} min read", ""]
    for index in range(rng.randint(5, 9)):
        lines += [paragraph(rng), ""]
        if index == 2:
            lines += [f"Photo: {rng.choice(PLACES)} press office ({rng.choice(PEOPLE)} / AFP)", ""]
    lines += [
        "#" + " #".join(f"Tag{rng.randrange(999)}" for _ in range(8)),
        f"~ED.{rng.randrange(999)}~HT.{rng.randrange(999)}~",
        "Readers, what is your assessment of these talks?",
        "Be the first to comment",
        "Read more",
        paragraph(rng),
    ]
    return "\n".join(lines) + "\n"


def transcript(rng, number):
    lines = ["Skip to player", "Transcript"]
    words = " ".join(paragraph(rng) for _ in range(6)).split()
    seconds = 0
    for start in range(0, len(words), 14):
        lines.append(
            f"{seconds // 60:02d}:{seconds % 60:02d}" + " ".join(words[start : start + 14])
        )
        seconds += rng.randint(5, 9)
    lines += ["Subscribe to Bench News and never miss an update.", "Add your comment"]
    return "\n".join(lines) + "\n"


def write_corpus(folder, count, seed=2025):
    rng = random.Random(seed)
    for number in range(count):
        text = transcript(rng, number) if number % 10 == 0 else article(rng, number)
        (folder / f"{number:05d}.txt").write_text(text, encoding="utf-8")


def web_page(number):
    """Page `number` of the benchmark's site: an article in HTML, with chrome around it."""
    rng = random.Random(number)
    text = transcript(rng, number) if number % 10 == 0 else article(rng, number)
    lines = text.splitlines()
    title, paragraphs = lines[2], [line for line in lines[3:] if line]
    body = "\n".join(f"<p>{html.escape(line)}</p>" for line in paragraphs)
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
        "<meta property='og:site_name' content='Bench News'></head><body>"
        "<nav><a href='/'>Home</a> <a href='/politics'>Politics</a></nav>"
        "<div class='cookies'>We use cookies. <button>Accept</button></div>"
        f"<article><h1>{html.escape(title)}</h1>{body}</article>"
        "<aside><h2>Related stories</h2><a href='/1'>One</a> <a href='/2'>Two</a></aside>"
        "<footer>© 2025 Bench News</footer></body></html>"
    ).encode()


def serve_pages():
    """A threaded server of web_page(n) at /news/<n>, on a free loopback port."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802 (the name http.server calls)
            body = web_page(int(self.path.rsplit("/", 1)[-1]))
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def measure(folder):
    """Run in a child process whose settings point at a fresh, migrated database."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from newsroom.desk.importing.importer import SourceImporter

    urls_file = Path(folder) / "urls.txt"
    urls = urls_file.read_text().split() if urls_file.exists() else []
    figures = {}
    for label in ("first", "unchanged"):
        started = time.perf_counter()
        summary = SourceImporter().run([] if urls else [folder], urls=urls)
        elapsed = time.perf_counter() - started
        figures[label] = {
            "seconds": round(elapsed, 2),
            "imported": summary.count("imported"),
            "unchanged": summary.count("unchanged"),
            "failed": summary.failed,
        }
    print(json.dumps(figures))


def run_child(database_url, folder):
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="newsroom.settings.dev",
        NEWSROOM_FETCH_ALLOWED_NETWORKS="127.0.0.0/8",
        PYTHONPATH=str(ROOT),
    )
    result = subprocess.run(
        [sys.executable, __file__, "--measure", str(folder)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def postgres_scratch(server_url):
    import psycopg

    base, _, name = server_url.rpartition("/")
    scratch = f"{name}_bench"
    admin = psycopg.connect(f"{base}/postgres", autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
    admin.execute(f'CREATE DATABASE "{scratch}"')
    return admin, scratch, f"{base}/{scratch}"


def bench(database, count, folder):
    if database == "sqlite":
        with tempfile.TemporaryDirectory() as scratch:
            return run_child(f"sqlite:///{scratch}/bench.sqlite3", folder)
    server = os.environ.get("DATABASE_URL", DEFAULT_POSTGRES)
    if not server.startswith("postgres"):
        server = DEFAULT_POSTGRES
    admin, name, url = postgres_scratch(server)
    try:
        return run_child(url, folder)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()


def report(database, count, figures):
    first, again = figures["first"], figures["unchanged"]
    first_rate = count / first["seconds"]
    again_rate = count / again["seconds"]
    print(
        f"{database:<15} N={count:>6}  first import {first['seconds']:>7.2f} s "
        f"({first_rate:>7.0f} sources/s, {first['failed']} failed)   "
        f"unchanged re-import {again['seconds']:>6.2f} s ({again_rate:>7.0f} sources/s, "
        f"{again['unchanged']} unchanged)   {again_rate / first_rate:>5.1f}x faster   "
        f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)",
        flush=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--urls", type=int, help="import this many pages from a local server")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure)
        return
    if args.urls:
        server = serve_pages()
        base = f"http://127.0.0.1:{server.server_port}/news"
        with tempfile.TemporaryDirectory() as corpus:
            folder = Path(corpus)
            (folder / "urls.txt").write_text("\n".join(f"{base}/{n}" for n in range(args.urls)))
            for database in args.databases:
                report(f"{database} URLs", args.urls, bench(database, args.urls, folder))
        server.shutdown()
        return
    for count in args.sizes:
        with tempfile.TemporaryDirectory() as corpus:
            folder = Path(corpus)
            write_corpus(folder, count)
            for database in args.databases:
                report(database, count, bench(database, count, folder))


if __name__ == "__main__":
    main()
