"""The return policy (004 第12篇 5.1.4): 原則上只有在三個月內出廠的產品因本身質量問題所引起的才能辦理退貨.

The window runs from the shipment (factory) date; when only the purchase date is known it runs from that,
and the record says so. The window's length is passed in: the rule setting "return_window_months"
(admin_app/services/settings).
"""
from dateutil.relativedelta import relativedelta
from flask_babel import gettext as _


def window(record, months):
    """Return (start date, basis "factory" | "purchase", last day inside the window), or None without dates.

    三個月內 includes the day three calendar months after the start (以内 includes the number).
    """
    start, basis = record.window_start()
    if start is None:
        return None
    return start, basis, start + relativedelta(months=months)


def window_note(record, months):
    """Return the translated sentence saying what the window is measured from and when it ends."""
    found = window(record, months)
    if found is None:
        return ""
    start, basis, end = found
    if basis == "factory":
        return _("Return window measured from the shipment date %(start)s; it ends on %(end)s.",
                 start=start.isoformat(), end=end.isoformat())
    return _("Shipment date unknown: return window measured from the purchase date %(start)s; "
             "it ends on %(end)s.", start=start.isoformat(), end=end.isoformat())


def policy_errors(record, today, months):
    """Return why a return/exchange breaks the policy without a manager's exception reason ([] when none)."""
    if record.non_returnable and not record.quality_problem:
        return [_("These goods are never returnable except for a quality problem.")]
    problems = []
    found = window(record, months)
    if found is not None and today > found[2]:
        problems.append(_("The %(months)d-month return window ended on %(date)s.", months=months,
                          date=found[2].isoformat()) + " " + window_note(record, months))
    if not record.quality_problem:
        problems.append(_("Only a quality problem of the product itself is accepted."))
    if problems and not (record.exception_reason or "").strip():
        return [*problems, _("A manager's exception needs a reason.")]
    return []
