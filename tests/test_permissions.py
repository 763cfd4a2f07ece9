"""Each role may use only its part of the panel: called by URL, not just hidden from the menu."""
import re

import panel_specs
import pytest
from conftest import PASSWORD, ROLES, login
from panel_specs import BY_ENDPOINT, form_for, make_row

from admin_app.permissions import DEFAULT_MATRIX
from models import AccessLog, ChangeLog, Customer, User

# the module-wide app and cheap password hashing of panel_specs
app, module_app, fast_password_hashing = panel_specs.app, panel_specs.module_app, panel_specs.fast_password_hashing

SYSTEM = ("user", "changelog", "accesslog")
CHECKED = (*BY_ENDPOINT, *SYSTEM)
NAV_RE = re.compile(r"<nav.*?</nav>", re.S)


def _expected(endpoint, operation, role):
    rules = DEFAULT_MATRIX[endpoint]
    return role in rules["view"] and role in rules[operation]


@pytest.fixture()
def rows(make_customer, make_record, make_user):
    """One row per table, none with dependents, so every allowed delete can succeed."""
    made = {endpoint: make_row(spec, make_customer, make_record) for endpoint, spec in BY_ENDPOINT.items()}
    made["user"] = make_user("clerk")
    made["changelog"] = ChangeLog.create(table="customer", record_id=1, action="create")
    made["accesslog"] = AccessLog.create(action="reveal", table="customer", record_id=1)
    return made


def _form(endpoint, row, customer, username):
    if endpoint in BY_ENDPOINT:
        spec = BY_ENDPOINT[endpoint]
        return form_for(spec, customer, row_version=str(row.version))
    if endpoint == "user":
        return {"username": username, "display_name": "新账号", "role": "clerk", "language": "en",
                "active": "y", "password": "long-enough-password", "row_version": str(row.version)}
    return {"row_version": "1"}


def _check(client, endpoint, row, customer):
    """Return {operation: allowed?} as the panel answers it, failing on any answer but yes or 403."""
    model = type(row)
    base = f"/admin/{endpoint}"
    answers = {}

    def answer(operation, response, done=None):
        assert response.status_code in (200, 302, 403), (endpoint, operation, response.status_code)
        answers[operation] = response.status_code != 403 and (done is None or done())

    answer("view", client.get(f"{base}/"))
    answer("details", client.get(f"{base}/details/", query_string={"id": row.id}))
    answer("create", client.get(f"{base}/new/"))
    count = model.select().count()
    created = client.post(f"{base}/new/", data=_form(endpoint, row, customer, "created-account"))
    answer("create_post", created, lambda: model.select().count() == count + 1)
    answer("edit", client.get(f"{base}/edit/", query_string={"id": row.id}))
    edited = client.post(f"{base}/edit/?id={row.id}", data=_form(endpoint, row, customer, "edited-account"))
    answer("edit_post", edited, lambda: model.get_by_id(row.id).version == row.version + 1)
    deleted = client.post(f"{base}/delete/", data={"id": str(row.id), "url": f"{base}/"})
    answer("delete", deleted, lambda: model.get_or_none(model.id == row.id) is None)
    if deleted.status_code == 403:
        assert model.get_or_none(model.id == row.id) is not None
    return answers


@pytest.mark.parametrize("role", ROLES)
def test_role_can_do_exactly_what_the_matrix_says(login_as, rows, role):
    client = login_as(role)
    wrong = []
    for endpoint in CHECKED:
        row = rows[endpoint]
        customer = getattr(row, "customer", None) or Customer.select().first()
        got = _check(client, endpoint, row, customer)
        wanted = {
            "view": _expected(endpoint, "view", role), "details": _expected(endpoint, "view", role),
            "create": _expected(endpoint, "create", role), "create_post": _expected(endpoint, "create", role),
            "edit": _expected(endpoint, "edit", role), "edit_post": _expected(endpoint, "edit", role),
            "delete": _expected(endpoint, "delete", role),
        }
        wrong += [f"{endpoint}.{op}: got {got[op]}, matrix says {wanted[op]}" for op in wanted if got[op] != wanted[op]]
    assert not wrong, f"{role}: " + "; ".join(wrong)


def _views(app):
    return [view for view in app.extensions["admin"][0]._views if view.endpoint in DEFAULT_MATRIX]


@pytest.mark.parametrize("role", ROLES)
def test_menu_shows_only_the_views_of_the_role(app, login_as, role):
    nav = NAV_RE.search(login_as(role).get("/admin/").get_data(as_text=True)).group(0)
    shown = {view.endpoint for view in _views(app) if f'href="{view.url}/"' in nav}
    wanted = {view.endpoint for view in _views(app) if role in DEFAULT_MATRIX[view.endpoint]["view"]}
    assert shown == wanted


@pytest.mark.parametrize("role", ROLES)
def test_create_button_only_for_roles_that_may_create(login_as, role):
    client = login_as(role)
    for endpoint in BY_ENDPOINT:
        if role in DEFAULT_MATRIX[endpoint]["view"]:
            page = client.get(f"/admin/{endpoint}/").get_data(as_text=True)
            assert (f"/admin/{endpoint}/new/" in page) == (role in DEFAULT_MATRIX[endpoint]["create"]), endpoint


def _admin_urls(app):
    """Yield (method, url) of every route under /admin/ except static files, with 1 for each argument."""
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/admin") or rule.endpoint.endswith("static"):
            continue
        url = re.sub(r"<[^>]+>", "1", rule.rule)
        yield ("GET" if "GET" in rule.methods else "POST"), url


def test_anonymous_is_sent_to_login_from_every_admin_url(app, client, rows):
    urls = list(_admin_urls(app))
    assert len(urls) > 50
    for method, url in urls:
        query = {"id": "1"}
        response = client.get(url, query_string=query) if method == "GET" else client.post(url, data=query)
        assert response.status_code == 302 and response.location.startswith("/login"), (method, url)
    for endpoint in CHECKED:
        client.post(f"/admin/{endpoint}/delete/", data={"id": str(rows[endpoint].id)})
        assert type(rows[endpoint]).get_or_none(id=rows[endpoint].id) is not None


def test_login_page_and_static_files_need_no_login(client):
    assert client.get("/login").status_code == 200
    assert client.get("/admin/static/bootstrap/bootstrap4/css/bootstrap.min.css").status_code == 200


def test_admin_creates_an_account_that_can_log_in(app, admin_client):
    response = admin_client.post("/admin/user/new/", data={
        "username": "xiaoli", "display_name": "小李", "role": "technician", "language": "zh_Hans_CN",
        "active": "y", "password": PASSWORD})
    assert response.status_code == 302
    user = User.by_name("xiaoli")
    assert user.role == "technician" and PASSWORD not in user.password_hash
    login(app.test_client(), user)


def test_new_account_without_password_is_refused(admin_client):
    response = admin_client.post("/admin/user/new/", data={"username": "nopass", "role": "clerk",
                                                           "language": "en", "active": "y"})
    assert response.status_code == 200
    assert User.by_name("nopass") is None


def test_admin_changes_a_role(admin_client, make_user):
    user = make_user("clerk")
    admin_client.post(f"/admin/user/edit/?id={user.id}", data={
        "username": user.username, "display_name": user.display_name, "role": "quality",
        "language": "zh_Hans_CN", "active": "y", "row_version": "1"})
    assert User.get_by_id(user.id).role == "quality"


def test_password_hash_is_never_shown(admin_client, make_user):
    user = make_user("clerk")
    for url in ("/admin/user/", f"/admin/user/details/?id={user.id}", f"/admin/user/edit/?id={user.id}"):
        page = admin_client.get(url).get_data(as_text=True)
        assert user.password_hash not in page and "password_hash" not in page, url


@pytest.mark.parametrize("role", [r for r in ROLES if r != "admin"])
def test_only_admin_manages_users(login_as, role):
    client = login_as(role)
    assert client.get("/admin/user/").status_code == 403
    response = client.post("/admin/user/new/", data={"username": "intruder", "role": "admin", "language": "en",
                                                     "active": "y", "password": PASSWORD})
    assert response.status_code == 403
    assert User.by_name("intruder") is None
