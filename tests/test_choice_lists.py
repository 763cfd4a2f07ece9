"""Built-in choice lists take new and retired options in the panel (issue 12, item 5), effective on the next request.

Issue 12, item 5: "add, relabel (zh/en), reorder, retire an option (stored values keep displaying, marked as
retired). Options that rules depend on (statuses, complaint nature, feedback nature) can be relabelled but not
removed."
"""
import re

import pytest
from conftest import state_purpose

from admin_app.services.fields import builtin_choices
from models import ChoiceLabel, Complaint, Customer, Feedback, Repair, db
from models.custom_fields import FieldSchemaVersion

#: (list, record view, model, field, built-in option to retire; None: every built-in one feeds a rule)
CASES = [
    ("CUSTOMER_TYPES", "customer", Customer, "customer_type", None),
    ("CHANNELS", "feedback", Feedback, "channel", "fax"),
    ("COMPLAINT_TYPES", "complaint", Complaint, "complaint_type", "service_attitude"),
    ("SHIP_METHODS", "repair", Repair, "ship_method", "pickup"),
]


def text(response):
    return response.get_data(as_text=True)


def options_of(page, name):
    """Return the values a form's drop-down offers."""
    found = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert found, f"no drop-down {name}"
    return re.findall(r'<option[^>]*value="([^"]*)"', found.group(1))


def save(client, name, lines):
    return text(client.post(f"/admin/choice-lists/{name}/", data={"options": lines}, follow_redirects=True))


def with_changes(name, add=None, retire=None):
    """Return the list's box text as the page shows it, with a new option added and/or one retired."""
    lines = builtin_choices.as_text(name).splitlines()
    if retire:
        lines = [line + " | retired" if line.split(" | ")[0] == retire else line for line in lines]
    return "\n".join(lines + ([add] if add else []))


def make(model, make_customer, make_record, field, value):
    if model is Customer:
        return make_customer(**{field: value})
    return make_record(model, **{field: value})


@pytest.mark.parametrize(("name", "endpoint", "model", "field", "retire"), CASES, ids=[c[0] for c in CASES])
def test_admin_adds_and_retires_an_option_clerk_sees_it_next_request(admin_client, clerk_client, make_customer,
                                                                      make_record, name, endpoint, model, field,
                                                                      retire):
    """A new option is offered at once; a retired one leaves new forms but keeps showing and filtering old records."""
    old = make(model, make_customer, make_record, field, retire) if retire else None
    page = save(admin_client, name, with_changes(name, add="微信小程序 | Mini program", retire=retire))
    assert "alert-danger" not in page, page[:3000]
    added = ChoiceLabel.get(ChoiceLabel.list_name == name, ChoiceLabel.label_zh == "微信小程序").value
    offered = options_of(text(clerk_client.get(f"/admin/{endpoint}/new/")), field)
    assert added in offered
    if retire is None:  # retire the option just added, then bring it back
        record = make(model, make_customer, make_record, field, added)
        save(admin_client, name, with_changes(name, retire=added))
        retire, old = added, record
    assert retire not in options_of(text(clerk_client.get(f"/admin/{endpoint}/new/")), field)
    if model is Customer:
        state_purpose(clerk_client, old.id)
    details = text(clerk_client.get(f"/admin/{endpoint}/details/?id={old.id}"))
    assert "（已停用）" in details or "(已停用)" in details
    edit = text(clerk_client.get(f"/admin/{endpoint}/edit/?id={old.id}"))
    assert retire in options_of(edit, field)  # the stored value stays selectable on its own record
    listed = text(clerk_client.get(f"/admin/{endpoint}/?flt0_{field}_equals={retire}"))
    assert f"id={old.id}" in listed or f'value="{old.id}"' in listed
    assert model.get_by_id(old.id).__data__[field] == retire
    save(admin_client, name, builtin_choices.as_text(name).replace(" | retired", ""))
    assert retire in options_of(text(clerk_client.get(f"/admin/{endpoint}/new/")), field)


def test_a_retired_option_is_refused_on_new_input(admin_client, clerk_client):
    """A form posted with a retired value (an old tab, a hand-made request) is refused on the field, nothing saved."""
    save(admin_client, "CUSTOMER_TYPES", with_changes("CUSTOMER_TYPES", add="加盟店 | Franchise"))
    value = ChoiceLabel.get(ChoiceLabel.label_zh == "加盟店").value
    data = {"name": "停用选项测试", "customer_type": value, "phone": "13912345678"}
    save(admin_client, "CUSTOMER_TYPES", with_changes("CUSTOMER_TYPES", retire=value))
    page = text(clerk_client.post("/admin/customer/new/", data=data))
    assert not Customer.select().where(Customer.name == "停用选项测试").exists()
    assert "customer_type" in page and ("不是有效的选择" in page or "不是有效的选项" in page
                                        or "选项无效" in page), page[-3000:]
    save(admin_client, "CUSTOMER_TYPES", builtin_choices.as_text("CUSTOMER_TYPES").replace(" | retired", ""))
    clerk_client.post("/admin/customer/new/", data=data)
    assert Customer.get(Customer.name == "停用选项测试").customer_type == value


@pytest.mark.parametrize(("name", "value"), [("FEEDBACK_NATURES", "fault"), ("COMPLAINT_NATURES", "valid"),
                                             ("CUSTOMER_TYPES", "store"), ("CHANNELS", "phone"),
                                             ("COMPLAINT_STATUSES", "closed")])
def test_options_rules_depend_on_cannot_be_retired(admin_client, name, value):
    """Issue 12, item 5: "Options that rules depend on ... can be relabelled but not removed"; the page says so."""
    page = save(admin_client, name, with_changes(name, retire=value))
    assert "不能停用" in page
    assert not ChoiceLabel.select().where(ChoiceLabel.list_name == name, ChoiceLabel.retired).exists()
    shown = text(admin_client.get("/admin/choice-lists/"))
    assert "不能停用" in shown or "仅可改名" in shown


@pytest.mark.parametrize("refused", ["微信 | WeChat | extra", " | English only", "邮件 | Email"],
                         ids=["three-cells", "no-chinese", "duplicate-label"])
def test_bad_new_options_are_refused_with_nothing_written(admin_client, refused):
    save(admin_client, "CHANNELS", with_changes("CHANNELS", add="邮件 | Mail") if refused.startswith("邮件") else "")
    before = list(ChoiceLabel.select().tuples())
    page = save(admin_client, "CHANNELS", with_changes("CHANNELS", add=refused))
    assert "alert-danger" in page or "error" in page
    assert list(ChoiceLabel.select().tuples()) == before


def test_rule_lists_take_no_new_options(admin_client):
    page = save(admin_client, "FEEDBACK_NATURES", with_changes("FEEDBACK_NATURES", add="投诉升级 | Escalation"))
    assert "规则" in page
    assert not ChoiceLabel.select().where(ChoiceLabel.list_name == "FEEDBACK_NATURES").exists()


def test_a_change_written_by_another_worker_applies_on_the_next_request(clerk_client):
    """Another process's change (rows and the schema number, written straight to the database) shows next request."""
    clerk_client.get("/admin/")
    ChoiceLabel.insert(list_name="SHIP_METHODS", value="o1", label_zh="同城闪送", label_en="Same-day courier",
                       position=5).execute()
    FieldSchemaVersion.bump()
    assert "o1" in options_of(text(clerk_client.get("/admin/repair/new/")), "ship_method")
    ChoiceLabel.update(retired=True).where(ChoiceLabel.value == "o1").execute()
    FieldSchemaVersion.bump()
    assert "o1" not in options_of(text(clerk_client.get("/admin/repair/new/")), "ship_method")
    db.execute_sql("DELETE FROM choice_label")
