"""Recompute related-stories widgets: the stale ones, or with --all every one from scratch."""

import time

from django.core.management.base import BaseCommand
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from explainers.models import RelatedState
from explainers.related import regeneration


class Command(BaseCommand):
    help = (
        "Recompute the related-stories widgets still marked stale, now and in this process. "
        "With --all, re-index every live explainer and recompute every widget."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all",
            action="store_true",
            help="Re-index every live explainer and recompute every widget.",
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        columns = (
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, transient=False) as progress:
            if options["all"]:
                task = progress.add_task("Rebuilding related stories", total=None)
                count = regeneration.rebuild_all(
                    progress=lambda done, total: progress.update(task, completed=done, total=total)
                )
            else:
                stale = list(RelatedState.objects.filter(stale=True).values_list("pk", flat=True))
                task = progress.add_task("Recomputing stale widgets", total=len(stale))
                count = 0
                batch_size = regeneration.BATCH_SIZE
                for start in range(0, len(stale), batch_size):
                    count += regeneration.regenerate_related(stale[start : start + batch_size])
                    progress.update(task, completed=min(start + batch_size, len(stale)))
        elapsed = time.monotonic() - started
        self.stdout.write(f"Recomputed {count} related-stories widgets in {elapsed:.1f}s.")
