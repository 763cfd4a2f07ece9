"""Notifications: the bell and its list, e-mail copies through the outbox, daily reminders and the digest."""
import datetime as dt
import email
import email.policy

import pytest
from test_survey_outbox import smtp  # noqa: F401 - a fixture: a local SMTP server

from admin_app.services.notify import notify, reminders
from models import Complaint, Holiday, Notification, OutboxMessage, Repair

FRIDAY = dt.date(2026, 11, 27)
MONDAY = dt.date(2026, 11, 30)


def bell(client):
    """Return the unread count the top bar shows (0 when it shows none)."""
    page = client.get("/admin/").get_data(as_text=True)
    assert 'id="bell"' in page
    marker = 'id="bell-count">'
    return int(page.split(marker, 1)[1].split("<", 1)[0]) if marker in page else 0


def test_reassignment_rings_the_new_owners_bell_and_reading_clears_it(login_as, make_user, make_record):
    manager, clerk = login_as("manager"), login_as("clerk")
    complaint = make_record(Complaint, owner=manager.user)
    response = manager.post(f"/admin/complaint/reassign/{complaint.id}", data={"owner": clerk.user.id, "note": ""})
    assert response.status_code == 302
    assert bell(clerk) == 1 and bell(manager) == 0
    page = clerk.get("/admin/notifications/").get_data(as_text=True)
    assert f"投诉 #{complaint.id} 已分派给您" in page
    note = Notification.get(Notification.user == clerk.user.id)
    opened = clerk.get(f"/admin/notifications/open/{note.id}")
    assert opened.headers["Location"].endswith(f"/admin/complaint/details/?id={complaint.id}")
    assert bell(clerk) == 0
    assert manager.get(f"/admin/notifications/open/{note.id}").status_code == 404  # not theirs


def test_mark_all_read_touches_only_my_notifications(login_as):
    mine, other = login_as("clerk"), login_as("clerk")
    for user in (mine.user, mine.user, other.user):
        notify(user.id, "retention_due", count=3)
    mine.post("/admin/notifications/read", data={})
    assert (bell(mine), bell(other)) == (0, 1)


@pytest.mark.parametrize("chosen,emailed", [(["assigned"], 1), (["overdue"], 0), ([], 0)])
def test_only_the_kinds_a_user_chose_also_come_by_email(clerk_client, make_record, chosen, emailed):
    settings = clerk_client.post("/admin/notifications/settings", data={"email": "li@example.com", "kind": chosen})
    assert settings.status_code == 302
    complaint = make_record(Complaint)
    notify(clerk_client.user.id, "assigned", complaint)
    messages = list(OutboxMessage.select())
    assert len(messages) == emailed and Notification.select().count() == 1
    if emailed:
        assert messages[0].recipient == "li@example.com"
        assert messages[0].subject == f"投诉 #{complaint.id} 已分派给您"  # the recipient's language
        assert f"/admin/complaint/details/?id={complaint.id}" in messages[0].body


def test_email_choice_needs_a_valid_address(clerk_client):
    page = clerk_client.post("/admin/notifications/settings", data={"email": "not-an-address", "kind": ["assigned"]},
                             follow_redirects=True).get_data(as_text=True)
    assert "请填写有效的电子邮件地址" in page
    assert 'id="kind-assigned"' in page and "checked" not in page.split('id="kind-assigned"', 1)[1][:40]


def test_due_tomorrow_counts_working_days_and_is_sent_once(app, make_user, make_record):
    """质量管理员应在一周内(3个工作日内)完成质量投诉的调查 (seed 002): the investigation deadline is in working days,
    so on a Friday the complaint due on Monday is "due tomorrow"; one due on Tuesday is not yet."""
    owner = make_user("quality")
    monday = make_record(Complaint, owner=owner, status="received", investigation_due=MONDAY)
    make_record(Complaint, owner=owner, status="received", investigation_due=MONDAY + dt.timedelta(days=1))
    assert reminders.next_workday(FRIDAY) == MONDAY
    assert reminders.due_tomorrow(FRIDAY) == 1
    assert reminders.due_tomorrow(FRIDAY) == 0  # a second run the same day repeats nothing
    note = Notification.get()
    assert (note.user_id, note.kind, note.record_id) == (owner.id, "due_tomorrow", monday.id)


def test_a_holiday_moves_tomorrow(app, make_user, make_record):
    owner = make_user("quality")
    Holiday.create(day=MONDAY, kind="holiday", name="调休")
    make_record(Complaint, owner=owner, status="received", investigation_due=MONDAY + dt.timedelta(days=1))
    assert reminders.next_workday(FRIDAY) == MONDAY + dt.timedelta(days=1)
    assert reminders.due_tomorrow(FRIDAY) == 1


def test_overdue_records_are_told_once_and_managers_get_the_digest_by_owner(app, make_user, make_record):
    wang, li, boss = make_user("clerk", display_name="王"), make_user("clerk", display_name="李"), make_user("manager")
    for _ in range(2):
        make_record(Complaint, owner=wang, status="investigating", investigation_due=FRIDAY - dt.timedelta(days=3))
    make_record(Complaint, owner=li, status="received", investigation_due=FRIDAY - dt.timedelta(days=1))
    make_record(Complaint, owner=li, status="closed", investigation_due=FRIDAY - dt.timedelta(days=9))
    moment = dt.datetime.combine(FRIDAY, dt.time(8))
    assert reminders.run_daily(FRIDAY, moment) == {"due_tomorrow": 0, "overdue": 3, "digest": 1}
    assert reminders.run_daily(FRIDAY, moment) == {"due_tomorrow": 0, "overdue": 0, "digest": 0}
    assert reminders.overdue_by_owner(FRIDAY, moment) == [{"owner": "王", "count": 2}, {"owner": "李", "count": 1}]
    digest = Notification.get(Notification.user == boss.id)
    assert digest.kind == "digest" and Notification.select().where(Notification.user == wang.id).count() == 2


def test_no_reminders_on_a_day_off(app, make_user, make_record):
    make_record(Repair, owner=make_user("clerk"), status="received",
                response_due=dt.datetime.combine(FRIDAY, dt.time(9)))
    saturday = FRIDAY + dt.timedelta(days=1)
    assert reminders.run_daily(saturday) == {"due_tomorrow": 0, "overdue": 0, "digest": 0}
    assert Notification.select().count() == 0


@pytest.mark.parametrize("language,title", [("zh_Hans_CN", "您的作业 #7 已结束：失败"),
                                            ("en", "Your job #7 has ended: failed")])
def test_job_notifications_read_in_the_readers_language(login_as, language, title):
    client = login_as("clerk", language=language)
    notify(client.user.id, "job_finished", job=7, job_kind="export", status="failed")
    page = client.get("/admin/notifications/").get_data(as_text=True)
    assert title in page and 'href="/admin/notifications/open/' in page


def test_an_unknown_kind_is_refused(app, make_user):
    with pytest.raises(KeyError):
        notify(make_user().id, "gossip")



def test_the_queue_sends_the_email_copy_over_smtp(app, smtp, login_as, make_record):  # noqa: F811
    """The e-mail copy goes through the outbox and leaves with the queue's outbox task."""
    handler, settings = smtp
    app.config.update(MAIL_SERVER=settings["server"], MAIL_PORT=settings["port"], MAIL_BACKGROUND=False,
                      APP_BASE_URL="https://service.example.com")
    manager, clerk = login_as("manager"), login_as("clerk")
    clerk.post("/admin/notifications/settings", data={"email": "clerk@example.com", "kind": ["assigned"]})
    complaint = make_record(Complaint, owner=manager.user)
    manager.post(f"/admin/complaint/reassign/{complaint.id}", data={"owner": clerk.user.id, "note": ""})
    assert [m.status for m in OutboxMessage.select()] == ["sent"]
    message = email.message_from_bytes(handler.received[0].content, policy=email.policy.default)
    assert handler.received[0].rcpt_tos == ["clerk@example.com"]
    assert message["Subject"] == f"投诉 #{complaint.id} 已分派给您"
    assert f"https://service.example.com/admin/complaint/details/?id={complaint.id}" in message.get_content()
