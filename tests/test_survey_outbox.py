"""The mail outbox against a real SMTP server on loopback (aiosmtpd): delivery, retries, recorded failures."""
import datetime as dt
import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from survey_helpers import CONSENTED, dispatch

from admin_app.services.notify import outbox
from admin_app.services.surveys.survey_export import email_parts
from models import OutboxMessage


class FlakyHandler:
    """Refuses the first `failures` messages with a temporary error, then accepts."""

    def __init__(self, failures=0):
        self.failures = failures
        self.received = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        if self.failures > 0:
            self.failures -= 1
            return "451 4.3.0 Try again later"
        self.received.append(envelope)
        return "250 OK"


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture()
def smtp():
    """Start a local SMTP server; yield (handler, settings)."""
    handler = FlakyHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings = outbox.mail_settings({"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": controller.port,
                                     "MAIL_SENDER": "service@example.com", "MAIL_MAX_ATTEMPTS": 3,
                                     "MAIL_RETRY_SECONDS": 60, "MAIL_TIMEOUT": 5})
    yield handler, settings
    controller.stop()


@pytest.fixture()
def queued(app, make_customer):
    """A dispatched email batch of two customers, its messages in the outbox."""
    with app.test_request_context():
        message = email_parts("http://survey.test/s/", dt.date.today() + dt.timedelta(days=9))
    dispatch([make_customer(**CONSENTED).id, make_customer(**CONSENTED).id], message=message)
    return list(OutboxMessage.select().order_by(OutboxMessage.id))


def test_pending_messages_are_delivered_over_smtp(smtp, queued):
    handler, settings = smtp
    assert outbox.send_pending(settings) == (2, 0)
    assert [e.rcpt_tos for e in handler.received] == [["kunde@example.com"]] * 2
    received = email.message_from_bytes(handler.received[0].content, policy=email.policy.default)
    assert received["From"] == "service@example.com"
    assert "survey.test/s/" in received.get_body(("plain",)).get_content()
    assert {m.status for m in OutboxMessage.select()} == {"sent"}
    assert outbox.send_pending(settings) == (0, 0)  # nothing is sent twice


def test_a_temporary_refusal_is_recorded_and_retried_after_the_delay(smtp, queued):
    handler, settings = smtp
    handler.failures = 1
    start = dt.datetime.now().replace(microsecond=0) + dt.timedelta(minutes=1)  # after the messages were queued
    assert outbox.send_pending(settings, at=start) == (1, 1)
    failed = OutboxMessage.get_by_id(queued[0].id)
    assert failed.status == "pending" and failed.attempts == 1
    assert "451" in failed.last_error and "#1" in failed.errors
    assert outbox.send_pending(settings, at=start + dt.timedelta(seconds=30)) == (0, 0)  # not yet due
    assert outbox.send_pending(settings, at=start + dt.timedelta(seconds=61)) == (1, 0)
    assert OutboxMessage.get_by_id(queued[0].id).status == "sent"
    assert len(handler.received) == 2


def test_a_message_that_keeps_failing_is_marked_failed_with_every_error(smtp, queued):
    handler, settings = smtp
    handler.failures = 100
    at = dt.datetime.now().replace(microsecond=0) + dt.timedelta(minutes=1)
    for _attempt in range(3):
        outbox.send_pending(settings, at=at)
        at += dt.timedelta(hours=1)
    rows = list(OutboxMessage.select())
    assert {(m.status, m.attempts) for m in rows} == {("failed", 3)}
    assert all(m.errors.count("451") == 3 for m in rows)
    assert outbox.send_pending(settings, at=at) == (0, 0)


def test_an_unreachable_server_is_a_recorded_failure(queued):
    settings = outbox.mail_settings({"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": _free_port(), "MAIL_TIMEOUT": 2})
    sent, failed = outbox.send_pending(settings)
    assert (sent, failed) == (0, 2)
    assert all(m.attempts == 1 and m.last_error for m in OutboxMessage.select())


def test_the_background_thread_drains_the_queue_when_mail_is_configured(smtp, queued):
    handler, settings = smtp
    config = {"MAIL_SERVER": settings["server"], "MAIL_PORT": settings["port"]}
    assert outbox.kick({"MAIL_SERVER": ""}) is None
    thread = outbox.kick(config)
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert len(handler.received) == 2
    assert {m.status for m in OutboxMessage.select()} == {"sent"}

