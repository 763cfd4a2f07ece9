"""Hostile typed values: full-width and padded input, control characters, overlong text, money that would change,
out-of-range integers, formulas and repeated headers in imports. Every path (create form, in-place edit, bulk edit,
import) gives a clear translated error and stores nothing, or stores the normalised value (issue 16, items 5-6).
"""
import html
import io
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import peewee as pw
import pytest
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from panel_specs import (  # noqa: F401 - fast_password_hashing and module_app are fixtures
    BY_ENDPOINT,
    fast_password_hashing,
    form_for,
    module_app,
)
from panel_specs import app as panel_app  # noqa: F401 - fixture
from werkzeug.datastructures import MultiDict
from wtforms import IntegerField, StringField

from admin_app import validators as v
from models import ChangeLog, Customer, ImportBatch
from views.labels import LABELS
from views.value_form import value_form_for

CASES = Path(__file__).parent / "cases"
CONTROL = "Control characters (such as NUL) are not allowed; remove them and try again."
PLACES = "At most %(places)d decimal places; the value is not rounded for you."
DIGITS = "At most %(digits)d digits before the decimal point."
RANGE = "Enter a number from %(min)s to %(max)s."
AT_LEAST = "Enter %(min)s or more."
LENGTH = "At most %(max)d characters (this has %(num)d)."
CHANNELS = ("form", "inline", "bulk", "import")
NOT_A_SHEET = "This is not a spreadsheet: upload an .xlsx or .csv file."


def message(msgid, **params):
    with current_app.test_request_context(), force_locale("zh_Hans_CN"):
        return _(msgid, **params)


def page_text(response):
    return html.unescape(response.get_data(as_text=True))


# --- the four ways a value reaches a record -------------------------------------------------------------
def upload(client, data, name):
    return client.post("/admin/import/customer/", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data", follow_redirects=True)


def commit(client, page):
    batch = re.search(r"/admin/import/customer/(\d+)/commit/", page.get_data(as_text=True))
    assert batch, "the preview offers the commit"
    return client.post(f"/admin/import/customer/{batch.group(1)}/commit/", data={}, follow_redirects=True)


def counts(page):
    text = page.get_data(as_text=True)
    return {kind: int(re.search(rf'id="count-{kind}">[^<]*?(\d+)<', text).group(1))
            for kind in ("new", "update", "unchanged", "conflict", "error")}


def csv_bytes(rows):
    return "\n".join(",".join(row) for row in rows).encode("utf-8")


def set_region(channel, client, customer, value):
    """Send a region through one channel; return the text the user sees."""
    if channel == "form":
        data = form_for(BY_ENDPOINT["customer"], name="区域测试", phone="13900000001", region=value)
        return page_text(client.post("/admin/customer/new/", data=data, follow_redirects=True))
    if channel == "inline":
        return page_text(client.post("/admin/customer/ajax/update/",
                                     data={"list_form_pk": customer.id, "region": value}))
    if channel == "bulk":
        data = {"ids": [customer.id], "field": "region", "region": value}
        preview = client.post("/admin/customer/bulk-edit/", data=data)
        previewed = re.search(r'name="previewed" value="([^"]+)"', preview.get_data(as_text=True))
        if not previewed:
            return page_text(preview)
        done = client.post("/admin/customer/bulk-edit/",
                           data={**data, "confirm": "1", "previewed": html.unescape(previewed.group(1))},
                           follow_redirects=True)
        return page_text(done)
    page = upload(client, csv_bytes([["名称", "电话", "地区"], [customer.name, customer.phone, value]]), "r.csv")
    if 'id="count-update"' in page.get_data(as_text=True) and counts(page)["update"]:
        commit(client, page)
    return page_text(page)


def stored_region(customer):
    """Return the region the channel left: the new customer's for the form, else the existing one's."""
    made = Customer.get_or_none(Customer.name == "区域测试")
    return made.region if made else Customer.get_by_id(customer.id).region


@pytest.mark.parametrize("channel", CHANNELS)
def test_full_width_and_padded_text_is_stored_normalised_on_every_path(app, clerk_client, make_customer, channel):
    customer = make_customer(region="华北", phone="13800000001")
    set_region(channel, clerk_client, customer, "\u3000Ｂ２ 区\u3000\u3000")
    assert stored_region(customer) == "B2 区"


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("hostile", ["华\x00东", "华东\x1b[31m", "华\x7f东"], ids=["nul", "escape", "delete"])
def test_control_characters_are_refused_on_every_path(app, clerk_client, make_customer, channel, hostile):
    customer = make_customer(region="华北", phone="13800000001")
    before = ChangeLog.select().count()
    text = set_region(channel, clerk_client, customer, hostile)
    # a CSV holding NUL is refused whole (it is what a binary or UTF-16 file looks like); any other, on its row
    expected = NOT_A_SHEET if channel == "import" and "\x00" in hostile else CONTROL
    assert message(expected) in text
    assert stored_region(customer) == "华北" and ChangeLog.select().count() == before


@pytest.mark.parametrize("channel", CHANNELS)
def test_overlong_text_is_refused_on_every_path(app, clerk_client, make_customer, channel):
    customer = make_customer(region="华北", phone="13800000001")
    text = set_region(channel, clerk_client, customer, "区" * 65)
    assert message(LENGTH, max=64, num=65) in text or "64" in text  # the form's own Length check may speak first
    assert stored_region(customer) == "华北"


# --- forms: money, integers, long notes ---------------------------------------------------------------------
def post_customer(client, **changes):
    data = form_for(BY_ENDPOINT["customer"], **changes)
    return client.post("/admin/customer/new/", data=data, follow_redirects=True)


def field_group(response, name):
    page = response.get_data(as_text=True)
    start = page.index(f'name="{name}"')
    group = page.rfind('<div class="form-group', 0, start)
    return html.unescape(page[group:page.find('<div class="form-group', start)])


FORM_REFUSED = [
    ("receivable", "12.345", PLACES, {"places": 2}),
    ("receivable", "1000000000000", DIGITS, {"digits": 12}),
    ("trade_volume_12m", "0.001", PLACES, {"places": 2}),
    ("age", "151", RANGE, {"min": 0, "max": 150}),
    ("age", "99999999999999999999", RANGE, {"min": 0, "max": 150}),
    ("staff_count", "2147483648", None, {}),
    ("notes", "注" * (v.TEXT_MAX + 1), LENGTH, {"max": v.TEXT_MAX, "num": v.TEXT_MAX + 1}),
    ("notes", "备注\x00", CONTROL, {}),
]


@pytest.mark.parametrize(("field", "typed", "msgid", "params"), FORM_REFUSED,
                         ids=[f"{c[0]}-{len(c[1])}-{c[2] and c[2][:12]}" for c in FORM_REFUSED])
def test_the_form_refuses_values_that_would_change_or_overflow(app, manager_client, field, typed, msgid, params):
    response = post_customer(manager_client, **{field: typed})
    assert response.status_code == 200
    group = field_group(response, field)
    assert "invalid-feedback" in group or "help-block" in group or "error" in group
    if msgid:
        assert message(msgid, **params) in group
    assert Customer.select().count() == 0


def test_full_width_digits_and_amounts_are_accepted_by_the_form(app, manager_client):
    post_customer(manager_client, phone="１３８\u3000０００００042", receivable="１２３４．５０", age="４０",
                  staff_count="１２", name="全角\u3000顾客\u3000")
    saved = Customer.get()
    assert (saved.phone, saved.receivable, saved.age, saved.staff_count, saved.name) == \
        ("138 00000042", Decimal("1234.50"), 40, 12, "全角 顾客")


def test_the_bounds_speak_english_to_an_english_user(app, manager_client):
    data = form_for(BY_ENDPOINT["customer"], age="151", notes="x\x00")
    response = manager_client.post("/admin/customer/new/?lang=en", data=data)
    assert "Enter a number from 0 to 150." in field_group(response, "age")
    assert CONTROL in field_group(response, "notes") and Customer.select().count() == 0


# --- search finds what was typed in either width ---------------------------------------------------------------
@pytest.mark.parametrize("term", ["１３８００００００４２", "13800000042", "\u300013800000042\u3000", "0000\x0042"])
def test_search_terms_are_normalised_like_stored_values(app, manager_client, term):
    post_customer(manager_client, phone="138０００００042", name="全角电话乙")
    page = manager_client.get("/admin/customer/", query_string={"search": term})
    assert page.status_code == 200
    assert "全角电话乙" in page.get_data(as_text=True)


# --- import: the three cases from ../shared/cases and the bounds on each cell ----------------------------------------
def test_case_formula_trailing_rows_imports_the_one_real_row(app, clerk_client):
    """formula_trailing_rows.xlsx: column C (no header, formulas only) is not imported; rows 3-5 are skipped."""
    page = upload(clerk_client, (CASES / "formula_trailing_rows.xlsx").read_bytes(), "formula_trailing_rows.xlsx")
    assert counts(page) == {"new": 1, "update": 0, "unchanged": 0, "conflict": 0, "error": 0}
    commit(clerk_client, page)
    assert [(c.name, c.phone) for c in Customer.select()] == [("公式测试乙", "13900000022")]


def test_case_phone_match_update_matches_phones_typed_full_width(app, clerk_client):
    """phone_match_update.csv: customers whose phones were typed through a Chinese input method are updated."""
    for name, typed in (("全角电话乙", "138０００００042"), ("全角电话戊", "13800000045\u3000")):
        post_customer(clerk_client, name=name, phone=typed, region="华北")
    assert sorted(c.phone for c in Customer.select()) == ["13800000042", "13800000045"]
    page = upload(clerk_client, (CASES / "phone_match_update.csv").read_bytes(), "phone_match_update.csv")
    assert counts(page) == {"new": 0, "update": 2, "unchanged": 0, "conflict": 0, "error": 0}
    commit(clerk_client, page)
    assert Customer.select().count() == 2
    assert {c.region for c in Customer.select()} == {"南京"}


def test_case_int_overflow_is_an_error_of_its_row_and_the_rest_commits_once_removed(app, clerk_client):
    """int_overflow.csv: row 3's 年龄 is out of range in the preview; without that row the import commits."""
    data = (CASES / "int_overflow.csv").read_bytes()
    page = upload(clerk_client, data, "int_overflow.csv")
    assert counts(page)["error"] == 1 and counts(page)["new"] == 1
    row = re.search(r'<tr class="import-error">(.*?)</tr>', page.get_data(as_text=True), re.S).group(1)
    assert "<td>3</td>" in row and "年龄" in row and message(RANGE, min=0, max=150) in html.unescape(row)
    assert "import-commit" not in page.get_data(as_text=True)
    fixed = b"\n".join(line for line in data.splitlines() if "溢出导入乙".encode() not in line)
    page = upload(clerk_client, fixed, "int_overflow.csv")
    assert counts(page)["error"] == 0
    done = commit(clerk_client, page)
    assert done.status_code == 200 and [(c.name, c.age) for c in Customer.select()] == [("溢出导入甲", 30)]


IMPORT_REFUSED = [
    ("receivable", "12.345", PLACES, {"places": 2}),
    ("receivable", "1000000000000", DIGITS, {"digits": 12}),
    ("age", "-1", RANGE, {"min": 0, "max": 150}),
    ("staff_count", "-5", AT_LEAST, {"min": 0}),
    ("notes", "注" * (v.TEXT_MAX + 1), LENGTH, {"max": v.TEXT_MAX, "num": v.TEXT_MAX + 1}),
    ("region", "华_x0001_东", CONTROL, {}),  # an OOXML escape the reader turns back into U+0001
]


@pytest.mark.parametrize(("field", "cell", "msgid", "params"), IMPORT_REFUSED,
                         ids=[f"{c[0]}-{c[2][:12]}" for c in IMPORT_REFUSED])
def test_the_import_preview_shows_each_bound_on_its_row(app, clerk_client, field, cell, msgid, params):
    with current_app.test_request_context(), force_locale("zh_Hans_CN"):
        header = str(LABELS[field])
    book = openpyxl.Workbook()
    book.active.append(["名称", "电话", header])
    book.active.append(["好的行", "13800000071", "1"])
    book.active.append(["坏的行", "13800000072", cell])
    out = io.BytesIO()
    book.save(out)
    page = upload(clerk_client, out.getvalue(), "bounds.xlsx")
    assert counts(page)["error"] == 1
    assert f"{header}: {message(msgid, **params)}" in page_text(page)
    assert Customer.select().count() == 0 and ImportBatch.get().status == "preview"


def test_repeated_headers_are_reported_in_the_preview(app, clerk_client):
    data = csv_bytes([["名称", "电话", "地区", "电话"], ["重复表头", "13800000081", "华东", "13800000082"]])
    page = upload(clerk_client, data, "repeat.csv")
    warning = page_text(page)
    assert 'id="repeated-headers"' in warning and "D" in warning and "B" in warning
    commit(clerk_client, page)
    assert Customer.get().phone == "13800000081"  # the first column, as the preview said


def test_a_row_of_only_formulas_and_blanks_is_skipped_but_a_formula_in_an_imported_column_is_its_rows_error(
        app, clerk_client):
    book = openpyxl.Workbook()
    for row in (["名称", "电话", "备注"], ["甲", "13800000091", "好"], ["=A2", None, None], [None, None, "=B2"],
                ["乙", "13800000092", "=A3&\"x\""]):
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    page = upload(clerk_client, out.getvalue(), "formulas.xlsx")
    assert counts(page)["new"] == 1 and counts(page)["error"] == 1
    assert "C5" in page_text(page) and Customer.select().count() == 0


# --- custom fields get the same rules by being fields of the model or the form ----------------------------------------
class Gadget(pw.Model):
    """A model as an admin-defined custom field would extend it, never saved."""

    label = pw.CharField(max_length=8)
    story = pw.TextField(null=True)
    count = pw.IntegerField(null=True)
    price = pw.DecimalField(max_digits=6, decimal_places=2, null=True)


def test_any_model_or_form_field_gets_the_normalisation_and_bounds(app):
    from flask_admin.contrib.peewee.form import CustomModelConverter, get_form

    class View:
        model, form_overrides, form_widget_args, form_args = Gadget, None, None, None
        column_labels, column_descriptions, form_choices, form_optional_types = {}, {}, {}, ()

    base = value_form_for(Gadget)
    form_class = get_form(Gadget, CustomModelConverter(View()), base_class=base)
    form_class.extra = StringField()  # a form-only field
    form_class.tally = IntegerField()
    with app.test_request_context():
        good = form_class(MultiDict({"label": "Ａｂ１\u3000", "count": "１２", "price": "９．５", "extra": " ｘ ",
                                     "tally": "３"}))
        assert good.validate(), good.errors
        assert (good.label.data, good.count.data, good.price.data, good.extra.data, good.tally.data) == \
            ("Ab1", 12, Decimal("9.5"), "x", 3)
        bad = form_class(MultiDict({"label": "x\x00", "count": "3000000000", "price": "1.005",
                                    "story": "s" * (v.TEXT_MAX + 1), "extra": "e\x07", "tally": "9999999999"}))
        assert not bad.validate()
        assert set(bad.errors) == {"label", "count", "price", "story", "extra", "tally"}
