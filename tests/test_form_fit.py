"""Forms that fit (issue 13 items 5 and 8): sections, required marks, per-user defaults, the owner box, input types."""
import datetime as dt
import re

import pytest

from admin_app.permissions import DEFAULT_MATRIX
from models import ArchiveRecord, Complaint, Customer, Feedback, FormDefaults, Repair, ReturnExchange
from views.grid_edit import INLINE_COLUMNS

ROLES = ("clerk", "technician", "quality", "supervisor", "manager", "admin")
MODELS = {"customer": Customer, "archiverecord": ArchiveRecord, "feedback": Feedback, "complaint": Complaint,
          "repair": Repair, "returnexchange": ReturnExchange}
OWNER_BOX = 'data-url="/admin/{}/ajax/lookup/?name=owner"'


def text(response):
    return response.get_data(as_text=True)


def sections(page):
    """Return {section title: state} of a form page: "fixed" (always open), "open" or "closed"."""
    found = re.findall(r'data-section="(\w+)"[^>]*>\s*<(?:legend|summary)[^>]*>([^<]+)', page)
    return {title.strip(): state for state, title in found}


def selected(page, name):
    """Return the value of the selected option of a <select>, or None."""
    box = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    chosen = re.search(r'<option selected value="([^"]*)"', box)
    return chosen.group(1) if chosen else None


def input_value(page, name):
    return re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page).group(1)


def label_of(page, name):
    """Return the label element of a form field, with its marks."""
    return re.search(rf'<label for="{name}"[^>]*>(.*?)</label>', page, re.S).group(1)


# --- sections and required marks ---------------------------------------------------------------------

def test_optional_sections_start_collapsed_and_the_main_one_is_always_open(clerk_client):
    page = text(clerk_client.get("/admin/feedback/new/"))
    assert sections(page) == {"顾客反馈": "fixed", "产品名称": "closed", "分析与措施": "closed",
                              "答复与结果": "closed"}
    assert page.index('name="customer"') < page.index('name="channel"') < page.index('name="reporter_org"')


def test_a_section_holding_a_value_opens_by_itself(clerk_client, make_record):
    feedback = make_record(Feedback, owner=clerk_client.user, reply="已电话答复顾客")
    page = text(clerk_client.get(f"/admin/feedback/edit/?id={feedback.id}"))
    assert sections(page)["答复与结果"] == "open"
    assert sections(page)["产品名称"] == "closed"


def test_a_section_holding_an_error_opens_with_the_error_shown(clerk_client, make_customer):
    customer = make_customer()
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    response = clerk_client.post("/admin/feedback/new/", data={
        "customer": customer.id, "channel": "phone", "category": "other", "reporter": "王先生",
        "content": "出水忽冷忽热", "feedback_date": dt.date.today().isoformat(), "manufacture_date": tomorrow})
    page = text(response)
    assert response.status_code == 200 and Feedback.select().count() == 0
    assert sections(page)["产品名称"] == "open"
    assert "is-invalid" in re.search(r'<input[^>]*name="manufacture_date"[^>]*>', page).group(0)


@pytest.mark.parametrize("language, legend", [("zh_Hans_CN", "必填"), ("en", "required")])
@pytest.mark.parametrize("endpoint, required, optional", [
    ("customer", "name", "occupation"), ("archiverecord", "content", "items"),
    ("feedback", "reporter", "reporter_org"), ("complaint", "complainant", "batch_no"),
    ("repair", "fault_reported", "serial_no"), ("returnexchange", "reason", "model_no")])
def test_required_fields_are_marked_with_a_translated_legend(login_as, endpoint, required, optional, language,
                                                             legend):
    page = text(login_as("manager", language=language).get(f"/admin/{endpoint}/new/"))
    assert f'<strong class="text-danger">*</strong> {legend}</p>' in page
    assert "&#42;" in label_of(page, required) and "&#42;" not in label_of(page, optional)
    assert "&#42;" in label_of(page, "customer" if endpoint != "customer" else "customer_type")


def test_a_cleared_column_that_must_hold_a_value_is_refused_on_the_field(clerk_client, make_customer):
    """feedback_date has a default but no empty value: clearing it is an error on the field, not a database error."""
    response = clerk_client.post("/admin/feedback/new/", data={
        "customer": make_customer().id, "channel": "phone", "category": "other", "reporter": "王先生",
        "content": "出水忽冷忽热", "feedback_date": ""})
    page = text(response)
    assert Feedback.select().count() == 0 and "数据库" not in page
    assert "is-invalid" in re.search(r'<input[^>]*name="feedback_date"[^>]*>', page).group(0)


def test_a_required_custom_field_lands_in_its_section_which_then_stays_open(app, admin_client, clerk_client,
                                                                           no_custom_columns):
    from admin_app.services.fields import catalog

    catalog.add("feedback", "回访电话", "text", label_en="Call-back phone", section="3", required=True)
    page = text(clerk_client.get("/admin/feedback/new/"))
    reply = page[page.index("答复与结果"):]
    assert 'name="cf_call_back_phone"' in reply[:reply.index("</details>") if "</details>" in reply else None]
    assert sections(page)["答复与结果"] == "fixed" and "&#42;" in label_of(page, "cf_call_back_phone")


# --- input types (item 8) ------------------------------------------------------------------------------

@pytest.mark.parametrize("endpoint, name, attrs", [
    ("customer", "phone", ('type="tel"', 'inputmode="tel"')), ("feedback", "reporter_phone", ('type="tel"',)),
    ("complaint", "contact_phone", ('type="tel"',)), ("repair", "contact_phone", ('type="tel"',)),
    ("customer", "staff_count", ('type="number"', 'inputmode="numeric"')),
    ("customer", "receivable", ('type="number"', 'inputmode="decimal"')),
    ("returnexchange", "quantity", ('inputmode="numeric"',)), ("customer", "email", ('inputmode="email"',)),
    ("feedback", "feedback_date", ('data-role="datepicker"',))])
def test_inputs_ask_for_the_right_keyboard(manager_client, endpoint, name, attrs):
    page = text(manager_client.get(f"/admin/{endpoint}/new/"))
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
    assert all(attr in tag for attr in attrs), tag


# --- defaults per user -------------------------------------------------------------------------------

def test_a_new_feedback_starts_with_me_as_recorder_and_owner_and_my_most_used_channel(login_as, make_record):
    phone_desk = login_as("clerk", display_name="张晓燕")
    counter = login_as("clerk", display_name="李文")
    for channel in ("phone", "phone", "email"):
        make_record(Feedback, owner=phone_desk.user, channel=channel)
    for channel in ("visit", "visit", "phone"):
        make_record(Feedback, owner=counter.user, channel=channel)
    page = text(phone_desk.get("/admin/feedback/new/"))
    assert selected(page, "channel") == "phone" and input_value(page, "recorder") == "张晓燕"
    assert '<p class="form-control-plaintext owner-text" id="owner">张晓燕</p>' in page
    assert selected(text(counter.get("/admin/feedback/new/")), "channel") == "visit"
    newcomer = login_as("clerk")  # no records yet: the office's usual channel (4 phone, 2 visit, 1 email)
    make_record(Feedback, owner=None, channel="phone")
    assert selected(text(newcomer.get("/admin/feedback/new/")), "channel") == "phone"


def test_my_defaults_are_saved_per_user_and_fill_the_next_form(login_as, make_record):
    clerk, other = login_as("clerk"), login_as("clerk")
    make_record(Feedback, owner=clerk.user, channel="phone")
    account = text(clerk.get("/admin/account/"))
    assert "我的默认值" in account and "您最常用：电话" in account
    response = clerk.post("/admin/account/defaults/", data={"owner": "blank", "recorder": "blank", "channel": "fax"})
    assert response.status_code == 302
    stored = FormDefaults.get(FormDefaults.user == clerk.user.id)
    assert (stored.owner, stored.recorder, stored.channel) == ("me", "blank", "fax")  # a clerk cannot un-own
    page = text(clerk.get("/admin/feedback/new/"))
    assert selected(page, "channel") == "fax" and input_value(page, "recorder") == ""
    assert input_value(text(other.get("/admin/feedback/new/")), "recorder") == other.user.display_name


def test_a_forged_default_is_refused_and_nothing_stored(clerk_client):
    response = clerk_client.post("/admin/account/defaults/", data={"owner": "me", "recorder": "me",
                                                                    "channel": "carrier-pigeon"},
                                 follow_redirects=True)
    assert "默认值未保存" in text(response) and FormDefaults.select().count() == 0


@pytest.mark.parametrize("choice, prefilled", [("me", True), ("blank", False)])
def test_a_manager_chooses_whether_new_records_start_owned_by_them(manager_client, choice, prefilled):
    manager_client.post("/admin/account/defaults/", data={"owner": choice, "recorder": "me", "channel": "auto"})
    page = text(manager_client.get("/admin/complaint/new/"))
    box = re.search(r'<input[^>]*name="owner"[^>]*>', page).group(0)
    assert OWNER_BOX.format("complaint") in box
    assert (f'value="{manager_client.user.id}"' in box) is prefilled


# --- the owner box: only for those who may reassign ------------------------------------------------------

def _create_data(endpoint, customer):
    today = dt.date.today().isoformat()
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    return {
        "customer": {"name": "苏州恒远精密机械", "customer_type": "company"},
        "archiverecord": {"customer": customer.id, "kind": "service", "content": "上门回访", "entry_date": today},
        "feedback": {"customer": customer.id, "channel": "phone", "category": "other", "reporter": "王先生",
                     "content": "出水忽冷忽热", "feedback_date": today},
        "complaint": {"customer": customer.id, "complainant": "李女士", "received_at": f"{yesterday} 09:30:00",
                      "channel": "phone", "complaint_type": "service_attitude", "content": "态度冷淡"},
        "repair": {"customer": customer.id, "reporter": "赵工", "product_name": "净化器", "fault_reported": "不开机",
                   "received_at": f"{yesterday} 09:30:00"},
        "returnexchange": {"customer": customer.id, "product_name": "电饭煲", "reason": "内胆脱落",
                           "purchase_date": today},
    }[endpoint]


CREATORS = [(endpoint, role) for endpoint in MODELS for role in ROLES
            if role in DEFAULT_MATRIX[endpoint]["create"]]


@pytest.mark.parametrize("endpoint, role", CREATORS)
def test_the_owner_box_is_offered_only_to_those_who_may_reassign(login_as, endpoint, role):
    page = text(login_as(role).get(f"/admin/{endpoint}/new/"))
    may = role in DEFAULT_MATRIX[endpoint]["reassign"]
    assert (OWNER_BOX.format(endpoint) in page) is may
    assert ('class="form-control-plaintext owner-text"' in page) is not may


@pytest.mark.parametrize("endpoint, role", CREATORS)
def test_a_forged_owner_on_create_is_ignored_for_those_who_may_not_reassign(login_as, make_user, make_customer,
                                                                            endpoint, role):
    client, someone = login_as(role), make_user("clerk")
    data = {**_create_data(endpoint, make_customer()), "owner": someone.id}
    response = client.post(f"/admin/{endpoint}/new/", data=data)
    assert response.status_code == 302, text(response)[-3000:]
    record = MODELS[endpoint].select().order_by(MODELS[endpoint].id.desc()).get()
    may = role in DEFAULT_MATRIX[endpoint]["reassign"]
    assert record.owner_id == (someone.id if may else client.user.id)


EDITORS = [(endpoint, role) for endpoint in MODELS for role in ROLES if role in DEFAULT_MATRIX[endpoint]["edit"]]


@pytest.mark.parametrize("endpoint, role", EDITORS)
def test_a_forged_owner_on_edit_is_ignored_unless_the_role_may_reassign(login_as, make_user, make_record,
                                                                        make_customer, endpoint, role):
    client, keeper = login_as(role), make_user("clerk")
    model = MODELS[endpoint]
    record = make_customer(owner=keeper) if model is Customer else make_record(model, owner=keeper)
    page = text(client.get(f"/admin/{endpoint}/edit/?id={record.id}"))
    may = role in DEFAULT_MATRIX[endpoint]["reassign"]
    assert (OWNER_BOX.format(endpoint) in page) is may
    form = {name: value for tag in re.findall(r"<input[^>]*>", page) if 'type="checkbox"' not in tag or "checked" in tag
            for name, value in re.findall(r'name="(\w+)"[^>]*value="([^"]*)"', tag)}
    form.update({name: selected(page, name) or "" for name in re.findall(r'<select[^>]*name="(\w+)"', page)})
    form.update({name: body.strip() for name, body in re.findall(r'<textarea[^>]*name="(\w+)"[^>]*>(.*?)</textarea>',
                                                                 page, re.S)})
    form = {k: v for k, v in form.items() if k not in ("csrf_token", "language", "next") and v != "__None"}
    form.update(customer=record.id if model is Customer else record.customer_id, owner=client.user.id)
    response = client.post(f"/admin/{endpoint}/edit/?id={record.id}", data=form)
    assert response.status_code == 302, text(response)[-3000:]
    assert model.get_by_id(record.id).owner_id == (client.user.id if may else keeper.id)



IN_PLACE = [(endpoint, role) for endpoint, names in INLINE_COLUMNS.items() if endpoint in MODELS and "owner" in names
            for role in ROLES if role in DEFAULT_MATRIX[endpoint]["edit"]]


@pytest.mark.parametrize("endpoint, role", IN_PLACE)
def test_the_owner_is_edited_in_place_where_the_form_offers_the_owner_box(login_as, make_user, make_record,
                                                                          make_customer, endpoint, role):
    """Whoever may reassign edits every row's owner in place; anyone else only their own records' (as the form):
    other rows show the owner as text, and a hand-made post for them is refused."""
    client, keeper, other = login_as(role), make_user("clerk"), make_user("clerk")
    model = MODELS[endpoint]
    make = (lambda owner: make_customer(owner=owner)) if model is Customer else (
        lambda owner: make_record(model, owner=owner))
    mine, theirs = make(client.user), make(keeper)
    may = role in DEFAULT_MATRIX[endpoint]["reassign"]
    page = text(client.get(f"/admin/{endpoint}/"))
    editors = set(re.findall(r'data-role="x-editable[^"]*"[^>]*name="owner"[^>]*data-pk="(\d+)"', page))
    assert editors == ({str(mine.id), str(theirs.id)} if may else {str(mine.id)})
    response = client.post(f"/admin/{endpoint}/ajax/update/", data={"list_form_pk": theirs.id, "owner": other.id})
    assert (response.status_code == 200) is may, text(response)
    assert (model.get_by_id(theirs.id).owner_id == other.id) is may
