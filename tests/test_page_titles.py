"""Each page says what it is once: pages with a heading of their own get no second title above it."""
import re

import pytest

HEADING = re.compile(r"<h([1-6])[^>]*>(.*?)</h\1>", re.S)
TAG = re.compile(r"<[^>]+>")


def headings(page):
    """Return the text of every heading on a page, tags and surrounding space dropped."""
    return [" ".join(TAG.sub(" ", text).split()) for _level, text in HEADING.findall(page)]


@pytest.mark.parametrize(("url", "title", "not_shown"), [
    ("/admin/", "仪表盘", "首页"),
    ("/admin/mywork/", "我的工作", None),
    ("/admin/surveystats/", "调查统计", None),
    ("/admin/customer/survey/", "发送满意度调查", "顾客"),
    ("/admin/surveyresponse/followup/", "录入电话回访", "调查答卷"),
])
def test_a_page_with_its_own_heading_shows_its_title_once(manager_client, url, title, not_shown):
    shown = headings(manager_client.get(url).get_data(as_text=True))
    assert sum(text.startswith(title) for text in shown) == 1, shown
    assert not_shown is None or not_shown not in shown


@pytest.mark.parametrize("url", ["/login", "/admin/", "/admin/customer/", "/s/unknown-token"])
def test_every_page_names_its_icon_so_browsers_ask_for_no_missing_favicon(manager_client, client, url):
    page = (client if url in ("/login", "/s/unknown-token") else manager_client).get(url).get_data(as_text=True)
    link = re.search(r'<link rel="icon" type="image/svg\+xml" href="([^"]+)">', page)
    assert link, "no icon link: the browser asks for /favicon.ico and logs a 404 on every page"
    icon = client.get(link.group(1))
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"


def test_the_top_bar_names_the_role_unless_the_name_already_says_it(login_as):
    """"管理员 [管理员]" says the same twice; "王丽 [经理]" says who and what."""
    named = login_as("manager", display_name="王丽").get("/admin/").get_data(as_text=True)
    assert re.search(r"王丽\s*<span class=\"badge badge-secondary\">经理</span>", named)
    plain = login_as("admin", display_name="管理员").get("/admin/").get_data(as_text=True)
    assert 'badge-secondary">管理员</span>' not in plain and "管理员" in plain
