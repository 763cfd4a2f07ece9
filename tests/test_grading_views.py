"""Credit grading through the panel: preview and apply, designation rights, history, lists."""
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from conftest import state_purpose

from models import Customer, GradeHistory, UrgentEvent
from views.grading import GradeReasonFilter

RECOMPUTE = "/admin/customer/grading/recompute"
DESIGNATE = "/admin/customer/grading/designate"


def customer_view(app):
    admin = app.extensions["admin"]
    admin = admin[0] if isinstance(admin, list) else admin
    return next(v for v in admin._views if getattr(v, "endpoint", None) == "customer")


def action(client, name, ids):
    return client.post("/admin/customer/action/", data={"action": name, "rowid": [str(i) for i in ids]})


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_recompute_selected_preview_then_apply(login_as, make_customer, role):
    client = login_as(role)
    mover = make_customer(designation="B", name="升级顾客")
    store = make_customer(designation="B", customer_type="store", name="小店")
    untouched = make_customer(designation="B", name="未选顾客")
    redirect = action(client, "recompute_grade", [mover.id, store.id])
    assert redirect.status_code == 302 and "/grading/recompute?ids=" in redirect.location
    page = client.get(redirect.location).get_data(as_text=True)
    assert "C → B" in page and "升级顾客" in page and "未选顾客" not in page
    assert "Designated by the sales supervisor" in page or "营业主管" in page
    assert Customer.get_by_id(mover.id).grade == "C"
    done = client.post(redirect.location, data={})
    assert done.status_code == 302
    assert [Customer.get_by_id(c.id).grade for c in (mover, store, untouched)] == ["B", "C", "C"]
    history = GradeHistory.get(GradeHistory.customer == mover.id)
    assert (history.old_grade, history.new_grade, history.username) == ("C", "B", client.user.username)


def test_recompute_all_matching_follows_search(supervisor_client, make_customer):
    make_customer(designation="A", name="甲公司一")
    make_customer(designation="A", name="甲公司二")
    other = make_customer(designation="A", name="乙公司")
    tools = supervisor_client.get("/admin/customer/?search=甲公司").get_data(as_text=True)
    assert "/grading/recompute?search=" in tools
    page = supervisor_client.get(f"{RECOMPUTE}?search=甲公司").get_data(as_text=True)
    assert "C → A" in page and "乙公司" not in page
    supervisor_client.post(f"{RECOMPUTE}?search=甲公司", data={})
    assert Customer.select().where(Customer.grade == "A").count() == 2
    assert Customer.get_by_id(other.id).grade == "C"


def test_apply_needs_csrf_and_post(supervisor_client, make_customer):
    customer = make_customer(designation="B")
    assert supervisor_client.post(f"{RECOMPUTE}?ids={customer.id}", data={}, csrf=False).status_code == 400
    supervisor_client.get(f"{RECOMPUTE}?ids={customer.id}")
    assert Customer.get_by_id(customer.id).grade == "C"
    assert GradeHistory.select().count() == 0


@pytest.mark.parametrize("role", ["clerk", "technician", "quality"])
def test_recompute_refused_to_other_roles(login_as, make_customer, role):
    client = login_as(role)
    customer = make_customer(designation="B")
    assert client.post(f"{RECOMPUTE}?ids={customer.id}", data={}).status_code == 403
    assert Customer.get_by_id(customer.id).grade == "C"


@pytest.mark.parametrize("role", ["supervisor", "admin"])
def test_supervisor_designates_with_remark(login_as, make_customer, role):
    client = login_as(role)
    good, watched = make_customer(), make_customer(bad_reputation=True)
    response = client.post(f"{DESIGNATE}?ids={good.id}&ids={watched.id}", data={"value": "A", "remark": "行业一流"})
    assert response.status_code == 302
    assert (Customer.get_by_id(good.id).grade, Customer.get_by_id(good.id).designation) == ("A", "A")
    assert (Customer.get_by_id(watched.id).grade, Customer.get_by_id(watched.id).designation) == ("C", "A")
    entries = list(GradeHistory.select().where(GradeHistory.source == "designation"))
    assert len(entries) == 2 and {e.remark for e in entries} == {"行业一流"}


def test_designation_requires_remark(supervisor_client, make_customer):
    customer = make_customer()
    page = supervisor_client.post(f"{DESIGNATE}?ids={customer.id}", data={"value": "A", "remark": "  "})
    assert page.status_code == 200 and "field-error" in page.get_data(as_text=True)
    assert Customer.get_by_id(customer.id).designation is None
    assert GradeHistory.select().count() == 0


def test_designation_can_be_removed(supervisor_client, make_customer):
    customer = make_customer(designation="B", grade="B", grade_reasons="designated")
    supervisor_client.post(f"{DESIGNATE}?ids={customer.id}", data={"value": "none", "remark": "降级观察"})
    assert (Customer.get_by_id(customer.id).designation, Customer.get_by_id(customer.id).grade) == (None, "C")


@pytest.mark.parametrize("role", ["clerk", "technician", "quality", "manager"])
def test_only_supervisors_and_admins_designate(login_as, make_customer, role):
    client = login_as(role)
    customer = make_customer()
    response = client.post(f"{DESIGNATE}?ids={customer.id}", data={"value": "A", "remark": "想要A"})
    assert response.status_code == 403
    assert client.get(f"{DESIGNATE}?ids={customer.id}").status_code == 403
    action(client, "designate_grade", [customer.id])
    assert Customer.get_by_id(customer.id).designation is None


def test_list_shows_reasons_as_sentences_and_filters_by_reason(clerk_client, make_customer):
    make_customer(name="批发商甲", is_wholesaler=True, grade_reasons="wholesaler,not_designated")
    make_customer(name="普通乙")
    page = clerk_client.get("/admin/customer/").get_data(as_text=True)
    assert "wholesaler,not_designated" not in page
    view = customer_view(clerk_client.application)
    flt = next(i for i, f in enumerate(view._filters) if isinstance(f, GradeReasonFilter))
    listed = clerk_client.get(f"/admin/customer/?flt0_{flt}=wholesaler").get_data(as_text=True)
    assert "批发商甲" in listed and "普通乙" not in listed


def test_customer_page_shows_grade_history(supervisor_client, make_customer):
    customer = make_customer(designation="B")
    supervisor_client.post(f"{RECOMPUTE}?ids={customer.id}", data={})
    page = state_purpose(supervisor_client, customer.id).get(f"/admin/customer/details/?id={customer.id}").get_data(
        as_text=True)
    assert 'id="grade-history"' in page and "C → B" in page


def test_editing_a_customer_regrades_it(clerk_client, make_customer):
    customer = make_customer(designation="B", grade="B", grade_reasons="designated")
    form = clerk_client.get(f"/admin/customer/edit/?id={customer.id}").get_data(as_text=True)
    assert "row_version" in form
    data = {"name": customer.name, "customer_type": "company", "phone": customer.phone, "staff_count": "5",
            "receivable": "0", "trade_volume_12m": "100000", "first_trade_date": "2020-01-01",
            "row_version": str(customer.version)}
    clerk_client.post(f"/admin/customer/edit/?id={customer.id}", data=data)
    saved = Customer.get_by_id(customer.id)
    assert (saved.grade, saved.grade_reasons) == ("C", "small_company")
    assert GradeHistory.get(GradeHistory.customer == customer.id).source == "edit"


def test_reports_due_this_month_per_owner(supervisor_client, make_customer, make_user):
    owner = make_user("clerk", display_name="业务员王")
    month = dt.date.today().month
    make_customer(name="每月报告", grade="C", owner=owner)
    make_customer(name="季度报告", grade="B", owner=owner)
    make_customer(name="半年报告", grade="A", owner=owner)
    page = supervisor_client.get("/admin/reportsdue/").get_data(as_text=True)
    assert "每月报告" in page and "业务员王" in page
    assert ("季度报告" in page) is (month in (1, 4, 7, 10))
    assert ("半年报告" in page) is (month in (3, 9))


def test_urgent_event_flags_customer_and_puts_it_first(clerk_client, supervisor_client, make_customer):
    make_customer(name="平常顾客")
    customer = make_customer(name="退票顾客")
    make_customer(name="另一个平常顾客")
    response = clerk_client.post("/admin/urgentevent/new/", data={
        "customer": str(customer.id), "kind": "bounced_cheque", "occurred_on": dt.date.today().isoformat(),
        "amount": "12000", "description": "支票被拒付"})
    assert response.status_code == 302
    assert Customer.get_by_id(customer.id).urgent is True
    page = supervisor_client.get("/admin/customer/").get_data(as_text=True)
    assert page.index("退票顾客") < page.index("平常顾客")
    event = UrgentEvent.get()
    supervisor_client.post("/admin/urgentevent/action/", data={"action": "resolve", "rowid": [str(event.id)]})
    assert Customer.get_by_id(customer.id).urgent is False


def test_grade_history_list_is_filterable(supervisor_client, make_customer):
    make_customer(designation="B", name="历史顾客", receivable=Decimal("0"))
    supervisor_client.post(RECOMPUTE, data={})
    page = supervisor_client.get("/admin/gradehistory/").get_data(as_text=True)
    assert "历史顾客" in page and "not_designated" not in page


def sheet_text(response):
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    return " ".join(str(cell.value) for row in book.active.iter_rows() for cell in row if cell.value is not None)


def test_grade_history_export_shows_sentences(supervisor_client, make_customer):
    make_customer(designation="B", name="导出顾客")
    supervisor_client.post(RECOMPUTE, data={})
    response = supervisor_client.get("/admin/gradehistory/export/xlsx/")
    assert response.status_code == 200
    text = sheet_text(response)
    assert "导出顾客" in text and "designated" not in text.replace("Designated", "")


def test_clerk_cannot_export_grade_history(clerk_client):
    assert clerk_client.get("/admin/gradehistory/export/xlsx/").status_code == 403


def test_cli_recompute_grades(app, make_customer):
    customer = make_customer(designation="B")
    dry = app.test_cli_runner().invoke(args=["recompute-grades", "--dry-run"])
    assert "C -> B: 1" in dry.output and Customer.get_by_id(customer.id).grade == "C"
    done = app.test_cli_runner().invoke(args=["recompute-grades"])
    assert done.exit_code == 0, done.output
    assert Customer.get_by_id(customer.id).grade == "B"
    assert GradeHistory.get(GradeHistory.customer == customer.id).source == "cli"
