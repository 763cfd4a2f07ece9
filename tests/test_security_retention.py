"""Retention: records closed longer than the period are listed, destroyed (personal data only) and logged."""
import datetime as dt
import json

import pytest

from admin_app.services.trust import history, retention
from models import ChangeLog, Complaint, DestructionList, Repair

pytestmark = pytest.mark.usefixtures("app")
OLD = dt.datetime.now() - dt.timedelta(days=365 * 3 + 30)
RECENT = dt.datetime.now() - dt.timedelta(days=365)


def test_only_records_closed_before_the_period_are_due(make_record):
    old = make_record(Complaint, closed_at=OLD)
    make_record(Complaint, closed_at=RECENT)
    make_record(Complaint)
    assert [r.id for r in retention.due(Complaint)] == [old.id]
    assert [r.id for r in retention.due(Complaint, years=5)] == []


def test_destroy_erases_personal_fields_and_keeps_statistics(make_record):
    old = make_record(Complaint, closed_at=OLD, contact_phone="13900001111", complaint_type="service_attitude")
    history.record(old, "update", {"contact_phone": ["13900000000", "13900001111"], "status": ["a", "b"]})
    assert retention.destroy(Complaint, [old.id]) == [old.id]
    gone = Complaint.get_by_id(old.id)
    assert (gone.complainant, gone.contact_phone, gone.content) == ("", None, "")
    assert (gone.complaint_type, gone.received_at, gone.closed_at) == ("service_attitude", old.received_at, OLD)
    assert ChangeLog.get(ChangeLog.action == "destroy").record_id == old.id
    for entry in ChangeLog.select():
        assert "1390000" not in entry.changes and "1390000" not in (entry.snapshot or "")
    assert "status" in json.loads(ChangeLog.get(ChangeLog.action == "update").changes)
    assert list(retention.due(Complaint)) == []


def test_destroy_ignores_records_not_yet_due(make_record):
    recent = make_record(Repair, closed_at=RECENT)
    assert retention.destroy(Repair, [recent.id]) == []
    assert Repair.get_by_id(recent.id).reporter == recent.reporter


def test_admin_proposes_and_a_manager_destroys_in_the_panel(admin_client, manager_client, make_record):
    old = make_record(Complaint, closed_at=OLD, complainant="过期投诉人")
    page = admin_client.get("/admin/retention/").get_data(as_text=True)
    assert f'value="{old.id}"' in page
    admin_client.post("/admin/retention/propose/", data={"ids-complaint": [old.id]})
    assert Complaint.get_by_id(old.id).complainant == "过期投诉人"
    batch = DestructionList.get()
    manager_client.post(f"/admin/retention/review/{batch.id}", data={"decision": "approve"})
    assert Complaint.get_by_id(old.id).complainant == ""
    assert ChangeLog.get(ChangeLog.action == "destroy").username == manager_client.user.username


def test_other_roles_cannot_destroy(clerk_client, make_record):
    old = make_record(Complaint, closed_at=OLD)
    assert clerk_client.get("/admin/retention/").status_code == 403
    assert clerk_client.post("/admin/retention/propose/", data={"ids-complaint": [old.id]}).status_code == 403
    assert Complaint.get_by_id(old.id).complainant == old.complainant


def test_retention_period_is_configurable(app, admin_client, make_record):
    old = make_record(Complaint, closed_at=OLD)
    app.config["RETENTION_YEARS"] = 10
    try:
        assert f'value="{old.id}"' not in admin_client.get("/admin/retention/").get_data(as_text=True)
    finally:
        app.config["RETENTION_YEARS"] = 3
