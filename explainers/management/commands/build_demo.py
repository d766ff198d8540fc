"""Build and publish the demo explainers from the imported seed sources, as the demo data
file beside the seeds describes them (explainers.demo_data reads and checks it whole;
explainers.demo builds it in one transaction, and brings an older demo up to date)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from explainers.demo import DemoBuilder, demo_users
from explainers.demo_data import DEMO_DATA_NAME, DemoReader


class Command(BaseCommand):
    help = (
        "Build and publish the demo explainers from the imported seed sources, as the demo "
        "data file describes them; run again, bring them up to date with it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data",
            type=Path,
            metavar="PATH",
            help=f"The demo data file (default: {DEMO_DATA_NAME} in NEWSROOM_SEEDS_DIR).",
        )

    def handle(self, *args, data=None, **options):
        path = data or Path(settings.NEWSROOM_SEEDS_DIR) / DEMO_DATA_NAME
        with transaction.atomic():
            demo = DemoReader(path).read()
            lines = DemoBuilder(demo, *demo_users()).build()
        for line in lines:
            self.stdout.write(line)
