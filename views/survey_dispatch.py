"""Send a survey from the customer list: selected rows or everything matching, with a preview first."""
import datetime as dt

from flask import abort, current_app, flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import DateField, IntegerField, SelectField
from wtforms.validators import InputRequired, NumberRange, ValidationError

from admin_app.permissions import allowed
from admin_app.services.notify import outbox
from admin_app.services.settings import store as settings_store
from admin_app.services.surveys.survey import create_batch, plan_dispatch
from admin_app.services.surveys.survey_export import email_parts
from models import Questionnaire
from models.survey import SURVEY_CHANNELS
from views import background
from views.list_summary import describe_list
from views.survey import survey_link_base


def exclusion_labels(days):
    """Return the translated reasons a customer is left out, in the preview's order."""
    return {"no_consent": _("No consent on file"), "no_contact": _("No contact for this channel"),
            "recently_surveyed": _("Surveyed in the last %(days)d days", days=days or 0)}


def _future(form, field):
    if field.data and field.data <= dt.date.today():
        raise ValidationError(_l("The expiry date must be after today."))


class DispatchForm(FlaskForm):
    """The options of a dispatch."""

    questionnaire = SelectField(_l("Questionnaire"), coerce=int, validators=[InputRequired()])
    channel = SelectField(_l("Channel"), choices=SURVEY_CHANNELS, default="email")
    sample_percent = IntegerField(_l("Random sample (%); customers who complained recently (window in the rule "
                                     "settings) are always included"), default=100,
                                  validators=[InputRequired(), NumberRange(min=1, max=100)])
    exclude_days = IntegerField(_l("Skip customers surveyed within (days)"), default=90,
                                validators=[InputRequired(), NumberRange(min=0, max=3650)])
    expires_on = DateField(_l("Links expire after"), validators=[InputRequired(), _future],
                           default=lambda: dt.date.today() + dt.timedelta(days=30))


def options_signature(form):
    """Return the options as text, so a confirmation applies exactly what was previewed."""
    return "|".join(str(form[name].data) for name in ("questionnaire", "channel", "sample_percent",
                                                      "exclude_days", "expires_on"))


class SurveyDispatchMixin:
    """Adds 'Send survey' (selected rows) and 'Survey all matching' (search + filters) to the customer list."""

    def list_tools(self):
        tools = super().list_tools()
        if allowed("surveybatch", "create"):
            tools.append((_l("Survey all matching"), url_for(".survey_dispatch", **self.list_args())))
        return tools

    def is_action_allowed(self, name):
        if name == "survey":
            return allowed("surveybatch", "create")
        return super().is_action_allowed(name)

    @action("survey", _l("Send survey"))
    def action_survey(self, ids):
        return redirect(url_for(".survey_dispatch", ids=ids, url=self.came_from()))

    @expose("/survey/", methods=("GET", "POST"))
    def survey_dispatch(self):
        """Show the options and the preview (who receives it, who is excluded and why); create on confirm."""
        if not allowed("surveybatch", "create"):
            abort(403)
        form = DispatchForm(request.form if request.method == "POST" else None)
        form.questionnaire.choices = [(q.id, str(q)) for q in Questionnaire.current()]
        plan = None
        if (request.method == "GET" and form.questionnaire.choices) or form.validate_on_submit():
            form.questionnaire.data = form.questionnaire.data or form.questionnaire.choices[0][0]
            plan = plan_dispatch(self.rows_for_request(), form.channel.data, form.sample_percent.data or 100,
                                 form.exclude_days.data or 0)
            if request.form.get("step") == "confirm":
                if request.form.get("previewed") == options_signature(form):
                    return self._confirm(form, plan)
                flash(_("The options changed since the preview; check the new preview and confirm again."),
                      "warning")
        elif not form.questionnaire.choices:
            flash(_("There is no questionnaire in use; create one first."), "error")
        return self.render("admin/survey/dispatch.html", form=form, plan=plan,
                           reasons=exclusion_labels(form.exclude_days.data),
                           complainant_months=settings_store.get("survey_complainant_months"),
                           signature=options_signature(form),
                           selection=self._selection_text(),
                           back=self.came_from() or url_for(".index_view", **self._list_only_args()))

    def _confirm(self, form, plan):
        if not plan.sample_size:
            flash(_("Nobody would receive this survey; nothing was created."), "error")
            return redirect(request.full_path)
        message = email_parts(survey_link_base(), form.expires_on.data) if form.channel.data == "email" else None
        started = background.start_dispatch(form, plan, self._selection_text(), message)  # issue 15
        if started is not None:
            return started
        batch = create_batch(plan, Questionnaire.get_by_id(form.questionnaire.data), form.channel.data,
                             form.expires_on.data, user=current_user.id, selection=self._selection_text(),
                             message=message)
        if message:
            outbox.kick(current_app.config)
        text = _("Survey batch #%(id)s created: %(sent)d invitations, %(skipped)d customers not included.",
                 id=batch.id, sent=batch.sent_count, skipped=batch.excluded_count)
        link = url_for("surveybatch.details_view", id=batch.id)
        flash(Markup(f'{escape(text)} <a href="{escape(link)}" class="alert-link">{escape(_("View"))}</a>'), "success")
        if self.came_from():  # sent from the list's selection: back to that list, the customers marked
            return redirect(self.return_to_list(request.args.getlist("ids", type=int)))
        return redirect(url_for("surveybatch.index_view"))

    def _list_only_args(self):
        return {k: v for k, v in request.args.items(multi=True) if k not in ("ids", "url")}

    def _selection_text(self):
        ids = request.args.getlist("ids")
        if ids:
            return _("Selected customers: %(ids)s", ids=", ".join(ids))
        return _("All customers matching: %(query)s", query=describe_list(self) or _("no filter"))
