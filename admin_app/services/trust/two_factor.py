"""The optional second factor: TOTP codes (RFC 6238) from any standard authenticator app.

Admin and manager accounts may enrol; the administrator can require it per role (TwoFactorPolicy). A code
is accepted once (the time step is stored), one step early or late for clock drift. A lost phone is
recovered by the administrator resetting the account's second factor.
"""
import hmac
import time

import pyotp
import segno
from itsdangerous import BadSignature, URLSafeTimedSerializer

from models.sessions import TWO_FACTOR_ROLES, TwoFactorPolicy

STEP_SECONDS = 30


def may_enrol(role):
    """Tell whether accounts of a role can use a second factor."""
    return role in TWO_FACTOR_ROLES


def required(role):
    """Tell whether the administrator requires the second factor of a role."""
    return may_enrol(role) and TwoFactorPolicy.required_for(role)


def new_secret():
    """Return a new random base32 secret (160 bits)."""
    return pyotp.random_base32(32)


ENROL_SALT = "totp-enrol"
ENROL_MAX_AGE = 900  # seconds a shown enrolment code stays confirmable


def seal_secret(secret, user_id, key):
    """Return a signed token carrying a secret being enrolled by user_id (kept in the form, not the session)."""
    return URLSafeTimedSerializer(key, salt=ENROL_SALT).dumps([user_id, secret])


def open_secret(token, user_id, key, max_age=ENROL_MAX_AGE):
    """Return the secret of a token sealed for user_id within max_age seconds, else None."""
    try:
        owner, secret = URLSafeTimedSerializer(key, salt=ENROL_SALT).loads(token or "", max_age=max_age)
    except (BadSignature, ValueError, TypeError):
        return None
    return secret if owner == user_id else None


def provisioning_uri(secret, username, issuer):
    """Return the otpauth:// URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=issuer)


def qr_svg(uri):
    """Return the QR code of a URI as an inline <svg> element (no image file, no script)."""
    return segno.make(uri, error="m").svg_inline(scale=5, border=2)


def verify(secret, code, last_step=0, at=None):
    """Return the time step a code belongs to when it is right and newer than last_step, else None."""
    code = "".join(ch for ch in (code or "") if not ch.isspace())
    if not secret or len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = int((time.time() if at is None else at) // STEP_SECONDS)
    for step in (current, current - 1, current + 1):
        if step > (last_step or 0) and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def set_policy(required_roles):
    """Store which two-factor roles must use it; return the roles now required."""
    wanted = [r for r in TWO_FACTOR_ROLES if r in set(required_roles)]
    for role in TWO_FACTOR_ROLES:
        (TwoFactorPolicy.insert(role=role, required=role in wanted)
         .on_conflict(conflict_target=[TwoFactorPolicy.role], update={TwoFactorPolicy.required: role in wanted})
         .execute())
    return wanted


def policy():
    """Return {role: required} for the roles that can use a second factor."""
    return {role: TwoFactorPolicy.required_for(role) for role in TWO_FACTOR_ROLES}
