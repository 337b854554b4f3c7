"""PCRM settings: one module, every deployment choice read from the environment.

Without any variable set, PCRM runs on the embedded default: an SQLite file and
a file-system Celery broker under ``var/``. Production sets ``DATABASE_URL``
(PostgreSQL) and ``CELERY_BROKER_URL`` (Redis); see ``.env.example``.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from pcrm.lib.env import (
    env_bool,
    env_int,
    env_list,
    env_networks,
    env_str,
    env_time,
    parse_database_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("PCRM_VAR_DIR", str(BASE_DIR / "var")))

# Without DATABASE_URL PCRM runs on the embedded default, which is for trying it out: there
# DEBUG is on unless said otherwise. With a production database it is off unless said so.
EMBEDDED = env_str("DATABASE_URL") is None
DEBUG = env_bool("DEBUG", EMBEDDED)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off")
    SECRET_KEY = "development-only-key-never-use-in-production-0123456789abcdef"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

ORGANISATION_NAME = env_str("PCRM_ORGANISATION_NAME", "PCRM 시청")
# shown to citizens on the home page and in the footer; the phone numbers (comma-separated)
# are the organisation's own, which the personal-data detector leaves alone
ORGANISATION_PHONES = env_list("PCRM_ORGANISATION_PHONES", ["02-120-0000"])
ORGANISATION_ADDRESS = env_str("PCRM_ORGANISATION_ADDRESS", "서울특별시 중구 세종대로 110")
ORGANISATION_HOURS = env_str(
    "PCRM_ORGANISATION_HOURS", "평일 09:00~18:00 (점심시간 12:00~13:00, 주말·공휴일 휴무)"
)
# The public address, for links in messages (tracking links in SMS and e-mail).
PCRM_BASE_URL = env_str("PCRM_BASE_URL", "http://127.0.0.1:8000")
# Public filing and tracking limits per client address (count per window in seconds).
FILING_RATE_LIMIT = env_int("FILING_RATE_LIMIT", 5, minimum=1)
TRACKING_RATE_LIMIT = env_int("TRACKING_RATE_LIMIT", 10, minimum=1)
RATE_LIMIT_WINDOW = env_int("RATE_LIMIT_WINDOW", 600, minimum=10)
# 내 민원: a code is valid this many minutes and tries; a proven number shows its
# complaints this many minutes; codes per number (or address) and per client address
# per RATE_LIMIT_WINDOW
MINE_CODE_MINUTES = env_int("MINE_CODE_MINUTES", 5, minimum=1)
MINE_CODE_TRIES = env_int("MINE_CODE_TRIES", 5, minimum=1)
MINE_ACCESS_MINUTES = env_int("MINE_ACCESS_MINUTES", 30, minimum=1)
MINE_CODES_PER_CONTACT = env_int("MINE_CODES_PER_CONTACT", 3, minimum=1)
MINE_CODES_PER_ADDRESS = env_int("MINE_CODES_PER_ADDRESS", 10, minimum=1)

INSTALLED_APPS = [
    "pcrm.apps.PcrmAdminConfig",
    "pcrm",  # before staticfiles: its collectstatic leaves out unused vendor files
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "pcrm.audit",
    "pcrm.org",
    "pcrm.notify",
    "citizens",
    "complaints",
    "surveys",
    "scorecards",
]

MIDDLEWARE = [
    "pcrm.ops.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "pcrm.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pcrm.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "pcrm.org.middleware.IdleTimeoutMiddleware",
    "pcrm.audit.middleware.AuditContextMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "pcrm.urls"
WSGI_APPLICATION = "pcrm.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pcrm.context_processors.site",
                "pcrm.context_processors.csp_nonce",
            ],
        },
    },
]

# --- Database --------------------------------------------------------------------------
DATABASES = {
    "default": parse_database_url(
        "DATABASE_URL",
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'pcrm.sqlite3'}"),
        base_dir=BASE_DIR,
    )
}
# The inbox's covering index includes non-key columns, which only PostgreSQL has; SQLite
# (the embedded default) builds it without them, which is all it needs.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 60, minimum=0)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions ----------------------------------------------------------------
# The cache holds nothing that cannot be rebuilt, and it may go away: pcrm.lib.cache
# answers as a miss within about a second when Redis is down or paused. Sessions live in
# the database so that no Redis outage or restart signs staff out.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "pcrm.lib.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pcrm",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1, "RETRY_AFTER": 5},
        }
    }
else:
    # the embedded default: files under var/, which the web processes, the worker and
    # beat all see (rate limits and reference-data versions hold across processes)
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# whether every process (web, workers) sees the same cache: marks one process leaves for
# another (e.g. "a delivery run is asked for", pcrm.notify) need a shared one
CACHE_SHARED = True
# how soon (seconds) every process sees a change to categories or temporary holidays,
# which each keeps in memory (pcrm.lib.refdata)
REFDATA_CHECK_SECONDS = env_int("REFDATA_CHECK_SECONDS", 1, minimum=0)

# Content-Security-Policy reported (header ...-Report-Only) instead of enforced
CSP_REPORT_ONLY = env_bool("CSP_REPORT_ONLY", False)

# Idle staff sessions end after 30 minutes (개인정보 안전성 확보조치 기준).
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60, minimum=60)
# pcrm.org.middleware ends an idle session to the second (and says so); the stored row
# outlives that by an hour, then the session sweep removes it
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT + 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Authentication --------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["pcrm.org.backends.RoleBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff-home"
LOGOUT_REDIRECT_URL = "login"
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60, minimum=60)

# --- Internationalisation --------------------------------------------------------------
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("한국어")), ("en", _("영어"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ---------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/krds", BASE_DIR / "node_modules" / "krds-uiux" / "resources"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Complaint attachments: never under STATIC_ROOT or MEDIA_ROOT, streamed only after checks.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- E-mail ----------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "pcrm@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Seconds before a message claimed by a worker that died is sent by the sweep instead.
NOTIFY_CLAIM_TIMEOUT = env_int("NOTIFY_CLAIM_TIMEOUT", 600, minimum=1)
# Seconds a "delivery run asked for" mark holds if its task never starts (the beat sweep
# delivers meanwhile); see pcrm.notify.services.
NOTIFY_WAKE_TIMEOUT = env_int("NOTIFY_WAKE_TIMEOUT", 30, minimum=1)
# messages a citizen did not just ask for (survey invitations and reminders, happy-call
# notices, e-letters, progress notices) go out only between these times (Asia/Seoul)
NOTIFY_DAYTIME_FROM = env_time("NOTIFY_DAYTIME_FROM", "08:00")
NOTIFY_DAYTIME_UNTIL = env_time("NOTIFY_DAYTIME_UNTIL", "21:00")
# Where SMS and 알림톡 leave (pcrm.notify.backends): the console by default; NAVER Cloud
# SENS (pcrm.notify.providers.sens.SensSms / SensAlimtalk) or NHN Cloud
# (pcrm.notify.providers.nhn.NhnSms / NhnAlimtalk) in production; no 알림톡 if empty.
NOTIFY_SMS_BACKEND = env_str("NOTIFY_SMS_BACKEND", "pcrm.notify.backends.ConsoleSmsBackend")
NOTIFY_ALIMTALK_BACKEND = env_str("NOTIFY_ALIMTALK_BACKEND", "")
# our template -> approved 알림톡 template code, e.g.
# "complaint-received=PCRM_RECEIVED,complaint-answered=PCRM_ANSWERED"
NOTIFY_ALIMTALK_TEMPLATES = dict(
    pair.split("=", 1) for pair in env_list("NOTIFY_ALIMTALK_TEMPLATES", []) if "=" in pair
)
NOTIFY_SMS_SENDER = env_str("NOTIFY_SMS_SENDER", "021200000")  # the registered 발신번호
NOTIFY_PROVIDER_TIMEOUT = env_int("NOTIFY_PROVIDER_TIMEOUT", 10, minimum=1)  # seconds
NOTIFY_FILE_DIR = Path(env_str("NOTIFY_FILE_DIR", str(VAR_DIR / "outbox")))
# the languages messages are written in; a citizen preferring another gets Korean
NOTIFY_LANGUAGES = ("ko", "en")
# delivery reports: the secret in the webhook's address (/hooks/notify/<channel>/<token>/),
# and how long an unconfirmed 알림톡 waits before the SMS goes instead (seconds)
NOTIFY_RECEIPT_TOKEN = env_str("NOTIFY_RECEIPT_TOKEN", "")
NOTIFY_RECEIPT_TIMEOUT = env_int("NOTIFY_RECEIPT_TIMEOUT", 600, minimum=1)
NOTIFY_RECEIPT_WINDOW = env_int("NOTIFY_RECEIPT_WINDOW", 3600, minimum=1)
# estimated price per message in won, for the costs page
NOTIFY_PRICES = {
    "sms": env_str("NOTIFY_PRICE_SMS", "9"),
    "lms": env_str("NOTIFY_PRICE_LMS", "30"),
    "alimtalk": env_str("NOTIFY_PRICE_ALIMTALK", "8"),
    "email": env_str("NOTIFY_PRICE_EMAIL", "0"),
}
SENS_API_URL = env_str("SENS_API_URL", "https://sens.apigw.ntruss.com")
SENS_ACCESS_KEY = env_str("SENS_ACCESS_KEY", "")
SENS_SECRET_KEY = env_str("SENS_SECRET_KEY", "")
SENS_SMS_SERVICE_ID = env_str("SENS_SMS_SERVICE_ID", "")
SENS_ALIMTALK_SERVICE_ID = env_str("SENS_ALIMTALK_SERVICE_ID", "")
SENS_PLUS_FRIEND_ID = env_str("SENS_PLUS_FRIEND_ID", "")
NHN_SMS_API_URL = env_str("NHN_SMS_API_URL", "https://api-sms.cloud.toast.com")
NHN_SMS_APP_KEY = env_str("NHN_SMS_APP_KEY", "")
NHN_SMS_SECRET_KEY = env_str("NHN_SMS_SECRET_KEY", "")
NHN_ALIMTALK_API_URL = env_str("NHN_ALIMTALK_API_URL", "https://api-alimtalk.cloud.toast.com")
NHN_ALIMTALK_APP_KEY = env_str("NHN_ALIMTALK_APP_KEY", "")
NHN_ALIMTALK_SECRET_KEY = env_str("NHN_ALIMTALK_SECRET_KEY", "")
NHN_ALIMTALK_SENDER_KEY = env_str("NHN_ALIMTALK_SENDER_KEY", "")

# --- Celery ----------------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
# a broker that does not answer must not hold a request for long: filings wait for no one
# (the worker's blocking reads poll every second, so its socket timeout stays above that)
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 2}
CELERY_BROKER_CONNECTION_TIMEOUT = 1
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    for _folder in ("queue", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
        "polling_interval": 0.2,
    }
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    _default_results = CELERY_BROKER_URL
else:
    (VAR_DIR / "results").mkdir(parents=True, exist_ok=True)
    _default_results = f"file://{VAR_DIR / 'results'}"
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", _default_results)
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_EXPIRES = 3600
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# workers log through LOGGING (JSON lines with the request id) instead of Celery's own
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {
        "task": "pcrm.tasks.clear_expired_sessions",
        "schedule": 6 * 60 * 60,
    },
    "deliver-due-messages": {
        "task": "pcrm.notify.tasks.deliver_due_messages",
        "schedule": 60,
    },
    "poll-message-receipts": {
        "task": "pcrm.notify.tasks.poll_message_receipts",
        "schedule": 2 * 60,
    },
    "complaint-reminders": {
        "task": "complaints.tasks.sweep_reminders",
        "schedule": 5 * 60,
    },
    "complaint-progress-notices": {
        "task": "complaints.tasks.send_progress_notices",
        "schedule": 60 * 60,
    },
    "survey-reminders": {
        "task": "surveys.tasks.send_survey_reminders",
        "schedule": 15 * 60,
    },
    "happy-call-material": {
        "task": "surveys.tasks.send_call_material",
        "schedule": 5 * 60,
    },
    "catch-call-list": {
        "task": "surveys.tasks.build_catch_call_list",
        "schedule": 60 * 60,
    },
    "scorecard-rollups": {
        "task": "scorecards.tasks.refresh_scorecards",
        "schedule": 15 * 60,
    },
    "scorecard-weekly-snapshot": {
        "task": "scorecards.tasks.snapshot_scorecards",
        "schedule": 60 * 60,  # takes the week's snapshot once, whenever it first runs
    },
    "e-letters": {
        "task": "citizens.tasks.send_due_letters",
        "schedule": 5 * 60,
    },
    "qa-book-mailing": {
        "task": "complaints.tasks.mail_due_qa_book",
        "schedule": 60 * 60,
    },
    "purge-access-codes": {
        "task": "complaints.tasks.purge_access_codes",
        "schedule": 6 * 60 * 60,
    },
    "expire-flags": {
        "task": "citizens.tasks.expire_flags",
        "schedule": 6 * 60 * 60,
    },
    "call-reminders": {
        "task": "surveys.tasks.sweep_call_reminders",
        "schedule": 5 * 60,
    },
    "anonymise-inactive-citizens": {
        "task": "citizens.tasks.anonymise_inactive_citizens",
        "schedule": 24 * 60 * 60,
    },
}

# --- Surveys and calls ------------------------------------------------------------------
# Happy-calls are due this many working days after the answer.
HAPPY_CALL_WORKING_DAYS = env_int("HAPPY_CALL_WORKING_DAYS", 3, minimum=1)
# No citizen gets a happy-call if any call task was made for them in this many days.
CALL_CAP_DAYS = env_int("CALL_CAP_DAYS", 30, minimum=1)
CALL_MAX_ATTEMPTS = env_int("CALL_MAX_ATTEMPTS", 3, minimum=1)
# a citizen who rated an answer 1-2 or was unhappy on a call is treated as dissatisfied
# (the intent-analysis gate) for this many days, unless a leader clears it sooner
DISSATISFIED_DAYS = env_int("DISSATISFIED_DAYS", 90, minimum=1)
# The FAQ address sent with the happy-call material (default: this site's /faq/).
PUBLIC_FAQ_URL = env_str("PUBLIC_FAQ_URL", "")

# Scorecards: the handling rollups are recomputed for this many past days (late answers
# still change a day's same-day outcome), and the processing time that earns full points.
ROLLUP_DAYS_BACK = env_int("ROLLUP_DAYS_BACK", 7, minimum=1)
SCORECARD_TARGET_HOURS = env_int("SCORECARD_TARGET_HOURS", 8, minimum=1)
# Approved Q&A items a team contributes per month for full points.
SCORECARD_QA_ITEMS_PER_MONTH = env_int("SCORECARD_QA_ITEMS_PER_MONTH", 2, minimum=1)
# A team leader is told when an indicator's points fall by more than this in a week.
SCORE_DROP_ALERT_POINTS = env_int("SCORE_DROP_ALERT_POINTS", 5, minimum=1)

# The half-year's Q&A book is compiled and mailed to all staff this many days after it ends.
QA_BOOK_MAIL_AFTER_DAYS = env_int("QA_BOOK_MAIL_AFTER_DAYS", 14, minimum=0)

# Open311 calls per client address per RATE_LIMIT_WINDOW.
OPEN311_RATE_LIMIT = env_int("OPEN311_RATE_LIMIT", 600, minimum=1)

# --- REST framework --------------------------------------------------------------------
# Staff API calls per member of staff (or address, before logging in) per RATE_LIMIT_WINDOW.
API_RATE_LIMIT = env_int("API_RATE_LIMIT", 1200, minimum=1)
REST_FRAMEWORK = {
    # the token first: an anonymous call is answered 401 with a WWW-Authenticate header
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "pcrm.api.auth.StaffTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["pcrm.api.policy.IsActiveStaff"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "pcrm.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "pcrm.api.policy.Pages",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["pcrm.api.policy.StaffRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_METADATA_CLASS": None,  # OPTIONS: 405; the schema describes the API
    "EXCEPTION_HANDLER": "pcrm.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "PCRM API",
    "DESCRIPTION": "공공기관 고객관계관리(PCRM) 직원용 API. 인증: 세션 또는 "
    "`Authorization: Token <키>` (CS 담당관이 발급). 오류 본문: status, code, message, errors.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["pcrm.api.policy.IsActiveStaff"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "pcrm.api.schema.error_responses",
    ],
}

# --- Security --------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Number of trusted reverse proxies in front of the web processes; decides which
# X-Forwarded-For entry is the client's address in the access log.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# --- Working hours (민원 처리기간의 계산) ----------------------------------------------
WORK_DAY_START = env_time("WORK_DAY_START", "09:00")
LUNCH_START = env_time("LUNCH_START", "12:00")
LUNCH_END = env_time("LUNCH_END", "13:00")
WORK_DAY_END = env_time("WORK_DAY_END", "18:00")

# --- Personal data -------------------------------------------------------------------
# Fernet keys for phone numbers and e-mail addresses at rest (first one encrypts) and the
# HMAC key of their search hashes; see pcrm/lib/crypto.py. Required in production.
PCRM_DATA_KEYS = env_list("PCRM_DATA_KEYS", [])
PCRM_HASH_KEY = env_str("PCRM_HASH_KEY", "")
# Citizens with no contact for this long are anonymised by a daily job.
CITIZEN_RETENTION_DAYS = env_int("CITIZEN_RETENTION_DAYS", 3 * 365, minimum=30)

# --- Logging ---------------------------------------------------------------------------
# json: one JSON object per line with the request id (production); plain: for reading.
LOG_FORMAT = env_str("LOG_FORMAT", "plain" if DEBUG else "json")
if LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured("LOG_FORMAT must be json or plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "pcrm.ops.logs.RequestIdFilter"},
        "client_errors": {"()": "pcrm.ops.logs.ClientErrorsWithoutTraceback"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "pcrm.ops.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Django's own console handler (DEBUG) would print every request warning a second
    # time: the root's handler is the one
    "loggers": {
        "django": {"handlers": [], "propagate": True},
        "django.request": {"handlers": [], "filters": ["client_errors"], "propagate": True},
    },
}
# Who may read /metrics without logging in (the monitoring network); comma-separated.
METRICS_ALLOWED_NETWORKS = env_networks("METRICS_ALLOWED_NETWORKS", ["127.0.0.1/32", "::1/128"])
