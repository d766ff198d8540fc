"""`manage.py import_sources [PATH ...]`: turn files of news text into clean sources."""

import sys

from django.core.management.base import BaseCommand, CommandError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from newsroom.desk.importing.importer import FAILED, SourceImporter, discover
from newsroom.desk.importing.reading import MAX_BYTES, format_size


class Command(BaseCommand):
    help = (
        "Import .txt, .md and .html files (and folders of them) as sources: noise set aside "
        "with reasons, metadata inferred or taken from sources.toml, unchanged files skipped, "
        f"changed files saved as new revisions. Files over {format_size(MAX_BYTES)} are refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", default=["seeds"], metavar="PATH")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would happen and write nothing.",
        )

    def handle(self, *args, paths, dry_run, **options):
        importer = SourceImporter(dry_run=dry_run)
        if self._on_terminal():
            summary = self._run_with_progress(importer, paths, dry_run)
        else:
            summary = importer.run(paths, report=lambda outcome: self._report(outcome, dry_run))
        self.stdout.write(summary.line(dry_run=dry_run))
        if summary.failed:
            raise CommandError(f"{summary.failed} of {len(summary.outcomes)} files failed")

    def _on_terminal(self):
        return self.stdout.isatty() and sys.stdout.isatty()

    def _report(self, outcome, dry_run):
        stream = self.stderr if outcome.status == FAILED else self.stdout
        stream.write(outcome.line(dry_run=dry_run))

    def _run_with_progress(self, importer, paths, dry_run):
        total = len(discover(paths))
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

            return importer.run(paths, report=report)
