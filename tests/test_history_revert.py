"""Readable history and revert (issue 13 item 4): labels, 380.00, local times, names; managers put values back."""
import datetime as dt
import re
from decimal import Decimal

import pytest

from admin_app.services.trust import history, readable
from models import AccessLog, ChangeLog, Complaint, Customer, Repair
from views.labels import LABELS


def change(record, **values):
    """Save new values on a record the way an edit does, with its history entry."""
    before = history.snapshot(record)
    for name, value in values.items():
        setattr(record, name, value)
    record.version += 1
    record.save()
    return history.record(record, "update", history.diff(before, history.snapshot(record)))


@pytest.fixture()
def repair(make_record, make_user):
    tech = make_user("technician", display_name="赵师傅")
    record = make_record(Repair, parts_cost=Decimal("120"))
    history.record(record, "create", snap=history.snapshot(record))
    change(record, parts_cost=Decimal("380"), technician=tech, warranty_status="out_of_warranty",
           arrived_at=dt.datetime(2026, 11, 3, 15, 30))
    change(record, parts_cost=Decimal("450.5"), fault_found="电源板烧毁")
    return record


def test_values_read_as_people_write_them(app):
    """Money as 380.00 (never 3.8E+2), times without the ISO T, choice labels, yes/no; bookkeeping left out."""
    with app.test_request_context():
        stored = {"parts_cost": ["3.8E+2", "450.5"], "arrived_at": [None, "2026-11-03T15:30:00"],
                  "warranty_status": ["in_warranty", "out_of_warranty"], "main_component": [False, True],
                  "version": [1, 2], "updated_at": ["2026-11-03T15:30:00", "2026-11-03T15:31:00"]}
        rows = readable.readable(Repair, stored, LABELS)
        texts = {name: (old, new) for name, _label, old, new in rows}
    assert texts == {"parts_cost": ("380.00", "450.50"), "arrived_at": ("", "2026-11-03 15:30"),
                     "warranty_status": ("保修期内", "已过保修期"), "main_component": ("否", "是")}


def test_details_page_history_is_readable(manager_client, repair):
    """The record's history shows labels, money, local times and the technician's name, not ids or codes."""
    page = manager_client.get(f"/admin/repair/details/?id={repair.id}").get_data(as_text=True)
    history_part = page[page.index('class="table table-sm table-bordered history"'):]
    assert "380.00" in history_part and "450.50" in history_part and "赵师傅" in history_part
    assert "E+2" not in history_part and "T15:30" not in history_part and "out_of_warranty" not in history_part
    assert "已过保修期" in history_part and "2026-11-03 15:30" in history_part


def test_manager_puts_one_field_back(manager_client, repair):
    """A manager puts one field back to its value before a change; the revert is recorded and bumps the version."""
    entry = ChangeLog.select().where(ChangeLog.record_id == repair.id, ChangeLog.action == "update") \
        .order_by(ChangeLog.id.desc()).first()
    response = manager_client.post("/admin/repair/revert/", data={"id": repair.id, "entry": entry.id,
                                                                  "field": "parts_cost", "version": repair.version})
    assert response.status_code == 302
    fresh = Repair.get_by_id(repair.id)
    assert fresh.parts_cost == Decimal("380") and fresh.fault_found == "电源板烧毁"
    assert fresh.version == repair.version + 1
    last = ChangeLog.select().where(ChangeLog.record_id == repair.id).order_by(ChangeLog.id.desc()).first()
    assert last.action == "revert" and last.changed()["parts_cost"][1] == "3.8E+2"


def test_manager_puts_the_record_back_to_a_point_in_time(manager_client, repair):
    """Back to just after the first change: the later change is undone field by field."""
    first = ChangeLog.select().where(ChangeLog.record_id == repair.id, ChangeLog.action == "update") \
        .order_by(ChangeLog.id).first()
    manager_client.post("/admin/repair/revert/", data={"id": repair.id, "entry": first.id, "version": repair.version})
    fresh = Repair.get_by_id(repair.id)
    assert (fresh.parts_cost, fresh.fault_found, fresh.warranty_status) == (Decimal("380"), None, "out_of_warranty")


def test_revert_refuses_a_stale_page(manager_client, repair):
    """Same version check as an edit: a page opened before someone else's save puts nothing back."""
    entry = ChangeLog.select().where(ChangeLog.record_id == repair.id, ChangeLog.action == "update").first()
    manager_client.post("/admin/repair/revert/", data={"id": repair.id, "entry": entry.id, "field": "parts_cost",
                                                       "version": repair.version - 1})
    assert Repair.get_by_id(repair.id).parts_cost == Decimal("450.5")
    assert not ChangeLog.select().where(ChangeLog.action == "revert").exists()


@pytest.mark.parametrize("role", ["clerk", "technician", "quality"])
def test_only_managers_and_admins_revert(login_as, repair, role):
    """Putting values back is for managers and admins; others get 403 and see no revert buttons."""
    client = login_as(role)
    entry = ChangeLog.select().where(ChangeLog.record_id == repair.id, ChangeLog.action == "update").first()
    assert client.post("/admin/repair/revert/", data={"id": repair.id, "entry": entry.id, "field": "parts_cost",
                                                      "version": repair.version}).status_code == 403
    assert "data-revert-field" not in client.get(f"/admin/repair/details/?id={repair.id}").get_data(as_text=True)


def test_revert_needs_csrf_and_a_matching_entry(manager_client, repair, make_record):
    """The POST needs its CSRF token, and an entry of another record is not found."""
    entry = ChangeLog.select().where(ChangeLog.record_id == repair.id, ChangeLog.action == "update").first()
    data = {"id": repair.id, "entry": entry.id, "field": "parts_cost", "version": repair.version}
    assert manager_client.post("/admin/repair/revert/", data=data, csrf=False).status_code == 400
    other = make_record(Repair)
    assert manager_client.post("/admin/repair/revert/", data={**data, "id": other.id}).status_code == 404


def test_fields_outside_the_edit_form_are_not_reverted(manager_client, make_record):
    """Status moves only through workflow steps, so it is never put back from history."""
    complaint = make_record(Complaint)
    entry = change(complaint, status="investigating")
    response = manager_client.post("/admin/complaint/revert/", data={"id": complaint.id, "entry": entry.id,
                                                                     "field": "status", "version": complaint.version})
    assert response.status_code == 400 and Complaint.get_by_id(complaint.id).status == "investigating"


def test_change_log_and_access_register_read_in_words(manager_client, repair, make_customer):
    """The global change log names the kind of record and the user; the access register names the customer."""
    page = manager_client.get("/admin/changelog/").get_data(as_text=True)
    assert "报修" in page and "380.00" in page and "E+2" not in page
    customer = make_customer(name="杭州明德贸易")
    AccessLog.create(username="x", action="open_dossier", table="customer", record_id=customer.id,
                     customer_id=customer.id, detail="回访前核对")
    page = manager_client.get("/admin/accesslog/").get_data(as_text=True)
    # the action filter's menu data (regs) carries the codes as option values; the rows must not
    rows = re.sub(r'<div id="filter-groups-data".*?</div>', "", page, flags=re.S)
    assert "杭州明德贸易" in rows and "open_dossier" not in rows and "回访前核对" in rows


def test_putting_back_a_customer_fact_regrades_it(manager_client, make_customer):
    """Like an edit, a revert regrades the customer at once (004 §13: 尚欠帐款 50万元以上 makes a customer C)."""
    from admin_app.services.grading import grading_sql

    customer = make_customer(designation="B", receivable=Decimal("0"))
    grading_sql.regrade_instance(customer)
    customer.save()
    assert customer.grade == "B"
    before = history.snapshot(customer)
    customer.receivable = Decimal("600000")
    grading_sql.regrade_instance(customer)
    customer.version += 1
    customer.save()
    entry = history.record(customer, "update", history.diff(before, history.snapshot(customer)))
    assert customer.grade == "C"
    manager_client.post("/admin/customer/revert/", data={"id": customer.id, "entry": entry.id,
                                                         "field": "receivable", "version": customer.version})
    fresh = type(customer).get_by_id(customer.id)
    assert (fresh.receivable, fresh.grade) == (Decimal("0"), "B")


def _rows(page):
    """Return a list page's table rows without the filter menu's data."""
    text = page.get_data(as_text=True)
    text = re.sub(r'<div id="filter-groups-data".*?</div>', "", text, flags=re.S)
    start = text.index("</thead>")
    return text[start:text.index("</table>", start)]


def test_logs_name_the_record_instead_of_its_id(manager_client, make_customer, make_record):
    """Both logs name the record and the customer, linked; a deleted record says so instead of a bare number."""
    customer = make_customer(name="苏州恒远精密机械")
    repair = make_record(Repair, customer=customer, fault_reported="电源无法开机")
    history.record(repair, "create", snap=history.snapshot(repair))
    AccessLog.create(username="x", action="reveal", table="repair", record_id=repair.id, customer_id=customer.id,
                     purpose="回访核对")
    AccessLog.create(username="x", action="print", table="customer", record_id=987654, customer_id=None)
    changes = _rows(manager_client.get("/admin/changelog/"))
    assert f'href="/admin/repair/details/?id={repair.id}"' in changes and "电源无法开机" in changes
    access = _rows(manager_client.get("/admin/accesslog/"))
    assert f'href="/admin/customer/details/?id={customer.id}"' in access and "苏州恒远精密机械" in access
    assert "电源无法开机" in access and "回访核对" in access and "#987654（已删除）" in access


@pytest.mark.parametrize("endpoint", ["changelog", "accesslog"])
def test_logs_read_names_with_one_query_per_kind(manager_client, make_customer, make_user, endpoint, monkeypatch):
    """Fifty log lines about fifty customers cost a handful of queries, not one per line."""
    customers = [make_customer() for _ in range(50)]
    users = [make_user("clerk", display_name=f"职员{i}") for i in range(5)]
    for number, customer in enumerate(customers):
        user = users[number % 5]
        ChangeLog.create(table="customer", record_id=customer.id, action="create", user=user.id,
                         username=user.username)
        AccessLog.create(user=user.id, username=user.username, action="open_dossier", table="customer",
                         record_id=customer.id, customer_id=customer.id)
    db = ChangeLog._meta.database.obj
    executed = []
    original = db.execute_sql

    def counting(sql, *args, **kwargs):
        executed.append(sql)
        return original(sql, *args, **kwargs)

    monkeypatch.setattr(db, "execute_sql", counting)
    page = manager_client.get(f"/admin/{endpoint}/")
    monkeypatch.undo()
    assert page.status_code == 200 and all(c.name in page.get_data(as_text=True) for c in customers)
    named = [sql for sql in executed if 'FROM "customer"' in sql]
    assert len(named) <= 2, len(named)
    assert all(f"职员{i}" in page.get_data(as_text=True) for i in range(5))
    assert len([sql for sql in executed if 'FROM "users"' in sql]) < 10  # never one per line (50 lines)


def test_a_revert_obeys_the_edit_rules(login_as, make_record, make_user):
    """A role granted revert in the panel still cannot set a field reserved to managers by putting it back."""
    from models import ReturnExchange, RolePermission

    record = make_record(ReturnExchange, exception_reason="质量问题，特批退货")
    entry = change(record, exception_reason=None)
    for operation in ("revert", "edit"):
        RolePermission.create(role="clerk", endpoint="returnexchange", operation=operation, access="allow")
    client = login_as("clerk")
    page = client.post("/admin/returnexchange/revert/", data={"id": record.id, "entry": entry.id,
                                                              "field": "exception_reason",
                                                              "version": record.version}, follow_redirects=True)
    assert "未恢复任何值" in page.get_data(as_text=True)
    assert ReturnExchange.get_by_id(record.id).exception_reason is None
    assert not ChangeLog.select().where(ChangeLog.action == "revert").exists()


def test_putting_back_a_legal_escalation_tells_the_legal_contact(login_as, make_record):
    """001: 涉及法律诉讼的要及时与公司法务人员沟通 — a revert that makes a complaint legal again tells its contact."""
    from models import Notification

    manager, legal = login_as("manager"), login_as("manager")
    record = make_record(Complaint, involves_legal=True, legal_contact=legal.user, status="investigating")
    entry = change(record, involves_legal=False)
    manager.post("/admin/complaint/revert/", data={"id": record.id, "entry": entry.id, "field": "involves_legal",
                                                   "version": record.version})
    saved = Complaint.get_by_id(record.id)
    assert saved.involves_legal and saved.legal_notified_at
    note = Notification.get(Notification.user == legal.user.id)
    assert (note.kind, note.record_id) == ("legal_signoff", record.id)


def test_a_refused_stale_edit_reads_like_history(login_as, make_customer, make_user):
    """The edit conflict names the other person, a local time, labels, choice labels and 380.00 amounts."""
    from tests.panel_specs import SPECS, alerts, form_for

    spec = SPECS[0]
    customer = make_customer(name="苏州恒远精密机械", customer_type="company", receivable=Decimal("120"))
    other = make_user("manager", display_name="王丽")
    Customer.update(receivable=Decimal("380"), customer_type="store", version=2).where(
        Customer.id == customer.id).execute()
    ChangeLog.create(table="customer", record_id=customer.id, action="update", user=other.id,
                     username=other.username, changes="{}")
    client = login_as("manager")
    page = client.post(f"/admin/customer/edit/?id={customer.id}",
                       data=form_for(spec, None, name="苏州恒远精密机械", receivable="500", customer_type="company",
                                     row_version="1"))
    message = next(text for text in alerts(page) if "王丽" in text)
    assert "尚欠帐款（元）：380.00（您的值：500.00）" in message and "顾客类型：个体商店（您的值：企业）" in message
    assert "store" not in message and "yours" not in message
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?!:\d)", message)  # a local time to the minute, no seconds


@pytest.mark.parametrize("url", ["/admin/repair/details/?id={id}", "/admin/changelog/"])
def test_automatic_changes_are_by_the_system_in_words(manager_client, repair, url):
    """Work done without a signed-in user (imports by the worker, scheduled jobs) reads 系统, not a code."""
    rows = _rows(manager_client.get(url.format(id=repair.id))) if "changelog" in url else \
        manager_client.get(url.format(id=repair.id)).get_data(as_text=True).split("table-bordered history", 1)[1]
    assert "系统" in rows and ">system<" not in rows


def test_a_repair_names_its_reporter_as_the_one_who_asked_for_it(manager_client, make_record):
    """报修: a repair's reporter reads 报修人 on its form, page, history and export; a feedback's stays 反馈人."""
    import io

    import openpyxl

    repair = make_record(Repair, reporter="王先生")
    change(repair, reporter="王女士")
    for url in ("/admin/repair/new/", f"/admin/repair/edit/?id={repair.id}", f"/admin/repair/details/?id={repair.id}"):
        page = manager_client.get(url).get_data(as_text=True)
        assert "报修人" in page and "反馈人" not in page, url
    assert "报修人" in manager_client.get("/admin/changelog/").get_data(as_text=True)
    book = openpyxl.load_workbook(io.BytesIO(manager_client.get("/admin/repair/export/xlsx/?columns=reporter").data))
    assert any(cell.value == "报修人" for row in book.active.iter_rows(max_row=3) for cell in row)
    assert "反馈人" in manager_client.get("/admin/feedback/new/").get_data(as_text=True)
