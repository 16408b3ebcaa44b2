"""Django settings for fremdrift, driven by environment variables.

Production differs from a laptop only by environment, never by a file:
  FREMDRIFT_DATABASE_URL   a database URL (postgres://user@host:5432/name);
                           unset means the embedded SQLite database
  FREMDRIFT_SQLITE_PATH    where the SQLite file lives when no URL is set
                           (default: var/fremdrift.sqlite3 under the current
                           directory)
  FREMDRIFT_SECRET_KEY     required when FREMDRIFT_DEBUG is off
  FREMDRIFT_DEBUG          "1" for development
  FREMDRIFT_ALLOWED_HOSTS  comma-separated host names
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("FREMDRIFT_DEBUG", default=False)
SECRET_KEY = os.environ.get("FREMDRIFT_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and env_bool("FREMDRIFT_REQUIRE_SECRET", default=False):
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
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "fremdrift.plans",
    "fremdrift.accounts",
    "fremdrift.statistics",
    "fremdrift.registrations",
    "fremdrift.evidence",
    "fremdrift.reports",
    "fremdrift.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "fremdrift.web.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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


def database_config() -> dict[str, object]:
    url = os.environ.get("FREMDRIFT_DATABASE_URL", "").strip()
    if url:
        config: dict[str, object] = dj_database_url.parse(url, conn_max_age=60)
        return config
    path = sqlite_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            # WAL lets the web app read while an import writes; IMMEDIATE
            # transactions take the write lock up front instead of failing
            # with "database is locked" half-way through an import.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA foreign_keys=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
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
FILE_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

STATIC_URL = "static/"
STATIC_ROOT = Path(
    os.environ.get("FREMDRIFT_STATIC_ROOT", Path.cwd() / "var" / "static")
)

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "registrations:home"
LOGOUT_REDIRECT_URL = "accounts:login"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
