"""Settings shared by every environment; values come from the environment (12-factor)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from medvirk.identity.envconfig import providers_from_env  # plain module, no models

SRC_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = Path(os.environ.get("MEDVIRK_HOME", Path.cwd()))
VAR_DIR = BASE_DIR / "var"


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "medvirk-insecure-development-key-change-me-0123456789")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "medvirk.core",
    "medvirk.identity",
    "medvirk.organisations",
    "medvirk.processes",
    "medvirk.contributions",
    "medvirk.accountability",
    "medvirk.planning",
    "medvirk.insights",
    "medvirk.methods.information",
    "medvirk.methods.survey",
    "medvirk.methods.poll",
    "medvirk.methods.hearing",
    "medvirk.methods.panel",
    "medvirk.methods.discussion",
    "medvirk.methods.opinion_map",
    "medvirk.methods.meeting",
    "medvirk.methods.initiative",
    "medvirk.methods.ideas",
    "medvirk.methods.map_input",
    "medvirk.methods.budgeting",
    "medvirk.methods.referendum",
    "medvirk.methods.bodies",
    "medvirk.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "medvirk.core.language.PreferredLanguageMiddleware",
    "medvirk.organisations.sessions.StaffSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "medvirk.core.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "medvirk.urls"
WSGI_APPLICATION = "medvirk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "medvirk.core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'medvirk.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout so parallel requests wait for the writer instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "identity.User"
LOGIN_URL = "identity:login"
LOGIN_REDIRECT_URL = "public:home"
LOGOUT_REDIRECT_URL = "public:home"

AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Redis where production has it; the embedded default needs nothing running.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Background work: in-process for the demo, the database queue (django-tasks-db) in production.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        ),
    }
}

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norsk bokmål")), ("nn", _("Norsk nynorsk")), ("en", _("English"))]
# MEDVIRK_LOCALE_PATH lets the translation check extract messages into a scratch copy.
LOCALE_PATHS = [Path(os.environ.get("MEDVIRK_LOCALE_PATH", SRC_DIR / "locale"))]
TIME_ZONE = "Europe/Oslo"
# Dates follow the language, never the US order: medvirk/formats/<lang>/formats.py.
FORMAT_MODULE_PATH = ["medvirk.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [SRC_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "medvirk@localhost")
# Absolute links in e-mails (receipt links) need the public address of the site.
MEDVIRK_BASE_URL = os.environ.get("MEDVIRK_BASE_URL", "http://127.0.0.1:8000")

# Keyed hash for national identity numbers (never stored in clear).
MEDVIRK_IDENTITY_PEPPER = os.environ.get("MEDVIRK_IDENTITY_PEPPER", SECRET_KEY)
# The clearly marked test identity provider: never in production.
MEDVIRK_TEST_IDENTITY_PROVIDER = env_bool("MEDVIRK_TEST_IDENTITY_PROVIDER", False)
# e-ID providers (ID-porten, Feide) from MEDVIRK_IDPORTEN_* / MEDVIRK_FEIDE_* or JSON.
MEDVIRK_IDENTITY_PROVIDERS = providers_from_env(os.environ)

# Limits that keep bad input from doing harm.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
MEDVIRK_MAX_TEXT_LENGTH = 5000
# Input without a final, reasoned answer this many days after it came in is "late" in the
# inbox (no statutory deadline applies to most input; a kommune sets its own promise).
MEDVIRK_ANSWER_DAYS = int(os.environ.get("MEDVIRK_ANSWER_DAYS", "28"))
# Uploads (case documents, attachments): largest file accepted, in bytes.
MEDVIRK_UPLOAD_MAX_BYTES = int(os.environ.get("MEDVIRK_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
# Plan- og bygningsloven: a plan case is on consultation for at least six weeks (§§ 4-1,
# 11-14, 12-10); a notice of start without a planning programme may be shorter.
MEDVIRK_PLAN_MIN_DAYS = 42
# Sending arkivmeldinger to the kommune's sak/arkiv system over KS Fiks IO: the dotted path
# of a transport class (methods/hearing/transport.py). Empty: off; the ZIP download works.
MEDVIRK_FIKS_ARKIV_TRANSPORT = os.environ.get("MEDVIRK_FIKS_ARKIV_TRANSPORT", "")
# For "medvirk.methods.hearing.transport.DirectoryTransport": the folder each message is
# written to (arkivmelding.xml and its files), for archives that import a folder.
MEDVIRK_FIKS_ARKIV_DIRECTORY = os.environ.get("MEDVIRK_FIKS_ARKIV_DIRECTORY", "")
# Who may sign an innbyggerforslag (inhabitants): where a person lives comes from this
# provider (identity/residence.py). The default asks the signer to declare the address, as
# minsak.no did; a kommune with a population-register lookup plugs in its own class.
MEDVIRK_RESIDENCE_PROVIDER = os.environ.get(
    "MEDVIRK_RESIDENCE_PROVIDER", "medvirk.identity.residence.DeclaredResidence"
)
# Methods read their own settings with defaults (documented in docs/methods/<key>.md):
# MEDVIRK_INITIATIVE_* (signing months, decision months, warning days, valgperiode),
# MEDVIRK_MAP_* (tiles, limits on one mark, suppression, route trim, rate limits).

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- staff powers (issue 15) ---
# Sessions of anyone with a staff role (or Django's is_staff) end after this many minutes
# without a request, and at the latest this many hours after logging in. Residents keep
# Django's normal session.
MEDVIRK_STAFF_SESSION_IDLE_MINUTES = int(os.environ.get("MEDVIRK_STAFF_SESSION_IDLE_MINUTES", "30"))
MEDVIRK_STAFF_SESSION_MAX_HOURS = int(os.environ.get("MEDVIRK_STAFF_SESSION_MAX_HOURS", "12"))

# --- audit chain (issue 15) ---
# Key that signs the audit log (HMAC-SHA256). It lives outside the database, so someone who
# can write to the database cannot rewrite the log unnoticed. Production requires its own
# (settings/production.py); the fixed default is for the demo and tests only.
MEDVIRK_AUDIT_KEY = os.environ.get(
    "MEDVIRK_AUDIT_KEY", "medvirk-insecure-audit-key-for-the-demo-and-tests-only"
)

# --- abuse limits (issue 15) ---
# Who the client is: behind a reverse proxy, only these proxies' header is believed (list
# of addresses or networks; empty = no proxy, REMOTE_ADDR is the client). The header is read
# from the right, skipping trusted hops; see medvirk/core/clientaddr.py.
from medvirk.core.clientaddr import parse_networks  # noqa: E402 - plain module, no models
from medvirk.core.ratelimit import parse_rate  # noqa: E402

MEDVIRK_TRUSTED_PROXIES = env_list("MEDVIRK_TRUSTED_PROXIES")
MEDVIRK_CLIENT_ADDRESS_HEADER = os.environ.get("MEDVIRK_CLIENT_ADDRESS_HEADER", "X-Forwarded-For")
parse_networks(MEDVIRK_TRUSTED_PROXIES)  # a typo refuses to start instead of trusting nobody
# Limits per client (and per receiving e-mail address), as "count/period" (s, m, h, d).
MEDVIRK_RATE_LIMITS = {
    # requests to the public read-only API (/api/v1/) per client address
    "api": os.environ.get("MEDVIRK_LIMIT_API", "120/m"),
    # answer sets and questions per client, per method instance
    "input": os.environ.get("MEDVIRK_LIMIT_INPUT", "10/10m"),
    # new accounts per client
    "signup": os.environ.get("MEDVIRK_LIMIT_SIGNUP", "5/h"),
    # confirmation e-mails (address confirmation, following a case) asked for per client
    "email": os.environ.get("MEDVIRK_LIMIT_EMAIL", "10/h"),
    # confirmation e-mails sent to one address, whoever asks
    "email_to": os.environ.get("MEDVIRK_LIMIT_EMAIL_TO", "3/h"),
    # failed password logins from one client address, whatever the accounts: higher than the
    # per-account limit, because a school or an office shows many people as one address
    "login_address": os.environ.get("MEDVIRK_LIMIT_LOGIN_ADDRESS", "30/h"),
    # anonymous votes on an opinion map's statements per client, per map: one person votes
    # on dozens, and a class behind one school address votes together
    "opinion_vote": os.environ.get("MEDVIRK_LIMIT_OPINION_VOTE", "600/10m"),
}
for _rate in MEDVIRK_RATE_LIMITS.values():
    parse_rate(_rate)
# Only for load tests on a private copy; production refuses it.
MEDVIRK_RATE_LIMITS_DISABLED = env_bool("MEDVIRK_RATE_LIMITS_DISABLED", False)
# The counters live in the cache: with more than one process it must be Redis (REDIS_URL).
# A tiny install with one process may say so instead (production refuses neither set).
MEDVIRK_SINGLE_PROCESS = env_bool("MEDVIRK_SINGLE_PROCESS", False)

# Password logins (/konto/logg-inn/ and /admin/login/): django-axes counts failures per
# username and per client address in the cache; at the limit both lock for the cool-off,
# which doubles with every further attempt up to the ceiling. e-ID logins stay open.
INSTALLED_APPS = [*INSTALLED_APPS, "axes"]
MIDDLEWARE = [*MIDDLEWARE, "axes.middleware.AxesMiddleware"]  # last, as axes requires
AUTHENTICATION_BACKENDS = ["medvirk.identity.lockout.LoginLockoutBackend", *AUTHENTICATION_BACKENDS]
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"  # no rows of addresses in the database
AXES_FAILURE_LIMIT = int(os.environ.get("MEDVIRK_LOGIN_FAILURE_LIMIT", "5"))
MEDVIRK_LOGIN_COOLOFF_MINUTES = int(os.environ.get("MEDVIRK_LOGIN_COOLOFF_MINUTES", "15"))
MEDVIRK_LOGIN_COOLOFF_MAX_MINUTES = int(os.environ.get("MEDVIRK_LOGIN_COOLOFF_MAX_MINUTES", "240"))
AXES_COOLOFF_TIME = "medvirk.identity.lockout.cool_off"
# Axes locks an account; the client address has its own, higher limit of failed logins
# ("login_address" above, in identity/lockout.py), so one pupil's typos do not lock a school.
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_CLIENT_IP_CALLABLE = "medvirk.core.clientaddr.client_address"
AXES_USERNAME_CALLABLE = "medvirk.identity.lockout.username_key"
AXES_LOCKOUT_CALLABLE = "medvirk.identity.views.locked_out"
AXES_RESET_ON_SUCCESS = True  # a person who gets it right starts again from zero
AXES_ENABLE_ADMIN = False  # the cache handler keeps no rows to show
# axes.W006 asks for the address among axes' own lockout parameters: Medvirk counts failures
# per address itself, with a higher limit (identity/lockout.py, "login_address").
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
if not REDIS_URL:
    # axes warns about a per-process cache; without Redis there is one process (production
    # refuses otherwise), where the local-memory cache is exact.
    SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "axes.W001"]

# Who was heard (insights/): a group counts as under-heard when it took part at less than
# this share of its share of the population, and at least this many were expected of it.
MEDVIRK_UNDER_HEARD_RATIO = float(os.environ.get("MEDVIRK_UNDER_HEARD_RATIO", "0.5"))
MEDVIRK_UNDER_HEARD_MIN_EXPECTED = float(os.environ.get("MEDVIRK_UNDER_HEARD_MIN_EXPECTED", "5"))
