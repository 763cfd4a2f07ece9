"""The administrator's page for custom fields: add, rename, reorder, retire, bring back and purge (issue 12)."""
from flask import flash
from flask_admin.actions import action
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from admin_app.services.fields import catalog, schema
from models import CustomField
from views.base import SecureModelView
from views.custom_fields import KIND_LABELS, TABLE_LABELS

OPTIONS_HELP = _l("Choice fields: one option per line, “中文 | English”. Existing lines read "
                  "“code | 中文 | English”; relabel them freely, add “| retired” to retire one (stored values keep "
                  "showing, marked retired).")


def section_choices():
    """Return the form sections of every list as ("endpoint:index", "List — section") plus "Additional fields"."""
    from flask import current_app

    from views.access import find_view
    from views.custom_fields import CUSTOM_SECTION

    admin = current_app.extensions["admin"][0]
    found = [("", str(CUSTOM_SECTION))]
    for endpoint, table in TABLE_LABELS:
        view = find_view(admin, endpoint)
        for index, (header, _names) in enumerate(getattr(view, "_cf_base", {}).get("form_sections") or ()):
            found.append((f"{endpoint}:{index}", f"{table} — {header}"))
    return found


class CustomFieldView(SecureModelView):
    """Custom fields of every list; a field's code and column never change, its labels and order may."""

    can_delete = False
    column_list = ("endpoint", "label_zh", "label_en", "kind", "code", "required", "in_list", "filterable",
                   "sortable", "searchable", "exported", "personal", "position", "retired")
    column_filters = ("endpoint", "kind", "retired")
    column_default_sort = [("endpoint", False), ("position", False)]
    column_sortable_list = ("endpoint", "label_zh", "position", "kind")
    column_choices = {"kind": KIND_LABELS, "endpoint": TABLE_LABELS}
    column_labels = {
        "endpoint": _l("List"), "label_zh": _l("Chinese label"), "label_en": _l("English label"),
        "kind": _l("Type"), "code": _l("Code (column cf_…)"), "required": _l("Required"),
        "in_list": _l("List column"), "filterable": _l("Filterable"), "sortable": _l("Sortable"),
        "searchable": _l("Searchable"), "exported": _l("Exported"), "personal": _l("Personal data (masked)"),
        "position": _l("Position"), "retired": _l("Retired"), "decimals": _l("Decimal places"),
        "default": _l("Default"), "help_zh": _l("Help text (Chinese)"), "help_en": _l("Help text (English)"),
        "section": _l("Form section"), "options": _l("Options"), "choices": _l("Options"),
    }
    form_columns = ("endpoint", "label_zh", "label_en", "kind", "decimals", "required", "default",
                    "help_zh", "help_en", "position", "in_list", "filterable", "sortable", "searchable",
                    "exported", "personal")
    form_sections = (
        (_l("Field"), ["endpoint", "label_zh", "label_en", "kind", "decimals", "options"]),
        (_l("On the form"), ["required", "default", "help_zh", "help_en", "section", "position"]),
        (_l("On the list"), ["in_list", "filterable", "sortable", "searchable", "exported", "personal"]),
    )
    form_extra_fields = {**SecureModelView.form_extra_fields,
                         "options": TextAreaField(_l("Options"), description=OPTIONS_HELP),
                         "section": SelectField(_l("Form section"), choices=[], validate_choice=False)}
    form_overrides = {"endpoint": SelectField, "kind": SelectField, "label_zh": StringField}
    form_args = {
        "endpoint": {"label": _l("List"), "choices": TABLE_LABELS},
        "kind": {"label": _l("Type"), "choices": KIND_LABELS},
        "label_zh": {"label": _l("Chinese label"), "validators": [InputRequired()]},
        "decimals": {"label": _l("Decimal places"), "validators": [Optional()],
                     "description": _l("Only for the type Decimal.")},
        "default": {"label": _l("Default"), "description": _l("Filled into new records; must fit the type.")},
        "position": {"label": _l("Position"), "description": _l("Smaller numbers come first in forms and lists.")},
    }

    def __init__(self, *args, **kwargs):
        self.form_args = {**{name: {"label": label} for name, label in self.column_labels.items()},
                          **{name: {**args_, "label": args_.get("label", self.column_labels.get(name))}
                             for name, args_ in self.form_args.items()}}
        super().__init__(*args, **kwargs)

    def _section_form(self, form, obj=None):
        form.section.choices = section_choices()
        if obj is not None and form.section.data in (None, "", obj.section) and obj.section:
            form.section.data = f"{obj.endpoint}:{obj.section}"
        return form

    def create_form(self, obj=None):
        return self._section_form(super().create_form(obj))

    def edit_form(self, obj=None):
        form = self._section_form(super().edit_form(obj), obj)
        if obj is not None:  # a field belongs to its list for good
            form.endpoint.render_kw = {**(form.endpoint.render_kw or {}), "disabled": True}
            form.endpoint.data = obj.endpoint
        if obj is not None and not form.options.data:
            form.options.data = catalog.options_text(obj)
        return form

    @staticmethod
    def _settings(form, endpoint):
        section = form.section.data or ""
        where, _sep, index = section.partition(":")
        settings = {name: form[name].data for name in (*catalog.FLAGS, "default", "help_zh", "help_en", "position",
                                                         "decimals") if name in form}
        settings["section"] = index if where == endpoint else ""
        settings["default"] = settings.get("default") or ""
        settings["decimals"] = settings.get("decimals") if settings.get("decimals") is not None else 2
        return settings

    def create_model(self, form):
        endpoint = form.endpoint.data
        try:
            return catalog.add(endpoint, form.label_zh.data, form.kind.data, label_en=form.label_en.data or "",
                               choices=form.options.data or "", user_id=catalog.actor_id(),
                               **self._settings(form, endpoint))
        except catalog.FieldError as ex:
            flash(str(ex), "error")
            return False

    def update_model(self, form, model):
        try:
            if form.kind.data != model.kind:
                catalog.change_type(model, form.kind.data)
            catalog.update(model, choices=form.options.data if model.kind in catalog.CHOICE_KINDS else None,
                           label_zh=form.label_zh.data, label_en=form.label_en.data or "",
                           **self._settings(form, model.endpoint))
        except catalog.FieldError as ex:
            flash(str(ex), "error")
            return False
        return True

    def _each(self, ids, change):
        done = 0
        for defn in CustomField.select().where(CustomField.id.in_([int(i) for i in ids])):
            try:
                done += bool(change(defn))
            except catalog.FieldError as ex:
                flash(f"{defn.label_zh}: {ex}", "error")
        return done

    @action("retire", _l("Retire"), _l("Retire the selected fields? Their values are kept."))
    def action_retire(self, ids):
        done = self._each(ids, lambda d: not d.retired and catalog.set_retired(d, True))
        flash(ngettext("%(num)d field was retired.", "%(num)d fields were retired.", done), "success")

    @action("unretire", _l("Bring back"))
    def action_unretire(self, ids):
        done = self._each(ids, lambda d: d.retired and catalog.set_retired(d, False))
        flash(ngettext("%(num)d field was brought back.", "%(num)d fields were brought back.", done), "success")

    @action("purge", _l("Purge values"), _l("Delete the values of the selected retired fields for good? "
                                            "This cannot be undone; it is logged."))
    def action_purge(self, ids):
        done = self._each(ids, lambda d: catalog.purge(d) is None)
        flash(ngettext("%(num)d field was purged.", "%(num)d fields were purged.", done), "success")

    def column_name(self, defn):
        """Return the column a field is stored in (named in field permission rules)."""
        return defn.column

    def get_query(self):
        return CustomField.select().where(CustomField.endpoint.in_(list(schema.MODELS)))
