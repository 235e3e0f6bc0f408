"""Settings, driven by the environment.

SQLite is the embedded default; set DATABASE_URL for PostgreSQL. Celery runs tasks
eagerly unless REDIS_URL is set. Secrets never live in this file.
"""
import datetime as dt
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("OGI_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    # Embedded default: a random key kept beside the SQLite database (never committed).
    # Production sets DJANGO_SECRET_KEY in the environment.
    import secrets

    _key_file = VAR_DIR / "secret_key"
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    if not _key_file.exists():
        _key_file.write_text(secrets.token_urlsafe(50))
        _key_file.chmod(0o600)
    SECRET_KEY = _key_file.read_text().strip()

ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "viewflow",  # before admin: its registration templates win (stack notes)
    "config.admin.PlatformAdminConfig",  # django.contrib.admin, for superusers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and Redoc served from our own static files
    # after the apps above: its own catalogue words "This field is required." differently
    "captcha",
    "django_ratelimit",
    "viewflow.workflow",
    "audit",
    "agencies",
    "legal",
    "workflows",
    "reviews",
    "documents",
    "notifications",
    "portal",
    "reports",
    "accounts",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.IdleTimeoutMiddleware",
    "accounts.middleware.SecondFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: turns a lock-out into the locked-out page
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded default serves several requests at once: readers never wait for the
    # writer (WAL), a writing transaction takes the write lock when it begins (IMMEDIATE,
    # so two writers queue instead of failing halfway with "database is locked"), and a
    # waiting writer waits up to `timeout` seconds.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL;",  # synchronous stays FULL: a committed record survives a power cut
    })

if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # The planner's price of a random page read. PostgreSQL's default (4) assumes spinning
    # disks; on SSD storage (1.1) it walks from the few open tasks to their cases by index
    # instead of hashing a whole agency's history: the inbox at 1 M cases 246 → 81 ms (p95).
    # Set DB_RANDOM_PAGE_COST=4 for a server on spinning disks.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c random_page_cost={float(os.environ.get('DB_RANDOM_PAGE_COST', '1.1'))}")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Staff authentication (等保 2.0 三级, GB/T 22239-2019 8.1.4.1 身份鉴别) ---
# Production is DJANGO_SECURE=1: HTTPS only, secure cookies, HSTS, and no demo exemptions.
SECURE = env_bool("DJANGO_SECURE", False)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "accounts.validators.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out user name and address before the password is checked
    "django.contrib.auth.backends.ModelBackend",
]
# Lock-out after AXES_FAILURE_LIMIT failed log-ins of one user name from one address.
AXES_FAILURE_LIMIT = int(os.environ.get("OGI_LOGIN_FAILURE_LIMIT", "5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("OGI_LOGIN_LOCKOUT_MINUTES", "30")))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
# Behind a reverse proxy: its addresses (or networks) here, comma-separated; X-Forwarded-For
# is read only from them, right to left (audit/clients.py). Empty: the peer address is the client.
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("OGI_TRUSTED_PROXIES", "").split(",") if p.strip()]
AXES_CLIENT_IP_CALLABLE = "audit.clients.client_address"

# A TOTP code after the password for every staff log-in. OGI_OTP_REQUIRED=0 only for
# development; the demo log-ins of `make run` are exempt only with OGI_OTP_DEMO_EXEMPT=1,
# and never when DJANGO_SECURE is on.
OTP_REQUIRED = env_bool("OGI_OTP_REQUIRED", True) or SECURE
OTP_DEMO_EXEMPT = env_bool("OGI_OTP_DEMO_EXEMPT", False) and not SECURE
OTP_TOTP_ISSUER = "政府信息公开办理系统"

# Sessions: at most SESSION_COOKIE_AGE after log-in, and ended after SESSION_IDLE_TIMEOUT without a request.
SESSION_COOKIE_AGE = int(os.environ.get("OGI_SESSION_MAX_AGE", str(8 * 3600)))
SESSION_IDLE_TIMEOUT = int(os.environ.get("OGI_SESSION_IDLE_TIMEOUT", str(30 * 60)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

if SECURE:
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
    SECURE_REFERRER_POLICY = "same-origin"
    if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
        # The reverse proxy terminates HTTPS and says so in this header (and strips it from clients).
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# ISO first among input formats, so date pickers show the value they are given.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
# Font directories a rendered document may read (besides the project's static files).
DOCUMENTS_FONT_DIRS = [d for d in os.environ.get("OGI_FONT_DIRS", "/usr/share/fonts:/usr/local/share/fonts").split(":") if d]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))

LOGIN_URL = "/staff/accounts/login/"
LOGIN_REDIRECT_URL = "/staff/"

# Celery: eager without Redis (embedded default), real broker with REDIS_URL.
REDIS_URL = os.environ.get("REDIS_URL", "")

# "shared" is one cache every process sees (the portal's rate limits count in it): Redis
# when configured, otherwise a table in the database (created by the portal's migration).
# "default" holds only what a process may keep to itself (viewflow's template fragments).
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "ogi"},
        "shared": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                   "KEY_PREFIX": "ogi-shared"},
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "shared": {"BACKEND": "config.cache.AtomicDatabaseCache", "LOCATION": "ogi_cache"},
    }
RATELIMIT_USE_CACHE = "shared"
# django-ratelimit lists only django-redis and memcached as supported; Django's own Redis
# backend and config.cache.AtomicDatabaseCache increment atomically too.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]

# The portal's image CAPTCHA (django-simple-captcha, drawn offline with Pillow): one use, right or wrong.
CAPTCHA_LENGTH = 5
CAPTCHA_TIMEOUT = 10  # minutes
CAPTCHA_FONT_SIZE = 30
CAPTCHA_IMAGE_SIZE = (150, 44)
CAPTCHA_CHALLENGE_FUNCT = "portal.security.captcha_challenge"
# An applicant's access to a case (tracking number + code) in this browser ends after this
# long without a page of it, and this long after the look-up at the latest.
PORTAL_CASE_IDLE_TIMEOUT = int(os.environ.get("OGI_PORTAL_CASE_IDLE_TIMEOUT", str(30 * 60)))
PORTAL_CASE_MAX_AGE = int(os.environ.get("OGI_PORTAL_CASE_MAX_AGE", str(2 * 3600)))
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_BEAT_SCHEDULE = {
    "reminders-sweep": {"task": "workflows.tasks.reminders_sweep", "schedule": 3600.0},
    "outbox-flush": {"task": "notifications.tasks.outbox_flush", "schedule": 60.0},
    "workflow-timers": {"task": "workflows.tasks.workflow_fire_due_timers", "schedule": 60.0},
    "publish-due": {"task": "reviews.tasks.publications_publish_due", "schedule": 3600.0},
    "audit-seal": {"task": "audit.tasks.audit_seal", "schedule": 60.0},
    "audit-verify": {"task": "audit.tasks.audit_verify", "schedule": 86400.0},
}

# The audit record's seal (audit/sealing.py). The checkpoints are signed with
# AUDIT_HMAC_KEY (set it in production: `check --deploy` fails without it; in
# development a key derived from SECRET_KEY is used) and appended to a file outside
# the database, which a database administrator cannot rewrite (keep it on other storage
# or ship it elsewhere).
AUDIT_HMAC_KEY = os.environ.get("AUDIT_HMAC_KEY", "")
AUDIT_CHECKPOINT_FILE = Path(os.environ.get("AUDIT_CHECKPOINT_FILE", VAR_DIR / "audit-checkpoints.jsonl"))
AUDIT_SEAL_BATCH = int(os.environ.get("AUDIT_SEAL_BATCH", "5000"))

# Pre-publication link check: hosts a public page may link to (besides the agency's own site).
REVIEWS_ALLOWED_LINK_HOSTS = [h for h in os.environ.get("REVIEWS_ALLOWED_LINK_HOSTS", "gov.cn").split(",") if h]

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# A mail server that accepts the connection and never answers gives up after this long
# (mail is sent from the outbox, never inside a request; see notifications/).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
SMS_TIMEOUT = int(os.environ.get("OGI_SMS_TIMEOUT", "10"))  # an SMS adapter reads it for its own requests
# Without a broker the outbox delivers in a thread beside the request (never inside it).
OUTBOX_DELIVER_IN_BACKGROUND = True
# Likewise the case file (卷宗) built on archiving: the archiving page answers at once.
CASE_FILE_BUILD_IN_BACKGROUND = True
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@localhost")

REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # a key first: an unauthenticated call gets 401 with `WWW-Authenticate: Api-Key`
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.ApiKeyAuthentication",
                                       "rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiSchema",
    "EXCEPTION_HANDLER": "api.errors.problem_handler",
    # JSON only: errors are problem documents; the browser's view of the API is /api/docs/
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}

SPECTACULAR_SETTINGS = {
    "TITLE": "政府信息公开办理系统接口 / Government information disclosure API",
    "DESCRIPTION": ("供政务服务网、12345 热线、OA、数据平台等系统调用：推送和查询申请、办理步骤、文书、待办、工作日计算、公开信息订阅。"
                    "认证：`Authorization: Api-Key <密钥>`（由本机关系统管理员在“系统对接 › 接口密钥”签发）或工作人员登录会话。"
                    "错误按 RFC 9457 以 application/problem+json 返回。"),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.schema.describe_generated"],
    # choice sets shared by several fields, one name each
    "ENUM_NAME_OVERRIDES": {"DeliveryMethodEnum": "legal.receipt.NOTICE_METHODS",
                            "FeeMethodEnum": "legal.fees.METHODS",
                            "InformationFormEnum": "workflows.models.DisclosureRequest.FORMS"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# 督办 lists open cases overdue or within this many working days of their deadline.
OGI_SUPERVISION_NEAR_DUE_DAYS = int(os.environ.get("OGI_SUPERVISION_NEAR_DUE_DAYS", "3"))
