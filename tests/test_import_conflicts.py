"""Import conflicts explain themselves (issue 13 item 9): the record by name, the value in the file, in the database
now and at export time, and "take the file's value" row by row for whoever may edit the record."""
import io
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from admin_app.services.trust import history
from models import ChangeLog, Customer, ImportBatch, RolePermission
from tests.language_sweep import data_pattern, leftovers, visible_texts
from tests.test_import import counts, upload, xlsx_bytes


def change(record, **values):
    """Change a record the way an edit does: new values, next version, one history entry."""
    record = type(record).get_by_id(record.id)
    before = history.snapshot(record)
    for name, value in values.items():
        setattr(record, name, value)
    record.version += 1
    record.save()
    history.record(record, "update", history.diff(before, history.snapshot(record)))
    return record


def export(client, columns="name,customer_type,region,receivable"):
    response = client.get(f"/admin/customer/export/xlsx/?columns={columns}")
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.data))


def sheet_rows(book):
    """Return {record id: sheet row number} of an exported sheet."""
    sheet = book.active
    return {sheet.cell(r, 1).value: r for r in range(4, sheet.max_row + 1)}


def edit_cells(book, edits):
    """Write {(record id, header): value} into an exported sheet; return the workbook's bytes."""
    sheet = book.active
    headers = [c.value for c in sheet[3]]
    rows = {sheet.cell(r, 1).value: r for r in range(4, sheet.max_row + 1)}
    for (record_id, header), value in edits.items():
        sheet.cell(rows[record_id], headers.index(header) + 1).value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def conflict_block(page, number):
    text = page.get_data(as_text=True)
    start = text.index(f'id="conflict-{number}"')
    return text[start:text.index("</table>", start)]


def cells(block):
    """Return {field label: (file, database now, at export)} of a conflict block."""
    found = re.findall(r'<th scope="row">([^<]*)</th><td class="conflict-file"[^>]*>([^<]*)</td>'
                       r'<td class="conflict-db"[^>]*>([^<]*)</td>\s*<td class="conflict-then"[^>]*>(.*?)</td>', block)
    return {label: (file, now, then) for label, file, now, then in found}


def commit(client, page, taken=()):
    batch = ImportBatch.select().order_by(ImportBatch.id.desc()).first().id
    return client.post(f"/admin/import/customer/{batch}/commit/", data={"take": [str(n) for n in taken]},
                       follow_redirects=True)


@pytest.fixture()
def crossed(clerk_client, make_customer):
    """Two customers exported by the clerk, edited in the file, and changed in the database since the export."""
    first = make_customer(name="苏州恒远精密机械", region="华东", receivable=Decimal("120"))
    second = make_customer(name="杭州青山商贸", region="华东")
    book = export(clerk_client)
    rows = sheet_rows(book)
    data = edit_cells(book, {(first.id, "地区"): "西南", (first.id, "尚欠帐款（元）"): 380,
                             (second.id, "地区"): "东北"})
    change(first, region="华中", receivable=Decimal("450.5"))
    change(second, region="华北")
    return first, second, data, rows


def test_conflict_rows_name_the_record_and_show_three_values(clerk_client, crossed):
    """Each field shows the file's value, the database's now and the value at export, as people read them."""
    first, second, data, rows = crossed
    page = upload(clerk_client, data, name="customer-export.xlsx")
    assert counts(page)["conflict"] == 2 and counts(page)["update"] == 0
    block = conflict_block(page, rows[first.id])
    assert f'href="/admin/customer/details/?id={first.id}"' in block and "苏州恒远精密机械" in block
    assert cells(block) == {"地区": ("西南", "华中", "华东"), "尚欠帐款（元）": ("380.00", "450.50", "120.00")}
    assert Customer.get_by_id(first.id).region == "华中"  # the preview writes nothing


def test_a_field_only_the_database_changed_is_no_conflict(clerk_client, make_customer):
    """The file kept the exported value: the database's newer value stands and the row is not a conflict."""
    customer = make_customer(name="无锡长风", region="华东")
    data = edit_cells(export(clerk_client), {})
    change(customer, region="华中")
    page = upload(clerk_client, data, name="customer-export.xlsx")
    assert counts(page)["conflict"] == 0 and counts(page)["update"] == 0
    assert Customer.get_by_id(customer.id).region == "华中"


def test_taking_the_file_row_by_row(clerk_client, crossed):
    """A ticked row takes the file's values (recorded, next version); an unticked one keeps the database."""
    first, second, data, rows = crossed
    page = upload(clerk_client, data, name="customer-export.xlsx")
    commit(clerk_client, page, taken=[rows[first.id]])
    assert ImportBatch.get().status == "committed"
    taken, kept = Customer.get_by_id(first.id), Customer.get_by_id(second.id)
    assert (taken.region, taken.receivable) == ("西南", Decimal("380"))
    assert taken.version > first.version + 1 and kept.region == "华北"
    entry = ChangeLog.for_record("customer", first.id).where(ChangeLog.action == "update").first()
    assert entry.changed()["region"] == ["华中", "西南"] and entry.username.startswith("clerk")


def test_no_choice_keeps_the_database(clerk_client, crossed):
    """Unticked by default: committing without a choice leaves every conflicting record as it is."""
    first, second, data, rows = crossed
    page = upload(clerk_client, data, name="customer-export.xlsx")
    assert 'name="take"' in page.get_data(as_text=True) and " checked" not in conflict_block(page, rows[first.id])
    commit(clerk_client, page)
    assert Customer.get_by_id(first.id).region == "华中" and Customer.get_by_id(second.id).region == "华北"


def test_a_stale_choice_is_refused_whole(clerk_client, crossed):
    """The record changed again between preview and commit: nothing is written, the preview says why."""
    first, second, data, rows = crossed
    page = upload(clerk_client, data, name="customer-export.xlsx")
    change(first, region="西北")
    done = commit(clerk_client, page, taken=list(rows.values()))
    text = done.get_data(as_text=True)
    assert "nothing was imported" in text or "未导入任何" in text or "没有导入" in text
    assert Customer.get_by_id(first.id).region == "西北" and Customer.get_by_id(second.id).region == "华北"
    assert ImportBatch.get().status == "preview" and 'checked' in text


def test_a_role_that_may_not_edit_sees_no_choice_and_cannot_force_one(clerk_client, crossed):
    """Import without edit: the conflicts are explained but the database keeps its values, even for a forged post."""
    first, second, data, rows = crossed
    RolePermission.create(role="clerk", endpoint="customer", operation="edit", access="deny")
    page = upload(clerk_client, data, name="customer-export.xlsx")
    text = page.get_data(as_text=True)
    assert counts(page)["conflict"] == 2 and 'name="take"' not in text and "conflict-kept" in text
    assert commit(clerk_client, page, taken=list(rows.values())).status_code == 403
    assert Customer.get_by_id(first.id).region == "华中"


def test_a_read_only_field_cannot_be_taken(clerk_client, crossed):
    """A field the role may only read is never imported, so it is never a conflict to take."""
    first, _second, data, rows = crossed
    RolePermission.create(role="clerk", endpoint="customer", operation="field", field="region", access="read")
    page = upload(clerk_client, data, name="customer-export.xlsx")
    assert "西南" not in page.get_data(as_text=True)
    commit(clerk_client, page, taken=list(rows.values()))
    assert Customer.get_by_id(first.id).region == "华中"


def test_masked_values_stay_masked_in_the_preview(clerk_client, make_customer):
    """A clerk sees ID card numbers masked: the preview never shows the stored or exported number in clear."""
    customer = make_customer(name="常州明德", id_card="320401199001011234", region="华东")
    book = export(clerk_client, "name,id_card,region")
    data = edit_cells(book, {(customer.id, "身份证号码"): "320401199202022341"})
    change(customer, id_card="320401198803035678")
    page = upload(clerk_client, data, name="customer-export.xlsx")
    text = page.get_data(as_text=True)
    assert "320401199001011234" not in text and "320401198803035678" not in text
    assert counts(page)["conflict"] == 1, re.findall(r'class="import-error">.*?</tr>', text, re.S)
    file_value, now, then = cells(conflict_block(page, 4))["身份证号码"]
    assert file_value == "320401199202022341" and "*" in now and now.endswith("5678") and then.endswith("1234")
    batch = ImportBatch.get()
    stored = Path(batch.stored_as).read_text(encoding="utf-8")
    assert "320401199001011234" not in stored and "320401198803035678" not in stored


def test_an_unedited_masked_cell_is_no_change(clerk_client, make_customer):
    """The masked number exported and left as it was is not a value typed over the stored one."""
    customer = make_customer(name="常州明德", id_card="320401199001011234", region="华东")
    data = edit_cells(export(clerk_client, "name,id_card,region"), {(customer.id, "地区"): "西南"})
    change(customer, id_card="320401198803035678")
    page = upload(clerk_client, data, name="customer-export.xlsx")
    assert counts(page)["error"] == 0 and counts(page)["conflict"] == 1
    assert set(cells(conflict_block(page, 4))) == {"地区"}
    commit(clerk_client, page, taken=[4])
    saved = Customer.get_by_id(customer.id)
    assert (saved.region, saved.id_card) == ("西南", "320401198803035678")


def test_a_sheet_without_export_mark_says_the_exported_value_is_unknown(clerk_client, make_customer):
    """A hand-made sheet with an old version: the value at export time cannot be known, and the page says so."""
    customer = make_customer(name="宁波远航", region="华东")
    change(customer, region="华中")
    page = upload(clerk_client, xlsx_bytes([["ID", "名称", "地区", "版本"], [customer.id, "宁波远航", "西南", 1]]))
    assert counts(page)["conflict"] == 1
    file_value, now, then = cells(conflict_block(page, 2))["地区"]
    assert (file_value, now) == ("西南", "华中") and ("未知" in then or "not known" in then)


WORDS = {"en": ("In the file", "In the database now", "When exported", "Take the file"),
         "zh_Hans_CN": ("文件中的值", "数据库现值", "导出时的值", "采用文件的值")}


@pytest.mark.parametrize("language,words", list(WORDS.items()))
def test_the_conflict_table_speaks_the_users_language(login_as, make_customer, language, words):
    """The conflict's headings and choice read in the user's language."""
    client = login_as("clerk", language=language)
    customer = make_customer(name="宁波远航", region="华东")
    data = edit_cells(export(client), {(customer.id, "Region" if language == "en" else "地区"): "西南"})
    change(customer, region="华中")
    text = upload(client, data, name="customer-export.xlsx").get_data(as_text=True)
    assert all(word in text for word in words), [w for w in words if w not in text]
    typed = ("华东", "西南")  # data no longer (or not yet) in the database: the exported and the file's value
    found = leftovers(visible_texts(text), language, data_pattern())
    assert [word for word in found if not any(value in word for value in typed)] == []


def test_state_at_a_point_undoes_every_later_change(app, make_customer):
    """history.state_at: the record as it stood at a mark, whatever happened after; None if created after."""
    customer = make_customer(name="甲", region="华东")
    point = history.mark()
    change(customer, region="华中")
    change(customer, region="华北", name="甲公司")
    then = history.state_at(Customer.get_by_id(customer.id), point)
    assert (then["region"], then["name"]) == ("华东", "甲")
    later = make_customer(name="乙")
    history.record(later, "create", snap=history.snapshot(later))
    assert history.state_at(later, point) is None


def test_a_large_import_takes_the_ticked_rows_in_the_background(app, clerk_client, make_customer):
    """Above IMPORT_JOB_ROWS the commit is a job: it takes exactly the ticked conflict rows, all or nothing."""
    from models import Job

    app.config.update(IMPORT_JOB_ROWS=2)
    first, second = make_customer(name="甲", region="华东"), make_customer(name="乙", region="华东")
    others = [make_customer(name=f"丙{i}", region="华东") for i in range(3)]
    book = export(clerk_client)
    rows = sheet_rows(book)
    data = edit_cells(book, {(first.id, "地区"): "西南", (second.id, "地区"): "东北", (others[0].id, "地区"): "华南"})
    change(first, region="华中")
    change(second, region="华北")
    page = upload(clerk_client, data, name="customer-export.xlsx")
    assert counts(page)["conflict"] == 2 and counts(page)["update"] == 1
    batch = ImportBatch.select().order_by(ImportBatch.id.desc()).first().id
    started = clerk_client.post(f"/admin/import/customer/{batch}/commit/", data={"take": [str(rows[second.id])]},
                                headers={"Accept": "application/json"}).get_json()
    assert Job.get_by_id(started["job"]).status == "done"
    regions = {c.id: c.region for c in Customer.select()}
    assert (regions[first.id], regions[second.id], regions[others[0].id]) == ("华中", "东北", "华南")
