"""Django settings for fremdrift, driven by environment variables.

Production differs from a laptop only by environment, never by a file
(docs/deployment.md shows a production environment):
  FREMDRIFT_DATABASE_URL   a database URL (postgres://user@host:5432/name);
                           unset means the embedded SQLite database
  FREMDRIFT_SQLITE_PATH    where the SQLite file lives when no URL is set
                           (default: var/fremdrift.sqlite3 under the current
                           directory)
  FREMDRIFT_SECRET_KEY     required when FREMDRIFT_HTTPS is on (or
                           FREMDRIFT_REQUIRE_SECRET=1); 50 or more random
                           characters
  FREMDRIFT_DEBUG          "1" for development
  FREMDRIFT_ALLOWED_HOSTS  comma-separated host names
  FREMDRIFT_HTTPS          "1" behind the TLS-terminating reverse proxy:
                           redirect to HTTPS, secure cookies (with the
                           __Host- prefix), HSTS for a year with subdomains
                           and preload, and trust the proxy's
                           X-Forwarded-Proto header
  FREMDRIFT_CLIENT_IP_HEADER  the header the proxy puts the visitor's address
                           in, for login throttling (default X-Real-IP when
                           FREMDRIFT_HTTPS is on, else none: the connection's
                           address); set it empty to use the connection's
  FREMDRIFT_STATIC_MANIFEST "1" after `fremdrift collectstatic` (run with it
                           set): serve the collected, hashed and compressed
                           files from FREMDRIFT_STATIC_ROOT; off, static files
                           are served straight from the apps (tests, demo)
  FREMDRIFT_STATIC_ROOT    where collectstatic writes (default var/static)
  FREMDRIFT_MEDIA_ROOT     uploaded evidence (default var/media)
  FREMDRIFT_CACHE_DIR      the cache of materialised measures, shared by
                           every process on the server (default var/cache)
  FREMDRIFT_REDIS_URL      redis://host:6379/0: keep that cache in Redis
                           instead, shared by several app servers
                           and the rate limits' counters (a deployment
                           of more than one process must set it)
  FREMDRIFT_API_RATE       API requests allowed per user (bearer token), or
                           per address without one (default 120/m; n/s,
                           n/m, n/h or n/d)
  FREMDRIFT_DOWNLOAD_RATE  file downloads of the web pages allowed per user,
                           or per address when not logged in (default 30/m)
  FREMDRIFT_SESSION_IDLE_MINUTES  log out after this long without a request
                           (default 30)
  FREMDRIFT_SESSION_HOURS  log out this long after logging in, however active
                           (default 10)
  FREMDRIFT_PDF_MEMORY_MB  the address space a PDF's typesetting process may
                           use, in MB (default 2048)
  FREMDRIFT_PDF_TIMEOUT_SECONDS  the time it may take (default 300)
  FREMDRIFT_PDF_NICENESS  its scheduling priority, 1-19 (nice; default 10:
                           web requests on the same machine go first)
  FREMDRIFT_TYPESETTING_CONCURRENCY  how many reports the task workers
                           (`fremdrift db_worker`) typeset at once, across
                           every worker on every machine (default 2)
  FREMDRIFT_QUEUE_LARGE_CRITERIA  a plan with more criteria than this has
                           its DOCX and XLSX made by the workers too, not
                           only its PDF (default 150)
  FREMDRIFT_REPORT_FILE_RETENTION_HOURS  how long a report file made from
                           data since changed, or a failed one, is kept
                           before it is pruned (default 24)
  FREMDRIFT_ISSUE_REQUEST_RETENTION_DAYS  how long a finished request to
                           issue a report is kept (default 30; the issued
                           report itself is kept for good)
  FREMDRIFT_PENDING_UPLOAD_HOURS  how long an uploaded statistics file or
                           plan folder waits for its confirmation before it
                           is pruned (default 24)
  FREMDRIFT_LOGIN_FAILURE_LIMIT  failed logins per user name and address
                           before both are locked (default 5)
  FREMDRIFT_LOGIN_ADDRESS_FAILURE_LIMIT  failed logins per address, any user
                           name, before the address is locked (default 30)
  FREMDRIFT_LOGIN_USER_FAILURE_LIMIT  failed logins per user name, any
                           address, before a password-only account is
                           locked (default 10)
  FREMDRIFT_LOGIN_LOCKOUT_MINUTES  how long a lock lasts, and the window
                           failures are counted in (default 15)
  FREMDRIFT_UPLOAD_MAX_MB  the most a request with files may send, in MB
                           (default 12; the statistics upload has its own,
                           larger limit); past it the upload is refused
                           without reading the rest
  FREMDRIFT_DEMO           "1" only for `make demo` on 127.0.0.1: lets
                           `fremdrift demo_users` and `fremdrift demo_totp` run
                           (both from fremdrift-demo, installed only with
                           FREMDRIFT_HTTPS off)
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number") from None
    if number <= 0:
        raise ImproperlyConfigured(f"{name} must be positive")
    return number


DEBUG = env_bool("FREMDRIFT_DEBUG", default=False)
# Read by `fremdrift check --deploy`, which warns (accounts/checks.py).
FREMDRIFT_DEMO = env_bool("FREMDRIFT_DEMO", default=False)
FREMDRIFT_HTTPS = env_bool("FREMDRIFT_HTTPS", default=False)
SECRET_KEY = os.environ.get("FREMDRIFT_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and (
        FREMDRIFT_HTTPS or env_bool("FREMDRIFT_REQUIRE_SECRET", default=False)
    ):
        raise ImproperlyConfigured("FREMDRIFT_SECRET_KEY must be set in production")
    # A local development key: the demo serves on 127.0.0.1 only.
    SECRET_KEY = "fremdrift-local-development-key-not-for-production"

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get(
        "FREMDRIFT_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver"
    ).split(",")
    if host.strip()
]

INSTALLED_APPS = [
    # Django's admin, on a site that requires a confirmed one-time code.
    "fremdrift.accounts.admin_config.FremdriftAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # runserver serves static files through WhiteNoise too, as production.
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    # Rate limits on the API and downloads (audit/ratelimits.py); the app
    # adds the system checks of the cache it counts in.
    "django_ratelimit",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    # Django's Tasks API (the backport) with its database backend: reports
    # are typeset by `fremdrift db_worker` processes (reports/tasks.py).
    "django_tasks",
    "django_tasks_db",
    # Change history (who, when, old -> new) of the plan, the statistics
    # and the registrations: one historical table per model.
    "simple_history",
    # The domain, bottom to top (DEVELOPERS.md draws the layers).
    "fremdrift.plans",
    "fremdrift.accounts",
    "fremdrift.audit",
    "fremdrift.statistics",
    "fremdrift.registrations",
    "fremdrift.evidence",
    "fremdrift.planfiles",
    "fremdrift.evaluation",
    "fremdrift.areastatus",
    "fremdrift.reports",
    "fremdrift.privacy",
    "fremdrift.web",
    "fremdrift.editor",
    "fremdrift.api",
]
# The demo and benchmark generators (the fremdrift-demo distribution in
# demo/: demo_registrations, demo_users, demo_totp, bench) on a developer's
# machine, where `make install` puts them; never behind HTTPS, even if the
# package was installed there by mistake.
if not FREMDRIFT_HTTPS and importlib.util.find_spec("fremdrift_demo") is not None:
    INSTALLED_APPS.append("fremdrift_demo")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files are answered here, before sessions and logins.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # One fremdrift.security line for every refused request, whatever
    # refused it (the middleware below included): audit/security_log.py.
    "fremdrift.audit.security_log.SecurityLogMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "fremdrift.web.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # user.is_verified(): has the user confirmed a one-time code?
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The logged-in user, for the change history's "who".
    "simple_history.middleware.HistoryRequestMiddleware",
    # Idle and absolute session limits (needs messages: it says why).
    "fremdrift.accounts.middleware.SessionTimeoutMiddleware",
    # Administrators and coordinators reach nothing before the code.
    "fremdrift.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "fremdrift.accounts.middleware.NoStoreMiddleware",
    # A download past its rate (audit/ratelimits.py): django-ratelimit's
    # Ratelimited becomes the 429 page (RATELIMIT_VIEW).
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as django-axes asks: turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "fremdrift.urls"
WSGI_APPLICATION = "fremdrift.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def sqlite_path() -> Path:
    configured = os.environ.get("FREMDRIFT_SQLITE_PATH")
    if configured:
        return Path(configured).expanduser().resolve()
    return Path.cwd() / "var" / "fremdrift.sqlite3"


# What every SQLite database gets, however it is named (a path, or a
# sqlite:/// URL): WAL lets the web app read while an import writes;
# IMMEDIATE transactions take the write lock up front instead of failing
# with "database is locked" half-way through an import; a second writer
# waits up to the timeout (seconds) for the first.
SQLITE_OPTIONS: dict[str, object] = {
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
    ),
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}


def database_config() -> dict[str, object]:
    url = os.environ.get("FREMDRIFT_DATABASE_URL", "").strip()
    if url:
        config: dict[str, object] = dj_database_url.parse(url, conn_max_age=60)
        if config.get("ENGINE") == "django.db.backends.sqlite3":
            # dj_database_url gives a sqlite:/// URL no options: without
            # these a second concurrent writer died at once.
            given = config.get("OPTIONS")
            config["OPTIONS"] = {
                **SQLITE_OPTIONS,
                **(given if isinstance(given, dict) else {}),
            }
            # A persistent connection keeps SQLite's WAL readers apart for
            # nothing; SQLite connections are cheap.
            config["CONN_MAX_AGE"] = 0
        return config
    path = sqlite_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": dict(SQLITE_OPTIONS),
    }


DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "da"
LANGUAGES = [("da", "Dansk"), ("en", "English")]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [PACKAGE_DIR / "locale"]

# Uploaded evidence (photos, documents); not served publicly: downloads go
# through views that check access.
MEDIA_ROOT = Path(os.environ.get("FREMDRIFT_MEDIA_ROOT", Path.cwd() / "var" / "media"))
MEDIA_URL = "/media-not-served/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# Uploads stream to a temporary file past 1 MB, and a request whose files
# pass FREMDRIFT_UPLOAD_MAX_MB (or its view's own limit) is refused without
# reading the rest (base/uploads.py).
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
FREMDRIFT_UPLOAD_MAX_BYTES = env_int("FREMDRIFT_UPLOAD_MAX_MB", 12) * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "fremdrift.base.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

STATIC_URL = "static/"
STATIC_ROOT = Path(
    os.environ.get("FREMDRIFT_STATIC_ROOT", Path.cwd() / "var" / "static")
)
# Hashed, compressed, cached for a year: only once collectstatic has run
# with this storage. Until then (tests, the demo, a laptop) WhiteNoise serves
# the apps' static folders directly and nothing needs collecting.
FREMDRIFT_STATIC_MANIFEST = (
    env_bool("FREMDRIFT_STATIC_MANIFEST", default=False) and not DEBUG
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if FREMDRIFT_STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not FREMDRIFT_STATIC_MANIFEST


def static_file_headers(headers: dict[str, str], path: str, url: str) -> None:
    """The headers of every page on static files too: WhiteNoise answers
    them before the CSP and clickjacking middleware run (an SVG opened on
    its own is a document that could run script or be framed)."""
    from csp.utils import build_policy

    headers["Content-Security-Policy"] = build_policy()
    headers["X-Frame-Options"] = X_FRAME_OPTIONS


WHITENOISE_ADD_HEADERS_FUNCTION = static_file_headers
if not FREMDRIFT_STATIC_MANIFEST:
    # WhiteNoise also serves STATIC_ROOT and warns when it is missing.
    with contextlib.suppress(OSError):
        STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# The cache holds materialised measures (base/freshness.py), keyed by a
# per-plan data token that every write renews, so it must be one cache that
# every app process shares: files under var/cache by default (one server),
# Redis when FREMDRIFT_REDIS_URL is set (several app servers).
FREMDRIFT_REDIS_URL = os.environ.get("FREMDRIFT_REDIS_URL", "").strip()
if FREMDRIFT_REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": FREMDRIFT_REDIS_URL,
            "KEY_PREFIX": "fremdrift",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(
                Path(
                    os.environ.get("FREMDRIFT_CACHE_DIR", Path.cwd() / "var" / "cache")
                )
            ),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

# Rate limits (audit/ratelimits.py): django-ratelimit counts in a cache of
# its own, which must be shared by every app process and increment
# atomically. Redis (Django's RedisCache, INCR) when FREMDRIFT_REDIS_URL is
# set; else this process's memory, right for the single process of a
# laptop or `make demo` only: several processes would each count apart, so
# a multi-process deployment must set FREMDRIFT_REDIS_URL (docs/deployment.md;
# `check --deploy` warns, accounts/checks.py).
RATELIMIT_USE_CACHE = "ratelimit"
if FREMDRIFT_REDIS_URL:
    CACHES["ratelimit"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": FREMDRIFT_REDIS_URL,
        "KEY_PREFIX": "fremdrift-ratelimit",
    }
    # django-ratelimit lists only django-redis's RedisCache as supported;
    # Django's own increments atomically too (INCRBY).
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
else:
    CACHES["ratelimit"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fremdrift-ratelimit",
    }
    # LocMemCache "is not a shared cache" (E003, and W001 "not officially
    # supported"): true, and fine for the one process this set-up runs;
    # the deploy check warns when FREMDRIFT_HTTPS is on without Redis.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
RATELIMIT_VIEW = "fremdrift.audit.ratelimits.rate_limited"
# The visitor's address as the login throttling reads it (behind the proxy,
# its header).
RATELIMIT_IP_META_KEY = "fremdrift.accounts.lockout.client_ip_address"
FREMDRIFT_API_RATE = os.environ.get("FREMDRIFT_API_RATE", "120/m").strip()
FREMDRIFT_DOWNLOAD_RATE = os.environ.get("FREMDRIFT_DOWNLOAD_RATE", "30/m").strip()

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "registrations:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Passwords: argon2id first (new and re-saved hashes); the others only to
# check, and then upgrade, hashes made before.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {
        "NAME": (
            "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
        )
    },
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "fremdrift.accounts.passwords.ServiceWordsValidator"},
    {"NAME": "fremdrift.accounts.passwords.UserNameValidator"},
]

# django-axes checks every login before the password is tried
# (fremdrift/accounts/lockout.py explains the limits).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "fremdrift.accounts.lockout.LoginAttemptHandler"
AXES_FAILURE_LIMIT = env_int("FREMDRIFT_LOGIN_FAILURE_LIMIT", 5)
FREMDRIFT_LOGIN_ADDRESS_FAILURE_LIMIT = env_int(
    "FREMDRIFT_LOGIN_ADDRESS_FAILURE_LIMIT", 30
)
FREMDRIFT_LOGIN_USER_FAILURE_LIMIT = env_int("FREMDRIFT_LOGIN_USER_FAILURE_LIMIT", 10)
# Per user name and address, per address, and per user name alone for an
# account without an authenticator (lockout.lockout_parameters).
AXES_LOCKOUT_PARAMETERS = "fremdrift.accounts.lockout.lockout_parameters"
AXES_COOLOFF_TIME = timedelta(minutes=env_int("FREMDRIFT_LOGIN_LOCKOUT_MINUTES", 15))
# A try during the lock does not restart it: the page's "N minutes" holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "fremdrift.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "fremdrift.accounts.lockout.client_ip_address"
FREMDRIFT_CLIENT_IP_HEADER = os.environ.get(
    "FREMDRIFT_CLIENT_IP_HEADER", "X-Real-IP" if FREMDRIFT_HTTPS else ""
).strip()

# Two-factor: TOTP (RFC 6238) apps; the admin does not show the keys.
OTP_TOTP_ISSUER = "fremdrift"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Sessions: in the database (so a deactivated user's can be deleted), gone
# when the browser closes, after FREMDRIFT_SESSION_IDLE_MINUTES without a
# request, and FREMDRIFT_SESSION_HOURS after login at the latest
# (accounts.middleware.SessionTimeoutMiddleware enforces both).
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# PDFs are typeset by a child process (reports/typesetting.py) with these
# limits: a national plan's final report (109 pages, 75 charts) needs about
# 510 MB resident and 630 MB of address space.
PDF_MEMORY_MB = env_int("FREMDRIFT_PDF_MEMORY_MB", 2048)
PDF_TIMEOUT_SECONDS = env_int("FREMDRIFT_PDF_TIMEOUT_SECONDS", 300)
# The typesetting process's scheduling priority (nice): below the web
# requests' on the same machine (reports/typesetting.py).
PDF_NICENESS = env_int("FREMDRIFT_PDF_NICENESS", 10)
# Typesetting runs in task workers, off the request path: the queue lives in
# the database (SQLite on a laptop, PostgreSQL for several app servers and
# workers), and at most FREMDRIFT_TYPESETTING_CONCURRENCY jobs typeset at
# once however many workers run (reports/tasks.py holds the slots).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
TYPESETTING_CONCURRENCY = max(1, env_int("FREMDRIFT_TYPESETTING_CONCURRENCY", 2))
QUEUE_LARGE_CRITERIA = env_int("FREMDRIFT_QUEUE_LARGE_CRITERIA", 150)
# Stale and failed report files are pruned after this (reports/queue.py).
REPORT_FILE_RETENTION_HOURS = max(
    1, env_int("FREMDRIFT_REPORT_FILE_RETENTION_HOURS", 24)
)
# Finished issue requests are pruned after this (reports/issuing.py).
ISSUE_REQUEST_RETENTION_DAYS = max(
    1, env_int("FREMDRIFT_ISSUE_REQUEST_RETENTION_DAYS", 30)
)
# Uploads kept between their preview and their confirmation (statistics
# files, plan folders) are pruned after this (base/pending.py).
PENDING_UPLOAD_HOURS = max(1, env_int("FREMDRIFT_PENDING_UPLOAD_HOURS", 24))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = env_int("FREMDRIFT_SESSION_HOURS", 10) * 3600
FREMDRIFT_SESSION_IDLE_MINUTES = env_int("FREMDRIFT_SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# A refused form explained in the site's layout and language.
CSRF_FAILURE_VIEW = "fremdrift.web.errors.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if FREMDRIFT_HTTPS:
    SECURE_SSL_REDIRECT = True
    # The proxy terminates TLS and says so; it overwrites any such header a
    # client sends (docs/deployment.md).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # __Host-: only ever sent over HTTPS, to this host, for every path.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# Content Security Policy (django-csp): scripts and stylesheets only from
# our own static files, no plugins, no framing, forms post only to us.
# Style *attributes* stay allowed: the charts are matplotlib's inline SVG,
# which draws with them; they cannot run script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Operations log: security events (refused access, django-axes lockouts,
# Django's own suspicious-operation and CSRF reports) go to stderr, one line
# each, where gunicorn's or systemd's journal keeps them (docs/deployment.md).
# The access log of personal data is not here: it is the audit app's table.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "line"},
    },
    # Everything at WARNING and above reaches stderr through the root
    # logger (and so also pytest's log capture in tests).
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {
        "fremdrift.security": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        # WeasyPrint warns about every SVG property it does not lay out
        # (the charts' fill and stroke): noise, not operations news.
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
    },
}
