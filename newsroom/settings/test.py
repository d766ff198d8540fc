"""The test suite: SQLite in memory unless DATABASE_URL names PostgreSQL."""

from .base import *  # noqa: F403
from .base import BASE_DIR, concurrent_sqlite, env

SECRET_KEY = "test-only-key"
DEBUG = False
ALLOWED_HOSTS = ["*"]
DATABASES = {"default": env.db("DATABASE_URL", default="sqlite:///:memory:")}
concurrent_sqlite(DATABASES["default"])
# First, so the browser tests' teardown can wait for every request the live server is
# still answering (tests/requests_in_progress.py).
MIDDLEWARE = ["tests.requests_in_progress.CountRequestsInProgress", *MIDDLEWARE]  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "media-test"
WAGTAILADMIN_BASE_URL = "http://testserver"
