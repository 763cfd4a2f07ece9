"""Settings read from the environment; nothing secret lives in code."""
import datetime as dt
import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = Path(os.environ.get("INSTANCE_PATH", ROOT / "instance"))


def _secret_key():
    """Return SECRET_KEY from the environment, else one kept in instance/ across restarts."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = INSTANCE / "secret_key"
    if not path.exists():
        INSTANCE.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _flag(name, default="0"):
    return os.environ.get(name, default).lower() in ("1", "true", "yes", "on")


class Config:
    """Application settings; every value can be set by an environment variable."""

    DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE / 'backoffice.db'}")
    BABEL_DEFAULT_LOCALE = os.environ.get("DEFAULT_LANGUAGE", "zh_Hans_CN")
    BABEL_DEFAULT_TIMEZONE = os.environ.get("TIMEZONE", "Asia/Shanghai")
    LANGUAGES = ("zh_Hans_CN", "en")
    ADMIN_PASSWORD = os.environ.get("ADMIN_PASSWORD")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE")
    REMEMBER_COOKIE_HTTPONLY = True
    PERMANENT_SESSION_LIFETIME = dt.timedelta(minutes=int(os.environ.get("IDLE_TIMEOUT_MINUTES", "30")))
    WTF_CSRF_TIME_LIMIT = None
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_UPLOAD_MB", "20")) * 1024 * 1024
    FLASK_ADMIN_SWATCH = "default"
    LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", "5"))
    LOGIN_LOCK_MINUTES = int(os.environ.get("LOGIN_LOCK_MINUTES", "15"))
    LOGIN_MAX_FAILURES_PER_ADDRESS = int(os.environ.get("LOGIN_MAX_FAILURES_PER_ADDRESS", "20"))
    # server-side sessions (admin_app/services/trust/sessions.py): ended at the latest this long after login
    SESSION_ABSOLUTE_HOURS = float(os.environ.get("SESSION_ABSOLUTE_HOURS", "12"))
    SESSION_TOUCH_SECONDS = int(os.environ.get("SESSION_TOUCH_SECONDS", "60"))
    # rate limits (admin_app/ratelimit.py) shared by all workers: Redis when set, else a table in the database
    REDIS_URL = os.environ.get("REDIS_URL", "")
    # how many reverse proxies in front of the app may set X-Forwarded-For/-Proto (0 = trust none)
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    # unset: the "retention_years" rule setting an admin edits in the panel (seed default 3)
    RETENTION_YEARS = int(os.environ.get("RETENTION_YEARS", "0")) or None
    # how long a stated purpose (查阅理由) opens the same customer's dossier again without asking
    DOSSIER_PURPOSE_MINUTES = int(os.environ.get("DOSSIER_PURPOSE_MINUTES", "30"))
    # survey email outbox (admin_app/services/notify/outbox.py); no MAIL_SERVER = queue only, nothing sent
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_USE_TLS = _flag("MAIL_USE_TLS")
    MAIL_USE_SSL = _flag("MAIL_USE_SSL")
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "noreply@localhost")
    MAIL_BACKGROUND = _flag("MAIL_BACKGROUND", "1")
    SURVEY_BASE_URL = os.environ.get("SURVEY_BASE_URL", "")
    SURVEY_RATE_LIMIT = int(os.environ.get("SURVEY_RATE_LIMIT", "30"))
    # printed at the head of every paper form (views/print_forms.py); empty prints 本公司 / "Our company"
    COMPANY_NAME = os.environ.get("COMPANY_NAME", "")
    # background jobs (issue 15): the queue is REDIS_URL or HUEY_PATH (admin_app/services/jobs/queue.py)
    HUEY_IMMEDIATE = _flag("HUEY_IMMEDIATE") if "HUEY_IMMEDIATE" in os.environ else None
    WORKER_THREADS = int(os.environ.get("WORKER_THREADS", "2"))
    JOBS_DIR = os.environ.get("JOBS_DIR", "")
    JOB_RESULT_DAYS = int(os.environ.get("JOB_RESULT_DAYS", "7"))
    # a running job's worker writes a heartbeat this often; one silent this long died and its job is failed
    JOB_HEARTBEAT_SECONDS = int(os.environ.get("JOB_HEARTBEAT_SECONDS", "15"))
    JOB_STALE_SECONDS = int(os.environ.get("JOB_STALE_SECONDS", "300"))
    EXPORT_JOB_ROWS = int(os.environ.get("EXPORT_JOB_ROWS", "5000"))
    IMPORT_JOB_ROWS = int(os.environ.get("IMPORT_JOB_ROWS", "20000"))
    REGRADE_JOB_ROWS = int(os.environ.get("REGRADE_JOB_ROWS", "5000"))
    DISPATCH_JOB_ROWS = int(os.environ.get("DISPATCH_JOB_ROWS", "2000"))
    APP_BASE_URL = os.environ.get("APP_BASE_URL", "")
    # the dashboard's year-long figures are reused this long per process (the page shows their time)
    DASHBOARD_CACHE_SECONDS = int(os.environ.get("DASHBOARD_CACHE_SECONDS", "300"))

    def __init__(self):
        self.SECRET_KEY = _secret_key()
