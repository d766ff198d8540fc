import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Make sure a superuser exists and print how to log in. The password comes from "
        "NEWSROOM_ADMIN_PASSWORD, or is generated afresh each run: there is no known default."
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://localhost:8000/admin/")

    def handle(self, *args, url, **options):
        username = settings.NEWSROOM_ADMIN_USER
        password = settings.NEWSROOM_ADMIN_PASSWORD or secrets.token_urlsafe(12)
        user, created = get_user_model().objects.get_or_create(
            username=username,
            defaults={"email": f"{username}@newsroom.invalid", "is_staff": True},
        )
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()
        self.stdout.write(
            self.style.SUCCESS(
                f"\nAdmin: {url}\nLog in as “{username}” with password: {password}\n"
                "(Set NEWSROOM_ADMIN_PASSWORD to choose the password; otherwise a new "
                "one is generated on every start.)\n"
            )
        )
