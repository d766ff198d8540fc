"""Settings shared by every environment. Values that differ come from the environment."""

import tempfile
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = False
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "newsroom.desk",
    "newsroom.throttling",
    "explainers",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.api.v2",
    "rest_framework",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
]

MIDDLEWARE = [
    # First: a body a path does not take is refused before anything reads it, and a forged
    # X-Forwarded-For is dropped before anything believes it.
    "newsroom.request_bodies.RequestBodyBudgetMiddleware",
    "newsroom.client_address.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session, so a reader's page from the page cache costs no session, no query.
    "explainers.page_cache.middleware.ReaderPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "newsroom.csp.NewsroomCSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "newsroom.write_transactions.WriteTransactionMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# django-axes watches every authenticate() (the admin's login form): after AXES_FAILURE_LIMIT
# wrong passwords for one username from one address, that pair is refused, even with the
# right password, for AXES_COOLOFF_TIME. Other users, and the same user elsewhere, still log
# in. Page passwords are not usernames: newsroom/lockout.py limits them per address with the
# same two settings.
AUTHENTICATION_BACKENDS = ["newsroom.lockout.LoginBackend"]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "newsroom.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
# Whose guesses they are (newsroom/client_address.py): the address in X-Forwarded-For when the
# request comes from one of NEWSROOM_TRUSTED_PROXIES (addresses or networks: Varnish, which
# sets that header to the address that connected to it), else the connecting address. From
# anyone else the header is dropped. The default trusts this machine, where deploy/ runs
# Varnish beside gunicorn.
NEWSROOM_TRUSTED_PROXIES = env.list("NEWSROOM_TRUSTED_PROXIES", default=["127.0.0.1", "::1"])
AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
# The trusted proxy sets X-Forwarded-For to one address, listing no proxy; a header that
# lists more was not written by it alone, and the connecting address is used instead.
AXES_IPWARE_PROXY_COUNT = 0
# A reader sent to log in (`/_util/login/`, a page password) whose `next` is refused (another
# site) lands on the home page, not on Django's default /accounts/profile/ (a 404 here).
LOGIN_REDIRECT_URL = "/"

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"

# SQLite by default so a newcomer needs no server; DATABASE_URL switches to PostgreSQL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Each write request is one transaction (newsroom.write_transactions): a request that fails (a
# database that goes away halfway through an admin save) leaves nothing half-saved. Readers'
# GETs open none: they only read, and most are answered from the page cache.
DATABASES["default"]["ATOMIC_REQUESTS"] = False


def concurrent_sqlite(database: dict) -> dict:
    """SQLite settings under which saves at the same moment wait their turn instead of failing.

    WAL lets readers read while one writer writes. IMMEDIATE takes the write lock when a
    transaction begins, so a second save waits (up to `timeout` seconds) and then reads what
    the first one wrote, instead of failing with "database is locked" halfway through. As
    that lock is taken at BEGIN, only write requests are wrapped in a transaction, by
    newsroom.write_transactions.WriteTransactionMiddleware, as on every database (readers'
    GETs would queue behind every save). An in-memory database ignores WAL, harmlessly.
    """
    if database["ENGINE"] != "django.db.backends.sqlite3":
        return database
    database["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL;",
        **database.get("OPTIONS", {}),
    }
    database["ATOMIC_REQUESTS"] = False
    return database


concurrent_sqlite(DATABASES["default"])

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGIN_URL = "wagtailadmin_login"

# Wagtail
WAGTAIL_SITE_NAME = "Newsroom"
# The most items one answer of the pages API lists (Wagtail's own default).
WAGTAILAPI_LIMIT_MAX = 20
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://localhost:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No avatars from gravatar.com: it would send editors' email hashes to a third party (and
# the admin's CSP blocks it).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# No autosave. Revisions are the desk's record of who changed what (the four-eyes rule reads
# them), so they are saved when an editor chooses to; and on a create form, autosave's
# background save raced a quick Publish into two copies of one claim. Wagtail still warns
# before leaving a form with unsaved changes.
WAGTAIL_AUTOSAVE_INTERVAL = 0
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
TAGGIT_CASE_INSENSITIVE = True


def forgiving(cache):
    """A Redis outage means cache misses, not failed requests."""
    if cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        cache["BACKEND"] = "newsroom.cache.ForgivingRedisCache"
    return cache


# A per-process memory cache by default; CACHE_URL (redis://…) shares one between workers.
# The read API's answers have a cache of their own ("api": the same Redis under a key prefix
# of its own, or API_CACHE_URL's; else a memory cache of its own, of bounded size), so that
# however many distinct API URLs are asked for, they never evict readers' pages.
cache_url = env("CACHE_URL", default="locmemcache://newsroom")
CACHES = {
    "default": forgiving(env.cache_url_config(cache_url)),
    "api": forgiving(env.cache_url_config(env("API_CACHE_URL", default=cache_url))),
}
CACHES["api"]["KEY_PREFIX"] = "api"
if CACHES["api"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache":
    CACHES["api"]["LOCATION"] += "-api"
    CACHES["api"].setdefault("OPTIONS", {})["MAX_ENTRIES"] = 2000

# Whole responses kept for anonymous readers (explainers.page_cache): in a cache of their own
# ("pages", PAGE_CACHE_URL or CACHE_URL's Redis under a prefix of its own). Purges are
# recorded there without expiry: give that Redis `maxmemory-policy volatile-lru`, so only
# responses (which expire) are ever evicted. A memory cache is per process: fine for one
# process, but several processes need Redis to see each other's purges.
CACHES["pages"] = forgiving(env.cache_url_config(env("PAGE_CACHE_URL", default=cache_url)))
CACHES["pages"]["KEY_PREFIX"] = "pages"
if CACHES["pages"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache":
    CACHES["pages"]["LOCATION"] += "-pages"
    CACHES["pages"].setdefault("OPTIONS", {})["MAX_ENTRIES"] = 100_000
# How long the origin keeps a response (0: not at all; purges end it sooner), and what
# Cache-Control tells browsers (max-age), shared caches (s-maxage, purged too) and both
# about serving a copy while fetching a new one (stale-while-revalidate).
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=3600)
# Responses each process also keeps in its own memory (checked against the purge records on
# every hit), so a hit does not fetch the whole page from Redis.
PAGE_CACHE_LOCAL_ENTRIES = env.int("PAGE_CACHE_LOCAL_ENTRIES", default=200)
PAGE_CACHE_BROWSER_SECONDS = env.int("PAGE_CACHE_BROWSER_SECONDS", default=0)
PAGE_CACHE_SHARED_SECONDS = env.int("PAGE_CACHE_SHARED_SECONDS", default=3600)
PAGE_CACHE_STALE_SECONDS = env.int("PAGE_CACHE_STALE_SECONDS", default=60)
# Paths whose answers no shared cache may keep, whoever asks.
PAGE_CACHE_PRIVATE_PATHS = ("/admin/", "/django-admin/", "/_util/")
# The edge: with VARNISH_URL (http://127.0.0.1:6081), every purge goes to that Varnish too,
# by surrogate key (deploy/varnish/default.vcl). A CDN is configured here instead (README).
WAGTAILFRONTENDCACHE = {}
if env("VARNISH_URL", default=""):
    WAGTAILFRONTENDCACHE["varnish"] = {
        "BACKEND": "explainers.page_cache.edge.VarnishXkeyBackend",
        "LOCATION": env("VARNISH_URL"),
    }

# Celery: without CELERY_BROKER_URL, tasks run in-process when they are sent. Celery still
# takes a producer to send an eager task, so the in-memory transport stands in for a broker.
CELERY_TASK_ALWAYS_EAGER = not env("CELERY_BROKER_URL", default="")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="memory://localhost/")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A worker child whose resident memory is over this many KiB after a task is replaced by a
# fresh one, so one hostile page's leftovers never weigh on the next import.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=512_000)
# The ceiling within a task: each worker child's address space is capped at this many MB
# (newsroom.desk.signal_handlers), so a task that would grow past it gets a MemoryError (an
# import run fails "out of memory", never delivered again) instead of the kernel choosing
# which process on the machine to kill. Django, Wagtail and the fetch threads take about
# 1 GB of address space; 0 sets no ceiling.
NEWSROOM_WORKER_MEMORY_MB = env.int("NEWSROOM_WORKER_MEMORY_MB", default=2048)
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "publish-scheduled-pages": {"task": "explainers.publish_scheduled", "schedule": 60.0},
    "sweep-stale-related-stories": {"task": "explainers.sweep_stale_related", "schedule": 60.0},
    "fail-abandoned-imports": {"task": "newsroom.fail_abandoned_imports", "schedule": 60.0},
    "forget-expired-guesses": {"task": "newsroom.forget_expired_guesses", "schedule": 3600.0},
    "audit-evidence-nightly": {
        "task": "newsroom.audit_evidence",
        "schedule": crontab(hour=3, minute=15),
    },
}

# Related stories: how many a widget shows; how long a burst of edits is gathered into one
# task; how long a sent task is trusted before a page may be sent again; and how old a stale
# marker must be before beat's sweeper recomputes it itself.
RELATED_STORIES_COUNT = 5
RELATED_STORIES_DELAY = env.float("RELATED_STORIES_DELAY", default=2.0)
RELATED_STORIES_QUEUE_TTL = 120
RELATED_STORIES_SWEEP_AFTER = 60

# Content-Security-Policy (django-csp 4): readers' pages run no inline script or style.
# Wagtail's admin needs both; newsroom.csp.NewsroomCSPMiddleware allows them under /admin/ only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# The evidence desk
NEWSROOM_IMPORT_MAX_BYTES = 5 * 1024 * 1024
NEWSROOM_SEEDS_DIR = BASE_DIR / "seeds"
# Web pages as sources (newsroom/desk/importing/fetching.py): each fetch waits at most
# NEWSROOM_FETCH_TIMEOUT seconds to connect or for data, and at most NEWSROOM_FETCH_DEADLINE
# seconds for the whole exchange (lookup, connect, TLS, headers, body and every redirect);
# reads at most NEWSROOM_IMPORT_MAX_BYTES off the wire and as much once decompressed,
# follows at most NEWSROOM_FETCH_MAX_REDIRECTS redirects, and NEWSROOM_FETCH_CONCURRENCY
# run at once. Only public addresses are fetched; NEWSROOM_FETCH_ALLOWED_NETWORKS lets in
# networks that are not (e.g. "10.0.0.0/8" for a newsroom's intranet, "127.0.0.0/8" for
# tests). Empty by default.
NEWSROOM_FETCH_TIMEOUT = env.float("NEWSROOM_FETCH_TIMEOUT", default=10.0)
NEWSROOM_FETCH_DEADLINE = env.float("NEWSROOM_FETCH_DEADLINE", default=20.0)
NEWSROOM_FETCH_MAX_REDIRECTS = 5
NEWSROOM_FETCH_CONCURRENCY = env.int("NEWSROOM_FETCH_CONCURRENCY", default=8)
NEWSROOM_FETCH_ALLOWED_NETWORKS = env.list("NEWSROOM_FETCH_ALLOWED_NETWORKS", default=[])
# Files uploaded on the admin's Import sources page: at most this many per import, each at
# most NEWSROOM_IMPORT_MAX_BYTES, kept in a private folder (never under MEDIA_ROOT or
# STATIC_ROOT) until the import has read them, then deleted.
NEWSROOM_IMPORT_MAX_FILES = env.int("NEWSROOM_IMPORT_MAX_FILES", default=20)
NEWSROOM_IMPORT_MAX_URLS = env.int("NEWSROOM_IMPORT_MAX_URLS", default=100)
# How long one import task (an admin import, or a re-capture) may run: at the soft limit it
# stops and its run fails with the reason; at the hard limit its worker child is killed
# and the run fails the same way. Either way the task is never delivered again (acks early,
# not requeued when its worker is lost): a page that killed a worker is not fetched twice.
NEWSROOM_IMPORT_TASK_SOFT_SECONDS = env.int("NEWSROOM_IMPORT_TASK_SOFT_SECONDS", default=600)
NEWSROOM_IMPORT_TASK_HARD_SECONDS = env.int("NEWSROOM_IMPORT_TASK_HARD_SECONDS", default=660)
# Request bodies (newsroom/request_bodies.py, and Varnish in deploy/): readers' paths take
# none; the admin takes up to the import's allowance (NEWSROOM_IMPORT_MAX_FILES files of
# NEWSROOM_IMPORT_MAX_BYTES, and 1 MiB for the rest of the form: 101 MiB by default); the
# login and password forms under /_util/ up to NEWSROOM_FORM_MAX_BODY_BYTES. Past it, 413,
# before the body is read. Within it, Django keeps at most DATA_UPLOAD_MAX_MEMORY_SIZE of
# form fields in memory, files past FILE_UPLOAD_MAX_MEMORY_SIZE go to a temporary file, and
# a form may hold DATA_UPLOAD_MAX_NUMBER_FIELDS fields and DATA_UPLOAD_MAX_NUMBER_FILES files
# (twice what the import takes, so one file too many still gets the import's own message).
NEWSROOM_FORM_MAX_BODY_BYTES = env.int("NEWSROOM_FORM_MAX_BODY_BYTES", default=64 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 2 * NEWSROOM_IMPORT_MAX_FILES
NEWSROOM_IMPORT_UPLOAD_DIR = Path(
    env("NEWSROOM_IMPORT_UPLOAD_DIR", default=str(Path(tempfile.gettempdir()) / "newsroom-imports"))
)
# Verification: the verifier neither wrote the claim nor edited it since its last decision
# (relax for one-person newsrooms), and "verified" needs supporting quotes from this many
# distinct outlets, or a single-source note.
NEWSROOM_FOUR_EYES = env.bool("NEWSROOM_FOUR_EYES", default=True)
NEWSROOM_MIN_OUTLETS = env.int("NEWSROOM_MIN_OUTLETS", default=2)
# Similar claims (newsroom.desk.similar_claims), scored from 0 to 1: from "suggested" up a
# claim is listed beside the form; from "confirmed" up saving warns of a near-duplicate.
NEWSROOM_SIMILAR_SUGGESTED = env.float("NEWSROOM_SIMILAR_SUGGESTED", default=0.6)
NEWSROOM_SIMILAR_CONFIRMED = env.float("NEWSROOM_SIMILAR_CONFIRMED", default=0.85)
# The superuser `manage.py ensure_admin` makes for the README's start command; with no
# password set, it makes a new one on every start (there is no known default).
NEWSROOM_ADMIN_USER = env("NEWSROOM_ADMIN_USER", default="admin")
NEWSROOM_ADMIN_PASSWORD = env("NEWSROOM_ADMIN_PASSWORD", default="")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Budgets for reading an imported file (issue #25; the README's security section lists them).
# A PDF or Word file is read in a child process killed after NEWSROOM_PARSE_SECONDS and
# limited to NEWSROOM_PARSE_MEMORY_MB of address space, reading at most
# NEWSROOM_DOCUMENT_MAX_PAGES pages and NEWSROOM_DOCUMENT_MAX_CHARS characters. A Word file
# may unzip to at most NEWSROOM_DOCUMENT_MAX_UNZIPPED_MB in all, and no large part of it to
# more than NEWSROOM_DOCUMENT_MAX_RATIO times its compressed size (a zip bomb). A caption
# file may hold at most NEWSROOM_CAPTION_MAX_CUES cues.
NEWSROOM_PARSE_SECONDS = env.int("NEWSROOM_PARSE_SECONDS", default=20)
NEWSROOM_PARSE_MEMORY_MB = env.int("NEWSROOM_PARSE_MEMORY_MB", default=512)
NEWSROOM_DOCUMENT_MAX_PAGES = env.int("NEWSROOM_DOCUMENT_MAX_PAGES", default=500)
NEWSROOM_DOCUMENT_MAX_CHARS = env.int("NEWSROOM_DOCUMENT_MAX_CHARS", default=2_000_000)
NEWSROOM_DOCUMENT_MAX_UNZIPPED_MB = env.int("NEWSROOM_DOCUMENT_MAX_UNZIPPED_MB", default=100)
NEWSROOM_DOCUMENT_MAX_RATIO = env.int("NEWSROOM_DOCUMENT_MAX_RATIO", default=100)
NEWSROOM_CAPTION_MAX_CUES = env.int("NEWSROOM_CAPTION_MAX_CUES", default=50_000)
