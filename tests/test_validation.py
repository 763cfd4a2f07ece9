"""Bad input: the form says what is wrong (in Chinese by default), keeps what was typed and saves nothing."""
import datetime as dt
import html
from decimal import Decimal

import panel_specs
import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from panel_specs import BY_ENDPOINT, form_for

from admin_app.validators import is_id_card, is_phone

# the module-wide app and cheap password hashing of panel_specs
app, module_app, fast_password_hashing = panel_specs.app, panel_specs.module_app, panel_specs.fast_password_hashing

PHONE = "Enter a mobile number such as 13812345678 or a landline such as 010-12345678."
ID_CARD = "This is not a valid 18-digit ID-card number (check the last digit)."
FUTURE = "This date cannot be in the future."
NEGATIVE = "This value cannot be negative."
EMAIL = "Enter a valid email address."
REQUIRED = {"zh_Hans_CN": "该字段是必填字段。", "en": "This field is required."}
TOMORROW = (dt.date.today() + dt.timedelta(days=1)).isoformat()
NEXT_HOUR = f"{TOMORROW} 10:00:00"  # in the future all day, and the same in every pytest-xdist worker
GOOD_ID = "11010519491231002X"

BAD_INPUT = [
    ("customer", "phone", "12345", PHONE),
    ("customer", "phone", "1381234567", PHONE),
    ("customer", "phone", "23812345678", PHONE),
    ("feedback", "reporter_phone", "010-123", PHONE),
    ("complaint", "contact_phone", "电话号码", PHONE),
    ("repair", "contact_phone", "138-1234-56789", PHONE),
    ("customer", "id_card", "110105194912310021", ID_CARD),
    ("customer", "id_card", "11010519491331002X", ID_CARD),
    ("customer", "id_card", "1101051949123100", ID_CARD),
    ("customer", "email", "not-an-email", EMAIL),
    ("customer", "email", "someone@", EMAIL),
    ("customer", "receivable", "-1", NEGATIVE),
    ("customer", "trade_volume_12m", "-0.01", NEGATIVE),
    ("customer", "staff_count", "-3", NEGATIVE),
    ("customer", "age", "-1", NEGATIVE),
    ("archiverecord", "amount", "-0.01", NEGATIVE),
    ("repair", "parts_cost", "-5", NEGATIVE),
    ("repair", "labour_cost", "-5", NEGATIVE),
    ("repair", "ship_quantity", "-1", NEGATIVE),
    ("returnexchange", "quantity", "-1", NEGATIVE),
    ("returnexchange", "amount", "-20", NEGATIVE),
    ("customer", "birth_date", TOMORROW, FUTURE),
    ("customer", "first_trade_date", TOMORROW, FUTURE),
    ("feedback", "feedback_date", TOMORROW, FUTURE),
    ("complaint", "purchase_date", TOMORROW, FUTURE),
    ("complaint", "received_at", NEXT_HOUR, FUTURE),
    ("returnexchange", "purchase_date", TOMORROW, FUTURE),
    ("archiverecord", "entry_date", TOMORROW, FUTURE),
]
MISSING = [("customer", "name"), ("archiverecord", "content"), ("archiverecord", "customer"),
           ("feedback", "reporter"), ("feedback", "content"), ("complaint", "complainant"),
           ("complaint", "content"), ("complaint", "customer"), ("repair", "product_name"),
           ("repair", "fault_reported"), ("returnexchange", "reason"), ("returnexchange", "product_name"),
           ("returnexchange", "purchase_date")]


def _message(app, msgid, locale="zh_Hans_CN"):
    with app.test_request_context(), force_locale(locale):
        return _(msgid)


def _post_new(client, endpoint, customer, /, **changes):
    spec = BY_ENDPOINT[endpoint]
    before = spec.model.select().count()
    response = client.post(f"/admin/{endpoint}/new/", data=form_for(spec, customer, **changes))
    assert spec.model.select().count() == before, "nothing is saved"
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _field_errors(page, name):
    """Return the text of the form group of one field: its input, its value and its messages."""
    start = page.index(f'name="{name}"')
    group = page.rfind('<div class="form-group', 0, start)
    return html.unescape(page[group:page.find('<div class="form-group', start)])


def _case_id(case):
    return f"{case[0]}-{case[1]}-{case[2]}"


@pytest.mark.parametrize(("endpoint", "field", "typed", "msgid"), BAD_INPUT, ids=[_case_id(c) for c in BAD_INPUT])
def test_bad_input_is_refused_on_the_form(app, manager_client, make_customer, endpoint, field, typed, msgid):
    page = _post_new(manager_client, endpoint, make_customer(), **{field: typed})
    group = _field_errors(page, field)
    assert _message(app, msgid) in group
    assert f'value="{typed}"' in group, "what the user typed is kept"
    other_field, other_value = next((k, v) for k, v in BY_ENDPOINT[endpoint].form.items() if k != field)
    assert other_value in html.unescape(page), f"the other typed values are kept ({other_field})"


@pytest.mark.parametrize(("endpoint", "field"), MISSING, ids=["-".join(c) for c in MISSING])
def test_missing_required_field_is_refused(manager_client, make_customer, endpoint, field):
    page = _post_new(manager_client, endpoint, make_customer(), **{field: ""})
    assert REQUIRED["zh_Hans_CN"] in _field_errors(page, field)


def test_messages_follow_the_users_language(app, login_as, make_customer):
    client = login_as("manager", language="en")
    page = _post_new(client, "customer", None, phone="12345", name="")
    assert _message(app, PHONE, "en") == PHONE
    assert PHONE in _field_errors(page, "phone")
    assert REQUIRED["en"] in _field_errors(page, "name")


def test_bad_edit_leaves_the_record_as_it_was(manager_client, make_customer):
    customer = make_customer(phone="13812345678")
    response = manager_client.post(f"/admin/customer/edit/?id={customer.id}", data=form_for(
        BY_ENDPOINT["customer"], None, phone="999", name="改名", row_version="1"))
    assert response.status_code == 200
    assert 'value="999"' in response.get_data(as_text=True)
    saved = type(customer).get_by_id(customer.id)
    assert (saved.phone, saved.name, saved.version) == ("13812345678", customer.name, 1)


GOOD_INPUT = [
    ("customer", {"phone": "+86 138 1234 5678"}), ("customer", {"phone": "010-12345678"}),
    ("customer", {"phone": "0755-1234567-801"}), ("customer", {"phone": "400-800-1234"}),
    ("customer", {"id_card": GOOD_ID}), ("customer", {"id_card": GOOD_ID.lower()}),
    ("customer", {"email": ""}), ("customer", {"receivable": "0", "staff_count": "0"}),
    ("customer", {"birth_date": dt.date.today().isoformat()}),
    ("feedback", {"reporter_phone": "(021) 62345678"}),
    ("returnexchange", {"amount": "0", "quantity": "0"}),
]


@pytest.mark.parametrize(("endpoint", "changes"), GOOD_INPUT, ids=[f"{e}-{list(c.values())[0]}" for e, c in GOOD_INPUT])
def test_good_input_is_saved(manager_client, make_customer, endpoint, changes):
    spec = BY_ENDPOINT[endpoint]
    response = manager_client.post(f"/admin/{endpoint}/new/", data=form_for(spec, make_customer(), **changes))
    assert response.status_code == 302
    saved = spec.model.select().order_by(spec.model.id.desc()).get()
    for field, typed in changes.items():
        value = getattr(saved, field)
        if isinstance(value, Decimal | int):
            assert value == Decimal(typed)  # 0 and 0.00 are the same amount on every database
        else:
            assert ("" if value is None else str(value)) in (typed, typed.upper())


@pytest.mark.parametrize("number", ["13812345678", "+8613812345678", "010-12345678", "0755 12345678", "4008001234"])
def test_phone_numbers_accepted(number):
    assert is_phone(number)


@pytest.mark.parametrize("number", ["", "12345678", "1381234567", "138123456789", "010-123", "abc"])
def test_phone_numbers_refused(number):
    assert not is_phone(number)


@pytest.mark.parametrize(("number", "valid"), [
    (GOOD_ID, True), ("11010519491231002x", True), ("440524188001010014", True),
    ("110105194912310021", False), ("11010519491231002", False), ("1101051949123100211", False),
    ("11010519490230002X", False), ("A1010519491231002X", False),
])
def test_id_card_checksum(number, valid):
    assert is_id_card(number) is valid

