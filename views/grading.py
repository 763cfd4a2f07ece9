"""Credit grading in the panel: recompute and designate actions on the customer list (thresholds: rule settings)."""
import peewee as pw
from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.contrib.peewee import filters as pf
from flask_admin.helpers import is_safe_url
from flask_babel import LazyString, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from wtforms import Form, RadioField, TextAreaField
from wtforms.validators import InputRequired, Length

from admin_app.permissions import allowed, decided
from admin_app.services.grading import grading_sql, rules
from admin_app.typed_forms import TypedValuesMixin
from models import Customer, GradeHistory
from views import background


def actor():
    """Return (user id, username) of the person acting, for the grade history."""
    return current_user.id, current_user.username


def reasons_formatter(view, context, row, name):
    """Show stored reason codes as translated sentences (each stored text translated once per request)."""
    stored = getattr(row, name)
    return decided(("reasons_text", stored), lambda: rules.reasons_text(stored))


def urgent_formatter(view, context, row, name):
    """Show a red badge on customers with an open urgent credit event."""
    if not getattr(row, name):
        return ""
    return decided("urgent_badge", lambda: Markup('<span class="badge badge-danger">%s</span>') % _("Urgent"))


def designation_formatter(view, context, row, name):
    """Show a missing designation as empty, not as None."""
    return getattr(row, name) or ""


class GradeReasonFilter(pf.BasePeeweeFilter):
    """Customers whose grade has a given reason (exact code in the stored list)."""

    def apply(self, query, value):
        padded = pw_concat(",", self.column, ",")
        return query.where(padded.contains(f",{value},"))

    def operation(self):
        return _l("includes")


def pw_concat(*parts):
    """Return the SQL concatenation of strings and columns."""
    expr = pw.Value(parts[0], converter=False) if isinstance(parts[0], str) else parts[0]
    for part in parts[1:]:
        expr = expr.concat(pw.Value(part, converter=False) if isinstance(part, str) else part)
    return expr


def reason_options():
    """Return (code, sentence) for every reason, for the filter drop-down."""
    # lazy sentences: Flask-Admin keeps filter options from start-up and renders them in each request's language
    return [(code, LazyString(rules.reason_text, code)) for code in rules.REASON_CODES]


class DesignateForm(TypedValuesMixin, Form):
    """The supervisor's designation of selected customers: A, B or none, with a required remark."""

    value = RadioField(_l("Designation"), choices=[("A", "A"), ("B", "B"), ("none", _l("None (remove)"))],
                       validators=[InputRequired(message=_l("Choose A, B or none."))])
    remark = TextAreaField(_l("Remark"), validators=[InputRequired(message=_l("A remark is required.")),
                                                     Length(max=2000)])


class GradingActionsMixin:
    """Adds to CustomerView: recompute and designate actions with preview pages, reasons column, history."""

    edit_template = "admin/grading/customer_edit.html"  # the customer's own page offers A / B too (issue 13.3)
    rare_first_columns = ("urgent",)  # see _get_default_order

    def __init__(self, *args, **kwargs):
        columns = tuple(self.column_list or ())
        if columns and "grade_reasons" not in columns:
            at = columns.index("grade") + 1 if "grade" in columns else len(columns)
            columns = (*columns[:at], "grade_reasons", *columns[at:])
        if columns and "urgent" not in columns:
            columns = ("urgent", *columns)
        self.column_list = columns or self.column_list
        self.column_formatters = {"designation": designation_formatter, **(self.column_formatters or {}),
                                  "grade_reasons": reasons_formatter, "urgent": urgent_formatter}
        filters = tuple(self.column_filters or ())
        self.column_filters = (*filters, GradeReasonFilter(Customer.grade_reasons, _l("Grade reasons"),
                                                           options=reason_options))
        super().__init__(*args, **kwargs)

    def _get_default_order(self):
        # urgent credit events (bounced cheque, deferral) come first for whoever follows them up
        return [("urgent", True), *(super()._get_default_order() or [])]

    def _export_converter(self, fld):
        if fld.name == "grade_reasons":
            return rules.reasons_text
        return super()._export_converter(fld)

    def is_action_allowed(self, name):
        if name == "recompute_grade":
            return allowed(self.endpoint, "grade")
        if name == "designate_grade":
            return allowed(self.endpoint, "designate")
        return super().is_action_allowed(name)

    def list_tools(self):
        tools = list(super().list_tools())
        if allowed(self.endpoint, "grade"):
            args = {k: v for k, v in request.args.to_dict(flat=False).items() if k not in ("page", "ids")}
            tools.append((_("Recompute all matching"), url_for(".grading_recompute", **args)))
        return tools

    @action("recompute_grade", _l("Recompute grade"))
    def action_recompute_grade(self, ids):
        return redirect(url_for(".grading_recompute", ids=[int(i) for i in ids], url=self.came_from()))

    @action("designate_grade", _l("Designate A / B"))
    def action_designate_grade(self, ids):
        return redirect(url_for(".grading_designate", ids=[int(i) for i in ids], url=self.came_from()))

    @expose("/grading/recompute", methods=("GET", "POST"))
    def grading_recompute(self):
        if not allowed(self.endpoint, "grade"):
            abort(403)
        query = self.rows_for_request()
        if request.method == "POST":
            started = background.start_regrade(self)  # regrading many customers goes to the queue (issue 15)
            if started is not None:
                return started
            result = grading_sql.apply(query, actor=actor())
            flash(_("Grades recomputed: %(moved)d customers changed grade, %(updated)d records updated.",
                    moved=result["moved"], updated=result["updated"]), "success")
            return redirect(self._back_to_list(request.args.getlist("ids", type=int)))
        result = grading_sql.preview(query)
        return self.render("admin/grading/preview.html", result=result, selected=request.args.getlist("ids"),
                           back=self._back_to_list(), reasons_text=rules.reasons_text)

    @expose("/grading/designate", methods=("GET", "POST"))
    def grading_designate(self):
        if not allowed(self.endpoint, "designate"):
            abort(403)
        ids = request.values.getlist("ids", type=int)
        if not ids:
            flash(_("Select the customers to designate first."), "error")
            return redirect(self._back_to_list())
        customers = list(self.get_query().where(Customer.id.in_(ids)).order_by(Customer.id))
        form = DesignateForm(request.form if request.method == "POST" else None)
        if request.method == "POST" and form.validate() and form.remark.data.strip():
            value = None if form.value.data == "none" else form.value.data
            count = grading_sql.designate([c.id for c in customers], value, form.remark.data, actor=actor())
            flash(ngettext("%(num)d customer designated and regraded.",
                           "%(num)d customers designated and regraded.", count), "success")
            back = request.form.get("next", "")  # the customer's own page, when designated from there
            return redirect(back if back and is_safe_url(back) else self._back_to_list(ids))
        if request.method == "POST" and not form.errors:
            form.remark.errors = [_("A remark is required.")]
        return self.render("admin/grading/designate.html", form=form, customers=customers,
                           back=self._back_to_list(), reasons_text=rules.reasons_text)

    def designate_form(self):
        """Return the A / B form for one customer's own page, or None when the user may not designate."""
        return DesignateForm() if allowed(self.endpoint, "designate") else None

    def _back_to_list(self, touched=()):
        if self.came_from():  # opened by an action on the list: back to that list, the touched rows marked
            return self.return_to_list(touched)
        args = {k: v for k, v in request.args.to_dict(flat=False).items() if k != "ids"}
        return url_for(".index_view", **args)

    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        # an edited customer is graded by the same rules at once, so the list never shows a stale grade
        model._grade_change = grading_sql.regrade_instance(model)
        if not is_created and model._grade_change[0] != model._grade_change[1]:
            self._record_edit(model, model._grade_change[0])

    def after_model_change(self, form, model, is_created):
        super().after_model_change(form, model, is_created)
        if is_created:
            self._record_edit(model, None)

    def before_revert_save(self, instance):
        # a customer put back to earlier facts is regraded at once, as after an edit
        super().before_revert_save(instance)
        change = grading_sql.regrade_instance(instance)
        if change[0] != change[1]:
            self._record_edit(instance, change[0])

    @staticmethod
    def _record_edit(model, old):
        GradeHistory.create(customer=model.id, old_grade=old, new_grade=model.grade, reasons=model.grade_reasons,
                            source="edit", user=current_user.id, username=current_user.username)

    def grade_history(self, customer):
        """Return the customer's grade changes, newest first, for its detail page."""
        return list(GradeHistory.for_customer(customer.id).limit(100))

    def reasons_text(self, codes):
        """Return reason codes as translated sentences (for templates)."""
        return rules.reasons_text(codes)
