"""One source of truth for settings, read from the environment (see README, "Configuration")."""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "community_admin.core",
    "community_admin.org",
    "community_admin.accounts",
    "community_admin.jobs",
    "community_admin.residents",
    "community_admin.certificates",
    "community_admin.staff",
    "community_admin.admission",
    "community_admin.funding",
    "community_admin.ledgers",
    "community_admin.community_services",
    "community_admin.dashboards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After WhiteNoise (static files keep their own headers) and after authentication: core/middleware.py.
    "community_admin.core.middleware.ContentSecurityPolicyMiddleware",
    "community_admin.core.middleware.PrivateCacheMiddleware",
    "community_admin.accounts.middleware.SessionLifetimeMiddleware",
    "community_admin.accounts.middleware.PasswordChangeRequiredMiddleware",
    "community_admin.core.audit.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "community_admin.core.middleware.BadQueryMiddleware",
    # Last: refuses a full ID number in a query string (400) with the headers above already on the way out.
    "community_admin.core.middleware.IdNumberInUrlMiddleware",
]

ROOT_URLCONF = "community_admin.config.urls"
WSGI_APPLICATION = "community_admin.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "community_admin.config.navigation.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    # Sessions are read from the shared cache and written through to PostgreSQL (they survive a Redis restart).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# The dashboards' figures are cached this long (seconds; 0 computes them on every request): see README.
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=60)
# The registry's list totals are cached until a write to the registry, and at most this long (0: counted on every
# page): community_admin/core/counting.py. Only with a cache every process shares (Redis): a process's own cache
# would not hear of another process's write.
COUNT_CACHE_SECONDS = env.int("COUNT_CACHE_SECONDS", default=300 if REDIS_URL else 0)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions: 30 minutes idle, 12 hours absolute. An active session is saved (its expiry moved on) at most once a
# minute rather than on every request: accounts/middleware.py.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_REFRESH_SECONDS = env.int("SESSION_REFRESH_SECONDS", default=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)

# Login lockout: failures counted per username and, separately, per IP address.
# How many reverse proxies of ours stand in front (nginx: 1). 0: clients reach the application directly and
# REMOTE_ADDR is theirs. With N, the client is the N-th address from the right of X-Forwarded-For (core/clientip.py).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# The lockout counts per client address as core/clientip.py finds it behind TRUSTED_PROXY_COUNT proxies.
AXES_CLIENT_IP_CALLABLE = "community_admin.core.clientip.client_ip"

LANGUAGE_CODE = "zh-hans"
# The UI is Chinese only (no English catalogue): an English browser gets Chinese, Django's messages too.
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["community_admin.config.formats"]  # thousands separators for `intcomma`
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "staticfiles"))
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
# The PDF font under static/fonts is read from disk by WeasyPrint, never sent to browsers: compressing its
# 4.8 MB with Brotli would make `collectstatic` take minutes for nothing.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "otf", "ttf", "ttc")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "community_admin.core.storage.StaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Community services: activity photos and files live under MEDIA_ROOT (no MEDIA_URL is routed, so the web
# server never serves them), read back only through the scoped download view.
STORAGES["services_files"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(Path(MEDIA_ROOT) / "services"), "base_url": None},
}
SERVICES_ATTACHMENT_MAX_BYTES = env.int("SERVICES_ATTACHMENT_MAX_MB", default=10) * 1024 * 1024
# Certificates: supporting evidence lives under MEDIA_ROOT (never served by the web server: no MEDIA_URL is
# routed), read back only through the scoped download view. The verification QR code needs an absolute URL.
STORAGES["evidence"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(Path(MEDIA_ROOT) / "evidence"), "base_url": None},
}
CERTIFICATES_EVIDENCE_MAX_BYTES = env.int("CERTIFICATES_EVIDENCE_MAX_MB", default=10) * 1024 * 1024
# Other uploads (community_admin/core/uploads.py checks them all): secondment opinion scans and funding
# receipts are stored under MEDIA_ROOT; registry and ledger imports are read and never stored.
STAFF_OPINION_MAX_BYTES = env.int("STAFF_OPINION_MAX_MB", default=5) * 1024 * 1024
FUNDING_RECEIPT_MAX_BYTES = env.int("FUNDING_RECEIPT_MAX_MB", default=5) * 1024 * 1024
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_MB", default=20) * 1024 * 1024
# An import's workbook is read within bounds (community_admin/core/xlsx.py): unpacked, its parts may not exceed
# IMPORT_MAX_UNPACKED_MB (a zip of empty cells packs a thousand to one), and reading it stops after
# IMPORT_MAX_SECONDS with nothing written.
IMPORT_MAX_UNPACKED_BYTES = env.int("IMPORT_MAX_UNPACKED_MB", default=200) * 1024 * 1024
IMPORT_MAX_SECONDS = env.float("IMPORT_MAX_SECONDS", default=60.0)
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
VERIFY_RATE_LIMIT = env.int("VERIFY_RATE_LIMIT", default=20)  # lookups per IP address per window
VERIFY_RATE_WINDOW_SECONDS = env.int("VERIFY_RATE_WINDOW_SECONDS", default=600)
# Full ID numbers (residents' and workers') a user may reveal in any hour, counted from the audit log:
# community_admin/core/reveals.py. Over it the reveal is refused (429 on the API) and the refusal audited.
REVEAL_LIMIT_PER_HOUR = env.int("REVEAL_LIMIT_PER_HOUR", default=30)

# Background jobs (community_admin/jobs, README "Background jobs"). With REDIS_URL the broker is Redis and
# workers may run on any machine; without it, kombu's filesystem transport under var/ needs no server and
# serves `make demo` (web process and worker on one machine). Job state lives in the database, so Celery
# keeps no results.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
CELERY_BROKER_FOLDER = Path(env.str("CELERY_BROKER_FOLDER", default=str(VAR_DIR / "celery-broker")))
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_FOLDER),
        "data_folder_out": str(CELERY_BROKER_FOLDER),
        "control_folder": str(CELERY_BROKER_FOLDER / "control"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # long jobs: a worker takes one at a time, the others stay free
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "jobs-sweep-stale": {"task": "jobs.sweep_stale", "schedule": 60.0},
    "jobs-cleanup-results": {"task": "jobs.cleanup_results", "schedule": 3600.0},
}
# The dashboards' figures are recomputed by the scheduler before they go stale (every 4/5 of their cache time),
# so that no request waits for them: community_admin/dashboards/selectors.py refresh_cached_figures.
DASHBOARD_REFRESH_SECONDS = env.int("DASHBOARD_REFRESH_SECONDS", default=DASHBOARD_CACHE_SECONDS * 4 // 5)
if DASHBOARD_CACHE_SECONDS > 0 and DASHBOARD_REFRESH_SECONDS > 0:
    CELERY_BEAT_SCHEDULE["dashboards-refresh"] = {
        "task": "dashboards.refresh",
        "schedule": float(DASHBOARD_REFRESH_SECONDS),
        "options": {"expires": float(DASHBOARD_REFRESH_SECONDS)},  # a late refresh is skipped, not queued up
    }
# Result files live outside the web root and are served only through the scoped download view.
JOBS_RESULT_ROOT = Path(env.str("JOBS_RESULT_ROOT", default=str(VAR_DIR / "job-results")))
STORAGES["job_results"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(JOBS_RESULT_ROOT), "base_url": None},
}
JOBS_RESULT_TTL_HOURS = env.int("JOBS_RESULT_TTL_HOURS", default=72)
JOBS_HEARTBEAT_SECONDS = env.int("JOBS_HEARTBEAT_SECONDS", default=15)
JOBS_STALE_AFTER_SECONDS = env.int("JOBS_STALE_AFTER_SECONDS", default=120)
JOBS_REQUEUE_AFTER_SECONDS = env.int("JOBS_REQUEUE_AFTER_SECONDS", default=600)
# Only for the demo: slows the committee export per row so its progress bar can be watched.
JOBS_EXPORT_ROW_DELAY_MS = env.int("JOBS_EXPORT_ROW_DELAY_MS", default=0)

REST_FRAMEWORK = {
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,  # DRF's own throttles read X-Forwarded-For as core/clientip.py does
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "community_admin.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["community_admin.accounts.permissions.HasRolePermission"],
    "DEFAULT_PAGINATION_CLASS": "community_admin.core.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "community_admin.core.filters.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
        "rest_framework.filters.SearchFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "community_admin.core.api_errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Per-token rate limit of the department task API (DRF throttling over the cache: local memory in one
# process; in production set REDIS_URL so every application server counts against the same limit).
TASKS_API_RATE = env.str("TASKS_API_RATE", default="120/minute")

SPECTACULAR_SETTINGS = {
    "TITLE": "社区事务管理系统 API",
    "DESCRIPTION": "District community-affairs administration: streets, committees and the capabilities built on them.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Error answers (400/401/403/404/415) declared once for every operation: community_admin/core/openapi.py.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "community_admin.core.openapi.add_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "CommitteeKindEnum": "community_admin.org.models.Committee.Kind",
        "HouseholdSourceEnum": "community_admin.org.models.HouseholdSource",
        "HouseholdKindEnum": "community_admin.residents.models.Household.Kind",
        "PersonStatusEnum": "community_admin.residents.models.Person.Status",
        "ActivePersonStatusEnum": "community_admin.residents.models.ACTIVE_STATUS_CHOICES",
        "CertificateTierEnum": "community_admin.certificates.models.CertificateType.Tier",
        "CertificateStatusEnum": "community_admin.certificates.models.Certificate.Status",
        "ExpenditureCategoryEnum": "community_admin.funding.models.Category",
        "ActivityKindEnum": "community_admin.community_services.models.Activity.Kind",
        "OrganisationKindEnum": "community_admin.community_services.models.CommunityOrganisation.Kind",
        "OrganisationSupportKindEnum": "community_admin.community_services.models.OrganisationSupport.Kind",
        "YearlyVersionStatusEnum": "community_admin.staff.models.VersionStatus",
    },
}

# Behind a TLS-terminating proxy in production (see README).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Every page's policy (community_admin/core/middleware.py): scripts, styles and fonts from this site only, no
# inline script or style, no framing. Private files carry their own sandbox policy (core/files.py). An empty
# value sends no header; CONTENT_SECURITY_POLICY_PATHS gives a path prefix a policy of its own.
CONTENT_SECURITY_POLICY = env.str(
    "CONTENT_SECURITY_POLICY",
    default="; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "object-src 'none'",
        ]
    ),
)
# DRF's browsable API pages (its own templates) carry style attributes and a <style> element: under /api/ inline
# styles alone are allowed (inline script still is not). The API docs page needs none of it: the strict one.
CONTENT_SECURITY_POLICY_PATHS: dict[str, str] = (
    {
        "/api/": CONTENT_SECURITY_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
        "/api/v1/docs/": CONTENT_SECURITY_POLICY,
    }
    if CONTENT_SECURITY_POLICY
    else {}
)
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        # Intranet host names cannot go on the browsers' public preload list; the check would only nag.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# Demo district: one password for every demo account (printed by seed_district).
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="Demo-Password-2026")
