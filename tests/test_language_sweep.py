"""Every page a role can reach reads in one language: no English left in Chinese, no Chinese in English.

The catalog test (test_translations.py) checks msgids; this one reads the rendered pages as a user does,
following the menu from the home page to each list, its filter menu, the create and edit forms, a details
page, and the error pages, for every role in both languages.
"""
import re
from urllib.parse import urlsplit

import pytest
from conftest import PASSWORD, CSRFClient, _empty_tables, _migrated, login
from language_sweep import data_pattern, leftovers, visible_texts
from werkzeug.security import generate_password_hash

from admin_app import create_app
from admin_app.db import create_schema
from models import User, db
from models.choices import ROLES

LANGUAGES = ("zh_Hans_CN", "en")
HREF = re.compile(r'href="(/admin/[^"#]*)"')
#: links that download files, change state on GET or leave the panel
SKIPPED = re.compile(r"/(export|download|logout|print)\b|/admin/static/|/language")
#: pages to read on every record list besides the list itself
PER_LIST = ("new/", "details/?id={id}", "edit/?id={id}")
MAX_PAGES = 200


@pytest.fixture(scope="module")
def demo_app(database_url):
    """One app with a small demo data set and one account per role, shared by the module's tests."""
    app = create_app({"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret",
                      "BABEL_DEFAULT_LOCALE": "zh_Hans_CN"})
    app.test_client_class = CSRFClient
    if database_url not in _migrated:
        create_schema()
        _migrated.add(database_url)
    from seeds.demo import load_demo

    with app.app_context():
        db.connect(reuse_if_open=True)
        load_demo(customers=8)
        for role, _label in ROLES:
            User.create(username=f"sweep_{role}", role=role, display_name=f"sweep_{role}",
                        password_hash=generate_password_hash(PASSWORD, method="pbkdf2:sha256:1"))
        app.sweep_data = data_pattern()
        yield app
        db.connect(reuse_if_open=True)
        _empty_tables()
        db.close()


def _client(app, role, language):
    client = app.test_client()
    login(client, User.get(User.username == f"sweep_{role}"))
    client.post("/language", data={"language": language, "next": "/admin/"})
    return client


def _first_id(page):
    found = re.search(r'name="rowid" class="action-checkbox" value="(\d+)"', page)
    return found.group(1) if found else None


def _crawl(client):
    """Yield (url, html) for the home page, every menu page, and each list's forms and first record."""
    queue, seen, count = ["/admin/"], set(), 0
    while queue and count < MAX_PAGES:
        url = queue.pop(0)
        key = urlsplit(url).path
        if key in seen or SKIPPED.search(url):
            continue
        seen.add(key)
        response = client.get(url)
        if response.status_code != 200 or not response.mimetype.startswith("text/html"):
            continue
        count += 1
        page = response.get_data(as_text=True)
        yield url, page
        queue.extend(link.replace("&amp;", "&") for link in HREF.findall(page))
        if 'class="action-checkbox"' in page:
            row = _first_id(page)
            queue.extend(key + extra.format(id=row) for extra in PER_LIST if row or "{id}" not in extra)


def _error_pages(client):
    yield "404", client.get("/admin/no-such-page/").get_data(as_text=True)
    yield "missing record", client.get("/admin/customer/details/?id=99999999", follow_redirects=True) \
        .get_data(as_text=True)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", [code for code, _label in ROLES])
def test_every_page_reads_in_one_language(demo_app, role, language):
    client = _client(demo_app, role, language)
    data = data_pattern()  # again after signing in: the session list shows the client's own User-Agent (data)
    problems, pages = [], 0
    for url, page in [*_crawl(client), *_error_pages(client)]:
        pages += 1
        found = leftovers(visible_texts(page), language, data)
        problems.extend(f"{url}: {word}" for word in found)
    import os
    if os.environ.get("SWEEP_DUMP"):
        with open(os.environ["SWEEP_DUMP"], "a") as out:
            out.write("\n".join(f"{role} {language} {p}" for p in problems) + "\n")
    assert pages > 5, "the crawl reached the panel's pages"
    assert not problems, f"{len(problems)} leftovers on {pages} pages:\n" + "\n".join(problems[:80])
