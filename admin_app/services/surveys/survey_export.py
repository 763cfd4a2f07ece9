"""Survey texts and the per-batch contact list (.xlsx) for phone calls, letters and SMS."""
import io

import xlsxwriter
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from admin_app.services.surveys.survey import CONTACT_FIELDS
from models import Customer, Invitation


def invitation_text(channel, name, link, expires_on):
    """Return the text a customer receives (SMS, letter or call script), in the default language."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        if channel == "phone":
            return _("Hello %(name)s, this is customer service calling about your satisfaction with our "
                     "products and service. The questionnaire is at %(link)s (valid until %(date)s).",
                     name=name, link=link, date=expires_on)
        if channel == "letter":
            return _("Dear %(name)s,\nThank you for your support. Please tell us how satisfied you are with our "
                     "products and service by filling in the questionnaire at %(link)s before %(date)s.\n"
                     "Customer Service Department", name=name, link=link, date=expires_on)
        return _("[Satisfaction survey] Dear %(name)s, please rate our products and service at %(link)s "
                 "(valid until %(date)s).", name=name, link=link, date=expires_on)


def email_parts(link_base, expires_on):
    """Return (subject, head, link base, tail) of the survey email; the token goes between base and tail."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = _("Customer satisfaction survey")
        head = _("Dear customer,\n\nThank you for your support. Please tell us how satisfied you are with our "
                 "products and service; it takes about three minutes:\n\n")
        tail = "\n\n" + _("The link is personal and valid until %(date)s.\nCustomer Service Department",
                          date=expires_on)
    return subject, head, link_base, tail


def invitation_list(batch, link_base, reveal=lambda field, value: value):
    """Return .xlsx bytes listing every invitation of a batch with contact, link and text."""
    contact = CONTACT_FIELDS[batch.channel]
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False})
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet(_("Contact list"))
    sheet.write_row(0, 0, [_("No."), _("Customer ID"), _("Name"), _("Contact person"), _("Contact"),
                           _("Survey link"), _("Text"), _("Answered")], bold)
    rows = (Invitation.select(Invitation.token, Invitation.answered_at, Customer.id, Customer.name,
                              Customer.contact_person, getattr(Customer, contact))
            .join(Customer).where(Invitation.batch == batch.id).order_by(Invitation.id).tuples())
    for r, (token, answered, cid, name, person, value) in enumerate(rows.iterator(), start=1):
        link = link_base + token
        sheet.write_number(r, 0, r)
        sheet.write_number(r, 1, cid)
        # customer data is user input: write_string keeps "=..." a text, never a formula
        for c, text in enumerate([name, person or "", reveal(contact, value) or "", link,
                                  invitation_text(batch.channel, name, link, batch.expires_on),
                                  "✓" if answered else ""], start=2):
            sheet.write_string(r, c, str(text))
    sheet.set_column(2, 5, 24)
    sheet.set_column(6, 6, 60)
    book.close()
    buffer.seek(0)
    return buffer
