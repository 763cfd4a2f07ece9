"""Survey tables: questionnaires and their items, batches, responses (with phone follow-ups), the outbox."""
import datetime as dt

from flask import abort, current_app, flash, redirect, request, send_file, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from admin_app.permissions import allowed, mask, sees_unmasked
from admin_app.services.notify import outbox
from admin_app.services.surveys.survey import new_revision, record_response
from admin_app.services.surveys.survey_export import invitation_list
from admin_app.services.surveys.survey_stats import rate, shown
from admin_app.survey_forms import answer_form_class, answers_from, localized
from admin_app.typed_forms import TypedValuesMixin
from models import Answer, Customer, Invitation, OutboxMessage, Questionnaire, Response, SurveyBatch
from models.choices import SATISFACTION
from models.choices import label as choice_label
from views.base import SecureModelView

LOCKED = _l("This questionnaire already has answers, so it is frozen; use \"New revision\" to change it.")


def _questionnaire_choices():
    return [(q.id, str(q)) for q in Questionnaire.current()]


class QuestionnaireView(SecureModelView):
    """Questionnaire revisions; one with answers is frozen and superseded by a new revision."""

    column_list = ("code", "revision", "title", "active", "created_at")
    column_searchable_list = ("code", "title")
    column_filters = ("active", "code")
    column_default_sort = ("id", True)
    column_labels = {**SecureModelView.column_labels, "code": _l("Code"), "revision": _l("Revision"),
                     "title": _l("Title"), "title_en": _l("Title (English)"), "intro": _l("Introduction"),
                     "intro_en": _l("Introduction (English)"), "active": _l("In use")}
    form_excluded_columns = (*SecureModelView.form_excluded_columns, "revision")
    dependents = ((_l("Survey batches"), SurveyBatch, SurveyBatch.questionnaire),
                  (_l("Responses"), Response, Response.questionnaire))

    def on_model_change(self, form, model, is_created):
        if not is_created and model.has_answers():
            raise ValueError(str(LOCKED))

    def list_tools(self):
        tools = super().list_tools()
        if allowed("questionitem", "view"):
            tools.append((_l("Questionnaire items"), url_for("questionitem.index_view")))
        return tools

    def is_action_allowed(self, name):
        if name == "new_revision":
            return allowed(self.endpoint, "create")
        return super().is_action_allowed(name)

    @action("new_revision", _l("New revision"), _l("Copy the selected questionnaires into new revisions?"))
    def action_new_revision(self, ids):
        copies = [new_revision(q) for q in Questionnaire.select().where(Questionnaire.id.in_(ids))]
        flash(ngettext("%(num)d new revision was created.", "%(num)d new revisions were created.",
                       len(copies)), "success")


class QuestionItemView(SecureModelView):
    """The rated items of each questionnaire, frozen once the questionnaire has answers."""

    column_list = ("questionnaire", "position", "code", "text", "text_en")
    column_filters = (Questionnaire.title, Questionnaire.revision, "code")
    column_default_sort = ("id", False)
    column_labels = {**SecureModelView.column_labels, "questionnaire": _l("Questionnaire"),
                     "position": _l("Order"), "code": _l("Code"), "text": _l("Item"),
                     "text_en": _l("Item (English)"), "hint": _l("Hint"), "hint_en": _l("Hint (English)")}
    dependents = ((_l("Answers"), Answer, Answer.item),)

    def on_model_change(self, form, model, is_created):
        if model.questionnaire_id and model.questionnaire.has_answers():
            raise ValueError(str(LOCKED))


class SurveyBatchView(SecureModelView):
    """Dispatches: who sent which questionnaire to whom, when and by which channel."""

    can_create = can_edit = can_delete = False
    column_list = ("id", "questionnaire", "channel", "created_by", "created_at", "expires_on", "matched_count",
                   "excluded_count", "sent_count", "answered", "links")
    column_filters = ("channel", "created_at", "expires_on")
    column_default_sort = ("id", True)
    column_labels = {**SecureModelView.column_labels, "questionnaire": _l("Questionnaire"),
                     "created_by": _l("Sent by"), "expires_on": _l("Expires on"),
                     "matched_count": _l("Matched"), "excluded_count": _l("Not sent"), "sent_count": _l("Sent"),
                     "answered": _l("Answered"), "links": "", "sample_percent": _l("Sample (%)"),
                     "exclude_days": _l("Skip if surveyed within (days)"), "selection": _l("Selection")}

    def _answered(self, context, row, name):
        answered = row.invitations.where(Invitation.answered_at.is_null(False)).count()
        return f"{answered} ({shown(rate(answered, row.sent_count))})"

    def _links(self, context, row, name):
        stats = url_for("surveystats.index", batch=row.id)
        parts = [f'<a href="{escape(stats)}">{escape(_("Statistics"))}</a>']
        if allowed(self.endpoint, "export"):
            export = url_for(".export_list", id=row.id)
            parts.append(f'<a href="{escape(export)}">{escape(_("Contact list (.xlsx)"))}</a>')
        return Markup(" · ".join(parts))

    column_formatters = {"answered": _answered, "links": _links}

    @expose("/contacts/<int:id>")
    def export_list(self, id):
        """Download the batch's call / letter / SMS list with each customer's link and text."""
        if not allowed(self.endpoint, "export"):
            abort(403)
        batch = SurveyBatch.get_or_none(SurveyBatch.id == id) or abort(404)
        data = invitation_list(batch, survey_link_base(), reveal=_reveal)
        return send_file(data, as_attachment=True, download_name=f"survey_batch_{batch.id}.xlsx",
                         mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _reveal(field, value):
    return value if sees_unmasked(field) else mask(field, value)


def survey_link_base():
    """Return the public address the links start with: SURVEY_BASE_URL, else this site, ending in /s/."""
    base = current_app.config.get("SURVEY_BASE_URL") or request.url_root
    return base.rstrip("/") + "/s/"


class FollowUpForm(TypedValuesMixin, FlaskForm):
    """Who was called and with which questionnaire."""

    customer_id = IntegerField(_l("Customer ID"), validators=[InputRequired(), NumberRange(min=1)])
    questionnaire_id = SelectField(_l("Questionnaire"), coerce=int, validators=[InputRequired()])
    reference = StringField(_l("Follow-up of (e.g. repair #12)"), validators=[Optional(), Length(max=64)])


class ResponseView(SecureModelView):
    """Returned questionnaires, online or entered by a clerk after a phone follow-up (回访)."""

    can_create = can_edit = False
    column_list = ("submitted_at", "customer", "questionnaire", "overall", "source", "entered_by", "complaint")
    column_details_list = ("submitted_at", "customer", "questionnaire", "overall", "comment", "source",
                           "entered_by", "reference", "complaint", "answers")
    column_filters = ("overall", "source", "submitted_at", Questionnaire.title, Questionnaire.revision)
    column_default_sort = ("id", True)
    column_labels = {**SecureModelView.column_labels, "questionnaire": _l("Questionnaire"),
                     "overall": _l("Overall evaluation"), "comment": _l("Comment"), "source": _l("Source"),
                     "entered_by": _l("Entered by"), "reference": _l("Follow-up of"),
                     "complaint": _l("Complaint opened"), "answers": _l("Answers"),
                     "submitted_at": _l("Submitted at")}

    def _answers(self, context, row, name):
        rows = "".join(
            f"<tr><td>{escape(a.item.text)}</td><td>{escape(choice_label(SATISFACTION, a.level))}</td>"
            f"<td>{escape(a.remark or '')}</td></tr>"
            for a in row.answers.order_by(Answer.id))
        return Markup(f'<table class="table table-sm">{rows}</table>')

    column_formatters_detail = {"answers": _answers}

    def list_tools(self):
        tools = super().list_tools()
        if allowed(self.endpoint, "create"):
            tools.append((_l("Enter phone follow-up"), url_for(".followup")))
        return tools

    @expose("/followup/", methods=("GET", "POST"))
    def followup(self):
        """Enter a phone follow-up's answers on the customer's behalf, marked as such."""
        if not allowed(self.endpoint, "create"):
            abort(403)
        pick = FollowUpForm(request.args, meta={"csrf": False})
        pick.questionnaire_id.choices = _questionnaire_choices()
        customer = questionnaire = None
        if request.args and pick.validate():
            customer = Customer.get_or_none(Customer.id == pick.customer_id.data)
            questionnaire = Questionnaire.get_or_none(Questionnaire.id == pick.questionnaire_id.data)
            if customer is None:
                pick.customer_id.errors = [_("No customer has this ID.")]
        if customer is None or questionnaire is None:
            return self.render("admin/survey/followup.html", pick=pick, form=None)
        items = questionnaire.ordered_items()
        form = answer_form_class(items)()
        if form.validate_on_submit():
            # a paper questionnaire from a visit (printed by views/print_forms.py) is entered the same way
            source = "paper" if request.args.get("source") == "paper" else "phone_followup"
            response = record_response(questionnaire, customer, form.overall.data, answers_from(form, items),
                                       comment=form.comment.data, source=source,
                                       entered_by=current_user.id, reference=pick.reference.data)
            flash(_("The follow-up answers were saved."), "success")
            if response.complaint_id:
                number = f"#{response.complaint_id}"  # the complaint's number, as a link to it
                link = Markup(f'<a href="{escape(url_for("complaint.details_view", id=response.complaint_id))}" '
                              f'class="alert-link">{number}</a>')
                text = _("A \"Dissatisfied\" answer opened complaint #%(id)s.", id=response.complaint_id)
                flash(escape(text).replace(number, link), "warning")
            return redirect(url_for(".details_view", id=response.id))
        return self.render("admin/survey/followup.html", pick=pick, form=form, items=items, customer=customer,
                           questionnaire=questionnaire, localized=localized)


class OutboxView(SecureModelView):
    """Queued survey emails: sent, waiting for a retry, or failed with their errors."""

    can_create = can_edit = can_delete = False
    column_list = ("recipient", "subject", "status", "attempts", "next_attempt_at", "last_error", "sent_at")
    column_details_list = ("recipient", "subject", "body", "status", "attempts", "next_attempt_at",
                           "last_error", "errors", "sent_at", "created_at")
    column_filters = ("status", "attempts", "created_at")
    column_default_sort = ("id", True)
    column_labels = {**SecureModelView.column_labels, "recipient": _l("Recipient"), "subject": _l("Subject"),
                     "body": _l("Body"), "attempts": _l("Attempts"), "next_attempt_at": _l("Next attempt"),
                     "last_error": _l("Last error"), "errors": _l("Errors"), "sent_at": _l("Sent at")}

    def is_action_allowed(self, name):
        if name == "retry":
            return allowed(self.endpoint, "edit")
        return super().is_action_allowed(name)

    @action("retry", _l("Retry sending"))
    def action_retry(self, ids):
        count = (OutboxMessage.update(status="pending", attempts=0, next_attempt_at=dt.datetime.now())
                 .where(OutboxMessage.id.in_(ids), OutboxMessage.status == "failed").execute())
        outbox.kick(current_app.config)
        flash(ngettext("%(num)d message queued again.", "%(num)d messages queued again.", count), "success")


def add_survey_views(admin):
    """Add the survey menu: questionnaires, items, batches, responses, statistics, the outbox."""
    from models import QuestionItem
    from views.survey_stats import SurveyStatsView

    surveys = _l("Surveys")
    admin.add_view(QuestionnaireView(Questionnaire, name=_l("Questionnaires"), category=surveys,
                                     endpoint="questionnaire"))
    admin.add_view(QuestionItemView(QuestionItem, name=_l("Questionnaire items"), category=surveys,
                                    endpoint="questionitem"))
    admin.add_view(SurveyBatchView(SurveyBatch, name=_l("Survey batches"), category=surveys,
                                   endpoint="surveybatch"))
    admin.add_view(ResponseView(Response, name=_l("Survey responses"), category=surveys, endpoint="surveyresponse"))
    admin.add_view(SurveyStatsView(name=_l("Survey statistics"), category=surveys, endpoint="surveystats"))
    admin.add_view(OutboxView(OutboxMessage, name=_l("Email outbox"), category=surveys, endpoint="outboxmessage"))
