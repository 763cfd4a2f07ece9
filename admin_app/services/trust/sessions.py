"""Server-side login sessions: opened at login, checked on every request, ended for good.

The signed cookie names a session by a random key; the table keeps only its sha256, so a stolen database
cannot be turned into cookies. A session ends on logout, when its user's password, role or active flag
changes, when the user signs out everywhere or ends it from their sessions page, after the idle timeout and
after the absolute lifetime (SESSION_ABSOLUTE_HOURS) however busy it is.
"""
import datetime as dt
import hashlib
import hmac
import secrets

from models import User, now
from models.prepared import Prepared
from models.sessions import UserSession, session_key_hash

#: why a session ended, as stored in user_session.end_reason
REASONS = ("logout", "ended", "others", "password", "role", "inactive", "expired", "changed", "2fa")


#: the session a request's cookie names, with its user: asked on every request, its SQL built once
_FIND = Prepared(lambda key_hash, user_id: UserSession.select(UserSession, User).join(User).where(
    UserSession.key_hash == Prepared.value(key_hash), UserSession.ended_at.is_null(),
    UserSession.user == Prepared.value(user_id)).limit(1), 2)


def credentials_stamp(user, secret):
    """Return an HMAC of the user's password hash and role: a cookie carrying an older stamp is stale.

    Like Django's session auth hash, this ends every session the moment the password or role changes, by
    whatever path it changed (panel, command line, bulk edit), even before the rows are marked ended.
    """
    text = f"{user.password_hash}|{user.role}".encode()
    return hmac.new(str(secret).encode(), text, hashlib.sha256).hexdigest()[:32]


def start(user, address, user_agent):
    """Open a session for a user who just logged in; return its key (to keep in the signed cookie)."""
    key = secrets.token_urlsafe(32)
    UserSession.create(user=user.id, key_hash=session_key_hash(key), last_seen=now(),
                       address=(address or "")[:64], user_agent=(user_agent or "")[:255])
    return key


def find(user_id, key, idle, absolute, touch_every=60):
    """Return the open session a cookie names, with its user, or None when it has ended or expired.

    One indexed lookup joined to the user. `idle` and `absolute` are timedeltas; last_seen is written at most
    once every `touch_every` seconds, so a busy user does not write on every request.
    """
    if not key:
        return None
    row = _FIND.first(session_key_hash(key), int(user_id))
    if row is None:
        return None
    moment = now()
    slack = dt.timedelta(seconds=touch_every)
    if not row.user.active or row.created_at <= moment - absolute or row.last_seen <= moment - idle - slack:
        end(row.id, "inactive" if not row.user.active else "expired")
        return None
    if (moment - row.last_seen).total_seconds() >= touch_every:
        UserSession.update(last_seen=moment).where(UserSession.id == row.id).execute()
        row.last_seen = moment
    return row


def end(session_id, reason="ended", user_id=None):
    """End one session (only the user's own when user_id is given); return 1 if it was open, else 0."""
    query = UserSession.update(ended_at=now(), end_reason=reason).where(
        UserSession.id == session_id, UserSession.ended_at.is_null())
    if user_id is not None:
        query = query.where(UserSession.user == user_id)
    return query.execute()


def end_by_key(key, reason="logout"):
    """End the session a cookie's key names; return how many ended (0 or 1)."""
    return (UserSession.update(ended_at=now(), end_reason=reason)
            .where(UserSession.key_hash == session_key_hash(key or ""), UserSession.ended_at.is_null())
            .execute())


def end_all(user_id, reason, keep_key=None):
    """End every open session of a user, except the one `keep_key` names; return how many ended."""
    query = UserSession.update(ended_at=now(), end_reason=reason).where(
        UserSession.user == user_id, UserSession.ended_at.is_null())
    if keep_key:
        query = query.where(UserSession.key_hash != session_key_hash(keep_key))
    return query.execute()


def open_sessions(user_id):
    """Return the user's open sessions, most recently seen first."""
    return list(UserSession.open_for(user_id))


def change_reason(before, after):
    """Return why saving `after` over `before` (two User rows) must end sessions, or None."""
    if before.password_hash != after.password_hash:
        return "password"
    if before.role != after.role:
        return "role"
    if before.active and not after.active:
        return "inactive"
    return None


BROWSERS = (("MicroMessenger", "WeChat"), ("Edg", "Edge"), ("OPR", "Opera"), ("Firefox", "Firefox"),
            ("HeadlessChrome", "Chrome"), ("Chrome", "Chrome"), ("Safari", "Safari"))
SYSTEMS = (("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"), ("Windows", "Windows"),
           ("Mac OS X", "macOS"), ("Linux", "Linux"))


def browser_label(user_agent):
    """Return a short "browser · system" name for a User-Agent string ("Chrome · Windows"), or the raw text."""
    text = user_agent or ""
    browser = next((name for token, name in BROWSERS if token in text), "")
    system = next((name for token, name in SYSTEMS if token in text), "")
    return " · ".join(part for part in (browser, system) if part) or text[:60] or "?"
