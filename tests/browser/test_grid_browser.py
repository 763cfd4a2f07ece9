"""In-place editing in a real browser: the list's editors open on click, save, and show the saved value."""
import pytest

from models import ChangeLog, Complaint, Customer

pytestmark = pytest.mark.browser


def _open_editor(page, name, pk):
    """Click a row's cell editor and return the popover it opens."""
    page.click(f"a[data-role=x-editable][name={name}][data-pk='{pk}']")
    return page.locator(".popover .editableform")


def test_clerk_changes_a_region_in_place(page, browser_user, log_in, make_customer):
    customer = make_customer(name="就地编辑商行", region="华东")
    log_in(browser_user("clerk"))
    page.goto("/admin/customer/")
    form = _open_editor(page, "region", customer.id)
    form.locator("input[type=text]").fill("华南")
    form.locator("button[type=submit]").click()
    form.wait_for(state="detached")
    cell = page.locator(f"a[name=region][data-pk='{customer.id}']")
    assert cell.inner_text().strip() == "华南"
    assert Customer.get_by_id(customer.id).region == "华南"
    assert ChangeLog.get(ChangeLog.record_id == customer.id).changed()["region"] == ["华东", "华南"]


def test_choice_editor_starts_at_the_stored_choice_and_saves_another(page, browser_user, log_in, make_record):
    complaint = make_record(Complaint, severity="high")
    log_in(browser_user("clerk"))
    page.goto("/admin/complaint/")
    form = _open_editor(page, "severity", complaint.id)
    chosen = form.locator(".select2-chosen")
    chosen.wait_for()
    assert chosen.inner_text().strip() in ("高", "High")  # the stored choice, by its label
    page.locator("#select2-drop .select2-results li", has_text="低").click()  # the editor opens its list
    form.locator("button[type=submit]").click()
    form.wait_for(state="detached")
    assert Complaint.get_by_id(complaint.id).severity == "low"
    assert page.locator(f"a[name=severity][data-pk='{complaint.id}']").inner_text().strip() in ("低", "Low")
