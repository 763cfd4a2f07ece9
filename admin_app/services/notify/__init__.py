"""Messages to people: in-app notifications (`notify`, the one function other code calls) and the e-mail outbox."""
from admin_app.services.notify.inbox import KINDS, notify

__all__ = ["KINDS", "notify"]
