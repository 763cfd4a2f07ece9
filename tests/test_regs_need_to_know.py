"""Dossiers on a need-to-know basis: a purpose (查阅理由) from anyone not working on the customer; every view logged."""
import datetime as dt

import pytest

from admin_app.services.trust import access
from models import AccessLog, ArchiveRecord, Complaint

SEED = "000 餐饮部客史档案管理制度 4.: 客史档案的查阅和使用应严格遵守保密规定,不得泄露顾客隐私."
PAGES = {"customer": "open_dossier", "archiverecord": "open_archive_record"}


def _url(endpoint, customer, entry):
    return f"/admin/{endpoint}/details/?id={customer.id if endpoint == 'customer' else entry.id}"


@pytest.fixture()
def dossier(make_customer, make_record):
    customer = make_customer(name="保密顾客", phone="13812340000")
    entry = make_record(ArchiveRecord, customer=customer, content="顾客偏好靠窗座位")
    return customer, entry


@pytest.mark.parametrize("endpoint", PAGES)
@pytest.mark.parametrize("role", ["clerk", "manager"])
def test_an_outsider_states_a_purpose_before_the_dossier_opens(login_as, dossier, endpoint, role):
    """000 客史档案 4.: 客史档案的查阅和使用应严格遵守保密规定 — no need to know, so a purpose first; it is logged."""
    client = login_as(role)
    customer, entry = dossier
    url = _url(endpoint, customer, entry)
    page = client.get(url).get_data(as_text=True)
    assert 'id="dossier-purpose"' in page and "顾客偏好靠窗座位" not in page and "13812340000" not in page
    assert AccessLog.select().count() == 0
    refused = client.post(f"/admin/{endpoint}/purpose/", data={"customer": customer.id, "purpose": "看", "next": url})
    assert refused.status_code == 400 and "is-invalid" in refused.get_data(as_text=True)
    answer = client.post(f"/admin/{endpoint}/purpose/",
                         data={"customer": customer.id, "purpose": "核对投诉赔偿记录", "next": url})
    assert answer.status_code == 302 and answer.headers["Location"].endswith(url.split("/admin", 1)[1])
    opened = client.get(url).get_data(as_text=True)
    assert 'id="dossier-purpose"' not in opened and customer.name in opened
    log = AccessLog.get()
    assert (log.user_id, log.action, log.customer_id, log.purpose) == (
        client.user.id, PAGES[endpoint], customer.id, "核对投诉赔偿记录")
    assert log.at >= dt.datetime.now() - dt.timedelta(minutes=1)


@pytest.mark.parametrize("link", ["owner", "open_record", "closed_record"])
def test_owner_and_assigned_users_open_without_a_purpose(login_as, dossier, make_record, link):
    """000 客史档案 4.: 根据需要查阅客史档案 — the owner and whoever works on an open record need no purpose."""
    client = login_as("clerk")
    customer, _entry = dossier
    if link == "owner":
        customer.owner = client.user
        customer.save()
    else:
        make_record(Complaint, customer=customer, owner=client.user,
                    closed_at=dt.datetime.now() if link == "closed_record" else None)
    page = client.get(f"/admin/customer/details/?id={customer.id}").get_data(as_text=True)
    needs_purpose = link == "closed_record"
    assert ('id="dossier-purpose"' in page) is needs_purpose
    if not needs_purpose:
        log = AccessLog.get()
        assert (log.user_id, log.customer_id, log.detail, log.purpose) == (client.user.id, customer.id,
                                                                          "need_to_know", "")


def test_every_view_is_logged_again(login_as, dossier):
    """000 客史档案 4.: every consultation is recorded (查阅登记), not just the first."""
    client = login_as("manager")
    customer, _entry = dossier
    url = f"/admin/customer/details/?id={customer.id}"
    client.post("/admin/customer/purpose/", data={"customer": customer.id, "purpose": "月度抽查", "next": url})
    client.get(url)
    client.get(url)
    assert [e.purpose for e in AccessLog.select()] == ["月度抽查", "月度抽查"]


def test_a_stated_purpose_lapses():
    """A purpose opens the same dossier again only for DOSSIER_PURPOSE_MINUTES."""
    store, stated = {}, dt.datetime(2026, 11, 30, 9, 0)
    access.remember(store, 7, "  核对地址 ", stated)
    assert access.remembered(store, 7, 30, stated + dt.timedelta(minutes=30)) == "核对地址"
    assert access.remembered(store, 7, 30, stated + dt.timedelta(minutes=31)) is None
    assert access.remembered(store, 8, 30, stated) is None


def test_the_access_log_shows_the_purpose(login_as, dossier):
    """000 客史档案 4.: who, when, which customer and why, readable by managers in the access log."""
    viewer, manager = login_as("clerk"), login_as("manager")
    customer, _entry = dossier
    url = f"/admin/customer/details/?id={customer.id}"
    viewer.post("/admin/customer/purpose/", data={"customer": customer.id, "purpose": "回访前了解情况", "next": url})
    viewer.get(url)
    assert "回访前了解情况" in manager.get("/admin/accesslog/").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/admin/print/archive-check/{customer}/", "/admin/print/complaint/{complaint}/"])
def test_a_printout_of_the_dossier_asks_the_same_purpose(login_as, dossier, make_record, path):
    """000 客史档案 4.: 客史档案的查阅和使用应严格遵守保密规定 — printing a dossier's form needs the purpose too."""
    client = login_as("manager")
    customer, _entry = dossier
    complaint = make_record(Complaint, customer=customer)
    url = path.format(customer=customer.id, complaint=complaint.id)
    asked = client.get(url, follow_redirects=True).get_data(as_text=True)
    assert 'name="purpose"' in asked and "顾客偏好靠窗座位" not in asked
    client.post("/admin/customer/purpose/", data={"customer": customer.id, "purpose": "核对投诉记录", "next": url})
    assert client.get(url).status_code == 200
