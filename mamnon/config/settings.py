"""mamnon settings.

MAMNON_ENV chooses the profile: ``development`` (default; DEBUG on, console e-mail) or ``production``
(DEBUG off, SECRET_KEY and ALLOWED_HOSTS from the environment, secure cookies, HSTS).
DATABASE_URL selects PostgreSQL; without it an SQLite file under var/ is used.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from mamnon.config.database import database_from_url

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = Path(os.environ.get("MAMNON_HOME", PACKAGE_DIR.parent))
VAR_DIR = BASE_DIR / "var"

ENV = os.environ.get("MAMNON_ENV", "development").lower()
if ENV not in ("development", "production"):
    raise ImproperlyConfigured(f"MAMNON_ENV must be 'development' or 'production', not {ENV!r}")
PRODUCTION = ENV == "production"
DEBUG = not PRODUCTION and os.environ.get("MAMNON_DEBUG", "1") != "0"

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in the environment when MAMNON_ENV=production")
    SECRET_KEY = "development-only-key-not-for-production-use-0123456789abcdefghijklmnopqrstuvwxyz"

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
if not PRODUCTION:
    ALLOWED_HOSTS += ["127.0.0.1", "localhost", "testserver", "[::1]"]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

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
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "simple_history",
    "axes",
    "mamnon.core",
    "mamnon.org",
    "mamnon.children",
    "mamnon.attendance",
    "mamnon.health",
    "mamnon.staff",
    "mamnon.facilities",
    "mamnon.kitchen",
    "mamnon.fees",
    "mamnon.indicators",
    "mamnon.reporting",
]

MIDDLEWARE = [
    "mamnon.core.middleware.DatabaseConnectionCheckMiddleware",  # instead of CONN_HEALTH_CHECKS' SELECT 1
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "mamnon.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mamnon.config.urls"
WSGI_APPLICATION = "mamnon.config.wsgi.application"

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
                "django.template.context_processors.i18n",
                "mamnon.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(
        os.environ.get("DATABASE_URL"), default_sqlite_path=VAR_DIR / "mamnon.sqlite3"
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "mamnon.core.auth.UsernameOrPhoneBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes: lock an account/IP pair after repeated failed logins.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
# Apps added since the children issue keep their own catalogue (mamnon/<app>/locale), listed before the
# project's so that `makemessages` run from mamnon/ files each string in its own app's catalogue.
LOCALE_PATHS = sorted(p for p in PACKAGE_DIR.glob("*/locale") if p.is_dir()) + [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["mamnon.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
# Pins the application's "today" (yyyy-mm-dd) for the demo; empty means the real date (mamnon.core.clock).
MAMNON_TODAY = os.environ.get("MAMNON_TODAY", "").strip() or None
if MAMNON_TODAY and PRODUCTION:
    raise ImproperlyConfigured("MAMNON_TODAY pins the date for the demo; unset it when MAMNON_ENV=production")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing root; collectstatic fills it
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
NODE_MODULES = BASE_DIR / "node_modules"
if (NODE_MODULES / "htmx.org" / "dist").is_dir():
    STATICFILES_DIRS.append(("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(os.environ["MAMNON_MEDIA_ROOT"]) if os.environ.get("MAMNON_MEDIA_ROOT") else VAR_DIR / "media"
MEDIA_URL = "media/"  # never served as such: uploaded files are served by scoped views only

# Evidence and initiative files (reporting): the extensions accepted per kind and the largest file in bytes.
# The extension AND the file's first bytes must agree (mamnon/reporting/uploads.py).
MAMNON_UPLOADS = {
    "photo": {"extensions": ["jpg", "jpeg", "png", "gif", "webp", "heic", "heif"],
              "max_bytes": int(os.environ.get("MAMNON_UPLOAD_PHOTO_MAX_MB", "10")) * 1024 * 1024},
    "video": {"extensions": ["mp4", "m4v", "mov", "webm", "mkv", "avi", "3gp"],
              "max_bytes": int(os.environ.get("MAMNON_UPLOAD_VIDEO_MAX_MB", "200")) * 1024 * 1024},
    "document": {"extensions": ["pdf", "docx", "xlsx", "pptx", "doc", "xls", "ppt", "odt", "ods", "odp"],
                 "max_bytes": int(os.environ.get("MAMNON_UPLOAD_DOCUMENT_MAX_MB", "20")) * 1024 * 1024},
}
MAMNON_UPLOAD_MAX_FILES = 20  # files in one upload

# E-mail: SMTP in production (EMAIL_HOST etc.), console in development; pytest uses locmem.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "mamnon <no-reply@localhost>")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "mamnon.core.auth.TokenAuthentication",  # DRF's, with the user and grants in one query
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DATE_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "mamnon API",
    "DESCRIPTION": "Records of Vietnamese preschools and education offices, scoped to the caller.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # 403/404 are answers, not incidents; 500s are still logged with their traceback.
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False}},
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
