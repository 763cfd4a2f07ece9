"""The mail outbox: queued emails are sent outside web requests, retried with back-off, failures recorded.

Two ways drain the queue, and both claim a row with a conditional UPDATE (pending -> sending) so a message is
never sent twice:
- `flask send-outbox` is a worker loop; run it beside the web server (systemd, supervisor) in production;
- when MAIL_SERVER is set, `kick(app)` (called after a dispatch commits) starts one daemon thread in the web
  process that drains the queue and ends when nothing is pending; good enough for a single-process install.
Messages waiting for a retry are picked up by whichever runs next.
"""
import contextlib
import datetime as dt
import logging
import smtplib
import threading
import time
from email.message import EmailMessage

from models import OutboxMessage, db, now

log = logging.getLogger(__name__)
STALE_SENDING = dt.timedelta(minutes=10)
_lock = threading.Lock()
_thread = None


def mail_settings(config):
    """Return the SMTP settings from an app config mapping."""
    return {
        "server": config.get("MAIL_SERVER") or "", "port": int(config.get("MAIL_PORT") or 25),
        "username": config.get("MAIL_USERNAME") or "", "password": config.get("MAIL_PASSWORD") or "",
        "use_tls": bool(config.get("MAIL_USE_TLS")), "use_ssl": bool(config.get("MAIL_USE_SSL")),
        "sender": config.get("MAIL_SENDER") or "noreply@localhost",
        "timeout": float(config.get("MAIL_TIMEOUT") or 20),
        "max_attempts": int(config.get("MAIL_MAX_ATTEMPTS") or 5),
        "retry_seconds": int(config.get("MAIL_RETRY_SECONDS") or 60),
    }


def enqueue(recipient, subject, body, invitation=None):
    """Queue one email; it is sent by the worker, never in the caller's request."""
    return OutboxMessage.create(recipient=recipient, subject=subject, body=body, invitation=invitation)


def _connect(settings):
    kind = smtplib.SMTP_SSL if settings["use_ssl"] else smtplib.SMTP
    smtp = kind(settings["server"], settings["port"], timeout=settings["timeout"])
    if settings["use_tls"] and not settings["use_ssl"]:
        smtp.starttls()
    if settings["username"]:
        smtp.login(settings["username"], settings["password"])
    return smtp


def _message(row, sender):
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, row.recipient, row.subject
    msg.set_content(row.body)
    return msg


def _record_failure(row, error, settings, at):
    """Count a failed attempt, keep its error, and schedule a retry or give up."""
    attempts = row.attempts + 1
    text = f"{type(error).__name__}: {error}"[:500]
    log_lines = ((row.errors or "") + f"{at:%Y-%m-%d %H:%M:%S} #{attempts} {text}\n")[-4000:]
    final = attempts >= settings["max_attempts"]
    delay = dt.timedelta(seconds=settings["retry_seconds"] * 2 ** (attempts - 1))
    OutboxMessage.update(attempts=attempts, last_error=text, errors=log_lines, updated_at=at,
                         status="failed" if final else "pending",
                         next_attempt_at=at if final else at + delay).where(OutboxMessage.id == row.id).execute()


def _claim(limit, at):
    due = (OutboxMessage.select().where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= at)
           .order_by(OutboxMessage.id).limit(limit))
    claimed = []
    for row in due:
        if OutboxMessage.update(status="sending", updated_at=at).where(
                OutboxMessage.id == row.id, OutboxMessage.status == "pending").execute():
            claimed.append(row)
    return claimed


def release_stale(at=None):
    """Put back messages left 'sending' by a worker that died."""
    at = at or now()
    return (OutboxMessage.update(status="pending")
            .where(OutboxMessage.status == "sending", OutboxMessage.updated_at < at - STALE_SENDING).execute())


def send_pending(settings, limit=100, at=None):
    """Send the due messages over one SMTP connection; return (sent, failed)."""
    at = at or now()
    claimed = _claim(limit, at)
    if not claimed:
        return 0, 0
    sent = failed = 0
    smtp = None
    for row in claimed:
        try:
            smtp = smtp or _connect(settings)
            smtp.send_message(_message(row, settings["sender"]))
        except (OSError, smtplib.SMTPException) as error:
            _record_failure(row, error, settings, at)
            failed += 1
            smtp = _quit(smtp) if isinstance(error, OSError | smtplib.SMTPServerDisconnected) else smtp
            continue
        OutboxMessage.update(status="sent", sent_at=now(), attempts=row.attempts + 1, updated_at=now()).where(
            OutboxMessage.id == row.id).execute()
        sent += 1
    _quit(smtp)
    return sent, failed


def _quit(smtp):
    if smtp is not None:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            smtp.quit()
    return None


def pending_count():
    """Return how many messages still wait to be sent (now or after a retry delay)."""
    return OutboxMessage.select().where(OutboxMessage.status.in_(["pending", "sending"])).count()


def drain(settings, poll_seconds=5, stop=None):
    """Send until nothing is pending (or `stop` is set), sleeping while messages wait for a retry."""
    global _thread
    with db.connection_context():
        while not (stop and stop.is_set()):
            release_stale()
            sent, failed = send_pending(settings)
            if sent or failed:
                continue
            with _lock:
                if not pending_count():
                    _thread = None
                    return
            time.sleep(poll_seconds)


def kick(config):
    """Start the background sender thread when MAIL_SERVER is set and none runs; return it or None."""
    global _thread
    settings = mail_settings(config)
    if not settings["server"] or not config.get("MAIL_BACKGROUND", True):
        return None
    with _lock:
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=drain, args=(settings,), name="outbox-sender", daemon=True)
            _thread.start()
        return _thread
