"""The six-monthly archive check (004 第6篇 6.5.1.2 b: 每半年對所有檔案資料檢查一遍,填寫《檔案資料檢查表》).

A dossier (a customer with archive entries) is due for its check when it has none dated within the last
CHECK_MONTHS months: 半年 counts in calendar months, and a check exactly six months old is due again.
"""
import datetime as dt

import peewee as pw
from dateutil.relativedelta import relativedelta

from models import ArchiveCheck, ArchiveRecord, Customer

CHECK_MONTHS = 6


def due_condition(today=None, months=CHECK_MONTHS):
    """Return the condition on Customer selecting dossiers due for their check."""
    today = today or dt.date.today()
    recent = ArchiveCheck.select(ArchiveCheck.id).where(ArchiveCheck.customer == Customer.id,
                                                        ArchiveCheck.checked_on > today - relativedelta(months=months))
    has_entries = ArchiveRecord.select(ArchiveRecord.id).where(ArchiveRecord.customer == Customer.id)
    return pw.fn.EXISTS(has_entries) & ~pw.fn.EXISTS(recent)


def due(today=None, months=CHECK_MONTHS):
    """Return the customers whose dossier is due for its check, by name."""
    return Customer.select().where(due_condition(today, months)).order_by(Customer.name, Customer.id)


def last_checks(customer_ids):
    """Return {customer id: date of its latest check}."""
    rows = (ArchiveCheck.select(ArchiveCheck.customer, pw.fn.MAX(ArchiveCheck.checked_on))
            .where(ArchiveCheck.customer.in_(list(customer_ids))).group_by(ArchiveCheck.customer).tuples())
    return {cid: (dt.date.fromisoformat(day) if isinstance(day, str) else day) for cid, day in rows}


def next_due(last, months=CHECK_MONTHS):
    """Return the day a dossier checked on `last` is due again (None when never checked: due now)."""
    return last + relativedelta(months=months) if last else None


def mark_entries_checked(check):
    """Stamp the customer's archive entries as checked on the check's date (never moving a date back)."""
    return (ArchiveRecord.update(last_checked=check.checked_on)
            .where(ArchiveRecord.customer == check.customer_id,
                   ArchiveRecord.last_checked.is_null() | (ArchiveRecord.last_checked < check.checked_on))
            .execute())
