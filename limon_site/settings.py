"""LiMon settings: every knob comes from the environment (documented in README.md).

Development defaults exist only while DEBUG is on; with DEBUG off a missing SECRET_KEY is a
startup error, never a silent fallback.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("LIMON_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


LIMON_VERSION = "0.1.0"
DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("LIMON_TESTING", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
_secret_file = Path(os.environ.get("SECRET_KEY_FILE", VAR_DIR / "secret_key"))
if not SECRET_KEY and _secret_file.is_file():
    # Written once by `make demo` (random, never in the repository).
    SECRET_KEY = _secret_file.read_text().strip()
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-only-" + "x" * 40
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable "
            "(for example: python -c 'import secrets; print(secrets.token_urlsafe(50))'). "
            "Only DEBUG=true runs without one."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "corsheaders",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_q",
    "limon_site",
    "limon_site.webhooks",
    "monitoring",
    "licensing",
    "leads",
    "reports",
]

MIDDLEWARE = [
    "limon_site.middleware.RequestIdMiddleware",
    "limon_site.middleware.ApiErrorEnvelopeMiddleware",
    "limon_site.middleware.ApiTrailingSlashMiddleware",
    "limon_site.middleware.PrometheusMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "limon_site.urls"
WSGI_APPLICATION = "limon_site.wsgi.application"
APPEND_SLASH = False
CSRF_FAILURE_VIEW = "limon_site.views.csrf_failure"

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
                "limon_site.panel.context.panel_context",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'limon.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the web server, the qcluster and commands share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "limon",
        }
    }
else:
    # A database cache, not local memory: rate limits must be shared by every worker.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "limon_cache",
        }
    }

Q_CLUSTER = {
    "name": "limon",
    "workers": env_int("LIMON_Q_WORKERS", 2),
    "timeout": env_int("LIMON_Q_TIMEOUT", 900),
    "retry": env_int("LIMON_Q_TIMEOUT", 900) + 60,
    "max_attempts": 1,
    "catch_up": False,
    "label": "Tasks",
    "sync": TESTING,
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/panel/login"
LOGIN_REDIRECT_URL = "/panel/"
LOGOUT_REDIRECT_URL = "/panel/login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").is_dir() else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
MEDIA_ROOT = VAR_DIR / "media"

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = SECURE_SSL_REDIRECT
CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/(api|leads/api)/.*$"
CORS_ALLOW_HEADERS = (
    "accept",
    "authorization",
    "content-type",
    "x-api-key",
    "x-csrftoken",
    "x-request-id",
    "x-request-nonce",
)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "limon_site.api.authentication.ApiKeyAuthentication",
        "limon_site.api.authentication.JwtAuthentication",
        "limon_site.api.authentication.StaffSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["limon_site.api.permissions.ScopePermission"],
    "DEFAULT_THROTTLE_CLASSES": ["limon_site.api.throttles.PrincipalRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "limon_site.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "limon_site.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "LiMon API",
    "DESCRIPTION": (
        "License monitoring, licensing server and CRM API. Errors always use the envelope "
        '`{"error", "code", "status", "details", "request_id"}`.'
    ),
    "VERSION": LIMON_VERSION,
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/(api|leads/api)",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "ENUM_NAME_OVERRIDES": {
        "ProductLicenseStatusEnum": ["evaluation", "licensed", "expired"],
        "HealthStatusEnum": ["healthy", "unhealthy"],
        "InstitutionTypeEnum": "leads.models.InstitutionType",
        "PipelineStatusEnum": "leads.models.PipelineStatus",
        "DetailTypeEnum": "leads.models.DetailType",
        "ActivityTypeEnum": "leads.models.ActivityType",
        "ManualActivityTypeEnum": ["call", "meeting", "email"],
        "LicenseTypeEnum": "licensing.models.LicenseType",
        "ResourceTypeEnum": "licensing.models.ResourceType",
        "AnomalyTypeEnum": "licensing.models.AnomalyType",
        "AlertLevelEnum": ["info", "warning", "critical"],
        "ApiKeyScopeEnum": "limon_site.models.ApiKeyScope",
        "DeploymentScopeEnum": "monitoring.models.DeploymentScope",
    },
}

# Rate limits (requests per minute unless stated). Shared through the cache by all workers.
LIMON_THROTTLE_ANON = os.environ.get("LIMON_THROTTLE_ANON", "100/min")
LIMON_THROTTLE_CLIENT = os.environ.get("LIMON_THROTTLE_CLIENT", "100/min")
LIMON_THROTTLE_ADMIN = os.environ.get("LIMON_THROTTLE_ADMIN", "1000/min")
LIMON_API_KEY_CACHE_SECONDS = env_int("LIMON_API_KEY_CACHE_SECONDS", 60)
LIMON_LOGIN_ATTEMPTS_PER_MINUTE = env_int("LIMON_LOGIN_ATTEMPTS_PER_MINUTE", 5)

LIMON_PUBLIC_READ = env_bool("LIMON_PUBLIC_READ", True)
LIMON_JWT_LIFETIME_SECONDS = env_int("LIMON_JWT_LIFETIME_SECONDS", 3600)
LIMON_EVALUATION_DAYS = env_int("LIMON_EVALUATION_DAYS", 30)
# Ed25519 public key (PEM or raw base64) that verifies LiMon product licenses. The vendor keeps
# the private key; it is never in this repository.
LIMON_LICENSE_PUBLIC_KEY = os.environ.get(
    "LIMON_LICENSE_PUBLIC_KEY", "bMBl9yXLGgiPhyPs0D9FajWP0G4EK4zXht3+vXnoVPU="
)
# Ed25519 key that signs the licensing client answers and offline license files (PEM in the
# environment, or a file written by `manage.py create_signing_key`). Never in the repository.
LIMON_SIGNING_KEY = os.environ.get("LIMON_SIGNING_KEY", "")
LIMON_SIGNING_KEY_FILE = Path(
    os.environ.get("LIMON_SIGNING_KEY_FILE", VAR_DIR / "licensing_signing_key.pem")
)
LIMON_CONFIG_FILE = Path(os.environ.get("LIMON_CONFIG_FILE", BASE_DIR / "config.yml"))

PROMETHEUS_MULTIPROC_DIR = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "limon_site.logging.RequestIdFilter"}},
    "formatters": {
        "standard": {
            "format": "%(asctime)s %(levelname)s %(name)s [request_id=%(request_id)s] %(message)s"
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "standard",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
    },
}
