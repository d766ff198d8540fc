"""`manage.py import_sources [PATH or URL ...]`: turn files and web pages of news text into
clean sources."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from newsroom.desk.importing.fetching import is_web_url
from newsroom.desk.importing.importer import FAILED, SourceImporter, discover
from newsroom.desk.importing.reading import MAX_BYTES, format_size
from newsroom.desk.models import Source


class Command(BaseCommand):
    help = (
        "Import text, Markdown, HTML, caption (.srt, .vtt), PDF and Word (.docx) files (and "
        "folders of them) and http(s) URLs as sources: "
        "noise set aside with reasons, metadata inferred or taken from sources.toml (or the "
        "page's own metadata), unchanged files and pages skipped, changed ones saved as new "
        f"revisions. Files and pages over {format_size(MAX_BYTES)} are refused; a page keeps "
        "its captured copy."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", metavar="PATH_OR_URL")
        parser.add_argument(
            "--urls-from",
            metavar="FILE",
            help="Also import the URLs in FILE, one per line (blank lines and # comments skipped).",
        )
        parser.add_argument(
            "--refresh",
            action="store_true",
            help="Fetch every source made from a web page again (a re-capture of each).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would happen and write nothing.",
        )

    def handle(self, *args, paths, urls_from, refresh, dry_run, **options):
        urls = [path for path in paths if is_web_url(path)]
        paths = [path for path in paths if not is_web_url(path)]
        if urls_from:
            urls += self._read_urls(urls_from)
        if refresh:
            captured = Source.objects.filter(captured_at__isnull=False, url__isnull=False)
            urls += list(captured.order_by("pk").values_list("url", flat=True))
        if not paths and not urls and not urls_from and not refresh:
            paths = ["seeds"]
        importer = SourceImporter(dry_run=dry_run)
        if self._on_terminal():
            summary = self._run_with_progress(importer, paths, urls, dry_run)
        else:
            report = lambda outcome: self._report(outcome, dry_run)  # noqa: E731
            summary = importer.run(paths, report=report, urls=urls)
        self.stdout.write(summary.line(dry_run=dry_run))
        if summary.failed:
            raise CommandError(f"{summary.failed} of {len(summary.outcomes)} files failed")

    def _read_urls(self, name):
        try:
            lines = Path(name).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"--urls-from {name}: cannot be read: {error}") from error
        urls = [
            line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")
        ]
        wrong = [url for url in urls if not is_web_url(url)]
        if wrong:
            raise CommandError(f"--urls-from {name}: not an http(s) URL: {wrong[0]}")
        return urls

    def _on_terminal(self):
        return self.stdout.isatty() and sys.stdout.isatty()

    def _report(self, outcome, dry_run):
        stream = self.stderr if outcome.status == FAILED else self.stdout
        stream.write(outcome.line(dry_run=dry_run))

    def _run_with_progress(self, importer, paths, urls, dry_run):
        total = len(discover(paths)) + len(set(urls))
        columns = (
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
        )
        with Progress(*columns, transient=False) as progress:
            task = progress.add_task("Importing", total=total)

            def report(outcome):
                if outcome.status == FAILED:
                    progress.console.print(outcome.line(dry_run=dry_run), style="red", markup=False)
                progress.advance(task)

            return importer.run(paths, report=report, urls=urls)
