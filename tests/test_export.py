"""Excel export: the same rows and values as the list, typed, safe against formulas, masked and logged."""
import datetime as dt
import io
import zipfile
from decimal import Decimal

import openpyxl
import peewee as pw
import pytest
from flask_babel import force_locale, gettext
from markupsafe import Markup

from admin_app.permissions import UNMASKED, mask, sees_unmasked
from models import ArchiveRecord, Complaint, Customer, ExportLog, Feedback, Repair, ReturnExchange

HEADER_ROW = 3  # title, "exported by", then the header
VIEWS = [("customer", Customer), ("archiverecord", ArchiveRecord), ("feedback", Feedback),
         ("complaint", Complaint), ("repair", Repair), ("returnexchange", ReturnExchange)]
INJECTIONS = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1", "{=1+1}", "=HYPERLINK(\"http://x.cn\",\"x\")",
              "http://evil.example.com/a", "https://evil.example.com", "mailto:a@example.com", "www.example.com"]


def admin_view(app, endpoint):
    return next(v for v in app.extensions["admin"][0]._views if v.endpoint == endpoint)


def read_sheet(response):
    assert response.status_code == 200, response.status_code
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    rows = [[unescape(v) for v in row] for row in book.active.iter_rows(values_only=True)]
    return rows[:HEADER_ROW - 1], list(rows[HEADER_ROW - 1]), [list(r) for r in rows[HEADER_ROW:]]


def unescape(value):
    """Undo the OOXML escape openpyxl leaves in strings (_x000D_ is a carriage return, as Excel shows it)."""
    return value.replace("_x000D_", "\r") if isinstance(value, str) else value


def expected_cell(view, record, name, role):
    """Return what a cell must hold, computed from the database independently of the exporter."""
    fld = record._meta.fields[name]
    formatter = (view.column_formatters or {}).get(name)
    raw = record.__data__.get(name)
    if raw is None:
        return None
    if name in UNMASKED:
        return raw if sees_unmasked(name, role) else mask(name, raw)
    if isinstance(fld, pw.ForeignKeyField):
        return str(getattr(record, name))
    if fld.choices:
        return str(dict(fld.choices)[raw])
    if isinstance(fld, pw.BooleanField):
        return gettext("Yes") if raw else gettext("No")
    if formatter:
        shown = formatter(view, None, record, name)
        return shown.striptags() if isinstance(shown, Markup) else shown
    if isinstance(fld, pw.DecimalField):
        return float(raw)
    if isinstance(fld, pw.DateField) and not isinstance(fld, pw.DateTimeField):
        return dt.datetime.combine(raw, dt.time())
    return raw or None


@pytest.fixture()
def populated(make_customer, make_record, make_user):
    owner = make_user("clerk", display_name="张三")
    customers = [make_customer(name=f"顾客{i}", grade="ABC"[i % 3], owner=owner if i % 2 else None,
                               receivable=Decimal(f"{i}12.50"), region="华东" if i % 2 else "华北",
                               next_report_due=dt.date(2026, 12, i + 1)) for i in range(7)]
    for i, customer in enumerate(customers):
        make_record(ArchiveRecord, customer=customer, amount=Decimal("99.90"), owner=owner)
        make_record(Feedback, customer=customer, status="new" if i % 2 else "closed", corrective_action=bool(i % 2))
        make_record(Complaint, customer=customer, severity="high")
        make_record(Repair, customer=customer, parts_cost=Decimal("10.5"))
        make_record(ReturnExchange, customer=customer, decision="exchange")
    return customers


@pytest.mark.parametrize("endpoint,model", VIEWS)
def test_export_matches_the_database_row_for_row(app, login_as, populated, endpoint, model):
    client = login_as("manager")
    _title, header, rows = read_sheet(client.get(f"/admin/{endpoint}/export/xlsx/"))
    view = admin_view(app, endpoint)
    with app.test_request_context(), force_locale("zh_Hans_CN"):
        names = ["id", *[n for n in view.column_list if n != "id"], "version"]
        assert header == [str(view.get_column_name(n)) for n in names]
        records = list(model.select().order_by(model.id.desc()))
        assert len(rows) == len(records) == model.select().count()
        for record, row in zip(records, rows, strict=True):
            assert row == [expected_cell(view, record, n, "manager") for n in names]


def test_typed_cells_and_layout(manager_client, populated):
    response = manager_client.get("/admin/customer/export/xlsx/")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    header = [c.value for c in sheet[HEADER_ROW]]
    money = sheet.cell(HEADER_ROW + 1, header.index("尚欠帐款（元）" if "尚欠帐款（元）" in header else header[0]) + 1)
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
    assert sheet.auto_filter.ref.startswith(f"A{HEADER_ROW}")
    due = next(c for c in sheet[HEADER_ROW + 1] if isinstance(c.value, dt.datetime))
    assert due.is_date and "yy" in due.number_format
    assert money.value is not None
    assert ExportLog.get().row_count == 7


def test_money_is_a_number_with_a_money_format(manager_client, populated):
    response = manager_client.get("/admin/customer/export/xlsx/?columns=name,receivable")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    cell = sheet.cell(HEADER_ROW + 1, 3)
    assert isinstance(cell.value, float) and cell.number_format == "#,##0.00"
    assert [c.value for c in sheet[HEADER_ROW]][1:3] == ["名称", sheet.cell(HEADER_ROW, 3).value]


@pytest.mark.parametrize("text", INJECTIONS)
def test_formula_and_link_strings_stay_plain_text(manager_client, make_customer, text):
    make_customer(name=text, notes=text, region=text)
    response = manager_client.get("/admin/customer/export/xlsx/?columns=name,region,notes")
    _title, _header, rows = read_sheet(response)
    assert rows[0][1:4] == [text, text, text]
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
        assert "<f>" not in sheet_xml and "<hyperlink" not in sheet_xml
        assert not any("hyperlink" in name.lower() for name in archive.namelist())
    cell = openpyxl.load_workbook(io.BytesIO(response.data)).active.cell(HEADER_ROW + 1, 2)
    assert cell.data_type == "s"


def test_search_filter_and_sort_are_honoured_on_all_pages(app, manager_client, make_customer):
    for i in range(45):
        make_customer(name=f"批量{i:02d}", grade="A" if i % 3 == 0 else "B")
    make_customer(name="别的", grade="A")
    view = admin_view(app, "customer")
    flt = next(i for i, f in enumerate(view._filters)
               if f.column.name == "grade" and type(f).__name__ == "FilterEqual")
    sort = list(view.column_list).index("name")
    url = f"/admin/customer/export/xlsx/?search=批量&flt0_{flt}=A&sort={sort}&desc=1"
    title, header, rows = read_sheet(manager_client.get(url))
    expected = (Customer.select().where(Customer.name.contains("批量"), Customer.grade == "A")
                .order_by(Customer.name.desc()))
    name = header.index("名称")
    assert [r[name] for r in rows] == [c.name for c in expected] and len(rows) == 15
    assert "批量" in title[0][0] and "A" in title[0][0]
    assert ExportLog.get().row_count == 15


def test_column_choice(manager_client, populated):
    _title, header, rows = read_sheet(manager_client.get("/admin/customer/export/xlsx/?columns=name,grade"))
    assert header == ["编号", "名称", "信用等级", "版本"]


def test_password_hash_is_never_exported(admin_client):
    _title, header, rows = read_sheet(admin_client.get("/admin/user/export/xlsx/?columns=username,password_hash"))
    assert len(header) == 3 and not any(str(v).startswith("scrypt") for row in rows for v in row)


def test_masked_fields_stay_masked(quality_client, make_customer):
    make_customer(phone="13812345678")
    _title, header, rows = read_sheet(quality_client.get("/admin/customer/export/xlsx/"))
    assert "13812345678" not in [v for row in rows for v in row]
    assert mask("phone", "13812345678") in rows[0]


@pytest.mark.parametrize("role,endpoint", [("technician", "customer"), ("quality", "archiverecord"),
                                           ("clerk", "changelog")])
def test_export_refused_without_the_right(login_as, make_customer, role, endpoint):
    make_customer()
    response = login_as(role).get(f"/admin/{endpoint}/export/xlsx/")
    assert response.status_code == 403
    assert ExportLog.select().count() == 0


def test_technician_sees_no_export_button(technician_client, make_customer):
    make_customer()
    page = technician_client.get("/admin/customer/").get_data(as_text=True)
    assert "/admin/customer/export/xlsx/" not in page


def test_export_button_carries_the_list_query(manager_client, make_customer):
    make_customer()
    page = manager_client.get("/admin/customer/?search=abc").get_data(as_text=True)
    assert "/admin/customer/export/xlsx/?search=abc" in page


def test_export_selected_rows_action(manager_client, populated):
    chosen = [populated[1].id, populated[4].id]
    response = manager_client.post("/admin/customer/action/", data={"action": "export_xlsx", "rowid": chosen})
    _title, _header, rows = read_sheet(response)
    assert sorted(r[0] for r in rows) == sorted(chosen)
    log = ExportLog.get()
    assert (log.kind, log.row_count, log.endpoint) == ("selected", 2, "customer")


def test_export_selected_refused_without_the_right(technician_client, make_customer):
    customer = make_customer()
    response = technician_client.post("/admin/customer/action/", data={"action": "export_xlsx",
                                                                       "rowid": [customer.id]})
    assert response.status_code in (302, 403)
    assert not response.data.startswith(b"PK")
    assert ExportLog.select().count() == 0


def test_export_is_logged_with_who_and_filters(manager_client, make_customer):
    make_customer(name="甲")
    manager_client.get("/admin/customer/export/xlsx/?search=甲")
    log = ExportLog.get()
    assert log.username == manager_client.user.username and "甲" in log.filters and log.row_count == 1


def test_a_field_hidden_from_the_role_is_not_exported_even_when_asked_for(clerk_client, make_customer):
    from models.security import RolePermission
    make_customer(notes="机密备注")
    RolePermission.create(role="clerk", endpoint="customer", operation="field", field="notes", access="hidden")
    _title, header, rows = read_sheet(clerk_client.get("/admin/customer/export/xlsx/?columns=name,notes"))
    assert len(header) == 3 and "机密备注" not in [v for row in rows for v in row]


def test_grade_reasons_are_translated_once_per_distinct_value_not_per_row(manager_client, make_customer, monkeypatch):
    from admin_app.services.grading import rules

    for index in range(30):
        make_customer(grade_reasons=("receivable_high", "new_customer")[index % 2])
    real, calls = rules.reason_text, []
    monkeypatch.setattr(rules, "reason_text", lambda code: calls.append(code) or real(code))
    _title, header, rows = read_sheet(manager_client.get("/admin/customer/export/xlsx/?columns=name,grade_reasons"))
    with force_locale("zh_Hans_CN"):
        expected = {real("receivable_high"), real("new_customer")}
        column = header.index(str(admin_view(manager_client.application, "customer").get_column_name("grade_reasons")))
    assert {row[column] for row in rows} == expected and len(rows) == 30
    assert len(calls) == 2  # one translation per distinct stored value, whatever the row count
