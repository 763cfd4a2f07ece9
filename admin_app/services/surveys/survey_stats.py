"""Survey statistics (seed 004 §12 5.10) and the 满意率统计表 workbook."""
import io
from collections import Counter, defaultdict

import peewee as pw
import xlsxwriter
from flask_babel import gettext as _

from admin_app.db import is_sqlite
from admin_app.services.settings import store as settings_store
from models import Answer, Invitation, QuestionItem, Response, SurveyBatch
from models.choices import SATISFACTION
from models.survey import LEVELS, SATISFIED_LEVELS

#: the seeds' defaults; the targets in force are rule settings (admin_app/services/settings)
TARGET_SATISFACTION = 90.0
TARGET_RESPONSE = (50.0, 75.0, 80.0)


def rate(part, whole):
    """Return part ÷ whole × 100, or None when there is nothing to divide by."""
    return round(part * 100.0 / whole, 1) if whole else None


def shown(value):
    """Return a rate as text: '93.3%', or '—' when there were no answers."""
    return "—" if value is None else f"{value:.1f}%"


def summary(levels, sent, answered):
    """Return the seed figures from {level: count} of overall ratings, invitations sent and answered."""
    returned = sum(levels.values())
    satisfied = sum(levels.get(level, 0) for level in SATISFIED_LEVELS)
    return {"sent": sent, "answered": answered, "returned": returned, "satisfied": satisfied,
            "levels": {level: levels.get(level, 0) for level in LEVELS},
            "response_rate": rate(answered, sent), "satisfaction_rate": rate(satisfied, returned)}


def month_of(column):
    """Return a 'YYYY-MM' SQL expression of a datetime column on SQLite or PostgreSQL."""
    # a literal format, not a parameter: PostgreSQL must see the same expression in SELECT and GROUP BY
    return pw.fn.strftime(pw.SQL("'%Y-%m'"), column) if is_sqlite() else pw.fn.to_char(column, pw.SQL("'YYYY-MM'"))


def _overall(where):
    query = Response.select(Response.overall, pw.fn.COUNT(Response.id)).where(where).group_by(Response.overall)
    return dict(query.tuples())


def _invitation_counts(where):
    query = (Invitation.select(pw.fn.COUNT(Invitation.id), pw.fn.COUNT(Invitation.answered_at))
             .join(SurveyBatch).where(where))
    return query.tuples().get()


def batch_summary(batch):
    """Return the figures of one batch."""
    sent, answered = _invitation_counts(SurveyBatch.id == batch.id)
    answered_in = Invitation.select(Invitation.id).where(Invitation.batch == batch.id)
    return summary(_overall(Response.invitation.in_(answered_in)), sent, answered)


def questionnaire_summary(questionnaire):
    """Return the figures of one questionnaire revision (follow-up entries count as returned forms)."""
    sent, answered = _invitation_counts(SurveyBatch.questionnaire == questionnaire.id)
    return summary(_overall(Response.questionnaire == questionnaire.id), sent, answered)


def monthly(limit=24):
    """Return [(month, figures)] newest last: sent and answered by dispatch month, ratings by answer month."""
    m_sent = month_of(SurveyBatch.created_at)
    sent = {m: (s, a) for m, s, a in (Invitation.select(m_sent, pw.fn.COUNT(Invitation.id),
                                                        pw.fn.COUNT(Invitation.answered_at))
                                      .join(SurveyBatch).group_by(m_sent).tuples())}
    m_ans = month_of(Response.submitted_at)
    levels = defaultdict(dict)
    for month, overall, count in (Response.select(m_ans, Response.overall, pw.fn.COUNT(Response.id))
                                  .group_by(m_ans, Response.overall).tuples()):
        levels[month][overall] = count
    months = sorted(set(sent) | set(levels))[-limit:]
    return [(m, summary(levels.get(m, {}), *sent.get(m, (0, 0)))) for m in months]


def item_distribution(where):
    """Return [(item text, {level: count}, satisfaction rate)] of the answers of the responses matching `where`."""
    query = (Answer.select(QuestionItem.code, QuestionItem.text, Answer.level, pw.fn.COUNT(Answer.id))
             .join(QuestionItem).switch(Answer).join(Response).where(where)
             .group_by(QuestionItem.code, QuestionItem.text, Answer.level, QuestionItem.position)
             .order_by(QuestionItem.position))
    found, texts = defaultdict(Counter), {}
    for code, text, level, count in query.tuples():
        texts.setdefault(code, text)
        found[code][level] += count
    rows = []
    for code, counts in found.items():
        total = sum(counts.values())
        satisfied = sum(counts[level] for level in SATISFIED_LEVELS)
        rows.append((texts[code], {level: counts[level] for level in LEVELS}, rate(satisfied, total)))
    return rows


def level_labels():
    """Return the translated names of the five levels in order."""
    return [str(label) for _code, label in SATISFACTION]


# --- the 满意率统计表 workbook ----------------------------------------------------------------------
def workbook(title, rows, items):
    """Return .xlsx bytes: one line per period or batch [(label, figures)], then the item distribution."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False})
    bold = book.add_format({"bold": True, "border": 1, "text_wrap": True, "align": "center"})
    cell = book.add_format({"border": 1})
    sheet = book.add_worksheet(_("Satisfaction rate"))
    heads = [_("Period / batch"), _("Sent"), _("Returned"), _("Response rate"), *level_labels(),
             _("Fairly satisfied or better"), _("Satisfaction rate"), _("Target")]
    sheet.merge_range(0, 0, 0, len(heads) - 1, _("Customer satisfaction rate statistics (满意率统计表)"), bold)
    sheet.write_string(1, 0, title)
    sheet.write_row(2, 0, heads, bold)
    for r, (label, fig) in enumerate(rows, start=3):
        values = [fig["sent"], fig["returned"], shown(fig["response_rate"]),
                  *fig["levels"].values(), fig["satisfied"], shown(fig["satisfaction_rate"]),
                  f"≥{settings_store.fmt(settings_store.get('target_satisfaction'))}%"]
        sheet.write_string(r, 0, str(label), cell)
        for c, value in enumerate(values, start=1):
            (sheet.write_number if isinstance(value, int) else sheet.write_string)(r, c, value, cell)
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, len(heads) - 1, 12)
    _item_sheet(book, bold, cell, items)
    book.close()
    return buffer.getvalue()


def _item_sheet(book, bold, cell, items):
    sheet = book.add_worksheet(_("Items"))
    sheet.write_row(0, 0, [_("Item"), *level_labels(), _("Satisfaction rate")], bold)
    for r, (text, counts, item_rate) in enumerate(items, start=1):
        sheet.write_string(r, 0, text, cell)  # questionnaire text is user data: never a formula
        for c, count in enumerate(counts.values(), start=1):
            sheet.write_number(r, c, count, cell)
        sheet.write_string(r, len(counts) + 1, shown(item_rate), cell)
    sheet.set_column(0, 0, 36)
