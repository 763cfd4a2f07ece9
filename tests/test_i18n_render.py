"""Both languages render: Simplified Chinese by default, English per user."""
import panel_specs
import pytest
from conftest import state_purpose
from flask_babel import force_locale
from flask_babel import gettext as _
from panel_specs import SPECS, make_row, spec_id

from views.labels import LABELS

# the module-wide app and cheap password hashing of panel_specs
app, module_app, fast_password_hashing = panel_specs.app, panel_specs.module_app, panel_specs.fast_password_hashing

LANGUAGES = ("zh_Hans_CN", "en")
#: Flask-Admin's own catalog: (Chinese, English)
ADMIN_WORDS = {"list": ("列表", "List"), "create": ("创建", "Create"), "save": ("保存", "Save"),
               "details": ("详情", "Details"), "search": ("搜索", "Search")}


def _word(key, language):
    return ADMIN_WORDS[key][LANGUAGES.index(language)]


def _ours(app, msgid, language):
    """Return one of our strings (a msgid or a lazy label) as the catalog renders it in a language."""
    with app.test_request_context(), force_locale(language):
        return _(msgid) if isinstance(msgid, str) else str(msgid)


@pytest.fixture(params=LANGUAGES)
def language(request):
    return request.param


@pytest.fixture()
def user_client(login_as, language):
    return login_as("manager", language=language)


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def _other_language_absent(page, language):
    if language == "en":
        assert not any(zh in page for zh, _en in ADMIN_WORDS.values()), "no Chinese left on an English page"


@pytest.mark.parametrize("spec", SPECS, ids=spec_id)
def test_list_page(app, user_client, make_customer, make_record, language, spec):
    make_row(spec, make_customer, make_record)
    page = _page(user_client, f"/admin/{spec.endpoint}/")
    assert _word("list", language) in page and _word("create", language) in page
    assert _ours(app, LABELS[spec.sort[0]], language) in page
    _other_language_absent(page, language)


@pytest.mark.parametrize("spec", SPECS, ids=spec_id)
def test_create_form(app, user_client, language, spec):
    page = _page(user_client, f"/admin/{spec.endpoint}/new/")
    assert _word("save", language) in page
    assert _ours(app, LABELS[spec.edit_field], language) in page
    _other_language_absent(page, language)


@pytest.mark.parametrize("spec", SPECS, ids=spec_id)
def test_detail_page(app, user_client, make_customer, make_record, language, spec):
    row = make_row(spec, make_customer, make_record)
    state_purpose(user_client, row.id if spec.endpoint == "customer" else row.customer_id)
    page = _page(user_client, f"/admin/{spec.endpoint}/details/?id={row.id}")
    assert _word("details", language) in page
    assert _ours(app, "History", language) in page
    _other_language_absent(page, language)


def test_home_page(app, user_client, language):
    page = _page(user_client, "/admin/")
    for msgid in ("Customers", "Complaints", "Log out"):
        assert _ours(app, msgid, language) in page


def test_login_page(app, client, language):
    page = _page(client, f"/login?lang={language}")
    assert _ours(app, "Log in", language) in page
    assert f'lang="{"en" if language == "en" else "zh-CN"}"' in page


def test_chinese_is_the_default(client):
    page = _page(client, "/login")
    assert 'lang="zh-CN"' in page


def test_user_switches_language(app, login_as):
    client = login_as("manager")
    assert _word("list", "zh_Hans_CN") in _page(client, "/admin/customer/")
    response = client.post("/language", data={"language": "en", "next": "/admin/customer/"})
    assert response.location == "/admin/customer/"
    page = _page(client, "/admin/customer/")
    assert _word("list", "en") in page and _word("list", "zh_Hans_CN") not in page
    client.post("/language", data={"language": "zh_Hans_CN", "next": "/admin/"})
    assert _word("list", "zh_Hans_CN") in _page(client, "/admin/customer/")


def test_unknown_language_is_ignored(login_as):
    client = login_as("manager")
    client.post("/language", data={"language": "xx", "next": "/admin/"})
    assert _word("list", "zh_Hans_CN") in _page(client, "/admin/customer/")


def test_choice_labels_are_translated(app, user_client, make_customer, language):
    make_customer(customer_type="store")
    page = _page(user_client, "/admin/customer/")
    assert _ours(app, "Store", language) in page


def test_filters_on_the_related_customer_are_translated(app, user_client, language):
    page = _page(user_client, "/admin/complaint/")
    for field in ("Name", "Credit grade", "Customer type"):
        assert f"{_ours(app, 'Customer', language)} / {_ours(app, field, language)}" in page


def test_search_box_names_the_searched_columns(app, user_client, language):
    page = _page(user_client, "/admin/complaint/")
    assert 'placeholder="None"' not in page
    for label in (LABELS["content"], LABELS["complainant"], LABELS["customer"]):
        assert _ours(app, label, language) in page.split("placeholder=", 1)[1].split(">", 1)[0]


def test_detail_page_words_empty_choices_and_yes_no(app, user_client, make_customer, language):
    customer = make_customer(gender=None, consent_channel=None, is_wholesaler=False, prior_incident=True)
    page = _page(state_purpose(user_client, customer.id), f"/admin/customer/details/?id={customer.id}")
    assert ">None<" not in page.replace(" ", "").replace("\n", "")
    assert ">False<" not in page.replace(" ", "").replace("\n", "")
    assert _ours(app, "Yes", language) in page and _ours(app, "No", language) in page
