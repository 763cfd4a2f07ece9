"""The model view every table uses: roles, masking, history, versions, safe deletes."""
import datetime as dt
import logging
from decimal import Decimal
from functools import partial

from flask import abort, flash, request, url_for
from flask_admin.contrib.peewee import ModelView
from flask_admin.model import typefmt
from flask_babel import LazyString, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms import HiddenField

from admin_app.db import write_transaction
from admin_app.permissions import UNMASKED, allowed, decided, mask, sees_unmasked
from admin_app.services.forms.values import minute
from admin_app.services.trust import history
from models import ChangeLog, Customer, now
from models.choices import label as choice_label
from views.access import RoleAccessMixin
from views.columns import ColumnChooserMixin
from views.custom_fields import CustomFieldsMixin
from views.deleting import SafeDeleteMixin
from views.export import XlsxExportMixin
from views.fastlist import FastListMixin
from views.fields import FieldAccessMixin
from views.filters import ChoiceAwareConverter
from views.form_fit import FormFitMixin
from views.form_rules import section_rules
from views.grid_edit import GridEditMixin
from views.labels import LABELS
from views.once import OnceMixin
from views.owner_filter import OwnerFilterMixin, with_owner_filter
from views.place import KeepPlaceMixin
from views.record_links import related_link_formatters
from views.reveal import RevealMixin, masked_formatter
from views.revert import RevertMixin
from views.saved_views import SavedViewMixin
from views.value_form import value_form_for

log = logging.getLogger(__name__)

HISTORY_ACTIONS = [("create", _l("Created")), ("update", _l("Changed")), ("delete", _l("Deleted")),
                   ("restore", _l("Restored")), ("revert", _l("Put back"))]
CUSTOMER_FILTERS = (Customer.name, Customer.grade, Customer.customer_type)
#: exposed view method -> the operation of the permission matrix it needs
VIEW_OPERATIONS = {"create_view": "create", "edit_view": "edit", "ajax_update": "edit", "delete_view": "delete"}


def bool_icon(view, value, name):
    """Render a yes/no list cell as an icon whose tooltip names the field and the answer in the user's language."""
    icon = "fa-check-circle" if value else "fa-minus-circle"
    title = f"{LABELS.get(name, name)}: {_('Yes') if value else _('No')}"
    return Markup(f'<span class="fa {icon}" title="{escape(title)}"></span>')


def decimal_text(view, value, name):
    """Render an amount with its field's decimal places (380 yuan as 380.00), in lists and on record pages."""
    places = getattr(view.model._meta.fields.get(name), "decimal_places", 2)
    return f"{value:.{places}f}"


def datetime_text(view, value, name):
    """Render a moment to the minute, as people write it (2026-11-03 15:30), in lists and on record pages."""
    return minute(value)


def typed_masked(form):
    """Return the personal fields the user sees masked and typed a value into (a guess must not be confirmed)."""
    return [n for n in UNMASKED if n in form and not sees_unmasked(n) and form[n].data
            and getattr(form[n].populate_obj, "__self__", None) is form[n]]


def _keep_stored(obj, name):
    """Stand-in for Field.populate_obj: an untouched masked field keeps the stored value."""


class RecordConflict(Exception):
    """The record changed since the form was opened."""


class SecureModelView(FormFitMixin, OwnerFilterMixin, ColumnChooserMixin,
                      CustomFieldsMixin, RoleAccessMixin, OnceMixin, FieldAccessMixin, RevealMixin, RevertMixin,
                      XlsxExportMixin, GridEditMixin, SavedViewMixin, SafeDeleteMixin, KeepPlaceMixin, FastListMixin,
                      ModelView):
    """A role-checked table with history, optimistic locking and dependency-aware deletes."""

    page_size = 20
    can_set_page_size = True
    page_size_options = (20, 50, 100, 200)
    can_view_details = True
    column_labels = LABELS
    filter_converter = ChoiceAwareConverter()
    form_excluded_columns = ("created_at", "updated_at", "version", "closed_at")
    form_extra_fields = {"row_version": HiddenField(), "submit_token": HiddenField()}
    column_type_formatters = {**typefmt.BASE_FORMATTERS, bool: bool_icon, Decimal: decimal_text,
                              dt.datetime: datetime_text}
    column_type_formatters_detail = {**typefmt.DETAIL_FORMATTERS, Decimal: decimal_text, dt.datetime: datetime_text,
                                     bool: lambda view, value, name: _("Yes") if value else _("No")}
    list_template = "admin/record_list.html"
    details_template = "admin/record_details.html"
    edit_template = "admin/record_edit.html"
    #: [(section title, [field names])] rendered as fieldsets on create and edit
    form_sections = ()
    #: the fields a phone shows of each row, its title first; default: the list's first four columns
    column_card_list = None

    def __init__(self, model, *args, **kwargs):
        self.column_choices = {**self._model_choices(model), **(self.column_choices or {})}
        self.form_args = self._form_args_with_labels(model)
        self.column_filters = with_owner_filter(model, self.column_filters)  # issue 13: 负责人 on every list
        self.form_base_class = value_form_for(model)  # every typed value normalised and bounded (docs/values.md)
        self.column_formatters = {**related_link_formatters(model), **self._mask_formatters(model),
                                  **(self.column_formatters or {})}
        self.column_formatters_detail = {**self.column_formatters, **(self.column_formatters_detail or {})}
        if self.form_sections:
            self.form_create_rules = self.form_edit_rules = section_rules(self.form_sections)
        super().__init__(model, *args, **kwargs)

    @staticmethod
    def _model_choices(model):
        return {f.name: f.choices for f in model._meta.sorted_fields if getattr(f, "choices", None)}

    def _form_args_with_labels(self, model):
        args = {name: dict(opts) for name, opts in (self.form_args or {}).items()}
        labels = self.column_labels or LABELS  # a view's own column labels name its form fields too
        for field in model._meta.sorted_fields:
            if field.name in labels:
                args.setdefault(field.name, {}).setdefault("label", labels[field.name])
        return args

    def scaffold_filters(self, name):
        filters = super().scaffold_filters(name)
        column = getattr(self.model, name, None) if isinstance(name, str) else name
        if filters and column is not None and column.model is not self.model:
            # Flask-Admin names a related filter "<Model> / <field>" as a plain str at start-up: English for good
            label = LazyString(lambda: f"{LABELS.get(column.model._meta.name, column.model.__name__)} / "
                                       f"{LABELS.get(column.name, column.name)}")
            for flt in filters:
                flt.name = label
        return filters

    @staticmethod
    def _mask_formatters(model):
        from admin_app.permissions import UNMASKED

        return {name: masked_formatter for name in UNMASKED if name in model._meta.fields}

    # --- permissions -------------------------------------------------------------
    def _handle_view(self, name, **kwargs):
        refused = super()._handle_view(name, **kwargs)
        operation = VIEW_OPERATIONS.get(name)
        if refused is None and operation and not allowed(self.endpoint, operation):
            # a refused operation is a 403, not a silent redirect to the list
            abort(403)
        return refused

    @property
    def can_create(self):
        return allowed(self.endpoint, "create")

    @property
    def can_edit(self):
        return allowed(self.endpoint, "edit")

    @property
    def can_delete(self):
        return allowed(self.endpoint, "delete")

    @property
    def can_export(self):
        return allowed(self.endpoint, "export")

    # --- lists: related rows in one query per relation, not one per row ------------
    def get_list(self, *args, **kwargs):
        count, rows = super().get_list(*args, **kwargs)
        if isinstance(rows, list):
            self._attach_related(rows)
        return count, rows

    def _attach_related(self, rows):
        for field in self.model._meta.refs:
            ids = {row.__data__.get(field.name) for row in rows} - {None}
            if not ids:
                continue
            target = field.rel_model
            found = {obj.id: obj for obj in target.select().where(target.id.in_(list(ids)))}
            for row in rows:
                key = row.__data__.get(field.name)
                if key in found:
                    setattr(row, field.name, found[key])

    def card_columns(self):
        """Return the names of the columns a row's card shows on a phone."""
        return list(self.column_card_list or [name for name, _label in self._list_columns][:4])

    def search_placeholder(self):
        """Name the searched columns in the search box (the peewee backend leaves it empty)."""
        names = []
        for column in self.column_searchable_list or ():
            name = column if isinstance(column, str) else column.name
            if not isinstance(column, str) and column.model is not self.model and name != "search_key":
                name = column.model._meta.table_name  # a related record's key keeps its own label (pinyin)
            label = str(self.get_column_name(name))
            if label not in names:
                names.append(label)
        return "、".join(names) if str(get_locale()).startswith("zh") else ", ".join(names)

    def get_one(self, id):
        try:
            record_id = int(id)
        except (TypeError, ValueError):
            return None  # a tampered id is "no such record", never a database error
        return super().get_one(record_id)

    # --- forms -----------------------------------------------------------------
    def create_form(self, obj=None):
        form = super().create_form(obj)
        if request.method == "GET":
            for field in self.model._meta.refs:
                wanted = request.args.get(field.name, type=int)
                if wanted and field.name in form:
                    form[field.name].data = field.rel_model.get_or_none(field.rel_model.id == wanted)
        return form

    def edit_form(self, obj=None):
        form = super().edit_form(obj)
        if request.method == "GET" and obj is not None:
            form.row_version.data = obj.version
        if obj is not None:
            self._mask_personal_fields(form, obj)
        return form

    @staticmethod
    def _mask_personal_fields(form, obj):
        """Show masked personal values as an empty box: typing replaces the value, leaving it empty keeps it."""
        for name in UNMASKED:
            if name not in form or sees_unmasked(name):
                continue
            field, stored = form[name], getattr(obj, name, None)
            field.render_kw = {**(field.render_kw or {}), "placeholder": mask(name, stored) or ""}
            if request.method == "GET" or not field.data:
                field.data = ""
                field.populate_obj = _keep_stored

    # --- saving ---------------------------------------------------------------------
    def create_model(self, form):
        try:
            with write_transaction():
                model = self.model()
                form.populate_obj(model)
                self._on_model_change(form, model, True)
                model.save(force_insert=True)
                history.record(model, "create", snap=history.snapshot(model))
        except Exception as ex:  # noqa: BLE001 - every failure becomes a message, none a 500
            return self._save_failed(ex, _("The record was not created."))
        self.after_model_change(form, model, True)
        return model

    def update_model(self, form, model):
        try:
            expected = int(form.row_version.data or model.version)
        except ValueError:  # a damaged or tampered form: refuse rather than save without the lock
            flash(_("The form is out of date; reload the record and edit it again."), "error")
            return False
        before = history.snapshot(model)
        try:
            with write_transaction():
                form.populate_obj(model)
                self._on_model_change(form, model, False)
                changes = history.diff(before, history.snapshot(model))
                for name in typed_masked(form):  # a typed masked value is a change even when it equals the stored
                    changes.setdefault(name, [before.get(name), getattr(model, name)])
                stamp = now()
                bumped = (
                    self.model.update(version=expected + 1, updated_at=stamp)
                    .where(self.model.id == model.id, self.model.version == expected)
                    .execute()
                )
                if not bumped:
                    raise RecordConflict()
                model.version, model.updated_at = expected + 1, stamp
                model.save()
                history.record(model, "update", changes)
        except RecordConflict:
            self._flash_conflict(model, expected, form)
            return False
        except Exception as ex:  # noqa: BLE001
            return self._save_failed(ex, _("The record was not saved."))
        self.after_model_change(form, model, False)
        return True

    def _save_failed(self, ex, message):
        if isinstance(ex, ValueError):
            flash(f"{message} {ex}", "error")
        else:
            log.exception("save failed in %s", self.endpoint)
            flash(f"{message} {_('The database refused the change; please try again.')}", "error")
        return False

    def _flash_conflict(self, model, expected, form):
        current = self.model.get_by_id(model.id)
        last = history.last_change(self.model._meta.table_name, model.id)
        who = (str(last.user) if last.user_id and last.user else last.username) if last else "?"
        flash(
            _("%(user)s changed this record at %(time)s after you opened it. Nothing was overwritten. "
              "Their values: %(fields)s. Reload the record to edit the current version.",
              user=who, time=minute(last.at if last else current.updated_at),
              fields=self.edit_conflict_text(current, model, form) or "-"),
            "error",
        )

    # --- whole-list work: actions on the selected rows or on everything matching ---------------
    def rows_for_request(self):
        """Return the rows a bulk operation applies to: `?ids=1&ids=2`, else the list's search and filters."""
        # built once per request (an export asks first for the count, then for the rows); a clone per caller, so
        # one caller's executed result is never another's
        return decided(("rows_for_request", id(self)), self._rows_for_request).clone()

    def _rows_for_request(self):
        ids = request.values.getlist("ids", type=int)
        if ids:
            return self.get_query().where(self.model.id.in_(ids))
        view_args = self._get_list_extra_args()
        sort_column = (self._get_column_by_idx(view_args.sort) or (None,))[0]
        _count, query = self.get_list(0, sort_column, view_args.sort_desc, view_args.search,
                                      view_args.filters, execute=False, page_size=False)
        return query

    def list_tools(self):
        """Return [(label, url)] of buttons shown above the list; features add theirs."""
        return getattr(super(), "list_tools", list)()

    def list_args(self):
        """Return the current list's query arguments (search, filters, sort) without the page."""
        return {key: value for key, value in request.args.items(multi=True) if key not in ("page",)}

    # --- helpers for templates -----------------------------------------------------------
    def history(self, model):
        """Return the change log of a record for its detail page."""
        entries = list(ChangeLog.for_record(self.model._meta.table_name, model.id))
        for entry in entries:
            entry.changed = partial(self.visible_changes, ChangeLog(changes=entry.changes))
        return entries

    def choice_label(self, record, name):
        """Return the translated label of a record's choice value."""
        field = record._meta.fields.get(name)
        return choice_label(field.choices or (), getattr(record, name)) if field else ""

    def action_label(self, code):
        """Return the translated name of a history action."""
        return choice_label(HISTORY_ACTIONS, code)

    def field_label(self, name):
        """Return the translated label of a field (custom fields' labels are the view's own)."""
        return (self.column_labels or LABELS).get(name, name)

    def link(self, endpoint, record, text=None):
        """Return an escaped link to a record's detail page."""
        url = url_for(f"{endpoint}.details_view", id=record.id)
        return Markup(f'<a href="{escape(url)}">{escape(text or str(record))}</a>')
