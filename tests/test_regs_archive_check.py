"""The six-monthly archive check (档案资料检查表): dossiers due, the check form, each dossier's history."""
import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta

from admin_app.services.trust import archive_checks
from models import ArchiveCheck, ArchiveRecord

SEED = "004 第6篇 6.5.1.2 b): 每半年對所有檔案資料檢查一遍,填寫《檔案資料檢查表》."
TODAY = dt.date.today()
pytestmark = pytest.mark.usefixtures("app")


@pytest.mark.parametrize(("last_check", "due"), [
    (None, True), (TODAY - relativedelta(months=6), True), (TODAY - relativedelta(months=6) + dt.timedelta(days=1),
                                                             False)],
    ids=["never", "six-months-ago", "a-day-less"])
def test_dossiers_are_due_every_six_months(make_customer, make_record, make_user, last_check, due):
    """004 第6篇 6.5.1.2 b): 每半年對所有檔案資料檢查一遍 — due again once half a year has passed."""
    customer = make_customer(name="待检顾客")
    make_record(ArchiveRecord, customer=customer)
    make_customer(name="无档案顾客")
    if last_check:
        ArchiveCheck.create(customer=customer, checked_on=last_check, checker=make_user("clerk"),
                            items_checked="合同、收据")
    assert ([c.name for c in archive_checks.due(TODAY)] == ["待检顾客"]) is due


def test_check_form_records_checker_and_history(login_as, make_customer, make_record):
    """004 第6篇 6.5.1.2 b): 填寫《檔案資料檢查表》 — items checked, findings, corrections, checker, date."""
    client = login_as("clerk")
    customer = make_customer(name="检查顾客", owner=client.user)
    entry = make_record(ArchiveRecord, customer=customer)
    due_page = client.get("/admin/archivecheckdue/").get_data(as_text=True)
    assert "检查顾客" in due_page and f"/admin/archivecheck/new/?customer={customer.id}" in due_page
    client.post("/admin/archivecheck/new/", data={
        "customer": str(customer.id), "checked_on": str(TODAY), "items_checked": "身份证复印件、购销合同",
        "findings": "电话号码已变更", "corrections": "划线更正并保留原号码"})
    check = ArchiveCheck.get()
    assert (check.checker_id, check.findings, check.checked_on) == (client.user.id, "电话号码已变更", TODAY)
    assert ArchiveRecord.get_by_id(entry.id).last_checked == TODAY
    due_after = client.get("/admin/archivecheckdue/").get_data(as_text=True)  # the flash names the new check
    assert f"/admin/archivecheck/new/?customer={customer.id}" not in due_after
    dossier = client.get(f"/admin/customer/details/?id={customer.id}").get_data(as_text=True)
    assert 'id="archive-checks"' in dossier and "划线更正并保留原号码" in dossier


def test_a_future_check_date_is_refused(login_as, make_customer):
    """A check is recorded after it happened: its date cannot be in the future."""
    client = login_as("clerk")
    client.post("/admin/archivecheck/new/", data={"customer": str(make_customer().id),
                                                  "checked_on": str(TODAY + dt.timedelta(days=1)),
                                                  "items_checked": "合同"})
    assert ArchiveCheck.select().count() == 0


@pytest.mark.parametrize(("role", "status"), [("technician", 403), ("quality", 403), ("clerk", 200),
                                              ("manager", 200)])
def test_who_sees_the_archive_check_pages(login_as, role, status):
    """The office keeps the dossiers; technicians and the quality department do not."""
    client = login_as(role)
    assert client.get("/admin/archivecheckdue/").status_code == status
    assert client.get("/admin/archivecheck/").status_code == status
