"""The table forms: the exchange ledger, the archive check sheet, the paper questionnaire.

Each returns plain rows (lists of printed text) so the same data fills the HTML page and the Excel sheet.
"""
import datetime as dt

import peewee as pw

from admin_app.services.forms.values import field_text, identity, text
from models import ArchiveCheck, ArchiveRecord, Customer, ReturnExchange, User
from models.choices import ARCHIVE_KINDS, SATISFACTION
from models.choices import label as choice_label

#: the exchange statuses the ledger holds (an approved exchange and what follows)
LEDGER_STATUSES = ("approved", "goods_received", "shipped", "closed")
#: blank lines printed under the filled ones of the archive check sheet
CHECK_BLANK_LINES = 6


def ledger_query(first, last):
    """Return approved exchanges created in [first, last] (dates), oldest first: the 换货登记台账."""
    start, end = dt.datetime.combine(first, dt.time()), dt.datetime.combine(last + dt.timedelta(days=1), dt.time())
    return (ReturnExchange.select(ReturnExchange, Customer, User)
            .join(Customer, on=ReturnExchange.customer == Customer.id)
            .switch(ReturnExchange).join(User, on=ReturnExchange.owner == User.id, join_type=pw.JOIN.LEFT_OUTER)
            .where(ReturnExchange.decision == "exchange", ReturnExchange.status.in_(list(LEDGER_STATUSES)),
                   ReturnExchange.created_at >= start, ReturnExchange.created_at < end)
            .order_by(ReturnExchange.created_at, ReturnExchange.id))


def ledger_rows(records):
    """Return one ledger line per exchange: no., date, customer, product, model, quantity, reason,
    approver, returned goods received, replacement shipped, handler (经办人); the signature is left blank."""
    return [[str(index), text(rec.created_at.date()), field_text(rec, "customer"), rec.product_name,
             rec.model_no or "", str(rec.quantity), rec.reason, field_text(rec, "approver"),
             text(rec.goods_received_at), text(rec.shipped_at), field_text(rec, "owner"), ""]
            for index, rec in enumerate(records, start=1)]


def check_items(customer_id):
    """Return the dossier's entries to check, oldest first: [(date, kind label, document no., summary)]."""
    entries = (ArchiveRecord.select().where(ArchiveRecord.customer == customer_id)
               .order_by(ArchiveRecord.entry_date, ArchiveRecord.id))
    return [(text(e.entry_date), str(choice_label(ARCHIVE_KINDS, e.kind)), e.document_no or "", e.summary(40))
            for e in entries]


def recorded_checks(customer_id):
    """Return the dossier's recorded checks as check_rows takes them: {item position: {"state", "finding", ...}}.

    An entry belongs to the check that stamped it (ArchiveRecord.last_checked, set when an ArchiveCheck is saved);
    the latest check of the customer on that day gives what was checked, findings, corrections, checker and date.
    """
    stamps = (ArchiveRecord.select(ArchiveRecord.last_checked).where(ArchiveRecord.customer == customer_id)
              .order_by(ArchiveRecord.entry_date, ArchiveRecord.id).tuples())
    checks = (ArchiveCheck.select(ArchiveCheck, User).join(User, pw.JOIN.LEFT_OUTER, on=ArchiveCheck.checker == User.id)
              .where(ArchiveCheck.customer == customer_id).order_by(ArchiveCheck.checked_on, ArchiveCheck.id))
    by_day = {check.checked_on: check for check in checks}  # the day's latest check wins
    found = {}
    for index, (day,) in enumerate(stamps):
        check = by_day.get(day)
        if check is not None:
            found[index] = {"state": check.items_checked, "finding": check.findings or "",
                            "correction": check.corrections or "", "date": check.checked_on,
                            "checker": str(check.checker) if check.checker_id else ""}
    return found


def check_rows(items, checks=(), blank=CHECK_BLANK_LINES):
    """Return the check sheet's lines: one per dossier item, then `blank` empty lines to write on.

    `checks` maps an item's position (0-based) to {"state", "finding", "correction", "checker", "date"}
    once a six-monthly check is recorded (004 第6篇 6.5.1.2 b; see recorded_checks); otherwise they stay blank.
    """
    checks = dict(checks)
    rows = []
    for index, (day, kind, number, summary) in enumerate(items):
        found = checks.get(index, {})
        rows.append([str(index + 1), day, kind, number, summary, found.get("state", ""), found.get("finding", ""),
                     found.get("correction", ""), found.get("checker", ""), text(found.get("date"))])
    start = len(rows)
    rows += [[str(start + n + 1)] + [""] * 9 for n in range(blank)]
    return rows


def customer_lines(customer, policy=identity):
    """Return the customer's heading lines of a form: [(label name, printed text)], personal data by policy."""
    names = ("name", "contact_person", "phone", "address")
    return [(name, policy(name, field_text(customer, name))) for name in names]


def questionnaire_rows(questionnaire, english=False):
    """Return the paper questionnaire's items: [(number, text, hint)] in display order (004 第12篇 5.8.3)."""
    rows = []
    for number, item in enumerate(questionnaire.ordered_items(), start=1):
        wording = (item.text_en or item.text) if english else item.text
        hint = (item.hint_en or item.hint) if english else item.hint
        rows.append((number, wording, hint or ""))
    return rows


def levels():
    """Return the five seed levels in order, 很满意 first, as printed labels."""
    return [str(label) for _code, label in SATISFACTION]
