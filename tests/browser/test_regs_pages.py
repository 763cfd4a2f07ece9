"""Issue 14 pages in a real browser, in Chinese and English, wide and narrow; screenshots for review."""
import datetime as dt
import os

import pytest
from dateutil.relativedelta import relativedelta

from admin_app.services.trust import destruction
from models import ArchiveCheck, ArchiveRecord, Complaint, Feedback, ReturnExchange

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("SHOTS_DIR", "")
WIDTHS = {"wide": 1440, "narrow": 390}


def _shot(page, name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


@pytest.fixture()
def world(make_customer, make_record, make_user):
    """A dossier, a consultation, a legal complaint, a return without shipment date, an old closed complaint."""
    customer = make_customer(name="华东电器商行", region="上海")
    make_record(ArchiveRecord, customer=customer, kind="document", content="2025年购销合同",
                entry_date=dt.date(2025, 3, 1))
    ArchiveCheck.create(customer=customer, checked_on=dt.date.today() - relativedelta(months=7),
                        checker=make_user("clerk"), items_checked="合同、收据", findings="电话变更",
                        corrections="划线更正")
    make_record(ArchiveRecord, customer=make_customer(name="未检查顾客"), content="会员登记表")
    feedback = make_record(Feedback, customer=customer, nature="consultation", status="analysing",
                           content="净水器滤芯如何更换")
    old = make_record(Complaint, customer=customer, closed_at=dt.datetime.now() - relativedelta(years=4))
    destruction.propose({"complaint": [old.id]}, make_user("admin"))
    returned = make_record(ReturnExchange, customer=customer, purchase_date=dt.date.today() - dt.timedelta(days=20))
    return {"customer": customer, "feedback": feedback, "return": returned, "other": make_customer(name="诉讼顾客")}


@pytest.mark.parametrize("language", ["zh_Hans_CN", "en"])
@pytest.mark.parametrize("width", WIDTHS)
def test_regulation_pages_render(page, browser_user, log_in, world, language, width):
    manager = browser_user("manager")
    manager.language = language
    manager.save()
    legal = Complaint.create(customer=world["other"], complainant="孙女士", received_at=dt.datetime.now(),
                             channel="phone", complaint_type="product_quality", content="漏电起诉",
                             involves_legal=True, legal_contact=manager, legal_notified_at=dt.datetime.now(),
                             status="followed_up")
    page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    log_in(manager)
    tag = f"{language[:2]}-{WIDTHS[width]}"
    customer = world["customer"]

    page.goto(f"/admin/customer/details/?id={customer.id}")
    page.wait_for_selector("#dossier-purpose")
    _shot(page, f"purpose-{tag}")
    page.fill("#purpose", "核对投诉赔偿记录")
    page.click("#dossier-purpose button[type=submit]")
    page.wait_for_selector("#archive-checks")
    page.locator("#archive-checks").scroll_into_view_if_needed()
    _shot(page, f"dossier-{tag}")

    page.goto("/admin/archivecheckdue/")
    page.wait_for_selector("a.check-now")
    assert page.locator("a.check-now").count() == 2
    _shot(page, f"checks-due-{tag}")
    page.locator("a.check-now").first.click()
    page.wait_for_selector("#s2id_customer")
    assert page.inner_text("#s2id_customer .select2-chosen").strip() == customer.name
    _shot(page, f"check-form-{tag}")

    page.goto("/admin/retention/")
    page.wait_for_selector(".destruction-list")
    _shot(page, f"retention-{tag}")

    page.goto(f"/admin/feedback/details/?id={world['feedback'].id}")
    page.wait_for_selector("[data-step=assign_tech]")
    assert page.locator("[data-route]").count() == 0
    _shot(page, f"feedback-{tag}")

    page.goto(f"/admin/complaint/details/?id={legal.id}")
    page.wait_for_selector("#legal-signoff")
    _shot(page, f"legal-{tag}")

    page.goto(f"/admin/returnexchange/details/?id={world['return'].id}")
    page.wait_for_selector(".return-window")
    _shot(page, f"return-{tag}")
